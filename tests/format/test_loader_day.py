"""Reading a day of calls: `traffic.profile`/`opens_at`/`retry`, `queues.<q>.schedule`,
times as {mean, cv}, and the `callback` node.

Valid files give the model what they say; every bad value is one located error, through
the library and through `ivraudit score` (exit 2, one line); the writer keeps every key."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from ivraudit import dump_menu, load_menu, loads_menu
from ivraudit.cli import main
from ivraudit.format.model import NODE_TYPES, Queue, Traffic
from ivraudit.format.schema import json_schema
from tests.format.common import cli_error, error_of

DAY = """\
ivraudit: 1
name: A day at the water line
intents: {pay: 0.6, other: 0.4}
traffic:
  calls_per_hour: 60
  profile: [20, 60, 40.5, 0]
  opens_at: "8:00"
  retry: {share: 0.3, after_seconds: 600}
queues:
  care:
    {agents: 2, handle_seconds: {mean: 180, cv: 1.5}, patience_seconds: 90, schedule: [1, 3, 2, 0]}
  back: {agents: 1, handle_seconds: 120, patience_seconds: {mean: 60, cv: 0.5}}
nodes:
  main:
    options:
      - {key: 1, goto: offer, intents: [pay]}
      - {key: 0, goto: desk, intents: [other]}
  offer: {type: callback, queue: care, takes: 0.4, prompt: "Press 1 to be called back.", next: desk}
  desk: {type: agent, queue: care, handles: [pay, other]}
  back_desk: {type: agent, queue: back, handles: [other]}
"""


def where(text: str, line_has: str, needle: str) -> tuple[int, int]:
    """Return the 1-based line and column of `needle` in the first line holding `line_has`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line_has in line:
            return number, line.index(needle, line.index(line_has)) + 1
    raise AssertionError(f"{line_has!r} is not in the menu")


# -- valid files ---------------------------------------------------------------------


def test_a_day_loads_with_every_value() -> None:
    menu = loads_menu(DAY, "day.yaml")
    assert menu.traffic == Traffic(
        calls_per_hour=60.0,
        profile=(20.0, 60.0, 40.5, 0.0),
        opens_at="08:00",
        retry_share=0.3,
        retry_after_seconds=600.0,
    )
    assert menu.queue("care") == Queue(
        agents=2, handle_seconds=180.0, patience_seconds=90.0, handle_cv=1.5, schedule=(1, 3, 2, 0)
    )
    assert menu.queue("back") == Queue(
        agents=1, handle_seconds=120.0, patience_seconds=60.0, patience_cv=0.5
    )
    offer = menu.node("offer")
    assert (offer.type, offer.queue, offer.takes, offer.next) == ("callback", "care", 0.4, "desk")
    assert "callback" in NODE_TYPES


def test_plain_numbers_stay_exponential_and_the_day_is_optional() -> None:
    text = DAY.replace("{mean: 180, cv: 1.5}", "180").replace(", schedule: [1, 3, 2, 0]", "")
    text = text.replace('  profile: [20, 60, 40.5, 0]\n  opens_at: "8:00"\n', "")
    text = text.replace("  retry: {share: 0.3, after_seconds: 600}\n", "")
    text = text.replace("takes: 0.4, ", "")
    menu = loads_menu(text)
    assert menu.traffic == Traffic(60.0)
    assert menu.queue("care") == Queue(agents=2, handle_seconds=180.0, patience_seconds=90.0)
    assert menu.node("offer").takes == 1.0


@pytest.mark.parametrize(
    ("written", "read"),
    [("08:00", "08:00"), ("'7:30'", "07:30"), ("10:00", "10:00"), ("23:59", "23:59")],
)
def test_opens_at_reads_the_clock_as_written(written: str, read: str) -> None:
    # YAML 1.1 reads an unquoted 10:00 as 600 (base 60): the text as written counts.
    menu = loads_menu(DAY.replace('"8:00"', written))
    assert menu.traffic is not None and menu.traffic.opens_at == read


def test_a_queue_only_a_callback_names_is_listed_fine() -> None:
    text = DAY.replace("  back_desk: {type: agent, queue: back, handles: [other]}\n", "")
    text = text.replace("queue: care, takes", "queue: back, takes")
    assert loads_menu(text).node("offer").queue == "back"


def test_no_agents_is_fine_in_an_hour_without_calls_or_for_a_queue_no_call_reaches() -> None:
    # Hour 4 has no calls and no agents (above). A queue whose desk handles an intent
    # nobody calls with may be empty while calls arrive.
    text = DAY.replace("intents: {pay: 0.6, other: 0.4}", "intents: {pay: 0.6, other: 0}")
    text = text.replace("handle_seconds: 120,", "handle_seconds: 120, schedule: [0, 0, 0, 0],")
    assert loads_menu(text).queue("back").schedule == (0, 0, 0, 0)  # type: ignore[union-attr]


def test_a_json_day_reads_the_same() -> None:
    from_yaml = loads_menu(DAY, "day.yaml")
    menu = loads_menu(json.dumps(yaml.safe_load(DAY)), "day.json", json_mode=True)
    assert (menu.traffic, menu.queues) == (from_yaml.traffic, from_yaml.queues)
    assert menu.node("offer").takes == 0.4


# -- bad values: one located error each ------------------------------------------------

# (old text, new text, the line the error is on (text in it), what it points at, message)
BAD = [
    ("[20, 60, 40.5, 0]", "[20, -1, 40.5, 0]", "profile:", "-1", "'traffic.profile[1]' must be"),
    ("[20, 60, 40.5, 0]", "[20, .nan, 40.5, 0]", "profile:", ".nan", "must be a finite number"),
    ("[20, 60, 40.5, 0]", "[20, .inf, 40.5, 0]", "profile:", ".inf", "must be a finite number"),
    ("[20, 60, 40.5, 0]", "[20, '60', 40.5, 0]", "profile:", "'60'", "must be a number, not text"),
    ("[20, 60, 40.5, 0]", "[]", "profile:", "[]", "'traffic.profile' is empty"),
    ("[20, 60, 40.5, 0]", "60", "profile:", "60", "must be a list of calls per hour"),
    ("[20, 60, 40.5, 0]", "[20, 60, 40.5, 20001]", "profile:", "20001", "from 0 to 20000"),
    ('"8:00"', '"24:00"', "opens_at", '"24:00"', "from 00:00 to 23:59"),
    ('"8:00"', "8am", "opens_at", "8am", 'like "08:00" (got 8am)'),
    ('"8:00"', "800", "opens_at", "800", "must be a time of day"),
    ("  profile: [20, 60, 40.5, 0]\n", "", "opens_at", "opens_at", "give the profile too"),
    ("share: 0.3", "share: 1.3", "retry:", "1.3", "'traffic.retry.share' must be a number"),
    ("after_seconds: 600", "after_seconds: 0", "retry:", "0}", "'traffic.retry.after_seconds'"),
    ("share: 0.3, ", "", "retry:", "{after", "'traffic.retry' is missing required key 'share'"),
    ("{share: 0.3, after_seconds: 600}", "0.3", "retry:", "0.3", "must be a mapping"),
    ("cv: 1.5", "cv: 0", "{agents: 2", "0}", "'queues.care.handle_seconds.cv' must be a number"),
    ("cv: 1.5", "cv: 11", "{agents: 2", "11", "greater than 0 and at most 10"),
    ("cv: 1.5", "cv: .nan", "{agents: 2", ".nan", "finite"),
    ("mean: 180,", "mean: -180,", "{agents: 2", "-180", "'queues.care.handle_seconds.mean'"),
    ("{mean: 180, cv: 1.5}", "{mean: 180}", "{agents: 2", "{mean", "missing required key 'cv'"),
    ("{mean: 180, cv: 1.5}", "{mean: 180, sd: 9}", "{agents: 2", "sd", "unknown key 'sd'"),
    (
        "{mean: 60, cv: 0.5}",
        "{mean: 60, cv: -1}",
        "back:",
        "-1",
        "'queues.back.patience_seconds.cv'",
    ),
    ("{mean: 180, cv: 1.5}", "[180, 1.5]", "{agents: 2", "[180", "must be a number, not a list"),
    (
        "[1, 3, 2, 0]",
        "[1, 3, 2]",
        "{agents: 2",
        "[1, 3, 2]",
        "has 3 hours but 'traffic.profile' has 4",
    ),
    ("[1, 3, 2, 0]", "[1, 3, 2, 0, 1]", "{agents: 2", "[1, 3", "has 5 hours"),
    (
        "[1, 3, 2, 0]",
        "[1, 3.5, 2, 0]",
        "{agents: 2",
        "3.5",
        "'queues.care.schedule[1]' must be a whole",
    ),
    ("[1, 3, 2, 0]", "[1, -3, 2, 0]", "{agents: 2", "-3", "whole number from 0"),
    ("[1, 3, 2, 0]", "[1, 0, 2, 0]", "{agents: 2", "0, 2", "queue 'care' has no agents in hour 2"),
    ("[1, 3, 2, 0]", "[0, 3, 2, 0]", "{agents: 2", "0, 3", "has no agents in hour 1"),
    ("[1, 3, 2, 0]", "3", "{agents: 2", "3}", "must be a list of agents per hour"),
    ('  profile: [20, 60, 40.5, 0]\n  opens_at: "8:00"\n', "", "{agents: 2", "[1, 3", "no profile"),
    ("queue: care, takes", "queue: cares, takes", "offer:", "cares", "did you mean 'care'?"),
    ("queue: care, takes", "queue: nobody, takes", "offer:", "nobody", "not listed under"),
    ("queue: care, takes", "takes", "offer:", "{type", "missing required key 'queue'"),
    ("takes: 0.4", "takes: 1.4", "offer:", "1.4", "'takes' must be a number from 0 to 1"),
    ("takes: 0.4", "takes: .nan", "offer:", ".nan", "finite"),
    (", next: desk}", "}", "offer:", "{type", "a callback node is missing required key 'next'"),
    (", next: desk}", ", next: desks}", "offer:", "desks", "'desks' names no node"),
    ("takes: 0.4", "takes: 0.4, handles: [pay]", "offer:", "handles", "not a field of a callback"),
    ("type: callback", "type: call_back", "offer:", "call_back", "did you mean 'callback'?"),
]


@pytest.mark.parametrize(("old", "new", "line_has", "needle", "fragment"), BAD)
def test_a_bad_value_is_one_located_error(
    old: str, new: str, line_has: str, needle: str, fragment: str
) -> None:
    assert old in DAY
    text = DAY.replace(old, new, 1)
    line, column = where(text, line_has, needle)
    exc = error_of(text)
    assert fragment in exc.message, exc
    assert (exc.line, exc.column) == (line, column), exc
    assert str(exc) == f"m.yaml:{line}:{column}: error: {exc.message}"


@pytest.mark.parametrize(("old", "new", "line_has", "needle", "fragment"), BAD[::4])
def test_the_cli_says_it_on_one_line_and_exits_2(
    tmp_path: Path, old: str, new: str, line_has: str, needle: str, fragment: str
) -> None:
    path = tmp_path / "day.yaml"
    path.write_text(DAY.replace(old, new, 1), encoding="utf-8")
    line = cli_error(path)
    assert line == str(error_of(DAY.replace(old, new, 1), str(path)))
    assert fragment in line


def test_a_profile_beyond_a_week_is_refused() -> None:
    text = DAY.replace("[20, 60, 40.5, 0]", str([1] * 169)).replace(", schedule: [1, 3, 2, 0]", "")
    exc = error_of(text)
    assert "has 169 hours; at most 168" in exc.message and exc.line == 6


# -- the writer keeps every key ------------------------------------------------------


def test_import_writes_the_day_back_as_it_reads() -> None:
    menu = loads_menu(DAY, "day.yaml")
    text = dump_menu(menu)
    assert "schedule: [1, 3, 2, 0]" in text
    assert "handle_seconds: {mean: 180, cv: 1.5}" in text
    assert "patience_seconds: {mean: 60, cv: 0.5}" in text
    assert "retry: {share: 0.3, after_seconds: 600}" in text
    assert "type: callback" in text and "takes: 0.4" in text
    again = loads_menu(text, "day.yaml")
    assert (again.traffic, again.queues) == (menu.traffic, menu.queues)
    assert again.node("offer").takes == 0.4 and again.node("offer").queue == "care"
    assert dump_menu(again) == text  # byte for byte


def test_a_clock_yaml_would_read_as_a_number_is_written_quoted() -> None:
    menu = loads_menu(DAY.replace('"8:00"', "'10:00'"), "day.yaml")
    text = dump_menu(menu)
    assert loads_menu(text).traffic == menu.traffic
    assert "opens_at: '10:00'" in text


def test_the_import_command_round_trips_a_day(tmp_path: Path) -> None:
    source = tmp_path / "day.yaml"
    source.write_text(DAY, encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written, menu = load_menu(out), load_menu(source)
    assert (written.traffic, written.queues) == (menu.traffic, menu.queues)
    assert written.node("offer").takes == 0.4


@pytest.mark.parametrize("out_name", ["better.yaml", "better.json"])
def test_suggest_write_keeps_the_day(tmp_path: Path, out_name: str) -> None:
    source = tmp_path / "day.yaml"
    source.write_text(DAY, encoding="utf-8")
    out = tmp_path / out_name
    result = CliRunner().invoke(main, ["suggest", str(source), "--write", str(out)])
    assert result.exit_code == 0, result.output
    written, menu = load_menu(out), load_menu(source)
    assert (written.traffic, written.queues) == (menu.traffic, menu.queues)


# -- the JSON Schema says the same ---------------------------------------------------


def schema_errors(doc: dict) -> list[str]:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]


def test_the_day_passes_the_schema() -> None:
    assert schema_errors(yaml.safe_load(DAY)) == []
    defs = json_schema()["$defs"]
    assert defs["callback"]["required"] == ["queue", "next"]
    assert defs["callback"]["properties"]["takes"]["default"] == 1
    assert "callback" in defs["node"]["properties"]["type"]["enum"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[20, 60, 40.5, 0]", "[20, -1, 40.5, 0]"),
        ("[20, 60, 40.5, 0]", "[]"),
        ('"8:00"', '"24:00"'),
        ("share: 0.3", "share: 1.3"),
        ("cv: 1.5", "cv: 0"),
        ("{mean: 180, cv: 1.5}", "{mean: 180}"),
        ("[1, 3, 2, 0]", "[1, 3.5, 2, 0]"),
        ("takes: 0.4", "takes: 1.4"),
        ("queue: care, takes", "takes"),
    ],
)
def test_what_the_loader_refuses_the_schema_refuses(old: str, new: str) -> None:
    text = DAY.replace(old, new, 1)
    error_of(text)
    assert schema_errors(yaml.safe_load(text))
