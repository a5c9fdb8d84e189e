"""Every rule: its metadata is complete, its docstring examples hold, its fixtures hold.

Fixtures live in tests/rules/fixtures/<ID>/: `fail*.yaml` mark each expected finding
with a `# expect: LINE:COL` comment; `pass*.yaml` must give no finding of that rule.
An optional `# options: {...}` comment sets the rule's options.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ivraudit.audit import audit_menu
from ivraudit.format.loader import loads_menu
from ivraudit.judge.findings import Severity
from ivraudit.judge.rules import CATEGORIES, REGISTRY, Rule, get_rule, rule_id
from tests.rules.common import FIXTURES, expected, findings, fixture_options, positions

RULES = list(REGISTRY.values())


def _fixture_cases() -> list:
    cases = []
    for rule in RULES:
        for path in sorted((FIXTURES / rule.id).glob("*.yaml")):
            cases.append(pytest.param(rule, path, id=f"{rule.id}/{path.name}"))
    return cases


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule: Rule) -> None:
    assert rule.id.startswith("IVR") and rule.id[3:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.category in CATEGORIES or rule.category == "meta"
    assert isinstance(rule.severity, Severity)
    assert rule.title and not rule.title.endswith(".")
    for text in (rule.rationale, rule.source):
        assert len(text) > 20 and "TODO" not in text
    assert "TODO" not in rule.doc
    assert get_rule(rule.name) is rule and rule_id(rule.id.lower()) == rule.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_docstring_examples(rule: Rule) -> None:
    assert findings(rule.example("Fails"), rule.id), "the failing example must fail"
    assert findings(rule.example("Passes"), rule.id) == [], "the passing example must pass"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_following_a_rules_advice_never_lowers_the_score(rule: Rule) -> None:
    """A rule's "passes" example, audited with every rule, scores at least its "fails" one."""
    fails, passes = (
        audit_menu(loads_menu(rule.example(which), f"{which}.yaml")).score.value
        for which in ("Fails", "Passes")
    )
    assert passes >= fails, f"{rule.id}: the advice scores {passes}, the problem {fails}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_a_failing_and_a_passing_fixture(rule: Rule) -> None:
    names = [p.name for p in (FIXTURES / rule.id).glob("*.yaml")]
    assert any(n.startswith("fail") for n in names), f"add tests/rules/fixtures/{rule.id}/fail.yaml"
    assert any(n.startswith("pass") for n in names), f"add tests/rules/fixtures/{rule.id}/pass.yaml"


@pytest.mark.parametrize(("rule", "path"), _fixture_cases())
def test_fixture(rule: Rule, path: Path) -> None:
    text = path.read_text()
    want = expected(text)
    if path.name.startswith("fail"):
        assert want, f"{path}: mark the expected findings with '# expect: LINE:COL'"
    got = sorted(positions(text, rule.id, fixture_options(text)))
    assert got == want


def test_unknown_rule_lookup_fails_clearly() -> None:
    with pytest.raises(KeyError, match="unknown rule 'IVR999'"):
        get_rule("IVR999")
