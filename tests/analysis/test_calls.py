"""Calls as they happen (format 0.3): the step-2 chain, by hand-worked cases that each
exercise one part of it: a self-service that sometimes fails, a loop back into the menu,
an overloaded queue, a line without intents, and partial branches."""

from __future__ import annotations

import pytest

from ivraudit.analysis.calls import Calls
from tests.conftest import audit_yaml


def calls_of(text: str) -> Calls:
    calls = audit_yaml(text).metrics.calls
    assert calls is not None
    return calls


def test_a_self_service_that_fails_sends_its_callers_on_to_next() -> None:
    calls = calls_of(
        """
        ivraudit: 1
        name: Balance
        intents: {balance: 1}
        nodes:
          main:
            prompt: "Bank."
            options:
              - {key: 1, label: balance, goto: robot}
              - {key: 2, label: a person, goto: desk}
          robot: {type: self_service, prompt: "One two three four five.", handles: [balance],
                  resolves: 0.25, next: desk}
          desk: {type: agent, hold_seconds: 60, handles: [balance]}
        """
    )
    # Key 1 costs 0.4 + 1.6 + 1 = 3.0 s, the robot 2.0 s: a quarter resolved at 5.0 s,
    # the rest wait 60 s more.
    balance = calls.intent("balance")
    assert balance is not None
    assert balance.resolved_share == pytest.approx(1.0)
    assert balance.seconds == pytest.approx(0.25 * 5.0 + 0.75 * 65.0)
    assert balance.seconds_resolved == pytest.approx(balance.seconds)


def test_a_failed_self_service_that_leads_back_round_is_a_geometric_series() -> None:
    calls = calls_of(
        """
        ivraudit: 1
        name: Loop
        intents: {balance: 1}
        nodes:
          main:
            prompt: "Bank."
            options:
              - {key: 1, label: balance, goto: robot}
          robot: {type: self_service, prompt: "One two.", handles: [balance],
                  resolves: 0.5, next: main}
        """
    )
    # Each round: 3.0 s to choose, 0.8 s of robot; resolved at round k with 0.5^k.
    balance = calls.intent("balance")
    assert balance is not None
    assert balance.resolved_share == pytest.approx(1.0)
    assert balance.seconds == pytest.approx(2 * 3.8)


def test_a_self_service_without_next_ends_the_calls_it_does_not_resolve() -> None:
    calls = calls_of(
        """
        ivraudit: 1
        name: Robot
        intents: {balance: 3, other: 1}
        nodes:
          main:
            prompt: "Bank."
            options:
              - {key: 1, label: balance, goto: robot}
          robot: {type: self_service, prompt: "One two.", handles: [balance], resolves: 0.8}
        """
    )
    balance = calls.intent("balance")
    other = calls.intent("other")
    assert balance is not None and other is not None
    assert balance.resolved_share == pytest.approx(0.8)
    assert balance.seconds == pytest.approx(3.8)  # resolved or not, the call ends there
    assert not other.resolvable and other.seconds is None
    assert calls.resolved_share == pytest.approx(0.75 * 0.8)
    assert calls.seconds == pytest.approx(3.8)  # over the resolvable intents only


def test_an_overloaded_queue_has_no_waits_and_its_callers_no_time() -> None:
    calls = calls_of(
        """
        ivraudit: 1
        name: Sale day
        intents: {order: 1}
        traffic: {calls_per_hour: 100}
        queues:
          sales: {agents: 2, handle_seconds: 360}
        nodes:
          main:
            prompt: "Shop."
            options:
              - {key: 1, label: orders, goto: desk}
          desk: {type: agent, queue: sales, handles: [order]}
        """
    )
    (sales,) = calls.queues
    assert sales.overloaded
    assert sales.figures.load == pytest.approx(100 * 360 / 3600 / 2)
    assert sales.stable_agents == 11  # 10 Erlangs need 11 agents to be stable
    assert sales.to_dict()["wait_seconds"] is None
    order = calls.intent("order")
    assert order is not None
    assert order.resolved_share == 0 and order.seconds is None
    assert calls.seconds is None
    assert calls.month is not None and calls.month.caller_hours is None
    assert calls.month.agent_hours == pytest.approx(2 * 250)  # busy all month


def test_a_line_without_intents_has_one_class_routed_as_time_to_human() -> None:
    audit = audit_yaml(
        """
        ivraudit: 1
        name: Desk
        traffic: {calls_per_hour: 30}
        queues:
          desk: {agents: 2, handle_seconds: 120}
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: a person, goto: hours}
          hours:
            type: branch
            routes:
              - {when: open, share: 3, goto: person}
              - {when: closed, share: 1, goto: bye}
          person: {type: agent, queue: desk}
          bye: {type: hangup, prompt: "Closed."}
        """
    )
    calls = audit.metrics.calls
    assert calls is not None and calls.to_dict()["intents"] == {}
    (desk,) = calls.queues
    # 3 in 4 calls reach the desk: 22.5 an hour on 2 agents of 2-minute calls.
    assert desk.figures.calls_per_hour == pytest.approx(22.5)
    assert calls.resolved_share == pytest.approx(0.75)
    assert audit.metrics.human_share == pytest.approx(0.75)
    choose = 0.4 + 2.0 + 1
    wait = desk.figures.wait_seconds
    assert wait is not None
    assert calls.seconds == pytest.approx(0.75 * (choose + wait) + 0.25 * choose)


def test_a_person_class_routes_by_greatest_probability_then_time() -> None:
    audit = audit_yaml(
        """
        ivraudit: 1
        name: Two ways
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: quick, goto: gamble}
              - {key: 2, label: slow but sure, goto: slow}
          gamble:
            type: branch
            routes:
              - {when: open, share: 1, goto: desk}
              - {when: closed, share: 1, goto: bye}
          slow: {type: agent, hold_seconds: 600}
          desk: {type: agent, hold_seconds: 5}
          bye: {type: hangup}
        """
    )
    m = audit.metrics
    assert m.human_share == 1.0  # key 2 is sure
    assert m.time_to_human_seconds == pytest.approx(0.4 + 1.6 + 2.4 + 1 + 600)


def test_loops_through_branches_keep_the_greatest_probability() -> None:
    audit = audit_yaml(
        """
        ivraudit: 1
        name: Retry
        nodes:
          main:
            prompt: "Hello."
            options:
              - {key: 1, label: try, goto: busy}
          busy:
            type: branch
            routes:
              - {when: free, share: 1, goto: desk}
              - {when: busy, share: 2, goto: main}
              - {when: broken, share: 1, goto: bye}
          desk: {type: agent, hold_seconds: 0}
          bye: {type: hangup}
        """
    )
    # P = 1/4 + 1/2 P, so P = 1/2; given success the number of rounds is geometric.
    m = audit.metrics
    assert m.human_share == pytest.approx(0.5)
    # Conditioned chain: free 1/4 / (1/2) = 1/2, back round 1/2 x (1/2)/(1/2) = 1/2.
    assert m.time_to_human_seconds == pytest.approx(2 * (0.4 + 1.6 + 1))


def test_a_loop_no_call_leaves_has_no_end_and_is_no_error() -> None:
    calls = calls_of(
        """
        ivraudit: 1
        name: Broken robot
        intents: {balance: 1, other: 1}
        nodes:
          main:
            prompt: "Bank."
            options:
              - {key: 1, label: balance, goto: robot}
              - {key: 2, label: other, goto: info}
          robot: {type: self_service, prompt: "One two.", handles: [balance],
                  resolves: 0, next: main}
          info: {type: self_service, prompt: "One two.", handles: [other]}
        """
    )
    balance = calls.intent("balance")
    assert balance is not None
    assert balance.resolved_share == 0 and balance.seconds is None
    assert calls.resolved_share == pytest.approx(0.5)
    assert calls.seconds is None
