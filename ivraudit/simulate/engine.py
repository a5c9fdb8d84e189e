"""One replication on Ciw (https://ciw.readthedocs.io), the discrete-event engine.

The network has a node for the menu (infinite servers: each call spends its walk's
seconds there), one per staffed queue (its agents, by the hour, with a Ciw `Schedule`;
handle time as service, patience as reneging) and, with retrials, one where a caller who
hung up waits before calling again. Arrivals are drawn beforehand (a Poisson process
whose rate changes each hour: exact, as the exponential has no memory), each with its
intent and walk; Ciw's process-based routing sends a call from the menu to the queue its
walk ends at. What each call lives through is written down as it happens, from the hooks
Ciw calls: the walk when it starts, the handle time when an agent answers, the
hang-up when a caller reneges.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_right
from random import Random
from typing import Any

import ciw

from ivraudit.frozen import frozen
from ivraudit.simulate.plan import Plan, QueuePlan
from ivraudit.simulate.walks import CALLBACK, QUEUE

# A call that never ends waits this long at most: the last shift of a queue's schedule
# lasts until then (Ciw repeats a schedule; this one never comes round again).
FOREVER = 1e15

MENU = 1  # Ciw's number of the menu's node; queue q is node q + 2


@frozen
class Attempt:
    """One call to the line (a retrial is a call of its own): when it started, its class,
    its walk, and (at a staffed queue) how long it waited and how it ended."""

    start: float
    intent: int
    menu_seconds: float
    ends: int  # walks.RESOLVED, END, QUEUE or CALLBACK; -1: an unresolvable intent
    queue: int  # queue index, or -1
    hold_seconds: float = 0.0  # with a person not staffed
    retrial: bool = False
    wait_seconds: float | None = None  # in the queue's line; None: not at a queue
    answered: bool = False
    handle_seconds: float = 0.0


def replication_seed(seed: int, index: int) -> int:
    """Return the seed of replication `index`: the same in any process, for any -j."""
    digest = hashlib.sha256(f"ivraudit-simulate:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def run_replication(plan: Plan, seed: int, index: int) -> tuple[Attempt, ...]:
    """Return every call of replication `index` of `plan`, warm-up included, in the order
    they started."""
    rng = Random(replication_seed(seed, index))
    ciw.seed(replication_seed(seed, index) % 2**32)
    arrivals = _arrivals(plan, rng)
    calls = _Calls(plan, rng, arrivals)
    if not arrivals:
        return ()
    sim = ciw.Simulation(_network(plan, rng, calls))
    sim.simulate_until_max_customers(len(arrivals), method="Finish")
    return tuple(sorted(calls.done, key=lambda a: a.start))


def _arrivals(plan: Plan, rng: Random) -> list[tuple[float, int]]:
    """Return the run's first calls (time, intent), a Poisson process at each hour's rate."""
    shares = [w.share for w in plan.walks]
    total = math.fsum(shares)
    cumulative = []
    acc = 0.0
    for s in shares:
        acc += s / total
        cumulative.append(acc)
    out = []
    end = plan.end_seconds
    for slot in range(plan.slots):
        rate = plan.rates[slot % plan.day_hours] / 3600.0
        t, stop = slot * 3600.0, min((slot + 1) * 3600.0, end)
        if rate <= 0:
            continue
        while True:
            t += rng.expovariate(rate)
            if t >= stop:
                break
            pick = min(bisect_right(cumulative, rng.random()), len(cumulative) - 1)
            out.append((t, pick))
    return out


class _Calls:
    """The calls of one replication as they happen: each walk drawn when it starts."""

    def __init__(self, plan: Plan, rng: Random, arrivals: list[tuple[float, int]]) -> None:
        self.plan, self.rng, self.arrivals = plan, rng, arrivals
        self.next = 0
        self.done: list[Attempt] = []
        self.retry_node = len(plan.queues) + 2

    def first(self, ind: Any, sim: Any) -> list[int]:
        """Ciw's route function: the walk of the next call drawn beforehand."""
        start, intent = self.arrivals[self.next]
        self.next += 1
        ind.intent = intent
        return self.walk(ind, start, retrial=False)

    def walk(self, ind: Any, start: float, *, retrial: bool) -> list[int]:
        """Draw a walk for `ind`'s call starting at `start`; return where it goes next."""
        w = self.plan.walks[ind.intent]
        if not w.resolvable:
            ind.menu_seconds = 0.0
            self.done.append(Attempt(start, ind.intent, 0.0, -1, -1, retrial=retrial))
            ind.attempt = None
            return []
        seconds, ends, queue, hold = w.walk(self.rng)
        ind.menu_seconds = seconds
        ind.callback = ends == CALLBACK
        ind.attempt = [start, ind.intent, seconds, ends, queue, hold, retrial]
        if ends in (QUEUE, CALLBACK):
            ind.queue_arrival = start + seconds
            return [queue + 2]
        self._finish(ind)
        return []

    def _finish(
        self, ind: Any, wait: float | None = None, answered: bool = False, handle: float = 0.0
    ) -> None:
        start, intent, seconds, ends, queue, hold, retrial = ind.attempt
        self.done.append(
            Attempt(start, intent, seconds, ends, queue, hold, retrial, wait, answered, handle)
        )
        ind.attempt = None

    def answered(self, ind: Any, now: float, handle: float) -> None:
        """An agent answers `ind`'s call at `now`, for `handle` seconds."""
        self._finish(ind, now - ind.queue_arrival, True, handle)

    def hung_up(self, ind: Any, now: float) -> list[int] | None:
        """`ind` hangs up waiting at `now`: return the route of a retrial, if they call
        again before the line stops taking calls, else None."""
        self._finish(ind, now - ind.queue_arrival, False)
        plan = self.plan
        if plan.retry_share <= 0 or self.rng.random() >= plan.retry_share:
            return None
        delay = self.rng.expovariate(1.0 / plan.retry_after_seconds)
        if now + delay >= plan.end_seconds:
            return None
        ind.retry_delay = delay
        return self.walk(ind, now + delay, retrial=True)


class _Router(ciw.routing.ProcessBased):
    """Process-based routing whose hung-up callers may call again (through the retry node,
    then the menu); the rest leave the line."""

    def __init__(self, calls: _Calls) -> None:
        super().__init__(calls.first)
        self.calls = calls

    def next_node_for_jockeying(self, ind: Any, node_id: int) -> Any:
        route = self.calls.hung_up(ind, self.simulation.current_time)
        if route is None:
            return self.simulation.nodes[-1]
        ind.route = [MENU, *route]
        return self.simulation.nodes[self.calls.retry_node]


class _Shared(ciw.dists.Distribution):
    """A distribution Ciw must not copy: it draws from the replication's one generator."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _Shared:
        return self


class _Feed(_Shared):
    """The gaps between the calls drawn beforehand; none after the last."""

    def __init__(self, times: list[float]) -> None:
        self.times, self.i, self.last = times, 0, 0.0

    def sample(self, t: float | None = None, ind: Any = None) -> float:
        if self.i >= len(self.times):
            return math.inf
        at = self.times[self.i]
        self.i += 1
        gap, self.last = max(0.0, at - self.last), at
        return gap


class _Menu(_Shared):
    """A call's time in the menu: its walk's seconds, drawn when the call started."""

    def sample(self, t: float | None = None, ind: Any = None) -> float:
        return ind.menu_seconds


class _Retry(_Shared):
    """The wait of a caller who hung up before calling again."""

    def sample(self, t: float | None = None, ind: Any = None) -> float:
        return ind.retry_delay


def draw(rng: Random, mean: float, cv: float | None) -> float:
    """Return a time with this mean: exponential (cv None) or log-normal with this cv."""
    if cv is None:
        return rng.expovariate(1.0 / mean)
    if cv <= 0:
        return mean
    sigma2 = math.log1p(cv * cv)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))


class _Handle(_Shared):
    """An agent's handle time, drawn as the agent answers (which is written down)."""

    def __init__(self, q: QueuePlan, rng: Random, calls: _Calls) -> None:
        self.q, self.rng, self.calls = q, rng, calls

    def sample(self, t: float | None = None, ind: Any = None) -> float:
        handle = draw(self.rng, self.q.handle_seconds, self.q.handle_cv)
        self.calls.answered(ind, float(t or 0.0), handle)
        return handle


class _Patience(_Shared):
    """How long a caller waits before hanging up; a callback taker is not on the phone."""

    def __init__(self, q: QueuePlan, rng: Random) -> None:
        self.q, self.rng = q, rng

    def sample(self, t: float | None = None, ind: Any = None) -> float:
        if ind.callback or self.q.patience_seconds is None:
            return math.inf
        return draw(self.rng, self.q.patience_seconds, self.q.patience_cv)


def _schedule(plan: Plan, q: QueuePlan) -> ciw.Schedule:
    """Return the queue's agents hour by hour over the run, then the closing agents until
    every call is done (an agent going off shift finishes the call first)."""
    numbers: list[int] = []
    ends: list[float] = []
    for slot in range(plan.slots):
        n = q.agents_at(slot)
        end = min((slot + 1) * 3600.0, plan.end_seconds)
        if numbers and numbers[-1] == n:
            ends[-1] = end
        else:
            numbers.append(n)
            ends.append(end)
    if numbers and numbers[-1] == q.closing_agents:
        ends[-1] = FOREVER
    else:
        numbers.append(q.closing_agents)
        ends.append(FOREVER)
    return ciw.Schedule(numbers_of_servers=numbers, shift_end_dates=ends)


def _network(plan: Plan, rng: Random, calls: _Calls) -> Any:
    """Return the Ciw network of the menu, its queues and (with retrials) the retry node."""
    queues = plan.queues
    retry = plan.retry_share > 0
    size = 1 + len(queues) + (1 if retry else 0)
    arrivals: list[Any] = [_Feed([t for t, _ in calls.arrivals])] + [None] * (size - 1)
    service: list[Any] = [_Menu()] + [_Handle(q, rng, calls) for q in queues]
    servers: list[Any] = [math.inf] + [_schedule(plan, q) for q in queues]
    patience: list[Any] = [None] + [
        _Patience(q, rng) if q.patience_seconds is not None else None for q in queues
    ]
    if retry:
        service.append(_Retry())
        servers.append(math.inf)
        patience.append(None)
    return ciw.create_network(
        arrival_distributions=arrivals,
        service_distributions=service,
        number_of_servers=servers,
        reneging_time_distributions=patience,
        routing=_Router(calls),
    )
