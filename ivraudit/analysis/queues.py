"""A staffed queue under load: Erlang A, as the format contract's "Calls as they happen"
defines it (docs/menu-format.md).

Calls arrive at rate λ (Poisson), n agents each answer at rate μ = 1 / handle time
(exponential), and a waiting caller hangs up at rate θ = 1 / patience (exponential;
θ = 0 without patience, which is Erlang C). The model is Garnett, Mandelbaum & Reiman
(2002), "Designing a call center with impatient customers", Manufacturing & Service
Operations Management 4(3); Gans, Koole & Mandelbaum (2003), "Telephone call centers:
tutorial, review, and research prospects", M&SOM 5(2), survey it and its use.

Pure arithmetic on numbers: nothing here reads a menu; `metrics` is to read the figures
(not yet wired in).
"""

from __future__ import annotations

import math

from ivraudit.frozen import frozen

# The defaults of `agents_needed`, as the contract states them: answered in 30 s or
# less on average, with at most 5% of calls hanging up.
ANSWER_SECONDS_TARGET = 30.0
ABANDON_SHARE_TARGET = 0.05

# The chain of calls at the queue is infinite; it is cut where what lies beyond holds
# less than this share of the stationary mass (a bound, not an estimate: past the mode
# the chain's ratios only fall, so the tail is below a geometric series).
TAIL_MASS = 1e-15
# At most this many states are summed: a million calls at one queue. Reaching it means
# a patience so long that the line runs to millions of calls (say a load of 2 with
# patience of weeks); `erlang_a` then raises `ValueError` rather than guess.
MAX_STATES = 1_000_000


@frozen
class Targets:
    """The service level `agents_needed` aims at: calls answered in `answer_seconds` on
    average, with at most `abandon_share` hanging up (a config may change both)."""

    answer_seconds: float = ANSWER_SECONDS_TARGET
    abandon_share: float = ABANDON_SHARE_TARGET


DEFAULT_TARGETS = Targets()


@frozen
class QueueFigures:
    """One staffed queue at one arrival rate: the contract's `queues` figures, and more.

    Times are seconds of waiting in the queue; shares are of the calls that arrive.
    `wait_seconds` and `answer_seconds` are None when the queue is overloaded (no
    patience and load ≥ 1: calls wait without end), whose calls the contract counts as
    unresolved: `answered_share` 0 and `abandon_share` = 1 - P_ans = 1, though none
    hangs up. `abandon_wait_seconds` is None when no call hangs up.
    """

    calls_per_hour: float
    agents: int
    load: float  # λ / (n·μ)
    answered_share: float  # P_ans
    answer_seconds: float | None  # mean wait of an answered call
    wait_seconds: float | None  # mean wait of every call
    abandon_share: float  # 1 - P_ans
    abandon_wait_seconds: float | None  # mean wait of a call that hangs up
    calls_waiting: float | None  # mean number of calls in line, E[waiting]
    overloaded: bool
    agents_needed: int


@frozen
class _Solved:
    """The figures of the chain at one n, before `agents_needed` is searched."""

    answered: float
    answer: float | None
    wait: float | None
    abandon: float
    abandon_wait: float | None
    waiting: float | None
    overloaded: bool


def erlang_a(
    arrivals_per_second: float,
    agents: int,
    handle_seconds: float,
    patience_seconds: float | None,
    *,
    answer_target: float = ANSWER_SECONDS_TARGET,
    abandon_target: float = ABANDON_SHARE_TARGET,
) -> QueueFigures:
    """Return the figures of a queue with `agents` agents, by the contract's birth-death
    chain and its P_j / A_j / T_j recursion; `agents_needed` uses the two targets."""
    _check(arrivals_per_second, handle_seconds, patience_seconds)
    if isinstance(agents, bool) or not isinstance(agents, int) or agents < 1:
        raise ValueError(f"agents must be an integer of at least 1, not {agents!r}")
    solved = _solve(arrivals_per_second, agents, handle_seconds, patience_seconds)
    return QueueFigures(
        calls_per_hour=arrivals_per_second * 3600.0,
        agents=agents,
        load=_load(arrivals_per_second, agents, handle_seconds),
        answered_share=solved.answered,
        answer_seconds=solved.answer,
        wait_seconds=solved.wait,
        abandon_share=solved.abandon,
        abandon_wait_seconds=solved.abandon_wait,
        calls_waiting=solved.waiting,
        overloaded=solved.overloaded,
        # Searched afresh at each call: a caller sweeping `agents` pays the search at every
        # n, so it should call `agents_needed` once and read the other figures from here.
        agents_needed=agents_needed(
            arrivals_per_second,
            handle_seconds,
            patience_seconds,
            answer_target=answer_target,
            abandon_target=abandon_target,
        ),
    )


def hang_up_share(
    arrivals_per_second: float, agents: int, handle_seconds: float, patience_seconds: float | None
) -> float:
    """Return the share of arriving calls that hang up waiting (0 for an overloaded queue
    without patience, whose calls wait without end), without searching `agents_needed`."""
    _check(arrivals_per_second, handle_seconds, patience_seconds)
    solved = _solve(arrivals_per_second, agents, handle_seconds, patience_seconds)
    return 0.0 if solved.overloaded else solved.abandon


def agents_needed(
    arrivals_per_second: float,
    handle_seconds: float,
    patience_seconds: float | None,
    *,
    answer_target: float = ANSWER_SECONDS_TARGET,
    abandon_target: float = ABANDON_SHARE_TARGET,
) -> int:
    """Return the least n ≥ 1 whose `answer_seconds` ≤ `answer_target` (default 30 s) and
    whose abandon share ≤ `abandon_target` (default 0.05), at the same arrival rate."""
    _check(arrivals_per_second, handle_seconds, patience_seconds)
    if not (math.isfinite(answer_target) and answer_target > 0):
        raise ValueError(f"answer_target must be a positive number, not {answer_target!r}")
    if not (math.isfinite(abandon_target) and 0 < abandon_target <= 1):
        raise ValueError(f"abandon_target must be in (0, 1], not {abandon_target!r}")
    if patience_seconds is None:
        n = stable_agents(arrivals_per_second, handle_seconds)
    else:
        # Answered calls are served at most n·μ a second: λ·P_ans ≤ n·μ, so no n below
        # (1 - target)·λ/μ keeps the hang-ups within target. Start just under it; the
        # search below is exact, the bound only spares the hopeless n.
        n = max(1, math.floor((1 - abandon_target) * arrivals_per_second * handle_seconds) - 1)

    def meets(agents: int) -> bool:
        s = _solve(arrivals_per_second, agents, handle_seconds, patience_seconds)
        return s.answer is not None and s.answer <= answer_target and s.abandon <= abandon_target

    # More agents never answer later nor lose more calls, so the targets hold from some n
    # on: gallop up from the bound, then halve the gap. A large line (thousands of
    # agents) takes a few dozen solves instead of one per agent.
    if meets(n):
        return n
    low, step = n, 1
    while not meets(low + step):
        low += step
        step *= 2
    high = low + step  # meets(high); not meets(low)
    while high - low > 1:
        mid = (low + high) // 2
        if meets(mid):
            high = mid
        else:
            low = mid
    return high


def stable_agents(arrivals_per_second: float, handle_seconds: float) -> int:
    """Return the least n ≥ 1 with load λ / (n·μ) < 1: the agents that make a queue
    without patience stable, for the overloaded queue's error finding."""
    _check(arrivals_per_second, handle_seconds, None)
    # The same floating-point load `erlang_a` reports, so the two never disagree.
    n = max(1, math.floor(arrivals_per_second * handle_seconds))
    while _load(arrivals_per_second, n, handle_seconds) >= 1:
        n += 1
    while n > 1 and _load(arrivals_per_second, n - 1, handle_seconds) < 1:
        n -= 1
    return n


def _load(arrivals: float, agents: int, handle: float) -> float:
    return arrivals * handle / agents


def _check(arrivals: float, handle: float, patience: float | None) -> None:
    """Raise `ValueError` on a rate, handle time or patience the model cannot take."""
    if not (isinstance(arrivals, (int, float)) and math.isfinite(arrivals) and arrivals >= 0):
        raise ValueError(f"arrivals_per_second must be a finite number ≥ 0, not {arrivals!r}")
    if not (isinstance(handle, (int, float)) and math.isfinite(handle) and handle > 0):
        raise ValueError(f"handle_seconds must be a finite number > 0, not {handle!r}")
    if patience is not None and not (
        isinstance(patience, (int, float)) and math.isfinite(patience) and patience > 0
    ):
        raise ValueError(f"patience_seconds must be a finite number > 0, not {patience!r}")


# Callers hang up at most this fast (a rate a second): a nanosecond's patience.
_FASTEST_HANG_UP = 1e9


def _solve(lam: float, n: int, handle: float, patience: float | None) -> _Solved:
    """Return the chain's figures at `n` agents.

    π is summed in a single pass from state 0 on logarithms of the weights, rescaled to
    the largest seen so far, so that no λ or n overflows. Beside each state k ≥ n, an
    arriving call's place j = k - n + 1 carries the contract's recursion: P_j (answered),
    A_j (wait * answered) and T_j (wait), and their complements Q_j = 1 - P_j and
    B_j = T_j - A_j (wait * hung up), carried on their own so that a small hang-up share
    keeps its digits instead of being 1 - P_ans.
    """
    if lam == 0:
        # No call arrives: every (notional) arrival finds a free agent.
        return _Solved(1.0, 0.0, 0.0, 0.0, None, 0.0, False)
    mu = 1.0 / handle
    # A patience too short for its rate to be a float (1e-320 s) is a hang-up at once.
    theta = 0.0 if patience is None else min(1.0 / patience, _FASTEST_HANG_UP)
    if theta == 0.0 and _load(lam, n, handle) >= 1:
        # Erlang C past its limit: the line grows without end. The contract's figures:
        # no wait, no answer, and the calls unresolved.
        return _Solved(0.0, None, None, 1.0, None, None, True)
    log_lam = math.log(lam)
    # Weights w_k = π_k / π_top, where `top` is the log-weight of the largest state seen;
    # each sum is kept at that scale and rescaled when a larger state appears.
    top = 0.0  # log w_0
    log_w = 0.0
    z = 1.0  # Σ w_k
    s_p = 1.0  # Σ w_k · P (1 for k < n: answered at once)
    s_q = s_a = s_t = s_b = s_wait = 0.0  # Σ w_k · Q, A, T, B, (k - n)^+
    p, q, a_sum, t, b = 1.0, 0.0, 0.0, 0.0, 0.0  # P_0, Q_0, A_0, T_0, B_0
    k = 0
    while True:
        if k + 1 >= MAX_STATES:
            raise ValueError(
                f"the queue's line runs past {MAX_STATES:,} calls "
                f"(λ = {lam!r}/s, n = {n}, patience {patience!r} s); cannot solve it"
            )
        if k + 1 >= n and theta == 0.0:
            # Erlang C: from state n on, the ratio is rho = λ/(nμ) < 1 for ever, P_j = 1,
            # A_j = T_j = j/(nμ): sum the geometric tail exactly instead of cutting it.
            return _erlang_c_tail(lam, n, handle, top, log_w, z)
        k += 1
        # From state k a caller leaves at rate min(k, n)·μ + max(k - n, 0)·θ.
        down = min(k, n) * mu + max(k - n, 0) * theta
        log_w += log_lam - math.log(down)
        if log_w > top:
            scale = math.exp(top - log_w)
            z *= scale
            s_p *= scale
            s_q *= scale
            s_a *= scale
            s_t *= scale
            s_b *= scale
            s_wait *= scale
            top = log_w
        w = math.exp(log_w - top)
        if k >= n:
            j = k - n + 1
            a_j = n * mu + (j - 1) * theta
            out = a_j + theta
            go = a_j / out  # the place falls to j - 1 before the caller hangs up
            p_before = p
            p = go * p_before
            q = theta / out + go * q
            a_sum = go * (p_before / out + a_sum)
            t = 1.0 / out + go * t
            b = q / out + go * b
            s_p += w * p
            s_q += w * q
            s_a += w * a_sum
            s_t += w * t
            s_b += w * b
            s_wait += w * (k - n)
        else:
            s_p += w
        z += w
        # The leaving rate never falls as k grows, so past the mode (ratio < 1) every
        # later ratio is at most the next one, r: the states beyond k weigh at most
        # w·r/(1 - r).
        nxt = lam / (min(k + 1, n) * mu + max(k + 1 - n, 0) * theta)
        if nxt < 1 and w * nxt / (1 - nxt) < TAIL_MASS * z:
            break
    answered = s_p / z
    abandon = s_q / z
    answer = s_a / s_p if s_p > 0 else None
    wait = s_t / z
    abandon_wait = s_b / s_q if s_q > 0 else None
    return _Solved(answered, answer, wait, abandon, abandon_wait, s_wait / z, False)


def _erlang_c_tail(
    lam: float, n: int, handle: float, top: float, log_w: float, z: float
) -> _Solved:
    """Close the chain of a stable queue without patience: states n, n+1, … weigh
    w_n·rho^i; `log_w` and `z` are the log-weight of state n - 1 and Σ_{k<n} w_k."""
    # rho as `_load` computes it, the number the overloaded test read: below 1 here.
    rho = _load(lam, n, handle)
    w_n = math.exp(log_w + math.log(rho) - top)
    tail = w_n / (1 - rho)  # Σ_{k ≥ n} w_k: the calls that wait
    z += tail
    # Σ_{i ≥ 0} w_n rho^i (i + 1)/(nμ) and Σ_{i ≥ 0} w_n rho^i · i.
    wait = w_n * handle / ((1 - rho) ** 2 * n) / z
    waiting = w_n * rho / (1 - rho) ** 2 / z
    return _Solved(1.0, wait, wait, 0.0, None, waiting, False)
