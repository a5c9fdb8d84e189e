"""Reading the keys of "Calls as they happen": `resolves`, `traffic`, `queues`, `costs`.

Valid files give the model the values (and defaults) they say; every bad value is one
located error, through the library and through `ivraudit score` (exit 2, one line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ivraudit import loads_menu
from ivraudit.format.model import Costs, Queue, Traffic
from tests.format.common import WATER, cli_error, error_of


def staffed(
    traffic: str | None = "{calls_per_hour: 60}",
    queues: str | None = "{care: {agents: 2, handle_seconds: 180}}",
    costs: str | None = "{agent_hour: 25}",
    resolves: str = "",
    desk: str = "{type: agent, queue: care, handles: [a]}",
) -> str:
    """Return a small staffed line; each argument is written as it is (None: left out)."""
    lines = ["ivraudit: 1", "name: Staffed line", "intents: {a: 1}"]
    given = (("traffic", traffic), ("queues", queues), ("costs", costs))
    lines += [f"{key}: {value}" for key, value in given if value is not None]
    lines += [
        "nodes:",
        "  main:",
        "    options:",
        "      - {key: 1, goto: self}",
        "      - {key: 0, goto: desk}",
        f"  self: {{type: self_service, prompt: Done., handles: [a], {resolves}next: desk}}",
        f"  desk: {desk}",
    ]
    return "\n".join(lines) + "\n"


def where(text: str, change: str, needle: str) -> tuple[int, int]:
    """Return the 1-based line and column of `needle` in the line where `change` is."""
    for number, line in enumerate(text.splitlines(), start=1):
        if change in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{change!r} is not in the menu")


# -- valid files ---------------------------------------------------------------------


def test_the_worked_example_loads_with_every_value() -> None:
    menu = loads_menu(WATER, "water.yaml")
    assert menu.traffic == Traffic(calls_per_hour=120.0, hours_per_month=200.0)
    assert menu.queues == (
        ("care", Queue(agents=6, handle_seconds=240.0, patience_seconds=180.0)),
        ("leaks", Queue(agents=3, handle_seconds=300.0)),
    )
    assert menu.costs == Costs(agent_hour=30.0, line_minute=0.02, currency="USD")
    assert menu.node("pay").resolves == 0.7
    assert type(menu.queues[0][1].agents) is int
    assert menu.queue("leaks") == Queue(agents=3, handle_seconds=300.0, patience_seconds=None)
    assert menu.queue("nobody") is None and menu.queue(None) is None
    # Each queue remembers where its id was written, for errors and findings.
    care, leaks = (q.pos for _, q in menu.queues)
    assert (care.file, care.line, care.column) == ("water.yaml", 6, 3)
    assert (leaks.line, leaks.column) == (7, 3)


def test_queues_keep_the_order_of_the_file() -> None:
    text = staffed(
        queues="{zeta: {agents: 1, handle_seconds: 60}, care: {agents: 2, handle_seconds: 9}}",
        desk="{type: agent, queue: care, handles: [a], hold_seconds: 5}\n"
        "  other: {type: agent, queue: zeta}",
    )
    assert [name for name, _ in loads_menu(text).queues] == ["zeta", "care"]


def test_defaults_apply_where_a_key_is_left_out() -> None:
    menu = loads_menu(staffed(costs="{}"))
    assert menu.traffic == Traffic(calls_per_hour=60.0, hours_per_month=250.0)
    assert menu.queue("care") == Queue(agents=2, handle_seconds=180.0, patience_seconds=None)
    assert menu.costs == Costs(agent_hour=0.0, line_minute=0.0, currency="")
    assert menu.node("self").resolves == 1.0


def test_a_menu_without_the_keys_has_none_of_them() -> None:
    menu = loads_menu(staffed(traffic=None, queues=None, costs=None))
    assert (menu.traffic, menu.queues, menu.costs) == (None, (), None)
    assert all(node.resolves == 1.0 for node in menu.nodes)


@pytest.mark.parametrize(
    ("written", "value"), [("0", 0.0), ("1", 1.0), ("0.25", 0.25), ("1.0", 1.0), ("0.0", 0.0)]
)
def test_resolves_takes_any_share_from_0_to_1(written: str, value: float) -> None:
    menu = loads_menu(staffed(resolves=f"resolves: {written}, "))
    assert menu.node("self").resolves == value


def test_an_agent_may_name_an_unlisted_queue_and_queues_may_be_empty() -> None:
    # Unlisted: the agent is not staffed and its hold is its hold_seconds, as before.
    menu = loads_menu(staffed(queues="{}"))
    assert menu.queues == () and menu.queue("care") is None
    menu = loads_menu(staffed(queues=None, traffic=None))
    assert menu.queues == ()


def test_a_queue_named_by_two_agents_and_an_inline_agent_count_as_named() -> None:
    text = staffed(desk="{type: message, prompt: Hold on., next: {type: agent, queue: care}}")
    assert loads_menu(text).queue("care") is not None


def test_a_queue_id_may_be_any_text_an_agent_writes() -> None:
    text = staffed(
        queues='{"Front desk": {agents: 4, handle_seconds: 200}}',
        desk='{type: agent, queue: "Front desk", handles: [a]}',
    )
    assert loads_menu(text).queue("Front desk") == Queue(agents=4, handle_seconds=200.0)


def test_a_json_menu_carries_the_keys_too() -> None:
    text = json.dumps(yaml.safe_load(WATER))
    menu = loads_menu(text, "water.json", json_mode=True)
    from_yaml = loads_menu(WATER, "water.yaml")
    assert (menu.traffic, menu.queues, menu.costs) == (
        from_yaml.traffic,
        from_yaml.queues,
        from_yaml.costs,
    )
    assert menu.node("pay").resolves == 0.7
    assert menu.queue("care") == Queue(agents=6, handle_seconds=240.0, patience_seconds=180.0)


# -- bad values: one located error each ------------------------------------------------

NOT_SELF_SERVICE = "{type: agent, queue: care, handles: [a], resolves: 0.5}"

# (keyword arguments of `staffed`, what the error points at, part of its message)
BAD = [
    # resolves
    ({"resolves": "resolves: 1.5, "}, "1.5", "'resolves' must be a number from 0 to 1 (got 1.5)"),
    ({"resolves": "resolves: -0.1, "}, "-0.1", "'resolves' must be a number from 0 to 1"),
    ({"resolves": "resolves: .nan, "}, ".nan", "'resolves' must be a finite number from 0 to 1"),
    ({"resolves": "resolves: .inf, "}, ".inf", "must be a finite number"),
    ({"resolves": "resolves: '0.5', "}, "'0.5'", "'resolves' must be a number, not text"),
    ({"resolves": "resolves: true, "}, "true", "'resolves' must be a number, not true/false"),
    ({"resolves": "resolves: [1], "}, "[1]", "'resolves' must be a number, not a list"),
    ({"resolves": "resolves: 70%, "}, "70%", "must be a number, not text"),
    ({"desk": NOT_SELF_SERVICE}, "resolves: 0.5", "'resolves' is not a field of an agent node"),
    # traffic
    (
        {"traffic": "{calls_per_hour: 0}"},
        "0}",
        "'traffic.calls_per_hour' must be a number greater than 0",
    ),
    ({"traffic": "{calls_per_hour: -3}"}, "-3", "greater than 0"),
    ({"traffic": "{calls_per_hour: .NaN}"}, ".NaN", "must be a finite number greater than 0"),
    ({"traffic": "{calls_per_hour: 1.0e+999}"}, "1.0e", "must be a finite number"),
    ({"traffic": f"{{calls_per_hour: {'9' * 400}}}"}, "999", "(got 99999999999999999999..."),
    ({"traffic": "{calls_per_hour: 60, hours_per_month: 0}"}, "0}", "'traffic.hours_per_month'"),
    ({"traffic": "{calls_per_hour: 60, hours_per_month: 745}"}, "745", "at most 744"),
    ({"traffic": "{calls_per_hour: 60, hours_per_month: .inf}"}, ".inf", "finite"),
    ({"traffic": "{calls_per_hour: sixty}"}, "sixty", "must be a number, not text"),
    (
        {"traffic": "{hours_per_month: 200}"},
        "{hours",
        "'traffic' is missing required key 'calls_per_hour'",
    ),
    (
        {"traffic": "{calls_per_hour: 60, hours: 200}"},
        "hours:",
        "unknown key 'hours' in 'traffic' (known: calls_per_hour, hours_per_month, opens_at, "
        "profile, retry)",
    ),
    ({"traffic": "60"}, "60", "'traffic' must be a mapping, not a number"),
    # queues
    (
        {"queues": "{care: {agents: 2.5, handle_seconds: 180}}"},
        "2.5",
        "'queues.care.agents' must be a whole number from 1 to 10000 (got 2.5)",
    ),
    ({"queues": "{care: {agents: 2.0, handle_seconds: 180}}"}, "2.0", "whole number"),
    (
        {"queues": "{care: {agents: '3', handle_seconds: 180}}"},
        "'3'",
        "'queues.care.agents' must be a whole number, not text (write it without quotes)",
    ),
    (
        {"queues": "{care: {agents: true, handle_seconds: 180}}"},
        "true",
        "'queues.care.agents' must be a whole number, not true/false",
    ),
    ({"queues": "{care: {agents: 0, handle_seconds: 180}}"}, "0,", "from 1 to 10000 (got 0)"),
    ({"queues": "{care: {agents: -2, handle_seconds: 180}}"}, "-2", "(got -2)"),
    ({"queues": "{care: {agents: .nan, handle_seconds: 180}}"}, ".nan", "whole number"),
    ({"queues": "{care: {agents: 10001, handle_seconds: 180}}"}, "10001", "(got 10001)"),
    (
        {"queues": "{care: {agents: 2, handle_seconds: 0}}"},
        "0}",
        "'queues.care.handle_seconds' must be a number greater than 0",
    ),
    ({"queues": "{care: {agents: 2, handle_seconds: .inf}}"}, ".inf", "finite"),
    (
        {"queues": "{care: {agents: 2, handle_seconds: 9, patience_seconds: 0}}"},
        "0}",
        "'queues.care.patience_seconds' must be a number greater than 0",
    ),
    ({"queues": "{care: {agents: 2, handle_seconds: 9, patience_seconds: -1}}"}, "-1", "(got -1)"),
    (
        {"queues": "{care: {agents: 2, handle_seconds: 9, patience_seconds: .nan}}"},
        ".nan",
        "finite",
    ),
    (
        {"queues": "{care: {agents: 2, handle_seconds: 9, patience_seconds: null}}"},
        "null",
        "must be a number, not nothing",
    ),
    (
        {"queues": "{care: {agents: 2}}"},
        "{agents",
        "queue 'care' is missing required key 'handle_seconds'",
    ),
    ({"queues": "{care: {handle_seconds: 9}}"}, "{handle", "missing required key 'agents'"),
    (
        {"queues": "{care: {agents: 2, handle_seconds: 9, patience: 60}}"},
        "patience:",
        "unknown key 'patience' in queue 'care'; did you mean 'patience_seconds'?",
    ),
    ({"queues": "{care: 2}"}, "2}", "queue 'care' must be a mapping, not a number"),
    ({"queues": "[care]"}, "[care]", "'queues' must be a mapping of queue id to its staffing"),
    (
        {"queues": "{care: {agents: 2, handle_seconds: 9}, cares: {agents: 1, handle_seconds: 9}}"},
        "cares",
        "queue 'cares' is listed under 'queues' but no agent node names it",
    ),
    (
        {"queues": "{Care: {agents: 2, handle_seconds: 9}}"},
        "Care",
        "no agent node names it; did you mean 'care'?",
    ),
    ({"queues": '{"": {agents: 2, handle_seconds: 9}}'}, '""', "a queue needs a name"),
    # costs
    ({"costs": "{agent_hour: -1}"}, "-1", "'costs.agent_hour' must be a number from 0"),
    ({"costs": "{line_minute: -0.01}"}, "-0.01", "'costs.line_minute' must be a number from 0"),
    ({"costs": "{line_minute: .nan}"}, ".nan", "finite"),
    ({"costs": "{agent_hour: 1.0e+10}"}, "1.0e", "from 0 to 1000000000 (got 1.0e+10)"),
    ({"costs": "{currency: 12}"}, "12", "'costs.currency' must be text, not a number"),
    ({"costs": '{currency: "US\\nD"}'}, '"US', "'costs.currency' must be text on one line"),
    ({"costs": "{agent_hour: 25, curency: EUR}"}, "curency", "did you mean 'currency'?"),
    ({"costs": "[25]"}, "[25]", "'costs' must be a mapping, not a list"),
]


@pytest.mark.parametrize(("change", "needle", "fragment"), BAD)
def test_a_bad_value_is_one_located_error(change: dict, needle: str, fragment: str) -> None:
    text = staffed(**change)
    line, column = where(text, next(iter(change.values())), needle)
    exc = error_of(text)
    assert (exc.line, exc.column) == (line, column), exc
    assert fragment in exc.message, exc
    assert str(exc) == f"m.yaml:{line}:{column}: error: {exc.message}"
    assert "\n" not in str(exc)


@pytest.mark.parametrize(("change", "needle", "fragment"), BAD)
def test_the_cli_reports_the_error_on_one_line_and_exits_2(
    tmp_path: Path, change: dict, needle: str, fragment: str
) -> None:
    path = tmp_path / "staffed.yaml"
    path.write_text(staffed(**change), encoding="utf-8")
    exc = error_of(staffed(**change), str(path))
    line = cli_error(path)
    assert line == str(exc)
    assert line.startswith(f"{path}:{exc.line}:{exc.column}: error: ")
    assert fragment in line


def test_errors_name_the_worked_example_values_where_written(tmp_path: Path) -> None:
    # The same mistakes in a file laid out the contract's way, with literal positions.
    path = tmp_path / "water.yaml"
    for old, new, place in [
        ("resolves: 0.7", "resolves: 7", "18:40"),
        ("agents: 6", "agents: 6.5", "6:18"),
        ("patience_seconds: 180", "patience_seconds: 0", "6:60"),
        ("hours_per_month: 200", "hours_per_month: -200", "4:49"),
        ("line_minute: 0.02", "line_minute: .inf", "8:38"),
        ("queue: leaks", "queue: leak", "7:3"),
    ]:
        assert old in WATER
        path.write_text(WATER.replace(old, new), encoding="utf-8")
        assert cli_error(path).startswith(f"{path}:{place}: error: "), (new, cli_error(path))


# -- the docs say what the loader does ---------------------------------------------------


def test_the_documented_example_loads_and_the_documented_caps_are_enforced(root: Path) -> None:
    from ivraudit.format import numbers

    doc = (root / "docs" / "menu-format.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Calls as they happen") :]
    example = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    menu = loads_menu(example, "doc.yaml")
    assert menu.traffic is not None and menu.costs is not None and len(menu.queues) == 2
    assert any(node.resolves < 1 for node in menu.nodes)
    for cap in (
        numbers.MAX_CALLS_PER_HOUR,
        numbers.MAX_HOURS_PER_MONTH,
        numbers.MAX_AGENTS,
        numbers.MAX_QUEUE_SECONDS,
    ):
        assert f"at most {int(cap):,}" in doc or f"to {int(cap):,}" in doc, cap
