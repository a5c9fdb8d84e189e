"""`ivraudit simulate` through the command line: the same seed gives the same bytes in
one process or several, the reports' shape, and bad input in one located line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import WATER_BUSY_HOUR

SMALL = """\
ivraudit: 1
name: Small line
intents: {billing: 0.6, faults: 0.4}
traffic: {calls_per_hour: 60}
queues:
  team: {agents: 2, handle_seconds: 120, patience_seconds: 90}
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: billing, goto: bill, intents: [billing]}
      - {key: 2, label: a fault, goto: desk, intents: [faults]}
  bill: {type: self_service, prompt: "Your balance is ten pounds.", handles: [billing],
         resolves: 0.5, next: desk}
  desk: {type: agent, queue: team, handles: [billing, faults]}
"""


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr or ""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


def test_the_same_seed_gives_the_same_bytes_in_one_process_or_two(small: Path) -> None:
    args = ["simulate", str(small), "--hours", "2", "-r", "3", "--format", "json"]
    code, one, _ = _run([*args, "--seed", "5"])
    assert code == 0
    assert _run([*args, "--seed", "5"])[1] == one
    assert _run([*args, "--seed", "5", "-j", "2"])[1] == one
    other = _run([*args, "--seed", "6"])[1]
    assert other != one
    data = json.loads(one)
    assert data["simulation"] == {
        "engine": "ciw",
        "hours": 2.0,
        "replications": 3,
        "seed": 5,
        "warmup_hours": 1.0,
        "day_hours": 1,
        "opens_at": None,
    }


def test_the_json_has_the_calls_of_score_and_an_interval_beside_each(small: Path) -> None:
    code, out, _ = _run(["simulate", str(small), "--hours", "2", "-r", "3", "--format", "json"])
    assert code == 0
    data = json.loads(out)
    calls, ci = data["calls"], data["ci95"]
    assert set(calls["intents"]) == {"billing", "faults"}
    assert set(calls["queues"]) == {"team"}
    for figure in ("resolved_share", "abandon_share", "seconds", "calls_per_hour"):
        low, high = ci[figure]
        assert low <= calls[figure] <= high, figure
    low, high = ci["queues"]["team"]["wait_seconds"]
    assert low <= calls["queues"]["team"]["wait_seconds"] <= high
    assert 0 < calls["resolved_share"] < 1
    assert calls["intents"]["faults"]["resolved_share"] == pytest.approx(
        1 - calls["intents"]["faults"]["abandon_share"]
    )
    # The steady hour is one hour of the day, and score's figures come along.
    assert [h["hour"] for h in data["hours"]] == [0]
    assert data["analytic"]["queues"]["team"]["agents"] == 2


def test_one_replication_has_no_interval(small: Path) -> None:
    code, out, _ = _run(["simulate", str(small), "--hours", "1", "-r", "1", "--format", "json"])
    assert code == 0
    data = json.loads(out)
    assert data["calls"]["resolved_share"] is not None
    assert data["ci95"]["resolved_share"] is None


def test_the_text_report_names_each_part_with_its_interval(tmp_path: Path) -> None:
    path = tmp_path / "water.yaml"
    path.write_text(WATER_BUSY_HOUR)
    code, out, _ = _run(["simulate", str(path), "--hours", "2", "-r", "2"])
    assert code == 0
    assert out.startswith("Water line at the busy hour")
    assert "2 replications of 2 hours at the audited hour's traffic, after a 1-hour warm-up" in out
    for part in ("Calls", "Intents", "Queue care", "Queue leaks", "Month (USD)"):
        assert f"\n{part}\n" in out, part
    assert " ± " in out
    assert "analytic" in out


def test_help_shows_examples() -> None:
    code, out, _ = _run(["simulate", "--help"])
    assert code == 0
    assert "ivraudit simulate menus/telecom_hell.yaml --hours 200" in out
    assert "--replications" in out and "--seed" in out


def test_a_menu_without_traffic_is_one_located_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: agent}\n")
    code, out, err = _run(["simulate", str(path)])
    assert code == 2
    assert out == ""
    assert err == f"{path}:1:1: error: simulate needs 'traffic' " + (
        "(at least calls_per_hour) to know how many calls arrive; add it at the top level\n"
    )


@pytest.mark.parametrize("hours", ["-1", "nan", "0", "inf", "two", "1e9"])
def test_bad_hours_are_one_line(small: Path, hours: str) -> None:
    code, out, err = _run(["simulate", str(small), "--hours", hours])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("ivraudit simulate: error: ") and "--hours" in err


def test_a_run_of_more_than_ten_million_calls_asks_for_hours(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(SMALL.replace("calls_per_hour: 60", "calls_per_hour: 20000"))
    code, out, err = _run(["simulate", str(path), "--hours", "100"])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    # 20,000 calls an hour, 101 hours (the warm-up's too), 10 replications.
    assert "about 20,200,000 calls, more than 10,000,000" in err
    assert "--hours 49 or fewer" in err


def test_a_loop_no_call_leaves_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        SMALL.replace("resolves: 0.5, next: desk", "resolves: 0, next: bill").replace(
            "handles: [billing, faults]", "handles: [faults]"
        )
    )
    code, out, err = _run(["simulate", str(path), "--hours", "1"])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"{path}:3:11: error: calls of intent 'billing' go round a loop" in err


def test_a_queue_that_would_hold_thousands_waiting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "ivraudit: 1\nname: Swamped\ntraffic: {calls_per_hour: 20000}\n"
        "queues:\n  desk: {agents: 1, handle_seconds: 600, patience_seconds: 3600}\n"
        "nodes:\n  desk: {type: agent, queue: desk}\n"
    )
    code, out, err = _run(["simulate", str(path), "--hours", "1"])
    assert code == 2
    assert out == ""
    assert err == (
        f"{path}:5:3: error: queue 'desk' would have about 19,994 callers waiting at once "
        "(hour 1): too many to follow one by one; give it more agents or fewer calls\n"
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_progress_bar_counts_the_steps_of_each_replication(
    small: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    # Steps, not whole replications: one long replication moves the bar too.
    from ivraudit.cli import progress
    from ivraudit.simulate.engine import STEPS

    seen: list[object] = []
    monkeypatch.setattr(progress, "start", lambda total, what: seen.append((what, total)))
    monkeypatch.setattr(progress, "advance", lambda: seen.append("done"))
    code, _, _ = _run(["simulate", str(small), "--hours", "1", "-r", "3", "-j", jobs])
    assert code == 0
    # (the audit before counts its one file too)
    start = seen.index(("simulating", 3 * STEPS))
    assert seen[start + 1 :] == ["done"] * (3 * STEPS)


def test_the_command_and_the_library_default_alike() -> None:
    import ivraudit.cli.simulate as command
    import ivraudit.simulate as library

    assert command.DEFAULT_SEED == library.DEFAULT_SEED
    assert command.DEFAULT_REPLICATIONS == library.DEFAULT_REPLICATIONS
