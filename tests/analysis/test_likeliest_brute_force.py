"""Greatest probability, then least expected time given success (format 0.3), against
brute force: every deterministic policy of a small random menu is solved as an absorbing
chain (a call caught in a loop fails), and per node the best probability, then the best
time given success, is kept (tests/analysis/brute_lines.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from ivraudit import audit_menu, loads_menu
from tests.analysis.brute_lines import INTENTS, PERSON, best, documents, entry_of, read, text_of

BRUTE = settings(max_examples=250, deadline=None, derandomize=True, database=None)


def _same(got: float | None, want: float | None) -> bool:
    if want is None:
        return got is None
    return got is not None and got == pytest.approx(want, rel=1e-9, abs=1e-9)


@BRUTE
@given(documents(intents=False, calls=False))
def test_human_share_and_time_to_human_agree_with_every_policy(doc: dict) -> None:
    text = text_of(doc)
    metrics = audit_menu(loads_menu(text, "m.yaml")).metrics
    entry = entry_of(doc)
    ref = best(read(doc), PERSON)
    share, seconds = ref.chance[entry], ref.seconds[entry]
    assert metrics.human_share == pytest.approx(share, abs=1e-9), text
    assert _same(metrics.time_to_human_seconds, seconds), (
        text,
        metrics.time_to_human_seconds,
        seconds,
    )


@BRUTE
@given(documents(calls=False))
def test_intent_seconds_and_time_to_human_agree_with_every_policy(doc: dict) -> None:
    text = text_of(doc)
    metrics = audit_menu(loads_menu(text, "m.yaml")).metrics
    entry = entry_of(doc)
    places = read(doc)
    figures = dict(metrics.intent_seconds)
    for intent in INTENTS:
        want = best(places, intent).seconds[entry]
        assert _same(figures[intent], want), (text, intent, figures[intent], want)
    # Declarations never apply to time to a person.
    ref = best(places, PERSON)
    assert metrics.human_share == pytest.approx(ref.chance[entry], abs=1e-9), text
    assert _same(metrics.time_to_human_seconds, ref.seconds[entry]), text
