"""Step 2 of "Calls as they happen" for one class of callers: the Markov chain its calls
follow along its route (branches split by share, a self-service resolves its `resolves`
share, a staffed queue or a callback offer stops the walk), and its flows solved exactly,
one strongly connected component at a time. `calls` turns the flows into the figures."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import field
from typing import Any

import networkx as nx

from ivraudit.analysis.likeliest import Likeliest
from ivraudit.analysis.paths import INF
from ivraudit.analysis.ssp import Unbounded, components
from ivraudit.frozen import frozen


@frozen
class CallerClass:
    """One class of callers and its route (step 1): the solve from the entry, and how to
    solve again from a node the route did not pass (after a self-service that failed)."""

    intent: str
    share: float
    goals: Mapping[Hashable, float]
    route: Likeliest
    route_from: Callable[[Hashable], Likeliest] = field(compare=False, repr=False)


@frozen
class Event:
    """Where calls of a class stop being routed: a handler, or the end of the call."""

    kind: str  # "agent", "resolved" (self-service or another handler), "callback", "end"
    node: Hashable
    reached: float  # probability
    time: float  # E[seconds on arrival x 1{arrived}]
    extra: float = 0.0  # the node's own seconds, for "resolved"


@frozen
class Flow:
    events: tuple[Event, ...]
    arrivals: Mapping[str, float]  # staffed queue -> probability of arriving to wait
    # staffed queue -> probability of taking a callback offer of it (not waiting there)
    callbacks: Mapping[str, float] = field(default_factory=dict)
    # The share of calls caught in a loop they never leave (a self-service that resolves
    # none of them, whose `next` leads back to it): their time has no end.
    endless: float = 0.0
    passes: Mapping[Hashable, float] = field(default_factory=dict)  # node -> passed (capped)
    edge_passes: Mapping[tuple[Hashable, Hashable, Any], float] = field(default_factory=dict)


def flows_of(
    g: nx.MultiDiGraph,
    c: CallerClass,
    entry: Hashable,
    staffed: Mapping[Hashable, str],
    callbacks: Mapping[Hashable, str] | None = None,
) -> Flow:
    """Return where the calls of class `c` end up (with when), following its route;
    `callbacks` maps each callback node whose queue is staffed to that queue."""
    if c.route.share <= 0:
        return Flow((), {})
    chain = Chain(g, c, staffed, callbacks or {})
    chain.build(entry)
    return chain.solve()


# A move of the chain: (next state or None, probability, seconds, event kind when None).
_Move = tuple[int | None, float, float, str]
# The edge of the graph a move takes (u, v, key), or None for an event at the node.
_Edge = tuple[Hashable, Hashable, Any] | None


class Chain:
    """The Markov chain of one class's calls from the entry, built state by state."""

    def __init__(
        self,
        g: nx.MultiDiGraph,
        c: CallerClass,
        staffed: Mapping[Hashable, str],
        callbacks: Mapping[Hashable, str],
    ):
        self.g, self.c, self.staffed, self.callbacks = g, c, staffed, callbacks
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
                go_on = 1.0
                if data["type"] == "callback":
                    # Those who take the offer hang up at its end, resolved: an agent
                    # calls them back. The others go on as the route goes.
                    self.extra[i] = data["seconds"]
                    go_on = 1.0 - data["takes"]
                    if data["takes"] > 0:
                        moves.append((None, data["takes"], 0.0, "callback"))
                        edges.append(None)
                if go_on > 0:
                    moves.append((self._add(v, route), go_on, seconds, ""))
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

    def solve(self) -> Flow:
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
                    ys = linear(rows, {v: y_in[v] for v in comp})
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
                zs = linear(rows, inflow)
                for v in comp:
                    z[v] = zs[v]
            for u in comp:
                for v, p, s, _ in self.moves[u]:
                    if v is not None and v not in members:
                        y_in[v] += y[u] * p
                        z_in[v] += (z[u] + y[u] * s) * p
        events = []
        arrivals: dict[str, float] = {}
        called: dict[str, float] = {}
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
                events.append(Event(kind, node, y[u] * p, (z[u] + y[u] * s) * p, self.extra[u]))
                if kind == "agent" and node in self.staffed:
                    q = self.staffed[node]
                    arrivals[q] = arrivals.get(q, 0.0) + y[u] * p
                elif kind == "callback" and node in self.callbacks:
                    q = self.callbacks[node]
                    called[q] = called.get(q, 0.0) + y[u] * p
        passes = {self.nodes[u]: min(1.0, y[u]) for u in range(n) if y[u] > 0}
        passes.update((self.nodes[u], p) for u, p in stuck.items() if p > 0)
        return Flow(tuple(events), arrivals, called, endless, passes, edge_passes)


def linear(rows: Mapping[int, Mapping[int, float]], b: Mapping[int, float]) -> dict[int, float]:
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
