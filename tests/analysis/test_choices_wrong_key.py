"""A wrong key is a mistake, not a shortcut (format 0.3): an intent's callers never press a
wrong key, and wait only where no option open to them leads anywhere they can be helped.
Time to a person still takes the fastest way, wrong keys included."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from ivraudit.analysis.choices import choosers, closed_choices, intent_closed, resolvable_from
from ivraudit.analysis.graph import build_graph
from ivraudit.cli import main
from ivraudit.format.loader import loads_menu
from tests.conftest import LABELLED_BANK, audit_yaml


def figures(text: str) -> dict:
    return audit_yaml(text).metrics.to_dict()


def test_the_contract_worked_example(tmp_path: Path) -> None:
    m = figures(LABELLED_BANK)
    assert m["time_to_human_seconds"] == 68.4  # main 1, accounts 2, the hold
    assert m["intent_seconds"] == {
        "balance": 8.4,  # main 1 (3.0), accounts 1 (3.4), the 2.0 s message
        "lost_card": 72.0,  # main 2 (4.6); nothing at cards helps, so wait (7.4), hold
        "mortgage": 68.6,  # no option is for mortgage: wait at main (8.6), hold
    }
    path = tmp_path / "bank.yaml"
    path.write_text(LABELLED_BANK)
    out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    metrics = json.loads(out.output)["metrics"]
    assert metrics["intent_seconds"] == m["intent_seconds"]
    assert metrics["time_to_human_seconds"] == 68.4


# One option, a slow way to the desk; a wrong key or silence is quicker.
QUICKER_BY_MISTAKE = """
ivraudit: 1
name: Wrong key is quicker
intents: {help: 1}
timing: {retries: 0}
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: help, goto: intro}
    no_match: {goto: desk}
    no_input: {goto: desk}
  intro: {type: message, prompt: "Please hold for the next free member of our team.", next: desk}
  desk: {type: agent, hold_seconds: 30, handles: [help]}
"""


def test_an_intent_never_presses_a_wrong_key_but_time_to_human_does() -> None:
    m = figures(QUICKER_BY_MISTAKE)
    # Wrong key: 1 x (0.4 + 1) = 1.4 s, then the 30 s hold: the fastest way to a person.
    assert m["time_to_human_seconds"] == 31.4
    assert m["time_to_human_presses"] == 1
    # The caller with an intent presses 1 (0.4 + 1.6 + 1 = 3.0), hears 10 words (4.0).
    assert m["intent_seconds"] == {"help": 37.0}
    steps = audit_yaml(QUICKER_BY_MISTAKE).metrics.intent_routes[0].steps
    assert [s.kind for s in steps] == ["option", "next"]


def test_a_line_reached_only_by_a_wrong_key_resolves_no_intent() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Only a wrong key reaches anyone
        intents: {help: 1}
        timing: {retries: 0}
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: news, goto: news}
            no_match: {goto: desk}
          news: {type: message, prompt: "Nothing new.", next: main}
          desk: {type: agent, hold_seconds: 30, handles: [help]}
        """
    )
    assert m["time_to_human_seconds"] == 31.4  # by the wrong key
    assert m["intent_seconds"] == {"help": None}


def test_silence_is_a_choice_only_when_no_option_helps() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Silence when no option helps
        intents: {help: 1, news: 1}
        timing: {retries: 0}
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: news, goto: news}
              - {key: 2, label: opening hours, goto: hours}
            no_input: {goto: desk}
            no_match: {goto: desk}
          news: {type: self_service, prompt: "Nothing new.", handles: [news]}
          hours: {type: message, prompt: "We are open nine to five.", next: bye}
          bye: {type: hangup}
          desk: {type: agent, hold_seconds: 30, handles: [help]}
        """
    )
    # No option leads to the desk: the help caller waits, 1 x (0.4 + 1.6 + 2.0 + 5) = 9.0 s,
    # rather than press the wrong key that time to human takes (1.4 s).
    assert m["intent_seconds"] == {"help": 39.0, "news": 3.8}
    assert m["time_to_human_seconds"] == 31.4


def test_silence_is_closed_where_an_option_leads_to_help_even_if_slower() -> None:
    text = """
        ivraudit: 1
        name: Rule 2
        intents: {sales: 1, help: 1}
        timing: {retries: 0}
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: sales, goto: sales, intents: [sales]}
              - {key: 2, label: other enquiries, goto: other}
            no_input: {goto: desk}
            no_match: {goto: desk}
          other:
            prompt: "Other enquiries. Please listen carefully as our options have changed."
            options:
              - {key: 1, label: an advisor, goto: desk}
          sales: {type: agent, hold_seconds: 10, handles: [sales]}
          desk: {type: agent, hold_seconds: 30, handles: [help]}
        """
    m = figures(text)
    # help: rule 2 at main, key 2 (5.0 s) leads on to the desk, so neither silence (7.0 s)
    # nor a wrong key (1.4 s) is a choice: key 2, then key 1 at other (7.0 s), the hold.
    assert m["intent_seconds"] == {"sales": 13.0, "help": 42.0}
    g = build_graph(loads_menu(textwrap.dedent(text), "m.yaml"))
    kinds = {g.edges[e]["kind"] for e in closed_choices(g, "main", "help")}
    assert kinds == {"option", "no_input", "no_match"}


def test_silence_along_the_way_does_not_count_as_leading_to_help() -> None:
    text = """
        ivraudit: 1
        name: R excludes silence
        intents: {help: 1}
        timing: {retries: 0}
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: help, goto: sub}
            no_input: {goto: desk}
          sub:
            prompt: "Help desk menu with a long introduction that takes a while to say."
            options:
              - {key: 1, label: news, goto: news}
            no_input: {goto: desk}
          news: {type: message, prompt: "Nothing new.", next: sub}
          desk: {type: agent, hold_seconds: 30, handles: [help]}
        """
    g = build_graph(loads_menu(textwrap.dedent(text), "m.yaml"))
    assert resolvable_from(choosers(g), "help") == {"desk"}
    # sub reaches the desk only by silence, so silence stays open at main (7.0 s) and wins
    # over key 1 then silence at sub (3.0 + 11.8 s).
    assert figures(text)["intent_seconds"] == {"help": 37.0}


def test_rule_1_has_no_fallback() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Rule 1
        intents: {help: 1}
        timing: {retries: 0}
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: help, goto: news, intents: [help]}
            no_input: {goto: desk}
            no_match: {goto: desk}
          news: {type: message, prompt: "Nothing new.", next: main}
          desk: {type: agent, hold_seconds: 30, handles: [help]}
        """
    )
    assert m["intent_seconds"] == {"help": None}  # the label sends them round for ever
    assert m["time_to_human_seconds"] == 31.4


def test_no_intent_ever_has_a_wrong_key_open() -> None:
    for path in sorted((Path(__file__).resolve().parents[2] / "menus").glob("*.yaml")):
        menu = loads_menu(path.read_text(), str(path))
        g = build_graph(menu)
        menus = choosers(g)
        wrong = {(u, v, k) for u, v, k, d in g.edges(keys=True, data="kind") if d == "no_match"}
        for intent, _ in menu.intents:
            assert wrong <= set(intent_closed(menus, intent)), (path.name, intent)
