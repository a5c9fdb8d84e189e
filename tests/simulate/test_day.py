"""A day in the file's own words: `traffic.profile` and `opens_at`, a queue `schedule`,
log-normal times, retrials and a callback offer, through `ivraudit simulate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.analysis.day import analytic_day
from ivraudit.cli import main
from ivraudit.format.loader import load_menu

DAY = """\
ivraudit: 1
name: A day at the desk
intents: {billing: 0.6, faults: 0.4}
traffic:
  calls_per_hour: 60
  profile: [30, 90, 60]
  opens_at: "08:30"
  retry: {share: 0.5, after_seconds: 120}
queues:
  team:
    agents: 2
    handle_seconds: {mean: 120, cv: 1.5}
    patience_seconds: {mean: 60, cv: 0.5}
    schedule: [1, 3, 2]
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: billing, goto: bill, intents: [billing]}
      - {key: 2, label: a fault, goto: offer, intents: [faults]}
  bill: {type: self_service, prompt: "Your balance is ten pounds.", handles: [billing],
         resolves: 0.5, next: offer}
  offer: {type: callback, queue: team, takes: 0.4, prompt_seconds: 6, next: desk}
  desk: {type: agent, queue: team, handles: [billing, faults]}
"""


def _simulate(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["simulate", str(path), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def day(tmp_path: Path) -> Path:
    path = tmp_path / "day.yaml"
    path.write_text(DAY)
    return path


def test_a_day_is_the_profile_hour_by_hour_beside_erlang_a(day: Path) -> None:
    data = _simulate(day, "-r", "4")
    assert data["simulation"]["hours"] == 3.0
    assert data["simulation"]["warmup_hours"] == 0.0
    hours = data["hours"]
    assert [h["starts"] for h in hours] == ["08:30", "09:30", "10:30"]
    assert [h["queues"]["team"]["agents"] for h in hours] == [1, 3, 2]
    # Erlang A of each hour, as `analytic_day` computes it, rides beside each hour.
    want = [h.calls.to_dict() for h in analytic_day(load_menu(day))]
    assert [h["analytic"] for h in hours] == want
    assert data["analytic"] is None  # no single audited hour to compare the day with


def test_callback_takers_are_resolved_at_the_offer_and_called_back(day: Path) -> None:
    data = _simulate(day, "-r", "3", "--hours", "6")
    calls, team = data["calls"], data["calls"]["queues"]["team"]
    # Every faults call and half the billing ones reach the offer; 40% of them take it.
    reach = 0.4 + 0.6 * 0.5
    assert team["callbacks_per_hour"] == pytest.approx(
        0.4 * reach * calls["calls_per_hour"], rel=0.25
    )
    assert team["callback_seconds"] > 0
    # Takers are resolved; the hang-ups are live callers only.
    assert calls["resolved_share"] >= 0.4 * reach * (1 - calls["retrial_share"]) - 0.05
    assert calls["retrial_share"] > 0
    assert team["calls_per_hour"] > team["callbacks_per_hour"]


def test_the_same_day_twice_is_the_same_bytes(day: Path) -> None:
    args = ["simulate", str(day), "-r", "2"]
    first = CliRunner().invoke(main, args)
    again = CliRunner().invoke(main, [*args, "-j", "2"])
    assert first.exit_code == again.exit_code == 0
    assert first.stdout == again.stdout
    assert "Queue team hour by hour" in first.stdout
    assert "wait, Erlang A" in first.stdout


def test_a_schedule_with_no_agents_while_calls_arrive_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "day.yaml"
    path.write_text(DAY.replace("schedule: [1, 3, 2]", "schedule: [1, 0, 2]"))
    result = CliRunner().invoke(main, ["simulate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"{path}:")
    assert "no agents in hour 2" in result.stderr
