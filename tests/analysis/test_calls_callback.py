"""`score`'s treatment of a callback offer and of retries, against hand computations.

A callback's takers leave at the end of its offer, resolved, and their calls stay on the
queue's load; the decliners go on. Retries add the calls of those who hang up and call
again to the queues' loads, at the fixed point of the loads they make."""

from __future__ import annotations

import pytest

from ivraudit.analysis.calls import MAX_ATTEMPTS, Calls
from ivraudit.analysis.queues import erlang_a
from tests.conftest import audit_yaml


def line(takes: float, extra: str = "", traffic: str = "{calls_per_hour: 60}") -> str:
    """Return a line whose every call hears a 10 s callback offer before the desk."""
    return f"""
        ivraudit: 1
        name: Callback line
        intents: {{a: 1}}
        traffic: {traffic}
        queues: {{care: {{agents: 2, handle_seconds: 120, patience_seconds: 60}}}}
        nodes:
          offer: {{type: callback, queue: care, takes: {takes}, prompt_seconds: 10, next: desk}}
          desk: {{type: agent, queue: care, handles: [a]}}
        {extra}
        """


def calls_of(text: str) -> Calls:
    calls = audit_yaml(text).metrics.calls
    assert calls is not None
    return calls


@pytest.mark.parametrize("takes", [0.0, 0.25, 0.6, 1.0])
def test_takers_leave_resolved_at_the_offer_and_stay_on_the_queue(takes: float) -> None:
    calls = calls_of(line(takes))
    # Every call loads the queue: 60 an hour, takers and decliners alike.
    f = erlang_a(60 / 3600, 2, 120.0, 60.0)
    care = calls.queues[0]
    assert care.figures.calls_per_hour == pytest.approx(60.0)
    assert care.figures.answered_share == pytest.approx(f.answered_share)
    assert f.wait_seconds is not None and f.answer_seconds is not None
    a = calls.intent("a")
    assert a is not None
    live = 1 - takes
    assert a.resolved_share == pytest.approx(takes + live * f.answered_share)
    assert a.abandon_share == pytest.approx(live * f.abandon_share)
    assert calls.abandon_share == pytest.approx(live * f.abandon_share)
    assert a.seconds == pytest.approx(takes * 10 + live * (10 + f.wait_seconds))
    resolved_time = takes * 10 + live * f.answered_share * (10 + f.answer_seconds)
    assert a.seconds_resolved == pytest.approx(resolved_time / a.resolved_share)
    assert a.hold_seconds == pytest.approx(live * f.wait_seconds)
    # A person answers the live calls only: the takers are called back.
    if takes < 1:
        assert calls.person_seconds == pytest.approx(10 + f.answer_seconds)
    else:
        assert calls.person_seconds is None
    month = calls.month
    assert month is not None
    assert month.calls == pytest.approx(60 * 250)
    # The agents talk to every answered call, the returned ones too (the approximation).
    assert month.agent_hours == pytest.approx(60 * f.answered_share * 120 / 3600 * 250)
    assert a.arrivals == (("care", pytest.approx(1.0)),)


def test_a_callback_declined_by_all_is_a_message_on_the_way() -> None:
    with_offer = calls_of(line(0.0))
    message = calls_of(
        line(0.0).replace(
            "{type: callback, queue: care, takes: 0.0, prompt_seconds: 10, next: desk}",
            "{type: message, prompt_seconds: 10, next: desk}",
        )
    )
    assert with_offer.to_dict() == message.to_dict()


def test_without_traffic_the_takers_are_resolved_and_nothing_is_loaded() -> None:
    text = line(0.5).replace("        traffic: {calls_per_hour: 60}\n", "")
    calls = calls_of(text)
    a = calls.intent("a")
    assert a is not None and calls.queues == () and calls.month is None
    # The desk is not staffed without traffic: its hold as the file states it (0 s).
    assert a.resolved_share == pytest.approx(1.0)
    assert a.seconds == pytest.approx(10.0)


def test_only_the_callers_who_pass_the_offer_take_it() -> None:
    calls = calls_of(
        """
        ivraudit: 1
        name: Two ways
        intents: {a: 0.5, b: 0.5}
        traffic: {calls_per_hour: 100}
        queues: {care: {agents: 3, handle_seconds: 100}}
        nodes:
          main:
            prompt_seconds: 0
            options:
              - {key: 1, label: a, say_seconds: 0, goto: offer, intents: [a]}
              - {key: 2, label: b, say_seconds: 0, goto: desk, intents: [b]}
          offer: {type: callback, queue: care, takes: 0.5, prompt_seconds: 4, next: desk}
          desk: {type: agent, queue: care, handles: [a, b]}
        """
    )
    f = erlang_a(100 / 3600, 3, 100.0, None)  # takers, decliners and b: every call
    assert f.wait_seconds is not None
    assert calls.queues[0].figures.calls_per_hour == pytest.approx(100.0)
    a, b = calls.intent("a"), calls.intent("b")
    assert a is not None and b is not None
    # Key 1 and key 2 each take the response second; the offer 4 s more for a.
    assert a.seconds == pytest.approx(0.5 * 5 + 0.5 * (5 + f.wait_seconds))
    assert b.seconds == pytest.approx(1 + f.wait_seconds)


# -- retries ---------------------------------------------------------------------------


def test_retries_add_the_calls_of_those_who_hang_up_at_the_fixed_point() -> None:
    retry = "{calls_per_hour: 60, retry: {share: 0.5, after_seconds: 300}}"
    calls = calls_of(line(0.0, traffic=retry))
    care = calls.queues[0].figures
    # λ = 60 / (1 - 0.5 * hang-up share at λ): checked at the figures reported.
    assert care.calls_per_hour == pytest.approx(60 / (1 - 0.5 * care.abandon_share), rel=1e-6)
    assert care.calls_per_hour > 60
    again = erlang_a(care.calls_per_hour / 3600, 2, 120.0, 60.0)
    assert again.abandon_share == pytest.approx(care.abandon_share)
    # Each call's figures are those of a call at the queue as it answers under that load.
    a = calls.intent("a")
    assert a is not None
    assert a.resolved_share == pytest.approx(again.answered_share)
    month = calls.month
    assert month is not None
    assert month.calls == pytest.approx(care.calls_per_hour * 250, rel=1e-6)
    assert month.caller_hours == pytest.approx(month.calls * a.seconds / 3600, rel=1e-6)


def test_without_hang_ups_a_retry_changes_nothing() -> None:
    plain = calls_of(line(0.0).replace(", patience_seconds: 60", ""))
    retry = "{calls_per_hour: 60, retry: {share: 0.5, after_seconds: 300}}"
    retried = calls_of(line(0.0, traffic=retry).replace(", patience_seconds: 60", ""))
    assert retried.to_dict() == plain.to_dict()


def test_callback_takers_never_retry() -> None:
    retry = "{calls_per_hour: 60, retry: {share: 1, after_seconds: 300}}"
    calls = calls_of(line(1.0, traffic=retry))
    assert calls.queues[0].figures.calls_per_hour == pytest.approx(60.0)


def test_everyone_retrying_at_a_hopeless_queue_stops_at_the_cap() -> None:
    retry = "{calls_per_hour: 2000, retry: {share: 1, after_seconds: 60}}"
    calls = calls_of(line(0.0, traffic=retry))
    care = calls.queues[0].figures
    assert care.calls_per_hour == pytest.approx(2000 * MAX_ATTEMPTS)
