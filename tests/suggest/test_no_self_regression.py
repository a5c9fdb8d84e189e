"""The suggestions and `diff` share one judgement of worse: a rewrite `suggest` writes is
never a regression for `diff --fail-on-regression`, and the taxi model shows up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.audit import audit_menu
from ivraudit.cli import main
from ivraudit.format.loader import loads_menu
from ivraudit.judge.config import Config
from ivraudit.suggest import Figures, suggest_menu
from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "menus").glob("*.yaml"))

# A pizza line: 75% of callers want to order, and a self-service takes orders, but they
# hear two other options first and a submenu after.
PIZZA = """\
ivraudit: 1
name: Pizza line
intents: {order: 0.75, complaint: 0.15, hours: 0.1}
nodes:
  main:
    prompt: "Welcome to Pizza Place."
    options:
      - {key: 1, label: opening hours, goto: hours_msg, intents: [hours]}
      - {key: 2, label: complaints, goto: desk, intents: [complaint]}
      - {key: 3, label: other services, goto: more, intents: [order]}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  more:
    prompt: "Other services."
    options:
      - {key: 1, label: gift cards, goto: desk}
      - {key: 2, label: orders, goto: order_bot, intents: [order]}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  hours_msg: {type: self_service, prompt: "We open at noon.", handles: [hours]}
  order_bot: {type: self_service, prompt: "Say your order after the tone.", handles: [order]}
  desk: {type: agent, queue: staff, hold_seconds: 90, handles: [complaint, order, hours]}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_diff_never_calls_the_combined_rewrite_a_regression(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "combined.yaml"
    assert run("suggest", str(path), "--write", str(out)).exit_code == 0
    result = run("diff", str(path), str(out), "--fail-on-regression")
    assert result.exit_code == 0, result.output


def figures(text: str) -> Figures:
    return Figures.of(audit_menu(loads_menu(text, "m.yaml"), Config()))


def test_newly_resolved_calls_joining_the_typical_call_are_no_regression() -> None:
    before = figures(PIZZA.replace("handles: [complaint, order, hours]", "handles: [order]"))
    after = figures(PIZZA)
    assert after.resolved_share > before.resolved_share
    assert not before.worse(after)


def test_a_slower_fastest_person_alone_is_no_regression_until_max_time_to_human() -> None:
    before = figures(PIZZA)
    after = figures(PIZZA.replace("hold_seconds: 90", "hold_seconds: 95"))
    assert after.time_to_human_seconds > before.time_to_human_seconds
    assert not any("person" in r for r in before.regressions(after))


def test_a_finding_whose_numbers_or_parts_changed_is_not_new() -> None:
    hello = '"Welcome to Pizza Place."'
    before = figures(PIZZA.replace(hello, '"Welcome. ' + "Hello. " * 20 + '"'))
    after = figures(PIZZA.replace(hello, '"Welcome. ' + "Hello. " * 15 + '"'))
    assert not before.regressions(after)


def test_the_taxi_model_is_suggested_and_combined_on_a_taxi_like_menu(tmp_path: Path) -> None:
    result = suggest_menu(loads_menu(PIZZA, "pizza.yaml"))
    taxi = result.get("taxi-model:main")
    assert taxi.saves_seconds is not None and taxi.saves_seconds > 0
    assert "taxi-model:main" in result.combined.applied
    src = tmp_path / "pizza.yaml"
    src.write_text(PIZZA, encoding="utf-8")
    out = tmp_path / "taxi.yaml"
    assert run("suggest", str(src), "--only", "taxi-model:main", "--write", str(out)).exit_code == 0
    scored = json.loads(run("score", str(out), "--format", "json").output)
    assert scored["score"] == taxi.after.score


def test_the_taxi_model_is_measured_with_other_callers_pressing_everything_else() -> None:
    """The callers the new menu is not for press "everything else" (1.6 + 2.0 + 1 s more),
    not a wrong key that would skip it in 1 s (format 0.3: a wrong key is a mistake)."""
    taxi = suggest_menu(loads_menu(PIZZA, "pizza.yaml")).get("taxi-model:main")
    assert dict(taxi.slower) == {"complaint": 2.0, "hours": 4.6}
