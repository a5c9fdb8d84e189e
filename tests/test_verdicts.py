"""The verdicts of issue 7's trial: regressions are judged on calls, the gate fails poor menus."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ivraudit.cli import main
from tests.conftest import ROOT

TRIAL = ROOT / "tests" / "menus" / "trial"

QUEUE = textwrap.dedent(
    """\
    ivraudit: 1
    name: Energy supplier
    intents: {billing: 0.8, meter_reading: 0.2}
    nodes:
      main:
        prompt: "Power Co."
        options:
          - {key: 1, label: your bill, goto: billing_team, intents: [billing]}
          - {key: 2, label: a meter reading, goto: meter, intents: [meter_reading]}
          - {key: 0, label: a person, goto: billing_team}
        no_input: {goto: billing_team}
        no_match: {goto: billing_team}
      meter:
        type: self_service
        prompt: "Key in your reading after the tone. Thank you."
        handles: [meter_reading]
      billing_team:
        type: message
        prompt: "We will call you back if you prefer: stay on the line to wait."
        next: billing_desk
      billing_desk: {type: agent, hold_seconds: 600, handles: [billing]}
    """
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_a_good_rewrite_is_no_regression_though_its_fastest_person_is_slower() -> None:
    before, after = TRIAL / "airline_before.yaml", TRIAL / "airline_after.yaml"
    result = run("diff", str(before), str(after), "--fail-on-regression", "--format", "json")
    assert result.exit_code == 0, result.output
    (menu,) = json.loads(result.stdout)["menus"]
    assert not menu["regressed"] and menu["new_score"] > menu["old_score"]
    tth = menu["metrics"]["time_to_human_seconds"]
    assert tth["new"] > tth["old"]
    assert menu["notes"] == [
        f"the fastest way to a person got slower: {tth['old']:g} s → {tth['new']:g} s "
        "(not a regression alone)"
    ]
    typical = menu["metrics"]["typical_call_seconds"]
    assert typical["new"] < typical["old"] / 10
    text = run("diff", str(before), str(after)).stdout
    assert "no regression" in text.splitlines()[0]
    assert "  calls for refund: 20:28 → 6.6 s (-1221.0 s)" in text
    assert "intent_seconds" not in text and "typical_call_seconds" not in text


def test_a_slower_fastest_person_regresses_when_it_crosses_max_time_to_human(
    tmp_path: Path,
) -> None:
    (tmp_path / ".ivraudit.yaml").write_text("max-time-to-human: 60\n")
    for name in ("airline_before.yaml", "airline_after.yaml"):
        (tmp_path / name).write_text((TRIAL / name).read_text())
    result = run(
        "diff", str(tmp_path / "airline_before.yaml"), str(tmp_path / "airline_after.yaml")
    )
    first = result.stdout.splitlines()[0]
    assert "REGRESSED: the fastest way to a person is over max-time-to-human 60 s" in first


def test_a_longer_hold_for_most_callers_is_a_regression(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(QUEUE)
    new.write_text(QUEUE.replace("hold_seconds: 600", "hold_seconds: 900"))
    result = run("diff", str(old), str(new), "--fail-on-regression")
    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    assert "a typical call got slower: " in first
    assert "calls for billing got slower: " in first
    assert "  calls for meter_reading: 9.8 s (unchanged)" in result.stdout


def test_a_call_that_can_no_longer_be_resolved_is_a_regression(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(QUEUE)
    # Meter callers now press 2 and are sent round to the menu again.
    new.write_text(QUEUE.replace("goto: meter, intents", "goto: main, intents"))
    result = run("diff", str(old), str(new), "--fail-on-regression")
    assert result.exit_code == 1
    assert "calls for meter_reading can no longer be resolved (took 9.8 s)" in result.stdout
    assert "  calls for meter_reading: 9.8 s → never" in result.stdout


@pytest.mark.parametrize(
    ("menu", "passes"),
    [
        ("telecom_hell", False),
        ("water_utility", False),
        ("city_cabs", True),
        ("trattoria", True),
        ("clinic_appointments", True),
    ],
)
def test_the_default_gate_fails_what_the_report_calls_poor(menu: str, passes: bool) -> None:
    result = run("check", str(ROOT / "menus" / f"{menu}.yaml"), "--format", "json")
    assert result.exit_code == (0 if passes else 1), result.output
    (verdict,) = json.loads(result.stdout)["menus"]
    assert verdict["passed"] is passes
    if not passes:
        assert any(
            r.startswith(f"score {verdict['score']} is under 50") for r in verdict["reasons"]
        )


def test_the_default_gate_can_be_relaxed() -> None:
    result = run(
        "check",
        str(ROOT / "menus" / "telecom_hell.yaml"),
        "--fail-under",
        "0",
        "--min-resolved-share",
        "0",
    )
    assert result.exit_code == 0, result.output
