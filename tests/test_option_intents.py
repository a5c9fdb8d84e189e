"""`intents` on options: loaded, validated, written back; the call-mix figures."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import MenuError, dump_menu, loads_menu
from ivraudit.analysis.metrics import call_mix
from ivraudit.cli import main
from tests.conftest import LABELLED_BANK

BANK = textwrap.dedent(
    """\
    ivraudit: 1
    name: Bank
    intents: {balance: 0.6, lost_card: 0.4}
    nodes:
      main:
        prompt: "Bank."
        options:
          - {key: 1, label: accounts, goto: desk, intents: [balance]}
          - {key: 2, label: cards, goto: desk, intents: [lost_card, balance]}
      desk: {type: agent, hold_seconds: 60, handles: [balance, lost_card]}
    """
)


def test_option_intents_are_loaded_in_order() -> None:
    menu = loads_menu(BANK, "m.yaml")
    assert [o.intents for o in menu.node("main").options] == [
        ("balance",),
        ("lost_card", "balance"),
    ]


def test_undeclared_option_intent_is_located_with_a_suggestion() -> None:
    with pytest.raises(MenuError) as err:
        loads_menu(BANK.replace("intents: [balance]}", "intents: [balanse]}"), "m.yaml")
    assert (err.value.line, err.value.column) == (8, 57)
    assert "'balanse', which is not declared under 'intents'; did you mean 'balance'?" in str(
        err.value
    )


def test_option_intents_must_be_a_list() -> None:
    with pytest.raises(MenuError, match="'intents' must be a list of intents"):
        loads_menu(BANK.replace("intents: [balance]}", "intents: balance}"), "m.yaml")


def test_writer_keeps_option_intents() -> None:
    menu = loads_menu(BANK, "m.yaml")
    again = loads_menu(dump_menu(menu), "m2.yaml")
    assert [o.intents for o in again.node("main").options] == [
        o.intents for o in menu.node("main").options
    ]


@pytest.mark.parametrize(
    ("shares", "seconds", "human", "expected"),
    [
        ({}, {}, 36.6, (1.0, 36.6)),
        ({}, {}, None, (1.0, None)),
        ({"a": 0.8, "b": 0.2}, {"a": 10.0, "b": 20.0}, 5.0, (1.0, 12.0)),
        ({"a": 0.8, "b": 0.2}, {"a": None, "b": 20.0}, 5.0, (0.2, 20.0)),
        ({"a": 0.5, "b": 0.5}, {"a": None, "b": None}, 5.0, (0.0, None)),
    ],
)
def test_call_mix(shares: dict, seconds: dict, human: float | None, expected: tuple) -> None:
    share, typical = call_mix(shares, seconds, human)
    assert share == pytest.approx(expected[0])
    assert typical == pytest.approx(expected[1]) if expected[1] is not None else typical is None


def _json(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["metrics"]


def test_contract_worked_example_follows_the_labels(tmp_path: Path) -> None:
    m = _json(tmp_path, LABELLED_BANK)
    assert m["time_to_human_seconds"] == 68.4
    assert m["time_to_human_presses"] == 1
    assert m["intent_seconds"] == {"balance": 8.4, "lost_card": 72.0, "mortgage": 68.6}
    assert m["resolved_share"] == 1.0
    assert m["typical_call_seconds"] == round(0.6 * 8.4 + 0.3 * 72.0 + 0.1 * 68.6, 2)
    assert m["intent_routes"]["lost_card"] == [
        {"from": "main", "via": "2", "to": "cards", "at_seconds": 4.6},
        {"from": "cards", "via": "no_input", "to": "desk", "at_seconds": 12.0},
    ]
    assert m["intent_routes"]["mortgage"] == [
        {"from": "main", "via": "no_input", "to": "desk", "at_seconds": 8.6}
    ]


def test_without_declarations_every_choice_is_open(tmp_path: Path) -> None:
    m = _json(tmp_path, re.sub(r", intents: \[\w+\]", "", LABELLED_BANK))
    assert m["intent_seconds"] == {"balance": 8.4, "lost_card": 68.4, "mortgage": 68.4}


def test_undeclared_options_silence_and_wrong_keys_are_open_to_others(tmp_path: Path) -> None:
    # main now has an option without intents: a mortgage caller may take it, or a wrong key.
    text = LABELLED_BANK.replace(
        "      - {key: 2, label: cards, goto: cards, intents: [lost_card]}\n",
        "      - {key: 2, label: cards, goto: cards, intents: [lost_card]}\n"
        "      - {key: 3, label: anything else, goto: desk}\n",
    )
    m = _json(tmp_path, text)
    # key 3 costs 0.4 + 1.6 + 1.6 + 2.0 + 1 = 6.6 s (silence now 10.6 s), then the hold.
    assert m["intent_seconds"]["mortgage"] == 66.6
    assert m["intent_routes"]["mortgage"][0]["via"] == "3"


def test_key_zero_is_open_when_nothing_is_for_the_caller(tmp_path: Path) -> None:
    text = LABELLED_BANK.replace(
        "      - {key: 2, label: cards, goto: cards, intents: [lost_card]}\n",
        "      - {key: 2, label: cards, goto: cards, intents: [lost_card]}\n"
        "      - {key: 0, label: an advisor, goto: desk, intents: [balance]}\n",
    )
    m = _json(tmp_path, text)
    # key 0 is read third: 0.4 + 1.6 + 1.6 + 2.0 + 1 = 6.6 s, then the hold.
    assert m["intent_seconds"]["mortgage"] == 66.6
    assert m["intent_routes"]["mortgage"] == [
        {"from": "main", "via": "0", "to": "desk", "at_seconds": 6.6}
    ]


def test_a_caller_with_no_handler_is_lost(tmp_path: Path) -> None:
    text = LABELLED_BANK.replace(
        "lost_card: 0.3, mortgage: 0.1}", "lost_card: 0.3, mortgage: 0.1, pension: 1.0}"
    )
    m = _json(tmp_path, text)
    assert m["intent_seconds"]["pension"] is None
    assert m["intent_routes"]["pension"] == []
    assert m["resolved_share"] == 0.5
    assert m["typical_call_seconds"] == round((0.6 * 8.4 + 0.3 * 72.0 + 0.1 * 68.6) / 1.0, 2)


def test_a_caller_whose_label_leads_into_a_loop_is_trapped(tmp_path: Path) -> None:
    # Card callers press 2; at cards, silence now loops to the news: they never get out,
    # although the fastest route (through accounts) would reach the advisor.
    text = LABELLED_BANK.replace(
        "      - {key: 1, label: card news, goto: news}\n    no_input: {retries: 0, goto: desk}",
        "      - {key: 1, label: card news, goto: news}\n    no_input: {retries: 0, goto: news}\n"
        "    no_match: {retries: 0, goto: news}",
    )
    m = _json(tmp_path, text)
    assert m["intent_seconds"]["lost_card"] is None
    assert m["time_to_human_seconds"] == 68.4
    assert m["resolved_share"] == 0.7
    assert m["intent_routes"]["lost_card"] == [
        {"from": "main", "via": "2", "to": "cards", "at_seconds": 4.6}
    ]


def test_water_utility_traps_its_no_water_callers_and_says_so() -> None:
    path = str(Path(__file__).resolve().parent.parent / "menus" / "water_utility.yaml")
    data = json.loads(CliRunner().invoke(main, ["score", path, "--format", "json"]).output)
    m = data["metrics"]
    assert m["intent_seconds"]["supply_problem"] is None
    assert m["resolved_share"] == 0.65
    assert [(s["from"], s["via"], s["to"]) for s in m["intent_routes"]["supply_problem"]] == [
        ("main", "1", "outage_update"),
        ("outage_update", "next", "outage_menu"),
    ]
    assert m["time_to_human_seconds"] == 69.0  # a caller after a person still finds one
    part = next(
        p
        for c in data["score_breakdown"]["categories"]
        for p in c["parts"]
        if p["title"] == "Calls resolved, by their time"
    )
    assert part["display"] == "65% resolved; 2:07 a call"
    text = CliRunner().invoke(main, ["score", path, "--width", "160", "--no-color"]).output
    assert re.search(r"Calls resolved +65% +poor +never resolved: supply problem", text)
    assert re.search(r"Time on the phone +2:07 +needs work +on average, holds included", text)
    assert (
        "Supply problem  35%   never  main 1 → outage_update → outage_menu  "
        "trapped: no choice from outage_menu reaches their answer"
    ) in text
    assert "Leak report     10%  69.0 s  main 2 → leaks  9.0 s + 60.0 s hold" in text


def test_a_lost_caller_is_said_to_be_lost(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(LABELLED_BANK.replace("mortgage: 0.1}", "mortgage: 0.1, pension: 1.0}"))
    text = CliRunner().invoke(main, ["score", str(path), "--width", "160", "--no-color"]).output
    assert "lost: no node handles these calls" in text
    assert re.search(r"Calls resolved +50% +poor +never resolved: pension", text)


def test_every_json_journey_follows_the_choice_rules() -> None:
    """Each step of every example's intent routes is a choice the caller may make."""
    from ivraudit import audit_file
    from ivraudit.analysis.choices import closed_choices

    for path in sorted((Path(__file__).resolve().parent.parent / "menus").glob("*.yaml")):
        a = audit_file(path)
        for journey in a.metrics.intent_routes:
            for step in journey.steps:
                closed = closed_choices(a.graph, step.node, journey.intent)
                taken = [
                    (u, v, k)
                    for u, v, k, d in a.graph.out_edges(step.node, keys=True, data=True)
                    if v == step.to and d["kind"] == step.kind and d["dtmf"] == step.key
                ]
                assert taken and not set(taken) <= set(closed), (path.name, journey.intent, step)


def test_a_caller_sent_round_by_their_own_option_is_trapped_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            ivraudit: 1
            name: Round again
            intents: {a: 0.5, b: 0.5}
            nodes:
              main:
                prompt: "Hi."
                options:
                  - {key: 1, label: a, goto: loop, intents: [a]}
                  - {key: 2, label: b, goto: desk, intents: [b]}
                no_input: {goto: main}
                no_match: {goto: main}
              loop: {type: message, prompt: "Sorry.", next: main}
              desk: {type: agent, hold_seconds: 10, handles: [a, b]}
            """
        )
    )
    text = CliRunner().invoke(main, ["score", str(path), "--width", "160", "--no-color"]).output
    assert "A  50%   never  main 1 → loop → main  trapped: no choice from main reaches" in text
    checked = CliRunner().invoke(main, ["check", str(path), "--fail-under", "0"]).output
    assert "callers who follow the options meant for them are trapped at 'main'" in checked
