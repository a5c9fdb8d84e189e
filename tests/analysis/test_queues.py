"""Erlang A for one staffed queue (ivraudit.analysis.queues): the contract's worked
example, its checks, Erlang C's closed form and a brute-force solve of the same chain."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivraudit.analysis import queues
from ivraudit.analysis.queues import agents_needed, erlang_a, stable_agents

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)

# A queue as (arrivals a second, agents, handle seconds, patience seconds or None).
queue_cases = st.tuples(
    st.floats(0.0005, 0.5),
    st.integers(1, 60),
    st.floats(10.0, 900.0),
    st.one_of(st.none(), st.floats(5.0, 3600.0)),
)


def _close(x: float, y: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    return math.isclose(x, y, rel_tol=rel, abs_tol=abs_)


# The contract's worked example (docs/menu-format.md, "Calls as they happen").


def test_worked_example_care_queue() -> None:
    care = erlang_a(54 / 3600, 6, 240, 180)
    assert care.calls_per_hour == pytest.approx(54.0)
    assert care.load == pytest.approx(0.6)
    assert round(care.answered_share, 4) == 0.9612
    assert round(care.answer_seconds, 2) == 5.51
    assert round(care.wait_seconds, 2) == 6.99
    assert round(care.abandon_share, 4) == 0.0388
    assert care.agents_needed == 6
    assert not care.overloaded
    # The contract's definition of a hang-up's mean wait.
    assert care.abandon_wait_seconds == pytest.approx(
        (care.wait_seconds - care.answered_share * care.answer_seconds) / (1 - care.answered_share),
        rel=1e-9,
    )


def test_worked_example_leaks_queue_is_erlang_c() -> None:
    leaks = erlang_a(24 / 3600, 3, 300, None)
    assert leaks.load == pytest.approx(2 / 3)
    # P(wait) = 4/9: wait = (4/9) / (3/300 - 24/3600).
    assert leaks.wait_seconds == pytest.approx((4 / 9) / (3 / 300 - 24 / 3600), rel=1e-12)
    assert round(leaks.wait_seconds, 2) == 133.33
    assert leaks.answer_seconds == leaks.wait_seconds
    assert leaks.answered_share == 1.0 and leaks.abandon_share == 0.0
    assert leaks.abandon_wait_seconds is None
    assert leaks.agents_needed == 4
    assert round(erlang_a(24 / 3600, 4, 300, None).answer_seconds, 1) == 26.1
    # P(wait) = 4/9 at rho = 2/3: E[waiting] = (4/9)·rho/(1 - rho) = 8/9, and Little's law.
    assert leaks.calls_waiting == pytest.approx(8 / 9, rel=1e-12)
    assert leaks.calls_waiting == pytest.approx(24 / 3600 * leaks.wait_seconds, rel=1e-12)


# The contract's checks, on random queues.


@SETTINGS
@given(queue_cases)
def test_hang_ups_and_waits_agree_with_the_calls_in_line(case: tuple) -> None:
    lam, n, handle, patience = case
    f = erlang_a(lam, n, handle, patience)
    if f.overloaded:
        assert patience is None and f.load >= 1
        assert f.wait_seconds is None and f.answer_seconds is None
        return
    theta = 0.0 if patience is None else 1 / patience
    # 1 - P_ans = θ·E[waiting]/λ: the recursion (left) against π alone (right).
    assert _close(1 - f.answered_share, theta * f.calls_waiting / lam)
    assert _close(f.abandon_share, theta * f.calls_waiting / lam)
    # wait_seconds = E[waiting]/λ (Little's law).
    assert _close(f.wait_seconds, f.calls_waiting / lam)
    assert _close(f.answered_share + f.abandon_share, 1.0, abs_=1e-14)
    if f.abandon_wait_seconds is not None:
        mixed = f.answered_share * f.answer_seconds + f.abandon_share * f.abandon_wait_seconds
        assert _close(mixed, f.wait_seconds, abs_=1e-9)


# Erlang C: no patience, load below 1.


def _erlang_c(lam: Fraction, n: int, handle: Fraction) -> tuple[Fraction, Fraction]:
    """Return P(wait) and the mean wait by the closed form, exactly."""
    a = lam * handle
    top = a**n / math.factorial(n) * n / (n - a)
    c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
    return c, c / (n / handle - lam)


@SETTINGS
@given(st.integers(1, 3600), st.integers(1, 40), st.integers(10, 900))
def test_no_patience_is_erlang_c(per_hour: int, n: int, handle: int) -> None:
    lam = Fraction(per_hour, 3600)
    f = erlang_a(float(lam), n, float(handle), None)
    if lam * handle >= n:
        assert f.overloaded and f.wait_seconds is None
        return
    c, wait = _erlang_c(lam, n, Fraction(handle))
    assert not f.overloaded
    assert _close(f.wait_seconds, float(wait))
    assert f.answer_seconds == f.wait_seconds
    # The calls in line: E[waiting] = C·rho/(1 - rho).
    rho = lam * handle / n
    assert _close(f.calls_waiting, float(c * rho / (1 - rho)))


def test_erlang_c_near_load_one_is_summed_not_cut() -> None:
    # rho = 0.9999 needs ~350,000 states to cut; the geometric tail is summed exactly.
    lam = Fraction(9999, 10000) * 50 / 300
    f = erlang_a(float(lam), 50, 300.0, None)
    assert _close(f.wait_seconds, float(_erlang_c(lam, 50, Fraction(300))[1]))


# A brute-force reference: the truncated chain's balance equations, solved by Gaussian
# elimination, then the caller's own chain solved the same way.


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Solve a square system by Gaussian elimination with partial pivoting."""
    size = len(rhs)
    m = [[*row, r] for row, r in zip(matrix, rhs, strict=True)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, size):
            factor = m[r][col] / m[col][col]
            if factor:
                for c in range(col, size + 1):
                    m[r][c] -= factor * m[col][c]
    x = [0.0] * size
    for r in range(size - 1, -1, -1):
        x[r] = (m[r][size] - sum(m[r][c] * x[c] for c in range(r + 1, size))) / m[r][r]
    return x


def _brute_force(lam: float, n: int, mu: float, theta: float, states: int) -> dict:
    """Return P_ans, answer and wait of the chain cut at `states` states."""
    down = [0.0] + [min(k, n) * mu + max(k - n, 0) * theta for k in range(1, states)]
    # Global balance: for each state, what flows in = what flows out; the last equation
    # is replaced by Σπ = 1.
    q = [[0.0] * states for _ in range(states)]
    for k in range(states):
        if k + 1 < states:
            q[k][k + 1] = lam
            q[k][k] -= lam
        if k > 0:
            q[k][k - 1] = down[k]
            q[k][k] -= down[k]
    a = [[q[i][j] for i in range(states)] for j in range(states)]  # transposed
    a[-1] = [1.0] * states
    pi = _solve(a, [0.0] * (states - 1) + [1.0])
    # The caller at place j = 1..J: to place j - 1 at rate a_j, hung up at rate θ.
    places = states - n
    rate = [n * mu + (j - 1) * theta for j in range(1, places + 1)]

    def caller(value_rhs: list[float], start: float) -> list[float]:
        """Solve (a_j + θ)·x_j - a_j·x_{j-1} = rhs_j, x_0 = start."""
        m = [[0.0] * places for _ in range(places)]
        rhs = value_rhs[:]
        for i in range(places):
            m[i][i] = rate[i] + theta
            if i > 0:
                m[i][i - 1] = -rate[i]
            else:
                rhs[0] += rate[0] * start
        return _solve(m, rhs)

    answered = caller([0.0] * places, 1.0)  # P_j
    answer_mass = caller(answered, 0.0)  # E[wait; answered] from place j
    waits = caller([1.0] * places, 0.0)  # E[wait] from place j
    p_ans = sum(pi[:n]) + sum(pi[n + i] * answered[i] for i in range(places))
    served_wait = sum(pi[n + i] * answer_mass[i] for i in range(places))
    wait = sum(pi[n + i] * waits[i] for i in range(places))
    return {"answered": p_ans, "answer": served_wait / p_ans, "wait": wait}


@settings(SETTINGS, max_examples=40)
@given(
    st.integers(1, 5),
    st.floats(0.05, 2.0),  # load λ/(nμ)
    st.floats(0.5, 3.0),  # θ/μ
    st.floats(30.0, 600.0),  # handle seconds
)
def test_matches_the_chain_solved_by_brute_force(
    n: int, load: float, patience_ratio: float, handle: float
) -> None:
    mu = 1 / handle
    lam = load * n * mu
    theta = patience_ratio * mu
    f = erlang_a(lam, n, handle, 1 / theta)
    ref = _brute_force(lam, n, mu, theta, n + 70)
    assert _close(f.answered_share, ref["answered"])
    assert _close(f.answer_seconds, ref["answer"])
    assert _close(f.wait_seconds, ref["wait"])


# agents_needed and stable_agents.


def _least(lam: float, handle: float, patience: float | None, answer: float, hang: float) -> int:
    n = 1
    while True:
        f = erlang_a(lam, n, handle, patience, answer_target=answer, abandon_target=hang)
        ok = f.answer_seconds is not None and f.answer_seconds <= answer
        if ok and f.abandon_share <= hang:
            return n
        n += 1


small_queues = st.tuples(
    st.floats(0.0005, 0.1),
    st.integers(1, 20),
    st.floats(10.0, 600.0),
    st.one_of(st.none(), st.floats(5.0, 3600.0)),
)


@settings(SETTINGS, max_examples=60)
@given(small_queues, st.sampled_from([(30.0, 0.05), (10.0, 0.02), (120.0, 0.2)]))
def test_agents_needed_is_the_least_that_meets_both_targets(case: tuple, targets: tuple) -> None:
    lam, n, handle, patience = case
    answer, hang = targets
    needed = agents_needed(lam, handle, patience, answer_target=answer, abandon_target=hang)
    assert needed == _least(lam, handle, patience, answer, hang)
    f = erlang_a(lam, n, handle, patience, answer_target=answer, abandon_target=hang)
    assert f.agents_needed == needed


def test_agents_needed_defaults_are_the_contract_targets() -> None:
    assert queues.ANSWER_SECONDS_TARGET == 30.0 and queues.ABANDON_SHARE_TARGET == 0.05
    # 5 agents: the care queue answers in under 30 s but more than 5% hang up.
    five = erlang_a(54 / 3600, 5, 240, 180)
    assert five.answer_seconds <= 30 and five.abandon_share > 0.05
    assert agents_needed(54 / 3600, 240, 180) == 6
    # A looser hang-up target needs fewer agents.
    assert agents_needed(54 / 3600, 240, 180, abandon_target=0.2) < 6


def test_stable_agents_is_the_least_with_load_below_one() -> None:
    assert stable_agents(24 / 3600, 300) == 3  # 2 Erlangs
    assert stable_agents(12 / 3600, 300) == 2  # exactly 1 Erlang: one agent is not enough
    assert stable_agents(0.0, 300) == 1
    overloaded = erlang_a(24 / 3600, 2, 300, None)
    assert overloaded.overloaded and overloaded.load >= 1
    assert overloaded.wait_seconds is None and overloaded.answer_seconds is None
    assert overloaded.answered_share == 0.0
    assert overloaded.agents_needed == 4


@SETTINGS
@given(st.floats(0.0, 5.0), st.floats(1.0, 1000.0))
def test_stable_agents_is_exact(lam: float, handle: float) -> None:
    n = stable_agents(lam, handle)
    assert not erlang_a(lam, n, handle, None).overloaded
    assert n == 1 or erlang_a(lam, n - 1, handle, None).overloaded


# Sanity.


@settings(SETTINGS, max_examples=60)
@given(queue_cases)
def test_more_agents_never_answer_fewer_calls_nor_wait_longer(case: tuple) -> None:
    lam, n, handle, patience = case
    before = erlang_a(lam, n, handle, patience)
    after = erlang_a(lam, n + 1, handle, patience)
    assert after.answered_share >= before.answered_share - 1e-12
    if before.wait_seconds is not None:
        assert after.wait_seconds <= before.wait_seconds + 1e-9
        assert after.answer_seconds <= before.answer_seconds + 1e-9
    else:
        assert before.overloaded


def test_large_queues_do_not_overflow() -> None:
    # 8,333 Erlangs: a·n/n! overflows any float; the chain is summed on logarithms.
    f = erlang_a(100_000 / 3600, 8_500, 300.0, 180.0)
    assert 0.99 < f.answered_share <= 1 and f.wait_seconds < 5
    c = erlang_a(100_000 / 3600, 8_500, 300.0, None)
    assert not c.overloaded and 0 < c.wait_seconds < 5


def test_no_calls_wait_nothing() -> None:
    f = erlang_a(0.0, 3, 300.0, 60.0)
    assert (f.answered_share, f.wait_seconds, f.abandon_share) == (1.0, 0.0, 0.0)
    assert f.abandon_wait_seconds is None and f.agents_needed == 1


def test_a_line_past_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queues, "MAX_STATES", 1000)
    # Load 2 and a patience of 10^6 s: the line settles near a million calls.
    with pytest.raises(ValueError, match="runs past"):
        erlang_a(2 / 100, 1, 100.0, 1e6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1.0, 1, 10.0, None), "arrivals_per_second"),
        ((math.nan, 1, 10.0, None), "arrivals_per_second"),
        ((1.0, 0, 10.0, None), "agents"),
        ((1.0, 1.5, 10.0, None), "agents"),
        ((1.0, True, 10.0, None), "agents"),
        ((1.0, 1, 0.0, None), "handle_seconds"),
        ((1.0, 1, math.inf, None), "handle_seconds"),
        ((1.0, 1, 10.0, 0.0), "patience_seconds"),
        ((1.0, 1, 10.0, math.nan), "patience_seconds"),
    ],
)
def test_bad_numbers_are_refused(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        erlang_a(*args)


@pytest.mark.parametrize("patience", [1e-320, 5e-324, 1e-12])
def test_patience_too_short_to_invert_is_a_loss_system(patience: float) -> None:
    # 1 / 1e-320 is no float: such callers hang up the moment they would wait, so the
    # queue is Erlang's loss system and its hang-ups are Erlang B (found by fuzzing).
    lam, n, handle = 88 / 3600, 8, 480.0
    a = lam * handle
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    figures = erlang_a(lam, n, handle, patience)
    assert figures.abandon_share == pytest.approx(b, rel=1e-6)
    assert figures.wait_seconds == pytest.approx(0.0, abs=1e-6)
