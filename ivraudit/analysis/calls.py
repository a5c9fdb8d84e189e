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
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import field
from functools import cached_property
from typing import Any

import networkx as nx

from ivraudit.analysis.likeliest import Likeliest
from ivraudit.analysis.paths import INF
from ivraudit.analysis.queues import DEFAULT_TARGETS, QueueFigures, Targets, erlang_a, stable_agents
from ivraudit.analysis.ssp import Unbounded, components
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
    # The probability that a call of this class arrives to wait at each staffed queue.
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


@frozen
class CallerClass:
    """One class of callers and its route (step 1): the solve from the entry, and how to
    solve again from a node the route did not pass (after a self-service that failed)."""

    intent: str
    share: float
    goals: Mapping[Hashable, float]
    route: Likeliest
    route_from: Callable[[Hashable], Likeliest] = field(compare=False, repr=False)


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
    staffed = {}
    if traffic is not None:
        staffed = {
            n: q for n, q in g.nodes(data="queue") if q in listed and g.nodes[n]["type"] == "agent"
        }
    flows = [_flows(g, c, entry, staffed) for c in classes]
    queues: list[QueueCalls] = []
    served: dict[str, QueueFigures] = {}
    if traffic is not None:
        per_hour = traffic.calls_per_hour
        for name, q in listed.items():
            lam = 0.0
            for c, flow in zip(classes, flows, strict=True):
                lam += c.share * flow.arrivals.get(name, 0.0)
            lam = lam * per_hour / 3600.0
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
            mine = _outcome(person, _flows(g, person, entry, staffed), staffed, served)
        person_seconds = None if mine.seconds is None else mine.seconds_resolved
    resolved = math.fsum(i.share * i.resolved_share for i in intents)
    abandon = math.fsum(i.share * i.abandon_share for i in intents)
    seconds = _mean_seconds(intents)
    hold = None if seconds is None else _mean_seconds(intents, hold=True)
    month = _month(menu, intents, seconds, queues) if traffic is not None else None
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


def _mean_seconds(intents: Sequence[IntentCalls], *, hold: bool = False) -> float | None:
    weights = [(i.share, i.hold_seconds if hold else i.seconds) for i in intents if i.resolvable]
    total = math.fsum(w for w, _ in weights)
    if not weights or total <= 0 or any(s is None for _, s in weights):
        return None
    return math.fsum(w * s for w, s in weights if s is not None) / total


def _month(
    menu: Menu, intents: Sequence[IntentCalls], seconds: float | None, queues: list[QueueCalls]
) -> Month:
    traffic = menu.traffic
    assert traffic is not None
    hours = traffic.hours_per_month
    calls = traffic.calls_per_hour * hours
    weight = math.fsum(i.share for i in intents if i.resolvable)
    caller_hours = None if seconds is None else calls * weight * seconds / 3600.0
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


@frozen
class _Event:
    """Where calls of a class stop being routed: a handler, or the end of the call."""

    kind: str  # "agent", "resolved" (self-service or another handler), "end"
    node: Hashable
    reached: float  # probability
    time: float  # E[seconds on arrival x 1{arrived}]
    extra: float = 0.0  # the node's own seconds, for "resolved"


@frozen
class _Flow:
    events: tuple[_Event, ...]
    arrivals: Mapping[str, float]  # staffed queue -> probability of arriving to wait
    # The share of calls caught in a loop they never leave (a self-service that resolves
    # none of them, whose `next` leads back to it): their time has no end.
    endless: float = 0.0
    passes: Mapping[Hashable, float] = field(default_factory=dict)  # node -> passed (capped)
    edge_passes: Mapping[tuple[Hashable, Hashable, Any], float] = field(default_factory=dict)


def _flows(
    g: nx.MultiDiGraph, c: CallerClass, entry: Hashable, staffed: Mapping[Hashable, str]
) -> _Flow:
    """Return where the calls of class `c` end up (with when), following its route."""
    if c.route.share <= 0:
        return _Flow((), {})
    chain = _Chain(g, c, staffed)
    chain.build(entry)
    return chain.solve()


# A move of the chain: (next state or None, probability, seconds, event kind when None).
_Move = tuple[int | None, float, float, str]
# The edge of the graph a move takes (u, v, key), or None for an event at the node.
_Edge = tuple[Hashable, Hashable, Any] | None


class _Chain:
    """The Markov chain of one class's calls from the entry, built state by state."""

    def __init__(self, g: nx.MultiDiGraph, c: CallerClass, staffed: Mapping[Hashable, str]):
        self.g, self.c, self.staffed = g, c, staffed
        self.nodes: list[Hashable] = []
        self.state: dict[Hashable, int] = {}
        self.moves: list[list[_Move]] = []
        self.edges: list[list[_Edge]] = []  # beside each move, the edge it takes
        self.extra: list[float] = []  # own seconds of a "resolved" handler
        self.solutions: dict[Hashable, Likeliest | None] = {}
        self.known: list[Likeliest] = [c.route]  # the solves made, to serve again

    def _add(self, node: Hashable, route: Likeliest | None) -> int:
        if node not in self.state:
            self.state[node] = len(self.nodes)
            self.nodes.append(node)
            self.moves.append([])
            self.edges.append([])
            self.extra.append(0.0)
            self.solutions[node] = route
        return self.state[node]

    def build(self, entry: Hashable) -> None:
        g, goals = self.g, self.c.goals
        self._add(entry, self.c.route)
        i = 0
        while i < len(self.nodes):  # grows as it goes: states in the order found
            node = self.nodes[i]
            route = self.solutions[node]
            data = g.nodes[node]
            moves, edges = self.moves[i], self.edges[i]
            if node in goals:
                self._handler(i, node, data)
            elif route is None or route.value(node) == INF:
                moves.append((None, 1.0, 0.0, "end"))
                edges.append(None)
            elif data["type"] == "branch":
                for _, v, k, d in g.out_edges(node, keys=True, data=True):
                    p = d["probability"]
                    if p <= 0:
                        continue
                    if v in goals or route.value(v) < INF:
                        moves.append((self._add(v, route), p, d["seconds"], ""))
                    else:  # this route can never resolve the call: it ends there
                        moves.append((None, p, d["seconds"], "end"))
                    edges.append((node, v, k))
            else:
                _, v, k = route.solution.choice[node]
                seconds = data["seconds"] + g.edges[node, v, k]["seconds"]
                moves.append((self._add(v, route), 1.0, seconds, ""))
                edges.append((node, v, k))
            i += 1

    def _handler(self, i: int, node: Hashable, data: Mapping[str, Any]) -> None:
        moves, edges = self.moves[i], self.edges[i]
        own = data["seconds"]
        if data["type"] == "agent":
            moves.append((None, 1.0, 0.0, "agent"))
            edges.append(None)
            return
        self.extra[i] = own
        r = data["resolves"] if data["type"] == "self_service" else 1.0
        if r > 0:
            moves.append((None, r, 0.0, "resolved"))
            edges.append(None)
        if r >= 1:
            return
        after = [
            (v, k, d["seconds"]) for _, v, k, d in self.g.out_edges(node, keys=True, data=True)
        ]
        if not after:
            moves.append((None, 1.0 - r, own, "end"))
            edges.append(None)
            return
        v, key, seconds = after[0]
        route: Likeliest | None
        if v in self.state:
            route = self.solutions[v]
        elif v in self.c.goals:
            route = self.c.route
        else:
            route = self._route_at(v)
        moves.append((self._add(v, route), 1.0 - r, own + seconds, ""))
        edges.append((node, v, key))

    def _route_at(self, v: Hashable) -> Likeliest | None:
        """Return a route on from `v` (None: nothing can be resolved from there); a solve
        already made that passes `v` serves, so a line of many self-services solves few."""
        for known in self.known:
            if known.value(v) < INF:  # a node its calls pass (or a goal)
                return known
        route = self.c.route_from(v)
        if route.share <= 0:
            return None
        self.known.append(route)
        return route

    def solve(self) -> _Flow:
        """Return the events with the probability and time-weighted flow that reach them."""
        n = len(self.nodes)
        preds: list[list[tuple[int, float, float]]] = [[] for _ in range(n)]
        for u, ms in enumerate(self.moves):
            for w, p, s, _ in ms:
                if w is not None:
                    preds[w].append((u, p, s))
        arcs = [[(v, 0.0) for v, _, _, _ in ms if v is not None] for ms in self.moves]
        order = list(reversed(components([True] * n, arcs)))  # sources first
        y_in = [0.0] * n
        z_in = [0.0] * n
        y_in[0] = 1.0
        y = [0.0] * n
        z = [0.0] * n
        endless = 0.0
        stuck: dict[int, float] = {}  # states of such a loop, with the share entering it
        for comp in order:
            members = set(comp)
            if len(comp) == 1 and not any(v == comp[0] for v, _ in arcs[comp[0]]):
                u = comp[0]
                y[u], z[u] = y_in[u], z_in[u]
            else:
                # Within a loop: y_v = inflow + sum over u in the loop of p_uv y_u, and z
                # alike, each move adding its seconds times the flow along it.
                rows: dict[int, dict[int, float]] = {v: {} for v in comp}
                for v in comp:
                    for u, p, _ in preds[v]:
                        if u in members:
                            rows[v][u] = rows[v].get(u, 0.0) + p
                try:
                    ys = _linear(rows, {v: y_in[v] for v in comp})
                except Unbounded:  # a loop no call leaves: what enters it never ends
                    endless += sum(y_in[v] for v in comp)
                    stuck.update(dict.fromkeys(comp, min(1.0, sum(y_in[v] for v in comp))))
                    continue
                for v in comp:
                    y[v] = ys[v]
                inflow = {
                    v: z_in[v] + math.fsum(y[u] * p * s for u, p, s in preds[v] if u in members)
                    for v in comp
                }
                zs = _linear(rows, inflow)
                for v in comp:
                    z[v] = zs[v]
            for u in comp:
                for v, p, s, _ in self.moves[u]:
                    if v is not None and v not in members:
                        y_in[v] += y[u] * p
                        z_in[v] += (z[u] + y[u] * s) * p
        events = []
        arrivals: dict[str, float] = {}
        edge_passes: dict[tuple[Hashable, Hashable, Any], float] = {}
        for u, ms in enumerate(self.moves):
            if y[u] <= 0:
                continue
            for (v, p, s, kind), edge in zip(ms, self.edges[u], strict=True):
                if edge is not None:
                    edge_passes[edge] = edge_passes.get(edge, 0.0) + y[u] * p
                if v is not None:
                    continue
                node = self.nodes[u]
                events.append(_Event(kind, node, y[u] * p, (z[u] + y[u] * s) * p, self.extra[u]))
                if kind == "agent" and node in self.staffed:
                    q = self.staffed[node]
                    arrivals[q] = arrivals.get(q, 0.0) + y[u] * p
        passes = {self.nodes[u]: min(1.0, y[u]) for u in range(n) if y[u] > 0}
        passes.update((self.nodes[u], p) for u, p in stuck.items() if p > 0)
        return _Flow(tuple(events), arrivals, endless, passes, edge_passes)


def _linear(rows: Mapping[int, Mapping[int, float]], b: Mapping[int, float]) -> dict[int, float]:
    """Solve x_v = b_v + sum_u rows[v][u] x_u by sparse elimination (fewest terms first).

    The coefficients are flows of an absorbing chain: a loop that no call leaves has a
    pivot of 0, and then the expected figures do not exist (`Unbounded`).
    """
    work = {v: (b[v], dict(r)) for v, r in rows.items()}
    refs: dict[int, set[int]] = {v: set() for v in work}
    for v, (_, r) in work.items():
        for u in r:
            refs[u].add(v)
    solved: list[tuple[int, float, dict[int, float]]] = []
    while work:
        w = min(work, key=lambda v: (len(work[v][1]) * len(refs[v]), v))
        b_w, row_w = work.pop(w)
        pivot = 1.0 - row_w.pop(w, 0.0)
        if pivot <= 1e-15:
            raise Unbounded("a loop that no call leaves")
        b_w /= pivot
        row_w = {u: p / pivot for u, p in row_w.items()}
        solved.append((w, b_w, row_w))
        for v in refs.pop(w):
            if v not in work:
                continue
            b_v, row_v = work[v]
            share = row_v.pop(w)
            for u, p in row_w.items():
                if u not in row_v:
                    refs[u].add(v)
                row_v[u] = row_v.get(u, 0.0) + share * p
            work[v] = (b_v + share * b_w, row_v)
        for u in row_w:
            if u in refs:
                refs[u].discard(w)
    x: dict[int, float] = {}
    for w, b_w, row_w in reversed(solved):
        x[w] = b_w + math.fsum(p * x[u] for u, p in row_w.items())
    return x


def _outcome(
    c: CallerClass,
    flow: _Flow,
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
    endless = False
    for e in flow.events:
        if e.kind == "end":
            total.append(e.time)
        elif e.kind == "resolved":
            resolved += e.reached
            total.append(e.time + e.reached * e.extra)
            good.append(e.time + e.reached * e.extra)
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
    return IntentCalls(
        c.intent,
        c.share,
        True,
        min(1.0, resolved),
        abandon,
        seconds,
        seconds_resolved,
        tuple(sorted(flow.arrivals.items())),
        flow.passes,
        flow.edge_passes,
        hold_seconds=None if seconds is None else math.fsum(waits),
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
