"""One replication on Ciw (https://ciw.readthedocs.io), the discrete-event engine.

The calls' walks through the menu do not depend on the queues (callers choose by what
they hear), so each call's walk is drawn when the calls are: arrivals first (a Poisson
process whose rate changes each hour: exact, as the exponential has no memory), each
with its intent and walk. Only the calls whose walk ends at a staffed queue go to Ciw,
arriving there when their walk ends. The network has a node per staffed queue (its
agents by the hour as a Ciw `Schedule`; handle time as service, patience as reneging)
and, with retrials, one where a caller who hung up spends the delay before calling
again and the walk of the new call. What each call lives through is written down from
the hooks Ciw calls: the handle time as an agent answers, the hang-up as a caller
reneges.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_right
from collections.abc import Callable
from random import Random
from typing import Any

import ciw

from ivraudit.frozen import frozen
from ivraudit.simulate.plan import Plan, QueuePlan
from ivraudit.simulate.walks import CALLBACK, QUEUE

# A call that never ends waits this long at most: the last shift of a queue's schedule
# lasts until then (Ciw repeats a schedule; this one never comes round again).
FOREVER = 1e15


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


# A call on its way to a queue: (start, intent, menu seconds, ends, queue, retrial).
_Pending = tuple[float, int, float, int, int, bool]


def replication_seed(seed: int, index: int) -> int:
    """Return the seed of replication `index`: the same in any process, for any -j."""
    digest = hashlib.sha256(f"ivraudit-simulate:{seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


# A replication runs in this many steps of its calls, so a long one can show progress;
# the steps are the same whoever runs it (one process or several), and so are the draws.
STEPS = 20


def run_replication(
    plan: Plan, seed: int, index: int, step: Callable[[], None] | None = None
) -> tuple[Attempt, ...]:
    """Return every call of replication `index` of `plan`, warm-up included, in the order
    they started; `step` is called after each of its `STEPS` steps."""
    rng = Random(replication_seed(seed, index))
    ciw.seed(replication_seed(seed, index) % 2**32)
    calls = _Calls(plan, rng)
    for start, intent in _arrivals(plan, rng):
        calls.start(start, intent, retrial=False)
    _simulation(plan, rng, calls, step)
    return tuple(sorted(calls.done, key=lambda a: (a.start, a.intent, a.menu_seconds)))


def _simulation(
    plan: Plan, rng: Random, calls: _Calls, step: Callable[[], None] | None = None
) -> Any:
    """Run Ciw on the calls that reach a queue, in `STEPS` steps; return the simulation
    (None: no call reaches one)."""
    entering = sum(len(p) for p in calls.pending)
    sim = None
    if entering:
        nodes: list[Any] = [_Desk] * len(plan.queues)
        if plan.retry_share > 0:
            nodes.append(ciw.Node)
        sim = ciw.Simulation(_network(plan, rng, calls), node_class=nodes)
    for k in range(1, STEPS + 1):
        # Ciw carries on from where the last step stopped (its clock and queues).
        target = math.ceil(entering * k / STEPS)
        if sim is not None and sim.nodes[-1].number_of_individuals < target:
            sim.simulate_until_max_customers(target, method="Finish")
        if step is not None:
            step()
    return sim


class _Desk(ciw.Node):
    """A staffed queue whose agents change by the hour as a contact centre's do.

    At a shift change Ciw sends every agent off duty and starts the new shift's, the busy
    ones finishing their calls on top: each change would add the busy agents' remaining
    talk to the hour. Here the agents on duty stay; more join, or the surplus leaves:
    the idle first, then busy ones as their call ends.
    """

    def change_shift(self) -> None:
        self.schedule.get_next_shift()
        self.next_shift_change = self.schedule.next_shift_change_date
        self.c = self.schedule.c
        on_duty = [s for s in self.servers if not s.offduty]
        surplus = len(on_duty) - self.c
        if surplus < 0:
            self.add_new_servers(-surplus)
        elif surplus > 0:
            idle = [s for s in on_duty if not s.busy]
            busy = [s for s in on_duty if s.busy]
            for server in idle[:surplus]:
                server.shift_end = self.now
                self.kill_server(server)
            for server in busy[: max(0, surplus - len(idle))]:
                server.shift_end = self.now
                server.offduty = True  # Ciw lets it go when its call ends
        self.begin_service_if_possible_change_shift()


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
    """The calls of one replication: the walks, the calls on their way to each queue (in
    the order they reach it), and what every call lived through."""

    def __init__(self, plan: Plan, rng: Random) -> None:
        self.plan, self.rng = plan, rng
        self.pending: list[list[_Pending]] = [[] for _ in plan.queues]
        self.taken = [0] * len(plan.queues)
        self.done: list[Attempt] = []
        self.away_node = len(plan.queues) + 1

    def start(self, start: float, intent: int, *, retrial: bool) -> _Pending | None:
        """Draw the walk of a call starting at `start`: write down a call that ends in the
        menu and return None, or return the call on its way to a queue."""
        w = self.plan.walks[intent]
        if not w.resolvable:
            self.done.append(Attempt(start, intent, 0.0, -1, -1, retrial=retrial))
            return None
        seconds, ends, queue, hold = w.walk(self.rng)
        if ends not in (QUEUE, CALLBACK):
            self.done.append(Attempt(start, intent, seconds, ends, queue, hold, retrial))
            return None
        call = (start, intent, seconds, ends, queue, retrial)
        if not retrial:
            self.pending[queue].append(call)
        return call

    def queued(self) -> list[list[float]]:
        """Put each queue's first calls in the order they reach it; return those times."""
        for p in self.pending:
            p.sort(key=lambda c: c[0] + c[2])
        return [[c[0] + c[2] for c in p] for p in self.pending]

    def arrive(self, ind: Any, sim: Any) -> list[int]:
        """Ciw's route function: give a call reaching queue node `ind.starting_node` the
        next of that queue's calls; it leaves the line after the queue."""
        q = ind.starting_node - 1
        self._attach(ind, self.pending[q][self.taken[q]])
        self.taken[q] += 1
        return []

    def _attach(self, ind: Any, call: _Pending) -> None:
        ind.call = call
        ind.callback = call[3] == CALLBACK

    def _finish(self, ind: Any, wait: float, answered: bool, handle: float = 0.0) -> None:
        start, intent, seconds, ends, queue, retrial = ind.call
        self.done.append(
            Attempt(start, intent, seconds, ends, queue, 0.0, retrial, wait, answered, handle)
        )

    def answered(self, ind: Any, now: float, handle: float) -> None:
        """An agent answers `ind`'s call at `now`, for `handle` seconds."""
        self._finish(ind, max(0.0, now - ind.arrival_date), True, handle)

    def hung_up(self, ind: Any, now: float) -> int | None:
        """`ind` hangs up waiting at `now`: return the queue node their retrial reaches, if
        they call again before the line stops taking calls and it reaches a queue."""
        self._finish(ind, max(0.0, now - ind.arrival_date), False)
        plan = self.plan
        if plan.retry_share <= 0 or self.rng.random() >= plan.retry_share:
            return None
        after = plan.retry_after_seconds
        delay = self.rng.expovariate(1.0 / after) if after > 0 else 0.0
        if now + delay >= plan.end_seconds:
            return None
        call = self.start(now + delay, ind.call[1], retrial=True)
        if call is None:
            return None
        self._attach(ind, call)
        ind.away_seconds = delay + call[2]
        return call[4] + 1


class _Router(ciw.routing.ProcessBased):
    """Process-based routing whose hung-up callers may call again (through the node where
    they spend the delay and the new walk); the rest leave the line."""

    def __init__(self, calls: _Calls) -> None:
        super().__init__(calls.arrive)
        self.calls = calls

    def next_node_for_jockeying(self, ind: Any, node_id: int) -> Any:
        queue_node = self.calls.hung_up(ind, self.simulation.current_time)
        if queue_node is None:
            return self.simulation.nodes[-1]
        ind.route = [queue_node]
        return self.simulation.nodes[self.calls.away_node]


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


class _Away(_Shared):
    """A retrial's time before it reaches the queue: the delay, then its walk."""

    def sample(self, t: float | None = None, ind: Any = None) -> float:
        return ind.away_seconds


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
    """Return the Ciw network of the queues and (with retrials) the away node."""
    queues = plan.queues
    arrivals: list[Any] = [_Feed(times) for times in calls.queued()]
    service: list[Any] = [_Handle(q, rng, calls) for q in queues]
    servers: list[Any] = [_schedule(plan, q) for q in queues]
    patience: list[Any] = [
        _Patience(q, rng) if q.patience_seconds is not None else None for q in queues
    ]
    if plan.retry_share > 0:
        arrivals.append(None)
        service.append(_Away())
        servers.append(math.inf)
        patience.append(None)
    return ciw.create_network(
        arrival_distributions=arrivals,
        service_distributions=service,
        number_of_servers=servers,
        reneging_time_distributions=patience,
        routing=_Router(calls),
    )
