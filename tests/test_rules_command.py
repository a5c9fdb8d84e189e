"""`ivraudit rules`: the catalogue, one rule explained, JSON, and docs/rules.md kept in step."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner, Result

from ivraudit.cli import main
from ivraudit.judge.rules import REGISTRY
from tests.conftest import ROOT

RULES = list(REGISTRY.values())
LISTING = re.compile(
    r"^(?P<id>IVR\d{3})  (?P<name>[a-z-]+) +(?P<severity>error|warning|info) +"
    r"(?P<category>[a-z]+) +(?P<title>\S.*)$"
)


def rules(*args: str) -> Result:
    """Invoke `ivraudit rules ARGS`."""
    return CliRunner().invoke(main, ["rules", *args])


def test_listing_has_one_line_per_rule_in_catalogue_order() -> None:
    """Each rule appears once, with its id, alias, severity, category and title."""
    result = rules()
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == len(REGISTRY)
    for line, rule in zip(lines, RULES, strict=True):
        m = LISTING.match(line)
        assert m, line
        assert (m["id"], m["name"], m["severity"], m["category"], m["title"]) == (
            rule.id,
            rule.name,
            rule.severity.value,
            rule.category,
            rule.title,
        )


@pytest.mark.parametrize("name", ["IVR104", "no-zero-out", "ivr104"])
def test_one_rule_explained_by_id_or_alias(name: str) -> None:
    """`rules IVR104` and `rules no-zero-out` print the same explanation."""
    result = rules(name)
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    rule = REGISTRY["IVR104"]
    assert out.splitlines()[0] == f"IVR104 (no-zero-out): {rule.title}"
    assert "category: reach   default severity: warning" in out
    assert f"Why: {rule.rationale}" in out
    assert f"Source: {rule.source}" in out
    for which in ("Fails", "Passes"):
        assert f"{which}:" in out
        assert all(line in out for line in rule.example(which).splitlines())
    assert out == rules("IVR104").stdout


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_can_be_explained(rule) -> None:  # type: ignore[no-untyped-def]
    """Each rule's explanation names it, shows its options, and its examples."""
    out = rules(rule.name).stdout
    assert out.startswith(f"{rule.id} ({rule.name}): {rule.title}\n")
    assert ("options (set under" in out) == bool(rule.options)
    for name in rule.options:
        assert f"\n  {name}:" in out
    assert "Fails:" in out and "Passes:" in out


@pytest.mark.parametrize(
    "args",
    [["IVR999"], ["no-such-rule"], ["IVR999", "--format", "json"]],
    ids=["id", "alias", "json"],
)
def test_unknown_rule_exits_2_with_one_line(args: list[str]) -> None:
    """An unknown rule is bad input: exit 2, one line on stderr, nothing on stdout."""
    result = rules(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: unknown rule '{args[0]}' (see `ivraudit rules`)\n"


def test_unknown_rule_exits_2_in_markdown_too() -> None:
    """`--format markdown` does not hide a misspelt rule."""
    result = rules("IVR999", "--format", "markdown")
    assert result.exit_code == 2 and result.stdout == ""


def test_json_listing_and_one_rule() -> None:
    """`--format json` is a list of every rule, or one object for one rule."""
    items = json.loads(rules("--format", "json").stdout)
    assert [i["id"] for i in items] == list(REGISTRY)
    keys = ["id", "name", "title", "category", "severity", "options", "rationale", "source"]
    assert all(list(i) == keys for i in items)
    one = json.loads(rules("max-depth", "--format", "json").stdout)
    assert one == next(i for i in items if i["id"] == "IVR201")
    assert one["options"] == {"max_presses": 3}


def test_docs_rules_md_is_the_generated_reference() -> None:
    """docs/rules.md is exactly what `ivraudit rules --format markdown` prints."""
    result = rules("--format", "markdown")
    assert result.exit_code == 0
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == result.stdout, (
        "docs/rules.md is stale; regenerate it: ivraudit rules --format markdown > docs/rules.md"
    )
    for rule in RULES:
        assert f"### {rule.id}\n" in committed
