"""Twilio Studio, issue 20: submenus reached through a gather's split, numbers typed into a
gather, the split's condition types in words, hours checks and function results.

Each export here is a small synthetic Studio flow written for the pattern it tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.model import Menu, Node
from ivraudit.importers import import_file
from ivraudit.importers.twilio_studio import Condition, label, subject
from tests.importers.common import assert_imports_as_it_scores


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


# -- a small Studio flow builder --------------------------------------------------------


def widget(name: str, kind: str, props: dict[str, Any], *transitions: dict) -> dict:
    return {
        "name": name,
        "type": kind,
        "transitions": list(transitions),
        "properties": {**props, "offset": {"x": 0, "y": 0}},
    }


def go(event: str, to: str | None = None, *conditions: dict) -> dict:
    out: dict[str, Any] = {"event": event}
    if to is not None:
        out["next"] = to
    if conditions:
        out["conditions"] = list(conditions)
    return out


def cond(kind: str, value: str, tested: str, name: str | None = None) -> dict:
    return {
        "friendly_name": name or f"If value {kind} {value}",
        "arguments": [tested],
        "type": kind,
        "value": value,
    }


def gather(name: str, say: str, keypress: str | None, timeout: str | None = None, **props) -> dict:
    return widget(
        name,
        "gather-input-on-call",
        {"say": say, "timeout": 5, "loop": 1, **props},
        go("keypress", keypress),
        go("speech"),
        go("timeout", timeout),
    )


def keys(name: str, of: str, no_match: str | None, *routes: tuple[str, str, str]) -> dict:
    """A split on a gather's digits: (condition type, value, next) per route."""
    tested = f"{{{{widgets.{of}.Digits}}}}"
    return widget(
        name,
        "split-based-on",
        {"input": tested},
        go("noMatch", no_match),
        *(go("match", to, cond(kind, value, tested)) for kind, value, to in routes),
    )


def queue(name: str, queue_name: str) -> dict:
    return widget(
        name,
        "enqueue-call",
        {"queue_name": queue_name},
        go("callComplete"),
        go("failedToEnqueue"),
        go("callFailure"),
    )


def say(name: str, text: str, then: str | None) -> dict:
    return widget(name, "say-play", {"say": text, "loop": 1}, go("audioComplete", then))


def flow(first: str, *states: dict) -> dict:
    trigger = widget("Trigger", "trigger", {}, go("incomingMessage"), go("incomingCall", first))
    return {
        "description": "Synthetic line",
        "states": [trigger, *states],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
    }


def save(tmp_path: Path, data: dict, name: str = "flow.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def menus(menu: Menu) -> dict[str, dict[str, str]]:
    """Each menu's keys and where they go."""
    return {n.id: {o.key: o.goto for o in n.options} for n in menu.nodes if n.type == "menu"}


def branch(menu: Menu, node_id: str) -> list[tuple[str, float, str]]:
    node = menu.node(node_id)
    assert node.type == "branch"
    return [(r.when, r.share, r.goto) for r in node.routes]


def score(path: Path, *extra: str) -> dict:
    result = run("score", str(path), "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- fixtures: one per pattern ----------------------------------------------------------

# "Press 2 for support" leads through the main split to a support gather whose own split
# offers keys again; a support key leads to a third gather. 9 goes back to the top.
SUBMENUS = flow(
    "main",
    gather("main", "Press 1 for sales. Press 2 for support.", "main_keys", timeout="main"),
    keys(
        "main_keys",
        "main",
        "main",
        ("equal_to", "1", "sales"),
        ("equal_to", "2", "support"),
    ),
    gather("support", "Press 1 for internet. Press 2 for TV. Press 9 for the menu.", "sup_keys"),
    keys(
        "sup_keys",
        "support",
        "support",
        ("equal_to", "1", "internet"),
        ("equal_to", "2", "tv"),
        ("equal_to", "9", "main"),
    ),
    gather("internet", "Press 1 if your line is down. Press 0 for an agent.", "net_keys"),
    keys("net_keys", "internet", "internet", ("equal_to", "1", "outage"), ("equal_to", "0", "tv")),
    say("outage", "We know about the outage.", None),
    queue("sales", "Sales"),
    queue("tv", "TV"),
)

# The support gather takes a ticket number ended by #, or # alone for the queue.
TICKET = flow(
    "main",
    gather("main", "Press 1 for sales. Press 2 for support.", "main_keys"),
    keys("main_keys", "main", "main", ("equal_to", "1", "sales"), ("equal_to", "2", "ticket")),
    gather(
        "ticket",
        "Enter your ticket number followed by pound, or press pound for an agent.",
        "ticket_keys",
        finish_on_key="#",
    ),
    keys("ticket_keys", "ticket", "lookup", ("is_blank", "Is Blank", "support_q")),
    widget(
        "lookup",
        "make-http-request",
        {"method": "GET", "url": "https://example.com/tickets"},
        go("success", "status"),
        go("failed", "support_q"),
    ),
    say("status", "Your ticket is open.", "main"),
    queue("sales", "Sales"),
    queue("support_q", "Support"),
)


def test_each_gather_a_key_leads_to_is_its_own_menu(tmp_path: Path) -> None:
    menu = import_file(save(tmp_path, SUBMENUS))
    assert menus(menu) == {
        "main": {"1": "queue_Sales", "2": "support"},
        "support": {"1": "internet", "2": "queue_TV", "9": "main"},
        "internet": {"1": "outage", "0": "queue_TV"},
    }
    report = score(save(tmp_path, SUBMENUS))
    assert report["metrics"]["reachable_menus"] == 3
    assert report["metrics"]["depth"] == 3
    assert report["metrics"]["human_reachable"] is True


def test_a_gather_that_takes_a_ticket_number_is_an_input_then_its_split(tmp_path: Path) -> None:
    menu = import_file(save(tmp_path, TICKET))
    assert menus(menu) == {"main": {"1": "queue_Sales", "2": "ticket"}}
    ticket = menu.node("ticket")
    assert ticket.type == "input" and ticket.next == "ticket_keys"
    assert branch(menu, "ticket_keys") == [
        ("ticket.Digits is blank (# alone)", 1.0, "queue_Support"),
        ("otherwise", 1.0, "lookup"),
    ]
    # The HTTP request's success is followed; its failure is kept with no calls.
    assert branch(menu, "lookup") == [
        ("success", 1.0, "status"),
        ("fail", 0.0, "queue_Support"),
    ]
    report = score(save(tmp_path, TICKET))
    assert report["metrics"]["human_reachable"] is True
    assert any("a function's success" in a for a in report["assumptions"])


def test_a_gather_of_several_digits_is_an_input_even_when_one_key_is_tested(
    tmp_path: Path,
) -> None:
    data = flow(
        "account",
        gather("account", "Enter your 8 digit account number.", "acct_keys", number_of_digits=8),
        keys("acct_keys", "account", "account", ("equal_to", "0", "agent")),
        queue("agent", "Care"),
    )
    menu = import_file(save(tmp_path, data))
    assert menus(menu) == {}
    assert menu.node("account").type == "input"
    assert branch(menu, "acct_keys") == [
        ('account.Digits equal to "0"', 1.0, "queue_Care"),
        ("otherwise", 1.0, "account"),
    ]


@pytest.mark.parametrize(
    ("routes", "expected"),
    [
        # matches_any_of: each key of the list leads the same way.
        ([("matches_any_of", "1, 2", "a"), ("equal_to", "3", "b")], {"1": "a", "2": "a", "3": "b"}),
        # starts_with one key on a one-key gather is that key.
        ([("starts_with", "1", "a"), ("starts_with", "2", "b")], {"1": "a", "2": "b"}),
        # is_blank after a key press: the finish key alone.
        ([("equal_to", "1", "a"), ("is_blank", "Is Blank", "b")], {"1": "a", "#": "b"}),
        # Words beside the keys in a list are for speech: the digits are the keys.
        ([("matches_any_of", "1, one", "a"), ("equal_to", "2", "b")], {"1": "a", "2": "b"}),
        # The first condition that matches wins: a later 1 is never taken.
        ([("equal_to", "1", "a"), ("matches_any_of", "1,2", "b")], {"1": "a", "2": "b"}),
    ],
)
def test_each_condition_type_on_the_digits_names_its_keys(
    tmp_path: Path, routes: list[tuple[str, str, str]], expected: dict[str, str]
) -> None:
    data = flow(
        "main",
        gather("main", "Choose.", "main_keys", number_of_digits=1),
        keys("main_keys", "main", "main", *routes),
        queue("a", "A"),
        queue("b", "B"),
    )
    menu = import_file(save(tmp_path, data))
    named = {"a": "queue_A", "b": "queue_B"}
    assert menus(menu) == {"main": {k: named[v] for k, v in expected.items()}}


# A "one moment" message between the key and the split on it.
ONE_MOMENT = flow(
    "main",
    gather("main", "Press 1 for sales. Press 2 for support.", "wait"),
    say("wait", "One moment please.", "main_keys"),
    keys("main_keys", "main", "main", ("equal_to", "1", "sales"), ("equal_to", "2", "help")),
    queue("sales", "Sales"),
    queue("help", "Help"),
)


def test_a_split_after_a_say_play_still_makes_the_gather_a_menu(tmp_path: Path) -> None:
    menu = import_file(save(tmp_path, ONE_MOMENT))
    [main_menu] = [n for n in menu.nodes if n.type == "menu"]
    # Each key hears the message, then goes where the split sends it.
    after: dict[str, Node] = {o.key: menu.node(o.goto) for o in main_menu.options}
    assert {k: (n.type, n.prompt, n.next) for k, n in after.items()} == {
        "1": ("message", "One moment please.", "queue_Sales"),
        "2": ("message", "One moment please.", "queue_Help"),
    }
    assert main_menu.no_match is not None
    assert menu.node(main_menu.no_match.goto).next == "main"


def test_a_loop_of_messages_between_gather_and_split_ends(tmp_path: Path) -> None:
    data = flow(
        "main",
        gather("main", "Press 1.", "a"),
        say("a", "A.", "b"),
        say("b", "B.", "a"),
        queue("q", "Q"),
    )
    menu = import_file(save(tmp_path, data))
    assert menu.node("main").type == "input"


SPOKEN_AS = "{{widgets.ask.SpeechResult}}"
# A gather wired for speech only, its split on what the caller said.
SPOKEN = flow(
    "ask",
    widget(
        "ask",
        "gather-input-on-call",
        {"say": "Say sales or support.", "timeout": 5},
        go("speech", "heard"),
        go("timeout", "ask"),
    ),
    widget(
        "heard",
        "split-based-on",
        {"input": SPOKEN_AS},
        go("noMatch", "ask"),
        go("match", "sales", cond("contains", "sales", SPOKEN_AS)),
        go("match", "help", cond("contains", "support", SPOKEN_AS)),
    ),
    queue("sales", "Sales"),
    queue("help", "Help"),
)


def test_a_speech_only_gather_is_a_menu_of_its_phrases(tmp_path: Path) -> None:
    menu = import_file(save(tmp_path, SPOKEN))
    ask = menu.node("ask")
    assert [(o.key, o.label, o.goto) for o in ask.options] == [
        ("1", "sales", "queue_Sales"),
        ("2", "support", "queue_Help"),
    ]


def test_a_gather_reached_by_another_gathers_timeout_is_a_menu(tmp_path: Path) -> None:
    data = flow(
        "main",
        gather("main", "Press 1 for sales.", "main_keys", timeout="again"),
        keys("main_keys", "main", "main", ("equal_to", "1", "sales")),
        gather("again", "Sorry. Press 1 for sales or 0 for an agent.", "again_keys"),
        keys("again_keys", "again", "main", ("equal_to", "1", "sales"), ("equal_to", "0", "op")),
        queue("sales", "Sales"),
        queue("op", "Operator"),
    )
    menu = import_file(save(tmp_path, data))
    assert menus(menu)["again"] == {"1": "queue_Sales", "0": "queue_Operator"}
    assert menu.node("main").no_input.goto == "again"


# -- hours checks and function results --------------------------------------------------


def hours_flow(input_: str, *conditions: tuple[str, str], fail: str | None = "menu") -> dict:
    """A function asks whether the line is open; a split on its answer sends open calls
    to a menu and the rest to a closed message."""
    return flow(
        "check_hours",
        widget(
            "check_hours",
            "run-function",
            {"url": "https://example.twil.io/hours"},
            go("success", "is_open"),
            go("fail", fail),
        ),
        widget(
            "is_open",
            "split-based-on",
            {"input": input_},
            go("noMatch", "closed"),
            *(go("match", "menu", cond(kind, value, input_)) for kind, value in conditions),
        ),
        say("closed", "We are closed.", None),
        gather("menu", "Press 1 for sales.", "menu_keys"),
        keys("menu_keys", "menu", "menu", ("equal_to", "1", "sales")),
        queue("sales", "Sales"),
    )


@pytest.mark.parametrize(
    ("input_", "kind", "value", "when"),
    [
        (
            "{{widgets.check_hours.parsed.status}}",
            "starts_with",
            "open",
            'check_hours.parsed.status starts with "open"',
        ),
        ("{{widgets.check_hours.body}}", "equal_to", "open", 'check_hours.body equal to "open"'),
        (
            "{{widgets.check_hours.parsed.isOpen}}",
            "equal_to",
            "true",
            "check_hours.parsed.isOpen = true",
        ),
    ],
)
def test_an_hours_split_follows_the_open_line_and_says_its_condition(
    tmp_path: Path, input_: str, kind: str, value: str, when: str
) -> None:
    path = save(tmp_path, hours_flow(input_, (kind, value)))
    menu = import_file(path)
    assert branch(menu, "is_open") == [(when, 1.0, "menu"), ("otherwise", 0.0, "closed")]
    report = score(path)
    assert report["metrics"]["human_reachable"] is True
    assert report["metrics"]["human_share"] == 1.0
    assert "IVR101" not in {f["rule"] for f in report["findings"]}
    # With a share of open calls, the hours check stays a real split.
    shared = score(path, "--open-share", "0.7")
    assert shared["metrics"]["human_share"] == pytest.approx(0.7)


def test_a_function_without_a_fail_route_is_passed_on_its_success(tmp_path: Path) -> None:
    data = hours_flow("{{widgets.check_hours.parsed.status}}", ("equal_to", "open"), fail=None)
    menu = import_file(save(tmp_path, data))
    assert menu.entry == "is_open"


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        ("equal_to", "open", 'hours.status equal to "open"'),
        ("not_equal_to", "open", 'hours.status not equal to "open"'),
        ("matches_any_of", "open,in hours", 'hours.status matches any of "open, in hours"'),
        ("does_not_match_any_of", "a,b", 'hours.status does not match any of "a, b"'),
        ("is_blank", "Is Blank", "hours.status is blank"),
        ("is_not_blank", "Is Not Blank", "hours.status is not blank"),
        ("regex", "^op", 'hours.status matches the pattern "^op"'),
        ("contains", "open", 'hours.status contains "open"'),
        ("does_not_contain", "open", 'hours.status does not contain "open"'),
        ("starts_with", "open", 'hours.status starts with "open"'),
        ("does_not_start_with", "open", 'hours.status does not start with "open"'),
        ("less_than", "5", 'hours.status less than "5"'),
        ("greater_than", "5", 'hours.status greater than "5"'),
        ("is_before_time", "17:00", 'hours.status is before time "17:00"'),
        ("some_new_type", "x", 'hours.status some new type "x"'),
    ],
)
def test_every_condition_type_reads_as_words(kind: str, value: str, words: str) -> None:
    assert label(Condition(kind, value, ""), "hours.status") == words


def test_the_tested_subject_is_named_without_template_braces() -> None:
    assert subject("{{widgets.check_hours.parsed.status}}") == "check_hours.parsed.status"
    assert subject("{{ flow.variables.choice }}") == "flow.variables.choice"
    assert subject("") == "the value"


def test_only_the_open_outcome_of_an_hours_split_is_normal(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        hours_flow(
            "{{widgets.check_hours.parsed.status}}",
            ("not_equal_to", "open"),
        ),
    )
    menu = import_file(path)
    # "not equal to" is not the open line: no normal outcome, calls split equally.
    assert [share for _, share, _ in branch(menu, "is_open")] == [1.0, 1.0]


# -- odd shapes and import = score ------------------------------------------------------


def test_odd_condition_shapes_import_without_a_traceback(tmp_path: Path) -> None:
    data = flow(
        "main",
        gather("main", "Press 1.", "main_keys", number_of_digits="one", finish_on_key=None),
        widget(
            "main_keys",
            "split-based-on",
            {"input": ["not", "text"]},
            {"event": "match", "next": "q", "conditions": "equal_to 1"},
            {"event": "match", "next": "q", "conditions": [{"type": "equal_to", "value": 1}]},
            {"event": "match", "next": "q", "conditions": [None, {"value": "2"}]},
            {"event": "noMatch"},
        ),
        queue("q", "Q"),
    )
    result = run("score", str(save(tmp_path, data)))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["submenus", "ticket", "one moment", "spoken", "hours"])
def test_import_then_score_equals_score(tmp_path: Path, name: str) -> None:
    data = {
        "submenus": SUBMENUS,
        "ticket": TICKET,
        "one moment": ONE_MOMENT,
        "spoken": SPOKEN,
        "hours": hours_flow("{{widgets.check_hours.parsed.status}}", ("starts_with", "open")),
    }[name]
    assert_imports_as_it_scores(save(tmp_path, data), tmp_path)


def test_a_function_that_logs_the_key_before_the_split_is_passed(tmp_path: Path) -> None:
    data = flow(
        "main",
        gather("main", "Press 1 for sales. Press 2 for help.", "log"),
        widget(
            "log",
            "run-function",
            {"url": "https://example.twil.io/log"},
            go("success", "main_keys"),
            go("fail", "main_keys"),
        ),
        keys("main_keys", "main", "main", ("equal_to", "1", "sales"), ("equal_to", "2", "help")),
        queue("sales", "Sales"),
        queue("help", "Help"),
    )
    menu = import_file(save(tmp_path, data))
    assert menus(menu) == {"main": {"1": "queue_Sales", "2": "queue_Help"}}


def test_splits_chained_on_no_match_over_the_same_digits_are_one_menu(tmp_path: Path) -> None:
    data = flow(
        "main",
        gather("main", "Press 1 to 4.", "first"),
        keys("first", "main", "second", ("equal_to", "1", "a"), ("equal_to", "2", "b")),
        keys("second", "main", "main", ("equal_to", "3", "a"), ("equal_to", "4", "b")),
        queue("a", "A"),
        queue("b", "B"),
    )
    menu = import_file(save(tmp_path, data))
    assert menus(menu) == {"main": {"1": "queue_A", "2": "queue_B", "3": "queue_A", "4": "queue_B"}}
    assert menu.node("main").no_match.goto == "main"


def test_a_long_chain_of_splits_on_one_gathers_digits_is_read_once(tmp_path: Path) -> None:
    n = 5000  # each split is walked once: this finishes at once, not in n * n steps
    chain = [
        keys(f"s{i}", "main", f"s{i + 1}" if i + 1 < n else "main", ("equal_to", str(i % 10), "q"))
        for i in range(n)
    ]
    menu = import_file(save(tmp_path, flow("main", gather("main", "Press.", "s0"), *chain)))
    assert sorted(menus(menu)["main"]) == sorted("0123456789")
    assert menu.node("main").no_match.goto == "main"


@pytest.mark.parametrize(
    ("no_match", "is_menu"),
    [
        ("lookup", False),  # a typed number goes on to be looked up: an input
        ("ticket", True),  # a wrong key asks again: a (one-key) menu
        ("sorry", True),  # "sorry" and ask again: a menu's retry
    ],
)
def test_one_key_and_a_typed_number_that_goes_on_is_an_input(
    tmp_path: Path, no_match: str, is_menu: bool
) -> None:
    data = flow(
        "ticket",
        gather("ticket", "Enter your ticket number and pound, or 0 for an agent.", "t_keys"),
        keys("t_keys", "ticket", no_match, ("equal_to", "0", "agent")),
        say("sorry", "Sorry.", "ticket"),
        say("lookup", "Looking it up.", None),
        queue("agent", "Care"),
    )
    menu = import_file(save(tmp_path, data))
    assert (menu.node("ticket").type == "menu") is is_menu
