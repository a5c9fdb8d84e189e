"""`calls.hold_seconds` and `calls.person_seconds` (issue 19): the part of a call spent
waiting for a person, and the time a person answers with the queues as they answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main

DESK = """\
ivraudit: 1
name: Desk
intents: {talk: 3, hours: 1}
{traffic}
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: opening hours, goto: info, intents: [hours]}
      - {key: 0, label: a person, goto: desk, intents: [talk]}
  info: {type: self_service, prompt: "We open at nine.", handles: [hours]}
  desk: {type: agent, queue: desk, hold_seconds: 60, handles: [talk]}
"""
STAFFED = "traffic: {calls_per_hour: 30}\nqueues: {desk: {agents: AGENTS, handle_seconds: 180}}"


def _calls(tmp_path: Path, traffic: str) -> dict[str, Any]:
    path = tmp_path / "desk.yaml"
    path.write_text(DESK.replace("{traffic}", traffic), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_without_traffic_the_hold_is_the_stated_one(tmp_path: Path) -> None:
    data = _calls(tmp_path, "")
    calls, m = data["calls"], data["metrics"]
    assert "person_seconds" not in calls  # no queue is staffed: the metric says it all
    # Three calls in four wait the 60 s the file states; the others hear a message.
    assert calls["hold_seconds"] == pytest.approx(0.75 * 60, abs=0.01)
    talk = m["intent_seconds"]["talk"]
    assert calls["seconds"] == pytest.approx(0.75 * talk + 0.25 * m["intent_seconds"]["hours"])


def test_a_staffed_queue_gives_its_wait_and_a_persons_time(tmp_path: Path) -> None:
    data = _calls(tmp_path, STAFFED.replace("AGENTS", "3"))
    calls, m = data["calls"], data["metrics"]
    q = calls["queues"]["desk"]
    arrive = m["time_to_human_seconds"] - 60  # the route to a person, less its stated hold
    assert calls["person_seconds"] == pytest.approx(arrive + q["answer_seconds"], abs=0.02)
    assert calls["hold_seconds"] == pytest.approx(0.75 * q["wait_seconds"], abs=0.02)
    assert 0 < calls["hold_seconds"] < calls["seconds"]


def test_an_overloaded_queue_has_no_time_to_a_person(tmp_path: Path) -> None:
    data = _calls(tmp_path, STAFFED.replace("AGENTS", "1"))
    calls = data["calls"]
    assert calls["queues"]["desk"]["overloaded"]
    assert calls["person_seconds"] is None and calls["hold_seconds"] is None
