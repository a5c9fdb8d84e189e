"""The analytic day: each hour of the profile is what `score` says of a menu with that
hour's calls and agents (the stationary independent period-by-period approximation)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import loads_menu
from ivraudit.analysis.day import HourCalls, analytic_day, hour_label
from ivraudit.analysis.queues import Targets
from ivraudit.cli import main

DAY = """\
ivraudit: 1
name: A day
intents: {pay: 0.5, leak: 0.2, other: 0.3}
traffic:
  calls_per_hour: 120
  hours_per_month: 200
  profile: [40, 120, 90, 15]
  opens_at: "08:00"
queues:
  care: {agents: 6, handle_seconds: 240, patience_seconds: 180, schedule: [2, 6, 5, 1]}
  leaks: {agents: 3, handle_seconds: 300, schedule: [1, 3, 3, 1]}
costs: {agent_hour: 30, line_minute: 0.02, currency: USD}
nodes:
  main:
    prompt: "Riverside Water."
    options:
      - {key: 1, label: a payment, goto: pay, intents: [pay]}
      - {key: 2, label: a leak, goto: leak_desk, intents: [leak]}
      - {key: 0, label: anything else, goto: offer, intents: [other]}
    no_input: {goto: care_desk}
  pay: {type: self_service, prompt: "Your card on file has paid.", handles: [pay],
        resolves: 0.7, next: care_desk}
  offer: {type: callback, queue: care, takes: 0.3, prompt: "Press 1 for a call back.",
          next: care_desk}
  leak_desk: {type: agent, queue: leaks, handles: [leak]}
  care_desk: {type: agent, queue: care, handles: [pay, other, leak]}
"""


def score_calls(tmp_path: Path, text: str) -> dict:
    """Return the `calls` object `ivraudit score --format json` prints for a menu."""
    path = tmp_path / "hour.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["calls"]


def one_hour(text: str, calls: float, care: int, leaks: int) -> str:
    """Return the menu without its day, auditing an hour of `calls` with these agents."""
    text = re.sub(r"  profile: .*\n  opens_at: .*\n", "", text)
    text = text.replace("calls_per_hour: 120", f"calls_per_hour: {calls}")
    text = re.sub(r", schedule: \[[^]]*\]", "", text)
    return text.replace("agents: 6", f"agents: {care}").replace("agents: 3", f"agents: {leaks}")


def test_each_hour_is_what_score_says_of_that_hour(tmp_path: Path) -> None:
    day = analytic_day(loads_menu(DAY, "day.yaml"))
    assert [h.label for h in day] == [
        "08:00\u201309:00",
        "09:00\u201310:00",
        "10:00\u201311:00",
        "11:00\u201312:00",
    ]
    assert [h.calls_per_hour for h in day] == [40, 120, 90, 15]
    assert [dict(h.agents) for h in day] == [
        {"care": 2, "leaks": 1},
        {"care": 6, "leaks": 3},
        {"care": 5, "leaks": 3},
        {"care": 1, "leaks": 1},
    ]
    hours = zip(day, [40, 120, 90, 15], [2, 6, 5, 1], [1, 3, 3, 1], strict=True)
    for hour, calls, care, leaks in hours:
        assert hour.calls.to_dict() == score_calls(tmp_path, one_hour(DAY, calls, care, leaks))
    # The hours differ: the peak waits longer than the quiet end of the day.
    waits = [h.calls.queues[0].figures.wait_seconds for h in day]
    assert len(set(waits)) == 4


def test_without_a_profile_the_day_is_the_audited_hour(tmp_path: Path) -> None:
    text = one_hour(DAY, 120, 6, 3)
    (hour,) = analytic_day(loads_menu(text, "m.yaml"))
    assert isinstance(hour, HourCalls)
    assert (hour.hour, hour.label, hour.calls_per_hour) == (0, "the audited hour", 120)
    assert hour.calls.to_dict() == score_calls(tmp_path, text)
    assert hour.to_dict()["hour"] == "the audited hour"


def test_the_targets_reach_each_hour() -> None:
    loose = analytic_day(loads_menu(DAY, "day.yaml"), Targets(answer_seconds=600, abandon_share=1))
    strict = analytic_day(loads_menu(DAY, "day.yaml"))
    needed = [q.figures.agents_needed for h in strict for q in h.calls.queues]
    fewer = [q.figures.agents_needed for h in loose for q in h.calls.queues]
    assert all(a <= b for a, b in zip(fewer, needed, strict=True)) and fewer != needed


def test_an_hour_without_calls_and_agents_is_idle() -> None:
    text = DAY.replace("[40, 120, 90, 15]", "[40, 120, 90, 0]").replace("5, 1]", "5, 0]")
    quiet = analytic_day(loads_menu(text, "day.yaml"))[-1]
    care = quiet.calls.queues[0]
    assert (care.figures.agents, care.figures.calls_per_hour, care.figures.load) == (0, 0.0, 0.0)
    assert care.figures.agents_needed == 0 and not care.overloaded
    assert json.dumps(quiet.to_dict())  # plain JSON: no NaN or infinity


@pytest.mark.parametrize(
    ("opens_at", "hour", "label"),
    [
        (None, 0, "hour 1"),
        (None, 11, "hour 12"),
        ("08:00", 0, "08:00\u201309:00"),
        ("08:30", 2, "10:30\u201311:30"),
        ("22:00", 1, "23:00\u201300:00"),
        ("22:00", 3, "01:00\u201302:00"),
    ],
)
def test_hours_are_named_by_the_clock(opens_at: str | None, hour: int, label: str) -> None:
    assert hour_label(opens_at, hour) == label


def test_a_day_without_opens_at_counts_its_hours() -> None:
    day = analytic_day(loads_menu(DAY.replace('  opens_at: "08:00"\n', ""), "day.yaml"))
    assert [h.label for h in day] == ["hour 1", "hour 2", "hour 3", "hour 4"]


def test_a_menu_without_traffic_has_no_day() -> None:
    text = (
        "ivraudit: 1\nname: T\nintents: {a: 1}\nnodes:\n"
        "  s: {type: self_service, prompt: Done., handles: [a]}\n"
    )
    with pytest.raises(ValueError, match="no traffic"):
        analytic_day(loads_menu(text))
