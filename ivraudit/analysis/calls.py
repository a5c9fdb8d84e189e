"""Calls as they happen: each class of caller takes its route, then meets the line as it is.

Format 0.3, "Calls as they happen". Step 1, the route, is the policy of `likeliest`
(callers choose by what they hear: every self-service resolves, every hold is its
`hold_seconds`). Step 2 follows that policy as a Markov chain in which branches split by
share, a self-service resolves only its `resolves` share (the rest go on to `next`), a
staffed queue answers by Erlang A (`queues`), and a node from which the caller's request
can no longer be resolved ends the call. The chain's flows are solved exactly, one
strongly connected component at a time; queue loads come from the flows of every class.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import field
from functools import cached_property
from typing import Any

import networkx as nx

from ivraudit.analysis.callchain import CallerClass, Flow, flows_of
from ivraudit.analysis.queues import (
    DEFAULT_TARGETS,
    QueueFigures,
    Targets,
    erlang_a,
    hang_up_share,
    stable_agents,
)
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen

PERSON = "a person"  # the one class of callers of a menu without intents


@frozen
class IntentCalls:
    """What happens to the calls of one intent (or of the one class without intents)."""

    intent: str
    share: float  # of all calls, normalised over the declared intents
    resolvable: bool
    resolved_share: float
    abandon_share: float  # hung up waiting in a staffed queue
    seconds: float | None  # mean time on the phone; None: some wait without end
    seconds_resolved: float | None
    # The probability that a call of this class arrives to wait at each staffed queue, or
    # takes a callback offer of it (both load the queue).
    arrivals: tuple[tuple[str, float], ...] = ()
    # The nodes its calls pass (step 2 from its route), each with the probability they do
    # (the expected passes, capped at 1: the same where no loop brings a call back).
    passes: Mapping[Hashable, float] = field(default_factory=dict, compare=False, repr=False)
    # How often its calls take each edge (u, v, key) of the graph on their way (step 2:
    # branches split by share, a failed self-service goes on): the probability that they
    # pass there, or the expected number of times round a loop (IVR208 weighs options so).
    edge_passes: Mapping[tuple[Hashable, Hashable, Any], float] = field(
        default_factory=dict, compare=False, repr=False
    )
    # Of `seconds`, the mean spent waiting for a person: a staffed queue's wait (answered
    # or not), else the hold the file states. None where `seconds` is.
    hold_seconds: float | None = None
    # The mean time until a person answers, over the calls a person answers on the line
    # (`seconds_resolved` less those resolved otherwise, such as callback takers).
    answered_seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's per-intent figures."""
        return {
            "resolved_share": round(self.resolved_share, 4),
            "seconds": _round(self.seconds),
            "seconds_resolved": _round(self.seconds_resolved),
        }


@frozen
class QueueCalls:
    """One staffed queue at the audited hour: its settings and its Erlang A figures."""

    queue: str
    handle_seconds: float
    patience_seconds: float | None
    figures: QueueFigures
    # The least agents that make an overloaded queue stable (None when it is not).
    stable_agents: int | None = None

    @property
    def overloaded(self) -> bool:
        """Return whether calls wait without end (no patience, load of 1 or more)."""
        return self.figures.overloaded

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's per-queue figures."""
        f = self.figures
        return {
            "calls_per_hour": round(f.calls_per_hour, 2),
            "agents": f.agents,
            "load": round(f.load, 4),
            "answer_seconds": _round(f.answer_seconds),
            "wait_seconds": _round(f.wait_seconds),
            "abandon_share": round(f.abandon_share, 4),
            "agents_needed": f.agents_needed,
            "overloaded": f.overloaded,
        }


@frozen
class Month:
    """The audited hour scaled to a month: calls, time on the line, and what it costs."""

    calls: float
    caller_hours: float | None  # None with an overloaded queue
    agent_hours: float
    staffed_agent_hours: float
    cost: float | None  # None without `costs`, or with an overloaded queue
    currency: str = ""
    priced: bool = False  # the menu states `costs` (its currency may be left blank)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's `month` figures, rounded to 0.01."""
        out: dict[str, Any] = {
            "calls": round(self.calls, 2),
            "caller_hours": _round(self.caller_hours),
            "agent_hours": round(self.agent_hours, 2),
            "staffed_agent_hours": round(self.staffed_agent_hours, 2),
            "cost": _round(self.cost),
        }
        if self.currency:
            out["currency"] = self.currency
        return out


@frozen
class Calls:
    """The contract's `calls` object: what callers live through, over the whole mix."""

    resolved_share: float
    abandon_share: float
    seconds: float | None  # over the resolvable intents; None: none, or a wait without end
    intents: tuple[IntentCalls, ...]
    queues: tuple[QueueCalls, ...] = ()
    month: Month | None = None
    declared: bool = True  # False: the one class "a person" of a menu without intents
    # Each agent node whose queue is staffed, with its queue (reports name the queue).
    staffed: tuple[tuple[str, str], ...] = ()
    # The service level `agents_needed` aimed at, for the findings that quote it.
    targets: Targets = DEFAULT_TARGETS
    # Of `seconds`, the mean a call spends waiting for a person (the reports' share of a
    # call on hold); None where `seconds` is.
    hold_seconds: float | None = None
    # With a staffed queue: the mean time until a person answers, on the route of
    # `time_to_human_seconds` with the queues as they answer (for the calls answered);
    # None when that route ends in an overloaded queue or reaches no person.
    person_seconds: float | None = None
    staffed_queues: bool = False  # `person_seconds` applies: some agent's queue is staffed

    def queue_at(self, node: Hashable) -> QueueCalls | None:
        """Return the staffed queue an agent node sends its callers to (None: not staffed)."""
        return self._queue_of.get(str(node))

    @cached_property
    def _queue_of(self) -> dict[str, QueueCalls | None]:
        # Reports ask once per staffed agent: one lookup, not a scan of every agent each.
        first: dict[str, QueueCalls] = {}
        for q in self.queues:
            first.setdefault(q.queue, q)
        return {node: first.get(name) if name else None for node, name in self.staffed}

    def intent(self, name: str) -> IntentCalls | None:
        """Return the figures of intent `name` (None when it is not declared)."""
        return next((i for i in self.intents if i.intent == name), None)

    @property
    def overloaded(self) -> tuple[QueueCalls, ...]:
        """Return the queues whose calls wait without end."""
        return tuple(q for q in self.queues if q.overloaded)

    def to_dict(self) -> dict[str, Any]:
        """Return the `calls` object of `score --format json`."""
        out: dict[str, Any] = {
            "resolved_share": round(self.resolved_share, 4),
            "abandon_share": round(self.abandon_share, 4),
            "seconds": _round(self.seconds),
            "hold_seconds": _round(self.hold_seconds),
            "intents": {i.intent: i.to_dict() for i in self.intents} if self.declared else {},
            "queues": {q.queue: q.to_dict() for q in self.queues},
        }
        if self.staffed_queues:
            out["person_seconds"] = _round(self.person_seconds)
        if self.month is not None:
            out["month"] = self.month.to_dict()
        return out


def has_calls(menu: Menu) -> bool:
    """Return whether a menu reports `calls`: it declares intents, traffic or a `resolves`."""
    return bool(
        menu.intents
        or menu.traffic is not None
        or any(n.resolves != 1.0 for n in menu.nodes if n.type == "self_service")
    )


def compute_calls(
    menu: Menu,
    g: nx.MultiDiGraph,
    classes: Sequence[CallerClass],
    entry: Hashable,
    targets: Targets = DEFAULT_TARGETS,
    person: CallerClass | None = None,
) -> Calls:
    """Return the `calls` figures of a menu whose caller classes took `classes`' routes;
    `targets` is the service level `agents_needed` aims at. `person`, the callers who
    want a person routed as `time_to_human_seconds` is, gives `person_seconds` where a
    queue is staffed (they only follow the route: the loads are the classes')."""
    traffic = menu.traffic
    listed = dict(menu.queues)
    staffed: dict[Hashable, str] = {}
    callbacks: dict[Hashable, str] = {}
    if traffic is not None:
        for n, q in g.nodes(data="queue"):
            if q in listed and g.nodes[n]["type"] == "agent":
                staffed[n] = q
            elif q in listed and g.nodes[n]["type"] == "callback":
                callbacks[n] = q
    flows = [flows_of(g, c, entry, staffed, callbacks) for c in classes]
    queues: list[QueueCalls] = []
    served: dict[str, QueueFigures] = {}
    attempts = [1.0] * len(classes)  # calls per first call of each class (retries)
    if traffic is not None:
        if traffic.retry_share > 0:
            attempts = _retried(menu, classes, flows)
        loads = _loads(menu, classes, flows, attempts)
        for name, q in listed.items():
            lam = loads[name]
            if q.agents == 0:  # an hour of the day no agent works (`analytic_day`)
                queues.append(QueueCalls(name, q.handle_seconds, q.patience_seconds, _idle(lam)))
                served[name] = queues[-1].figures
                continue
            figures = erlang_a(
                lam,
                q.agents,
                q.handle_seconds,
                q.patience_seconds,
                answer_target=targets.answer_seconds,
                abandon_target=targets.abandon_share,
            )
            stable = stable_agents(lam, q.handle_seconds) if figures.overloaded else None
            queues.append(QueueCalls(name, q.handle_seconds, q.patience_seconds, figures, stable))
            served[name] = figures
    intents = [_outcome(c, flow, staffed, served) for c, flow in zip(classes, flows, strict=True)]
    person_seconds = None
    if person is not None and served and staffed:
        mine = next((i for i, c in zip(intents, classes, strict=True) if c is person), None)
        if mine is None:
            mine = _outcome(person, flows_of(g, person, entry, staffed), staffed, served)
        person_seconds = None if mine.seconds is None else mine.answered_seconds
    resolved = math.fsum(i.share * i.resolved_share for i in intents)
    abandon = math.fsum(i.share * i.abandon_share for i in intents)
    seconds = _mean_seconds(intents)
    hold = None if seconds is None else _mean_seconds(intents, hold=True)
    month = _month(menu, intents, seconds, queues, attempts) if traffic is not None else None
    return Calls(
        resolved,
        abandon,
        seconds,
        tuple(intents),
        tuple(queues),
        month,
        declared=bool(menu.intents),
        staffed=tuple((str(n), q) for n, q in staffed.items()),
        targets=targets,
        hold_seconds=hold,
        person_seconds=person_seconds,
        staffed_queues=bool(served and staffed),
    )


# Retries (`traffic.retry`): each class's callers call on average at most this many times.
# With every caller retrying and a queue that loses nearly every call, the calls would
# otherwise grow without end (the retry orbit of a queue that cannot keep up).
MAX_ATTEMPTS = 10.0
_RETRY_ROUNDS = 200


def _loads(
    menu: Menu, classes: Sequence[CallerClass], flows: Sequence[Flow], attempts: Sequence[float]
) -> dict[str, float]:
    """Return each listed queue's arrivals a second: callers who wait there, and callback
    takers whose call an agent returns (their load stays on the queue)."""
    assert menu.traffic is not None
    per_second = menu.traffic.calls_per_hour / 3600.0
    out = {}
    for name, _ in menu.queues:
        lam = 0.0
        for c, flow, tries in zip(classes, flows, attempts, strict=True):
            lam += c.share * tries * (flow.arrivals.get(name, 0.0) + flow.callbacks.get(name, 0.0))
        out[name] = lam * per_second
    return out


def _retried(menu: Menu, classes: Sequence[CallerClass], flows: Sequence[Flow]) -> list[float]:
    """Return the calls each class makes per first call when a share of those who hang up
    in a queue call again: the least fixed point of a_X = 1 / (1 - r * h_X(loads(a))),
    h_X the share of X's calls that hang up waiting at the loads the retries make.

    Retries are taken as fresh Poisson calls of the same class in the same hour, the
    fixed-point approximation of Aguir, Karaesmen, Aksin & Chauvet (2004), "The impact of
    retrials on call center performance", OR Spectrum 26(3); `simulate` times them.
    """
    assert menu.traffic is not None
    share = menu.traffic.retry_share
    listed = dict(menu.queues)
    attempts = [1.0] * len(classes)
    # From the first calls up: each round's loads are no less than the last's, so the
    # hang-ups and the retries they make only grow, towards the least fixed point.
    for _ in range(_RETRY_ROUNDS):
        loads = _loads(menu, classes, flows, attempts)
        hang = {
            name: hang_up_share(loads[name], q.agents, q.handle_seconds, q.patience_seconds)
            for name, q in listed.items()
        }
        after = []
        for flow in flows:
            lost = math.fsum(p * hang[q] for q, p in flow.arrivals.items() if q in hang)
            kept = 1.0 - share * lost
            after.append(
                MAX_ATTEMPTS if kept <= 1.0 / MAX_ATTEMPTS else min(MAX_ATTEMPTS, 1 / kept)
            )
        done = all(abs(a - b) <= 1e-9 * b for a, b in zip(after, attempts, strict=True))
        attempts = after
        if done:
            break
    return attempts


def _idle(lam: float) -> QueueFigures:
    """Return the figures of a queue without agents in an hour no call reaches it."""
    if lam > 0:
        raise ValueError("a queue without agents in an hour when calls reach it")
    return QueueFigures(0.0, 0, 0.0, 1.0, 0.0, 0.0, 0.0, None, 0.0, False, 0)


def _mean_seconds(intents: Sequence[IntentCalls], *, hold: bool = False) -> float | None:
    weights = [(i.share, i.hold_seconds if hold else i.seconds) for i in intents if i.resolvable]
    total = math.fsum(w for w, _ in weights)
    if not weights or total <= 0 or any(s is None for _, s in weights):
        return None
    return math.fsum(w * s for w, s in weights if s is not None) / total


def _month(
    menu: Menu,
    intents: Sequence[IntentCalls],
    seconds: float | None,
    queues: list[QueueCalls],
    attempts: Sequence[float],
) -> Month:
    traffic = menu.traffic
    assert traffic is not None
    hours = traffic.hours_per_month
    calls = traffic.calls_per_hour * hours
    weight = math.fsum(i.share for i in intents if i.resolvable)
    caller_hours = None if seconds is None else calls * weight * seconds / 3600.0
    if traffic.retry_share > 0:
        # Every call the line takes, retries included, and the time each spends on it.
        calls *= math.fsum(i.share * a for i, a in zip(intents, attempts, strict=True))
        if seconds is not None:
            caller_hours = (
                math.fsum(
                    traffic.calls_per_hour * hours * i.share * a * (i.seconds or 0.0)
                    for i, a in zip(intents, attempts, strict=True)
                    if i.resolvable
                )
                / 3600.0
            )
    agent_hours = 0.0
    for q in queues:
        f = q.figures
        if f.overloaded:
            agent_hours += f.agents * hours
        else:
            agent_hours += f.calls_per_hour * f.answered_share * q.handle_seconds / 3600.0 * hours
    staffed = math.fsum(q.figures.agents for q in queues) * hours
    costs = menu.costs
    cost = None
    if costs is not None and caller_hours is not None:
        cost = staffed * costs.agent_hour + (caller_hours + agent_hours) * 60.0 * costs.line_minute
    return Month(
        calls,
        caller_hours,
        agent_hours,
        staffed,
        cost,
        costs.currency if costs is not None else "",
        priced=costs is not None,
    )


def _outcome(
    c: CallerClass,
    flow: Flow,
    staffed: Mapping[Hashable, str],
    served: Mapping[str, QueueFigures],
) -> IntentCalls:
    """Return a class's figures from where its calls end and how each queue answers."""
    if c.route.share <= 0:
        return IntentCalls(c.intent, c.share, False, 0.0, 0.0, None, None)
    resolved = abandon = 0.0
    waits: list[float] = []  # the time waiting for a person, weighted by the calls
    total: list[float] = []
    good: list[float] = []
    elsewise = 0.0  # resolved by a callback offer: called back, not answered on the line
    elsewise_time = 0.0
    endless = False
    for e in flow.events:
        if e.kind == "end":
            total.append(e.time)
        elif e.kind in ("resolved", "callback"):
            resolved += e.reached
            total.append(e.time + e.reached * e.extra)
            good.append(e.time + e.reached * e.extra)
            if e.kind == "callback":
                elsewise += e.reached
                elsewise_time += e.time + e.reached * e.extra
        elif e.node in staffed and staffed[e.node] in served:
            f = served[staffed[e.node]]
            if f.overloaded:  # waits without end: neither answered nor hung up
                endless = True
                continue
            assert f.wait_seconds is not None and f.answer_seconds is not None
            resolved += e.reached * f.answered_share
            abandon += e.reached * f.abandon_share
            total.append(e.time + e.reached * f.wait_seconds)
            waits.append(e.reached * f.wait_seconds)
            good.append(f.answered_share * (e.time + e.reached * f.answer_seconds))
        else:  # a person not staffed here: the hold the file states, then answered
            hold = c.goals.get(e.node, 0.0)
            resolved += e.reached
            total.append(e.time + e.reached * hold)
            waits.append(e.reached * hold)
            good.append(e.time + e.reached * hold)
    seconds = None if endless or flow.endless > 0 else math.fsum(total)
    seconds_resolved = math.fsum(good) / resolved if resolved > 0 else None
    answered_seconds = seconds_resolved
    if elsewise > 0:
        live = resolved - elsewise
        answered_seconds = (math.fsum(good) - elsewise_time) / live if live > 1e-12 else None
    return IntentCalls(
        c.intent,
        c.share,
        True,
        min(1.0, resolved),
        abandon,
        seconds,
        seconds_resolved,
        tuple(sorted(_summed(flow.arrivals, flow.callbacks).items())),
        flow.passes,
        flow.edge_passes,
        hold_seconds=None if seconds is None else math.fsum(waits),
        answered_seconds=answered_seconds,
    )


def _summed(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    return {k: a.get(k, 0.0) + b.get(k, 0.0) for k in {*a, *b}}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
