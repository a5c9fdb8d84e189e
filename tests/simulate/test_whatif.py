"""What-if scenarios through `ivraudit simulate`: --calls +20%, --agents q=+2 and a
scenario file, each run with the file's seed and set side by side; bad values and bad
scenario files in one located line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.simulate.whatif import BadChange, parse_agents, parse_calls

# A steady line at a load where a fifth more calls or two more agents shows plainly.
BUSY = """\
ivraudit: 1
name: Busy line
traffic: {calls_per_hour: 40}
queues:
  care: {agents: 3, handle_seconds: 180, patience_seconds: 300}
nodes:
  main: {type: agent, queue: care}
"""

# A short day: three hours and a rota.
DAY = """\
ivraudit: 1
name: A day at the desk
traffic: {calls_per_hour: 60, profile: [30, 90, 60], opens_at: "08:30"}
queues:
  team: {agents: 2, handle_seconds: 120, patience_seconds: 60, schedule: [1, 3, 2]}
nodes:
  main: {type: agent, queue: team}
"""

FAST = ["--hours", "3", "-r", "3"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["simulate", *args])
    return result.exit_code, result.stdout, result.stderr or ""


@pytest.fixture
def busy(tmp_path: Path) -> Path:
    path = tmp_path / "busy.yaml"
    path.write_text(BUSY)
    return path


def _scenarios(out: str) -> dict[str, dict]:
    return {s["name"]: s for s in json.loads(out)["scenarios"]}


def test_more_calls_raise_the_wait_and_more_agents_lower_it(busy: Path) -> None:
    code, out, err = _run(str(busy), *FAST, "--format", "json", "--calls", "+20%")
    assert code == 0, err
    more = _scenarios(out)
    base = more["as the file says"]["calls"]["queues"]["care"]
    busier = more["calls +20%"]["calls"]["queues"]["care"]
    assert more["calls +20%"]["changes"] == {"calls": 1.2, "agents": {}}
    assert busier["calls_per_hour"] > base["calls_per_hour"]
    assert busier["wait_seconds"] > base["wait_seconds"]
    assert busier["abandon_share"] > base["abandon_share"]
    # The file's run is the report's own: the same figures as without a what-if.
    alone = json.loads(_run(str(busy), *FAST, "--format", "json")[1])
    assert more["as the file says"]["calls"] == alone["calls"]

    code, out, err = _run(str(busy), *FAST, "--format", "json", "--agents", "care=+2")
    assert code == 0, err
    staffed = _scenarios(out)["care=+2"]["calls"]["queues"]["care"]
    assert staffed["agents"] == 5
    assert staffed["wait_seconds"] < base["wait_seconds"]
    assert staffed["abandon_share"] < base["abandon_share"]
    # The same callers in both: the calls that arrive do not change with the agents.
    assert staffed["calls_per_hour"] == base["calls_per_hour"]


def test_the_same_seed_gives_the_same_bytes_and_a_table_side_by_side(
    busy: Path, tmp_path: Path
) -> None:
    file = tmp_path / "whatif.yaml"
    file.write_text(
        "scenarios:\n"
        "  busier Monday: {calls: x1.2}\n"
        "  two more: {agents: {care: +2}}\n"
        "  both:\n    calls: +20%\n    agents: {care: 5}\n"
    )
    args = [str(busy), *FAST, "--scenario", str(file), "--agents", "care=-1"]
    code, one, err = _run(*args)
    assert code == 0, err
    assert _run(*args)[1] == one
    assert _run(*args, "-j", "2")[1] == one
    head = next(line for line in one.splitlines() if "as the file says" in line)
    assert head.split() == [
        "as", "the", "file", "says", "care=-1", "busier", "Monday", "two", "more", "both"
    ]  # fmt: skip
    row = next(line for line in one.splitlines() if line.strip().startswith("care: agents "))
    assert row.split()[2::3] == ["3.0", "2.0", "3.0", "5.0", "5.0"]
    assert "care: wait, seconds" in one and "hung up waiting" in one and "±" in one


@pytest.mark.parametrize(
    ("text", "factor"),
    [("+20%", 1.2), ("-10%", 0.9), ("x1.2", 1.2), ("X0.5", 0.5), ("+0%", 1.0)],
)
def test_a_change_of_calls_reads_as_a_factor(text: str, factor: float) -> None:
    assert parse_calls(text) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("text", "queue", "number", "absolute"),
    [("care=+2", "care", 2, False), ("care=-1", "care", -1, False), ("care=8", "care", 8, True)],
)
def test_a_change_of_agents_reads_as_added_or_absolute(
    text: str, queue: str, number: int, absolute: bool
) -> None:
    change = parse_agents(text)
    assert (change.queue, change.number, change.absolute) == (queue, number, absolute)


@pytest.mark.parametrize("text", ["+abc%", "-100%", "x0", "-150%", "x1e9"])
def test_a_bad_change_of_calls_is_refused(text: str) -> None:
    with pytest.raises(BadChange):
        parse_calls(text)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--calls", "-120%"], "'--calls'"),
        (["--calls", "x0"], "'--calls'"),
        (["--calls", "+lots%"], "is not a change of calls"),
        (["--calls", "missing.csv"], "does not exist"),
        (["--agents", "nobody=+2"], "no queue 'nobody'"),
        (["--agents", "care=-4"], "fewer than no agents"),
        (["--agents", "care=two"], "not a number of agents"),
        (["--agents", "care"], "QUEUE=+N"),
    ],
)
def test_bad_what_if_options_are_one_line_and_exit_2(busy: Path, args: list, says: str) -> None:
    code, out, err = _run(str(busy), *FAST, *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and says in err, err


def test_the_calls_option_still_reads_a_csv_of_call_counts(busy: Path, tmp_path: Path) -> None:
    csv = tmp_path / "counts.csv"
    csv.write_text("path,calls\nmain,10\n")
    code, _, err = _run(str(busy), *FAST, "--calls", str(csv))
    assert code == 0, err


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("scenarios:\n  more: {calls: +2O%}\n", (2, 17), "not a change of calls"),
        ("scenarios:\n  more: {agents: {care: lots}}\n", (2, 25), "not a number of agents"),
        ("scenarios:\n  more: {agents: {desk: +1}}\n", (2, 25), "no queue 'desk'"),
        ("scenarios:\n  fewer: {agents: {care: -9}}\n", (2, 26), "fewer than no agents"),
        ("scenarios:\n  more: {people: 3}\n", (2, 10), "unknown key 'people'"),
        ("scenarios:\n  more: {}\n", (2, 9), "needs 'calls' or 'agents'"),
        ("scenarios: []\n", (1, 12), "maps each scenario's name"),
        ("what: {}\n", (1, 1), "unknown key 'what'"),
        ("scenarios:\n  a: {calls: +1%}\n  a: {calls: +2%}\n", (3, 3), "a"),
        ("scenarios: {more: {calls: [1]}}\n", (1, 27), "a change of calls"),
        ("- 1\n", (1, 1), "a mapping"),
        (
            "scenarios:\n" + "".join(f"  s{i}: {{calls: +1%}}\n" for i in range(21)),
            (22, 3),
            "more than 20 scenarios",
        ),
    ],
)
def test_a_bad_scenario_file_is_one_located_line_and_exit_2(
    busy: Path, tmp_path: Path, text: str, where: tuple[int, int], says: str
) -> None:
    file = tmp_path / "s.yaml"
    file.write_text(text)
    code, out, err = _run(str(busy), *FAST, "--scenario", str(file))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{file}:{where[0]}:{where[1]}: error: "), lines[0]
    assert says in lines[0]


def test_a_scenario_with_no_agents_when_calls_come_is_refused_by_name(
    busy: Path, tmp_path: Path
) -> None:
    file = tmp_path / "s.yaml"
    file.write_text("scenarios:\n  nobody: {agents: {care: 0}}\n")
    code, out, err = _run(str(busy), *FAST, "--scenario", str(file))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "in scenario 'nobody'" in err and "no agents" in err


def test_with_a_profile_a_change_applies_to_every_hour(tmp_path: Path) -> None:
    day = tmp_path / "day.yaml"
    day.write_text(DAY)
    code, out, err = _run(
        str(day), "-r", "2", "--format", "json", "--calls", "x2", "--agents", "team=+1"
    )
    assert code == 0, err
    scenario = _scenarios(out)["calls +100%, team=+1"]["calls"]
    base = _scenarios(out)["as the file says"]["calls"]
    # The schedule [1, 3, 2] becomes [2, 4, 3]: a mean of 3 agents over the day.
    assert scenario["queues"]["team"]["agents"] == pytest.approx(3.0)
    assert base["queues"]["team"]["agents"] == pytest.approx(2.0)
    assert scenario["calls_per_hour"] > 1.5 * base["calls_per_hour"]
