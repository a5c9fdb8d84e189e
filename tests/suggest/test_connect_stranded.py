"""connect-stranded connects lost callers (no option names their request), never callers
trapped behind an option meant for them, and never pushes a menu past the options limit."""

from __future__ import annotations

from ivraudit.format.loader import load_menu, loads_menu
from ivraudit.suggest import suggest_menu
from tests.conftest import ROOT

LOST = """\
ivraudit: 1
name: Lost callers
intents: {pay: 0.6, cancel: 0.4}
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: payments, goto: pay_bot, intents: [pay]}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  pay_bot: {type: self_service, prompt: "Paid.", handles: [pay]}
  desk: {type: agent, queue: general, hold_seconds: 60, handles: [pay]}
  leaving: {type: agent, queue: cancellations, hold_seconds: 30, handles: [cancel]}
"""


def kinds(result) -> dict[str, object]:
    return {s.id: s for s in result.suggestions}


def test_a_lost_request_gets_an_option_named_in_words() -> None:
    result = suggest_menu(loads_menu(LOST, "lost.yaml"))
    s = kinds(result)["connect-stranded:cancel"]
    assert "cancellations" in s.title  # the desk's own queue, not the intent id
    assert s.after.resolved_share == 1.0


def test_no_option_past_the_options_limit() -> None:
    full = LOST.replace(
        "      - {key: 0, label: a person, goto: desk}\n",
        "".join(f"      - {{key: {k}, label: more {k}, goto: desk}}\n" for k in (2, 3, 4))
        + "      - {key: 0, label: a person, goto: desk}\n",
    )
    result = suggest_menu(loads_menu(full, "full.yaml"))
    assert "connect-stranded:cancel" not in kinds(result)


def test_trapped_callers_get_an_exit_not_a_second_option() -> None:
    result = suggest_menu(load_menu(ROOT / "menus" / "water_utility.yaml"))
    ids = kinds(result)
    assert not any(i.startswith("connect-stranded") for i in ids)
    assert any(i.startswith(("zero-out", "dead-ends")) for i in ids)


def test_zero_out_sends_callers_to_the_desk_serving_most_of_them_not_the_quickest() -> None:
    result = suggest_menu(load_menu(ROOT / "menus" / "telecom_hell.yaml"))
    s = kinds(result)["zero-out:main"]
    # 'upgrades' (a sales queue) is the quickest person but handles only upgrades.
    assert "billing_agents" in s.nodes and "upgrades" not in s.nodes
    assert "largest share of the calls that pass 'main'" in s.why
