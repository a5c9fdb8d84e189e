"""`intents` on options: loaded, validated, written back; the call-mix figures."""

from __future__ import annotations

import textwrap

import pytest

from ivraudit import MenuError, dump_menu, loads_menu
from ivraudit.metrics import call_mix

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
