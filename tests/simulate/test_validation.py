"""The simulation against the analytic model, where the analytic model holds (steady
hours, Poisson arrivals, exponential handle time and patience): the figures of
`simulate --format json` agree with `score --format json`'s `calls` within the issue's
bounds. A seed makes each run the same; a wrong engine (a walk, a queue, a count) moves a
figure past its bound. Style guide habit 21: a figure from a model has two derivations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import WATER_BUSY_HOUR

# A line without intents (the one class "a person"): a branch splits the callers of key
# 1, and one queue, near full load, loses callers to its patience.
CLINIC = """\
ivraudit: 1
name: Clinic line
traffic: {calls_per_hour: 90}
queues:
  desk: {agents: 4, handle_seconds: 150, patience_seconds: 120}
nodes:
  main:
    prompt: "Welcome to the clinic."
    options:
      - {key: 1, label: appointments, goto: split}
      - {key: 0, label: reception, goto: desk}
    no_input: {goto: desk}
  split:
    type: branch
    routes:
      - {when: a busy day, share: 0.3, goto: info}
      - {when: a quiet day, share: 0.7, goto: desk}
  info: {type: message, prompt: "We are busy today; please hold.", next: desk}
  desk: {type: agent, queue: desk}
"""


def _json(args: list[str]) -> dict:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _compare(path: Path, hours: str, replications: str) -> tuple[dict, dict]:
    score = _json(["score", str(path), "--format", "json"])
    calls = score["calls"] if "calls" in score else score["menus"][0]["calls"]
    sim = _json(["simulate", str(path), "--format", "json", "--hours", hours, "-r", replications])
    return sim["calls"], calls


def _close(got: float, want: float, relative: float) -> bool:
    return abs(got - want) <= relative * abs(want)


@pytest.mark.parametrize(
    ("text", "hours", "replications"),
    [(WATER_BUSY_HOUR, "40", "4"), (CLINIC, "50", "3")],
    ids=["water", "clinic"],
)
def test_the_simulation_agrees_with_erlang_a(
    tmp_path: Path, text: str, hours: str, replications: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    sim, calls = _compare(path, hours, replications)
    assert abs(sim["resolved_share"] - calls["resolved_share"]) <= 0.015
    assert abs(sim["abandon_share"] - calls["abandon_share"]) <= 0.015
    assert _close(sim["seconds"], calls["seconds"], 0.06)
    for name, q in calls["queues"].items():
        got = sim["queues"][name]
        assert _close(got["calls_per_hour"], q["calls_per_hour"], 0.04), name
        assert _close(got["wait_seconds"], q["wait_seconds"], 0.12), name
        assert _close(got["answer_seconds"], q["answer_seconds"], 0.12), name
        assert abs(got["abandon_share"] - q["abandon_share"]) <= 0.015, name
    for name, i in calls["intents"].items():
        assert abs(sim["intents"][name]["resolved_share"] - i["resolved_share"]) <= 0.015
        assert _close(sim["intents"][name]["seconds"], i["seconds"], 0.12), name


def test_the_month_follows_the_simulated_hour(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(WATER_BUSY_HOUR)
    sim, calls = _compare(path, "15", "2")
    month, want = sim["month"], calls["month"]
    assert month["staffed_agent_hours"] == want["staffed_agent_hours"] == 1800
    assert month["currency"] == "USD"
    assert _close(month["calls"], want["calls"], 0.04)
    assert _close(month["agent_hours"], want["agent_hours"], 0.06)
    assert _close(month["cost"], want["cost"], 0.02)
