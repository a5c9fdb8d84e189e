"""The metric engine on menus whose figures were counted by hand (150 wpm = 0.4 s a word)."""

from __future__ import annotations

import pytest

from ivraudit import audit_file
from tests.conftest import FIXTURES, audit_yaml


def figures(text: str) -> dict:
    return audit_yaml(text).metrics.to_dict()


def test_contract_example_figures() -> None:
    m = audit_file(FIXTURES / "city_cabs_contract.yaml").metrics.to_dict()
    assert {k: m[k] for k in m if k in CONTRACT} == CONTRACT


CONTRACT = {
    "nodes": 3,
    "menus": 1,
    "depth": 1,
    "max_options": 2,
    "mean_options": 2.0,
    "human_reachable": True,
    "time_to_human_seconds": 36.6,
    "time_to_human_presses": 1,
    "menus_without_zero_out": 1,
    "unreachable_nodes": [],
    "intent_seconds": {"taxi_now": 6.6, "book_later": 36.6},
}

CYCLE = """
    ivraudit: 1
    name: Loop line
    nodes:
      main:
        prompt: "Welcome."
        options:
          - {key: 1, label: billing, goto: billing}
          - {key: 9, say: "To hear again press 9.", goto: main}
        no_input: {goto: main}
        no_match: {goto: main}
      billing:
        prompt: "Billing."
        options:
          - {key: 1, label: pay a bill, goto: pay}
          - {key: 0, label: an agent, goto: agent}
          - {key: "*", label: the main menu, goto: main}
      pay: {type: self_service, prompt: "Paid."}
      agent: {type: agent, hold_seconds: 20}
"""


def test_cycles_and_shared_menus() -> None:
    m = figures(CYCLE)
    # main 1: 0.4 + 1.6 + 1 = 3.0; billing 0: 0.4 + 2.4 + 2.0 + 1 = 5.8; hold 20.
    assert m["time_to_human_seconds"] == 28.8
    assert m["time_to_human_presses"] == 2
    # pay, agent and billing's disconnect all lie two presses deep.
    assert m["depth"] == 2
    assert m["menus_without_zero_out"] == 1
    assert (m["max_options"], m["mean_options"]) == (3, 2.5)
    assert m["best_route_to_human"] == [
        {"from": "main", "via": "1", "to": "billing", "at_seconds": 3.0},
        {"from": "billing", "via": "0", "to": "agent", "at_seconds": 8.8},
    ]


def test_branch_is_a_chance_node() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Branch line
        nodes:
          start:
            type: branch
            routes:
              - {when: caller known, share: 3, goto: desk}
              - {when: caller unknown, share: 1, goto: main}
          main:
            prompt: "Hello there."
            options:
              - {key: 0, label: a person, goto: desk}
          desk: {type: agent, hold_seconds: 10}
        """
    )
    # 0.75 x 10 + 0.25 x (0.8 + 2.0 + 1 + 10) = 10.95
    assert m["time_to_human_seconds"] == 10.95
    assert m["time_to_human_presses"] == 0
    assert m["depth"] == 1  # main's disconnect after silence
    assert m["menus_without_zero_out"] == 0


def test_branch_route_that_never_reaches_a_person_lowers_the_share() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Closed sometimes
        nodes:
          start:
            type: branch
            routes:
              - {when: office open, share: 1, goto: desk}
              - {when: office closed, share: 1, goto: closed}
          desk: {type: agent, hold_seconds: 10}
          closed: {type: hangup, prompt: "We are closed."}
        """
    )
    # Format 0.3: half the calls reach the desk, after its 10 s hold.
    assert m["time_to_human_seconds"] == 10.0
    assert m["human_share"] == 0.5
    assert m["human_reachable"] is True
    assert m["time_to_human_presses"] == 0
    assert m["depth"] == 0


def test_chance_cycle_converges_to_the_expected_time() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Busy loop
        nodes:
          start:
            type: branch
            routes:
              - {when: all busy, share: 1, goto: wait}
              - {when: agent free, share: 1, goto: desk}
          wait: {type: message, prompt: "All agents are busy.", next: start}
          desk: {type: agent, hold_seconds: 30}
        """
    )
    # V = 0.5 (1.6 + V) + 0.5 x 30  =>  V = 31.6
    assert m["time_to_human_seconds"] == pytest.approx(31.6, abs=0.005)


def test_menu_choice_beats_a_risky_branch_in_a_cycle() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Choice and chance
        nodes:
          main:
            prompt: ""
            options:
              - {key: 1, say: "One.", goto: gamble}
              - {key: 2, say: "Two.", goto: desk}
          gamble:
            type: branch
            routes:
              - {share: 9, goto: main}
              - {share: 1, goto: desk}
          desk: {type: agent, hold_seconds: 5}
        """
    )
    # Key 1 costs 1.4 s and loops back 90% of the time; key 2 costs 1.8 s and is sure.
    assert m["time_to_human_seconds"] == 6.8
    assert m["best_route_to_human"][0]["via"] == "2"


def test_no_person_at_all_and_unreachable_nodes() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Robot only
        nodes:
          main:
            prompt: "Hi."
            options:
              - {key: 1, label: opening hours, goto: hours}
              - {key: 2, label: goodbye, goto: bye}
          hours: {type: self_service, prompt: "We open at nine."}
          bye: {type: hangup}
          orphan: {type: agent, hold_seconds: 5}
          lost: {type: message, prompt: "Lost.", next: orphan}
        """
    )
    assert m["human_reachable"] is False
    assert m["time_to_human_seconds"] is None
    assert m["time_to_human_presses"] is None
    assert m["unreachable_nodes"] == ["orphan", "lost"]
    assert m["nodes"] == 5
    assert m["best_route_to_human"] == []


def test_entry_that_is_not_a_menu() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Straight through
        nodes:
          hello: {type: message, prompt: "Please hold.", next: desk}
          desk: {type: agent, hold_seconds: 15}
        """
    )
    assert m["time_to_human_seconds"] == 15.8
    assert (m["depth"], m["time_to_human_presses"], m["menus"]) == (0, 0, 0)
    assert (m["max_options"], m["mean_options"], m["menus_without_zero_out"]) == (0, 0.0, 0)


@pytest.mark.parametrize(("barge_in", "seconds"), [(True, 3.0), (False, 4.6)])
def test_barge_in_off_makes_every_option_cost_the_whole_menu(
    barge_in: bool, seconds: float
) -> None:
    m = figures(
        f"""
        ivraudit: 1
        name: Barge
        nodes:
          main:
            prompt: "Hi."
            barge_in: {str(barge_in).lower()}
            options:
              - {{key: 1, label: sales, goto: sales}}
              - {{key: 2, label: support, goto: support}}
          sales: {{type: agent}}
          support: {{type: agent}}
        """
    )
    assert m["time_to_human_seconds"] == seconds


def test_no_match_and_no_input_paths() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Errors lead to people
        nodes:
          main:
            prompt: "Hi."
            options:
              - {key: 1, label: news, goto: news}
            no_match: {retries: 1, goto: desk}
          news: {type: self_service, prompt: "No news."}
          desk: {type: agent}
        """
    )
    # no_match: 2 x (0.4 + 1.0) = 2.8; silence disconnects after 3 x (0.4 + 1.6 + 5).
    assert m["time_to_human_seconds"] == 2.8
    assert m["best_route_to_human"] == [
        {"from": "main", "via": "no_match", "to": "desk", "at_seconds": 2.8}
    ]
    assert m["depth"] == 1


def test_zero_out_counts_messages_and_branches_only() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Zero outs
        nodes:
          a:
            options:
              - {key: 0, goto: msg}
              - {key: 1, goto: b}
          b:
            options:
              - {key: 0, goto: inp}
              - {key: 1, goto: c}
          c:
            options:
              - {key: 0, goto: br}
          msg: {type: message, prompt: "Connecting.", next: desk}
          inp: {type: input, collects: account_number, next: desk}
          br:
            type: branch
            routes:
              - {share: 1, goto: desk}
              - {share: 1, goto: bye}
          desk: {type: agent}
          bye: {type: hangup}
        """
    )
    assert m["menus_without_zero_out"] == 1  # only b: an input lies before the person


def test_intents_follow_handles_literally() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Intents
        intents: {sales: 2, billing: 1, other: 1, split: 1}
        nodes:
          main:
            prompt: "Hi."
            options:
              - {key: 1, label: sales, goto: sales_desk}
              - {key: 2, label: billing, goto: info}
              - {key: 3, label: anything, goto: general}
              - {key: 4, label: a coin toss, goto: toss}
          info:
            type: self_service
            prompt: "Your balance is ten dollars."
            handles: [billing]
            next: main
          sales_desk: {type: agent, hold_seconds: 12, handles: [sales]}
          general: {type: agent, hold_seconds: 1}
          toss:
            type: branch
            routes:
              - {share: 1, goto: sales_desk}
              - {share: 1, goto: split_desk}
          split_desk: {type: agent, handles: [split]}
        """
    )
    assert m["intent_seconds"] == {
        "sales": 15.0,  # 0.4 + 1.6 + 1 + 12 hold
        "billing": 6.6,  # 0.4 + 1.6 + 1.6 + 1 + 2.0 message
        "other": None,  # no node handles it; the general desk does not say it does
        # Half of the coin toss ends at a desk that does not handle it: since 0.3 the
        # other half is resolved (0.4 + 1.6 + 1.6 + 1.6 + 2.4 + 1, no hold).
        "split": 8.6,
    }


def test_timing_overrides() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Overrides
        timing: {speech_rate_wpm: 120, response_seconds: 2, timeout_seconds: 1, retries: 0}
        nodes:
          main:
            prompt: "This prompt has five words."
            prompt_seconds: 3
            options:
              - {key: 1, label: sales, say_seconds: 1.5, goto: sales}
              - {key: 2, label: our friendly support team, goto: support}
            no_input: {goto: support}
          sales: {type: input, prompt: "Type your number now.", collects: phone, next: desk}
          support: {type: agent, hold_seconds: 1}
          desk: {type: agent, hold_seconds: 1}
        """
    )
    # Key 1: 3 + 1.5 + 2 = 6.5, then the input: 4 words at 0.5 s + 6 s entry, hold 1.
    # Key 2: 3 + 1.5 + 7 x 0.5 + 2 = 10.0, hold 1. Silence: 1 x (3 + 1.5 + 3.5 + 1) = 9.0.
    assert m["time_to_human_seconds"] == 10.0
    assert m["best_route_to_human"][0]["via"] == "no_input"
    assert m["time_to_queue_seconds"] == 9.0


def test_depth_counts_the_disconnect_of_a_deep_menu() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Deep
        nodes:
          a: {options: [{key: 1, goto: b}], no_input: {goto: x}, no_match: {goto: x}}
          b: {options: [{key: 1, goto: c}], no_input: {goto: x}, no_match: {goto: x}}
          c: {options: [{key: 1, goto: c}]}
          x: {type: agent}
        """
    )
    # c loops on itself; only its disconnect after silence ends the call, 3 presses in.
    assert m["depth"] == 3


def test_large_generated_chain_does_not_recurse() -> None:
    n = 3000
    lines = ["ivraudit: 1", "name: Chain", "nodes:"]
    for i in range(n):
        lines.append(f"  m{i}: {{options: [{{key: 1, say: 'Next.', goto: m{i + 1}}}]}}")
    lines.append(f"  m{n}: {{type: agent}}")
    m = figures("\n".join(lines))
    assert m["time_to_human_presses"] == n
    assert m["time_to_human_seconds"] == pytest.approx(n * 1.4)


def test_a_route_with_share_zero_routes_no_calls() -> None:
    m = figures(
        """
        ivraudit: 1
        name: Never closed
        nodes:
          start:
            type: branch
            routes:
              - {when: open, share: 1, goto: desk}
              - {when: closed, share: 0, goto: bye}
          desk: {type: agent, hold_seconds: 10}
          bye: {type: hangup}
        """
    )
    assert m["time_to_human_seconds"] == 10.0
    assert m["depth"] == 0
