"""Erlang A (format 0.3, "A queue under load") against the birth-death chain summed state
by state, with the answered calls' wait taken per place in line rather than by the
contract's recursion, and `agents_needed` found by trying n = 1, 2, ... in turn."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ivraudit.analysis.queues import erlang_a
from tests.analysis.brute_lines import erlang, needed


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    st.integers(0, 900),  # calls an hour: up to 83 Erlangs
    st.integers(1, 40),
    st.sampled_from([20.0, 70.0, 180.0, 330.0]),
    st.one_of(st.none(), st.sampled_from([15.0, 45.0, 200.0, 900.0])),
)
def test_queue_figures_agree_with_the_chain(
    per_hour: int, n: int, handle: float, patience: float | None
) -> None:
    lam = per_hour / 3600
    # Exactly at a load of 1 floating point decides, and just below it the chain without
    # patience runs to millions of states: stay clear of that edge, at every n tried.
    assume(patience is not None or all(abs(lam * handle / k - 1) > 1e-3 for k in range(1, 200)))
    want = erlang(lam, n, handle, patience)
    got = erlang_a(lam, n, handle, patience)
    assert got.overloaded == want.overloaded
    assert got.answered_share == pytest.approx(want.answered, rel=1e-7, abs=1e-9)
    assert got.abandon_share == pytest.approx(1 - want.answered, rel=1e-7, abs=1e-9)
    for mine, theirs in ((got.answer_seconds, want.answer), (got.wait_seconds, want.wait)):
        assert (mine is None) == (theirs is None)
        if theirs is not None:
            assert mine == pytest.approx(theirs, rel=1e-7, abs=1e-9)
    assert got.agents_needed == needed(lam, handle, patience)
