"""Shortest routes through a call graph: key presses, and expected seconds to a goal.

Menus are choices (the caller takes the best option) and branches are chance (the
system splits calls by share), so expected time is a stochastic shortest path. Nodes
from which no way of choosing reaches a goal for certain are "never". The rest is
solved one strongly connected component at a time, sinks first: by Dijkstra where a
component holds no chance node, and by policy iteration, each policy's linear system
solved exactly, where a branch lies on a cycle. Both are exact. Solved from a start (the
menu's entry), only the nodes its calls pass through when choosing well are settled,
guided by lower bounds as in LAO*: on a large menu, a small part of it.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import field

import networkx as nx

from ivraudit.analysis.ssp import INF, _dijkstra, _improve, components
from ivraudit.frozen import frozen

Edge = tuple[Hashable, Hashable, int]


@frozen
class Net:
    """A call graph compiled to flat lists, so that repeated solves avoid networkx views."""

    ids: tuple[Hashable, ...]
    index: Mapping[Hashable, int]
    chance: tuple[bool, ...]
    own: tuple[float, ...]
    # out[u]: (v, seconds, probability, networkx edge key), in the graph's edge order.
    out: tuple[tuple[tuple[int, float, float, int], ...], ...]
    # into[v]: (u, position of the edge in out[u]).
    into: tuple[tuple[tuple[int, int], ...], ...]
    # closed[u]: positions in out[u] of edges no call takes (see choices.restrict_net).
    closed: Mapping[int, frozenset[int]] = field(default_factory=dict)


def compile_graph(g: nx.MultiDiGraph) -> Net:
    """Return the flat form of a call graph for `solve`."""
    ids = tuple(g.nodes)
    index = {n: i for i, n in enumerate(ids)}
    out: list[list[tuple[int, float, float, int]]] = [[] for _ in ids]
    into: list[list[tuple[int, int]]] = [[] for _ in ids]
    for u, v, k, d in g.edges(keys=True, data=True):
        ui, vi = index[u], index[v]
        into[vi].append((ui, len(out[ui])))
        out[ui].append((vi, d["seconds"], d["probability"], k))
    return Net(
        ids=ids,
        index=index,
        chance=tuple(g.nodes[n]["type"] == "branch" for n in ids),
        own=tuple(float(g.nodes[n]["seconds"]) for n in ids),
        out=tuple(tuple(edges) for edges in out),
        into=tuple(tuple(edges) for edges in into),
    )


@frozen
class Step:
    """One move on a route: from `node` by `kind`/`key` to `to`, arriving at `at_seconds`."""

    node: Hashable
    kind: str
    key: str | None
    label: str
    to: Hashable
    at_seconds: float
    probability: float = 1.0


@frozen
class Solution:
    """Expected seconds from each node to the goal, and the best edge of each choice node."""

    values: Mapping[Hashable, float]
    choice: Mapping[Hashable, Edge]

    def value(self, node: Hashable) -> float:
        """Return the expected seconds from `node`, or infinity when the goal is never sure."""
        return self.values.get(node, INF)


def press_tree(
    g: nx.MultiDiGraph, source: Hashable
) -> tuple[dict[Hashable, int], dict[Hashable, Edge]]:
    """Return the least number of menu choices to each reachable node, and the edge by
    which a route with that few choices arrives there."""
    dist = {source: 0}
    parent: dict[Hashable, Edge] = {}
    todo: deque[Hashable] = deque([source])
    while todo:  # 0-1 BFS: free edges go to the front, presses to the back
        u = todo.popleft()
        for _, v, k, press in g.out_edges(u, keys=True, data="press"):
            d = dist[u] + (1 if press else 0)
            if d < dist.get(v, d + 1):
                dist[v] = d
                parent[v] = (u, v, k)
                if press:
                    todo.append(v)
                else:
                    todo.appendleft(v)
    return dist, parent


def _likely(net: Net, u: int) -> Iterable[int]:
    """Return where a chance node routes some calls (a share of 0 routes none)."""
    return (v for v, _, p, _ in net.out[u] if p > 0)


def _sure(net: Net, goal: list[bool]) -> list[bool]:
    """Return, per node, whether some way of choosing reaches a goal with certainty."""
    alive = [True] * len(net.ids)
    size = len(alive)
    starts = [i for i, g in enumerate(goal) if g]
    into, out, chance = net.into, net.out, net.chance
    while True:
        reached = list(goal)
        count = len(starts)
        todo = list(starts)  # the order of the search does not change what it reaches
        while todo:
            v = todo.pop()
            for u, pos in into[v]:
                if reached[u] or not alive[u]:
                    continue
                if chance[u]:
                    if out[u][pos][2] <= 0:
                        continue  # a route no call takes leads nowhere
                    if not all(alive[w] for w, _, p, _ in out[u] if p > 0):
                        continue
                reached[u] = True
                count += 1
                todo.append(u)
        if count == size:  # nothing dropped out: a fixed point
            return reached
        alive, size = reached, count


def solve(
    g: nx.MultiDiGraph,
    goals: Mapping[Hashable, float],
    net: Net | None = None,
    start: Hashable | None = None,
) -> Solution:
    """Return the least expected seconds from every node until a goal is reached.

    `goals` maps each goal node to its own seconds; time spent in other nodes comes from
    their `seconds` attribute and each edge's `seconds`. Pass `net` (from compile_graph)
    when solving the same graph repeatedly, and `start` when only the calls from there
    matter: values and choices are then given for the nodes those calls pass through
    when every choice is made well, and the other nodes are left out (infinity).
    """
    return solve_each(g, [goals], net, start)[0]


def solve_each(
    g: nx.MultiDiGraph,
    goal_maps: Sequence[Mapping[Hashable, float]],
    net: Net | None = None,
    start: Hashable | None = None,
) -> list[Solution]:
    """Return `solve` of each goal map; maps with the same goal nodes (and other seconds)
    share one analysis of where a goal is sure."""
    net = net or compile_graph(g)
    frames: dict[frozenset[Hashable], tuple[Net, list[bool]]] = {}
    shapes: dict[frozenset[Hashable], _Shape] = {}
    out = []
    for goals in goal_maps:
        key = frozenset(goals)
        if key not in frames:
            frames[key] = _frame(net, goals, start)
        if start is not None:
            out.append(_solve_from(*frames[key], goals, start))
            continue
        if key not in shapes:
            shapes[key] = _analyse(*frames[key])
        out.append(_solve_shape(shapes[key], goals))
    return out


@frozen
class _Shape:
    """What a solve needs that depends on the goal nodes only, not on their seconds: the
    part of the graph solved (`net`, in its own numbering) and its analysis."""

    net: Net
    goal: list[bool]
    sure: list[bool]
    inner: list[bool]
    arcs: list[Sequence[tuple[int, float]]]


def _frame(net: Net, goals: Iterable[Hashable], start: Hashable | None) -> tuple[Net, list[bool]]:
    """Return the graph to solve and which of its nodes are goals."""
    n = len(net.ids)
    goal = [False] * n
    for node in goals:
        goal[net.index[node]] = True
    if start is not None or net.closed:
        # A node's value depends only on the nodes after it, so calls from `start` need
        # only what they reach before a goal: on a large menu, often a small part of it,
        # solved as a graph of its own, as is a graph with closed edges. When the calls
        # reach most of an open graph, it is solved whole: copying would cost more.
        reach = _reach(
            net, goal, None if start is None else net.index[start], None if net.closed else n // 2
        )
        if reach is not None:
            net = _part(net, reach, {u for u in reach if goal[u]})
            goal = [goal[u] for u in reach]
    return net, goal


def _analyse(net: Net, goal: list[bool]) -> _Shape:
    sure = _sure(net, goal)
    inner = [s and not g for s, g in zip(sure, goal, strict=True)]
    # Each node's moves, listed once for the components, Dijkstra and policy iteration.
    arcs = [_arcs(net, u, sure) if inner[u] else () for u in range(len(inner))]
    return _Shape(net, goal, sure, inner, arcs)


def _reach(net: Net, goal: list[bool], start: int | None, limit: int | None) -> list[int] | None:
    """Return the nodes a call from `start` can get to without passing a goal, in the
    order found (every node when `start` is None), or None when there are over `limit`;
    closed edges and shares of 0 lead nowhere."""
    if start is None:
        return list(range(len(net.ids)))
    seen = {start}
    found = [start]
    out, chance, closed = net.out, net.chance, net.closed
    for u in found:  # grows as it goes: a breadth-first search
        if goal[u]:
            continue
        shut = closed.get(u) if closed else None
        for j, (v, _, p, _) in enumerate(out[u]):
            if v not in seen and (p > 0 or not chance[u]) and (shut is None or j not in shut):
                seen.add(v)
                found.append(v)
        if limit is not None and len(found) > limit:
            return None
    return found


def _part(net: Net, nodes: list[int], stops: set[int]) -> Net:
    """Return the graph of `nodes` alone, in their order, without closed edges, shares of
    0, edges to other nodes, or a way on from the `stops` (goals)."""
    at = {u: i for i, u in enumerate(nodes)}
    out: list[tuple[tuple[int, float, float, int], ...]] = []
    into: list[list[tuple[int, int]]] = [[] for _ in nodes]
    for i, u in enumerate(nodes):
        edges: list[tuple[int, float, float, int]] = []
        if u not in stops:
            shut = net.closed.get(u, ())
            chance = net.chance[u]
            for j, (v, s, p, k) in enumerate(net.out[u]):
                w = at.get(v)
                if w is not None and (p > 0 or not chance) and j not in shut:
                    into[w].append((i, len(edges)))
                    edges.append((w, s, p, k))
        out.append(tuple(edges))
    ids = tuple(net.ids[u] for u in nodes)
    return Net(
        ids=ids,
        index={node: i for i, node in enumerate(ids)},
        chance=tuple(net.chance[u] for u in nodes),
        own=tuple(net.own[u] for u in nodes),
        out=tuple(out),
        into=tuple(tuple(edges) for edges in into),
    )


def _solve_shape(shape: _Shape, goals: Mapping[Hashable, float]) -> Solution:
    net = shape.net
    n = len(net.ids)
    values = [INF] * n
    for node, seconds in goals.items():
        if node in net.index:
            values[net.index[node]] = seconds
    settled = _settle(shape, values)
    return Solution(
        _Values(net, values, goals), _Choices(net, shape.inner, shape.sure, values, settled)
    )


def _settle(shape: _Shape, values: list[float]) -> dict[int, tuple[int, float]]:
    """Fill in `values` (the goals' already set) component by component, sinks first, and
    return the choices policy iteration settled on in loops through branches: where two
    choices tie, the other may close a loop of free moves that no call leaves."""
    net, arcs = shape.net, shape.arcs
    settled: dict[int, tuple[int, float]] = {}
    for comp in components(shape.inner, arcs):
        looped = len(comp) > 1 or any(v == comp[0] for v in _likely(net, comp[0]))
        if not looped or not any(net.chance[i] for i in comp):
            _dijkstra(net, comp, arcs, values)
        else:
            _dijkstra(net, comp, arcs, values, bound=True)
            settled.update(_improve(net, comp, arcs, values))
    return settled


def _solve_from(
    net: Net, goal: list[bool], goals: Mapping[Hashable, float], start: Hashable
) -> Solution:
    """Return the solution for calls from `start`: exact where they pass when every
    choice is made well, and nothing elsewhere.

    As in LAO*, a lower bound of every value (branches taking their best route, and
    whether a goal is sure left aside) guides which nodes to settle: those a call from
    `start` reaches by the choices that look best, near ties included. They are settled
    exactly with the nodes just beyond them held at their lower bounds; while the best
    choices lead beyond, the settled part grows. Once they stay inside, the values there
    are exact: they bound the optimum from below, and a policy that never leaves the
    part achieves them.
    """
    n = len(net.ids)
    known = [INF] * n
    for node, seconds in goals.items():
        if node in net.index:
            known[net.index[node]] = seconds
    first = net.index[start]
    # For a start that is a goal or reaches none for sure: the goals alone.
    nowhere = Solution(_Values(net, list(known), goals), _Choices(net, [False] * n, goal, [], {}))
    if goal[first]:
        return nowhere
    _lower_bounds(net, goal, known)
    solved: set[int] = set()
    while known[first] < INF:
        passed = _passed(net, first, goal, known)
        if passed <= solved:
            break
        solved |= passed
        nodes = sorted(solved)
        beyond = sorted({v for u in nodes for v in _ahead(net, u) if v not in solved})
        # Beyond, a node without a bound leads to no goal: it stays a dead end, not a goal.
        part = _analyse(
            _part(net, nodes + beyond, set(beyond)),
            [False] * len(nodes) + [known[v] < INF for v in beyond],
        )
        values = [INF] * len(nodes) + [known[v] for v in beyond]
        settled = _settle(part, values)
        for i, u in enumerate(nodes):
            known[u] = values[i]
    if known[first] == INF:
        return nowhere
    # The part's values and choices where calls pass, and the goals; the bounds beyond
    # are not values.
    order = nodes + beyond
    shown = [x if u in passed or goal[u] else INF for u, x in zip(order, values, strict=True)]
    chooses = [u in passed for u in order]
    return Solution(
        _Values(part.net, shown, goals), _Choices(part.net, chooses, part.sure, values, settled)
    )


def _ahead(net: Net, u: int) -> Iterator[int]:
    """Yield where a node's calls may go: any choice, or a route some calls take."""
    chance = net.chance[u]
    return (v for v, _, p, _ in net.out[u] if p > 0 or not chance)


def _lower_bounds(net: Net, goal: list[bool], values: list[float]) -> None:
    """Fill in `values` (the goals' already set) with a lower bound of each node's: a
    search back from the goals in which every branch takes its best route."""
    done = [False] * len(values)
    heap = [(values[i], i) for i, g in enumerate(goal) if g]
    heapq.heapify(heap)
    into, out, own, chance = net.into, net.out, net.own, net.chance
    while heap:
        d, v = heapq.heappop(heap)
        if done[v]:
            continue
        done[v] = True
        for u, pos in into[v]:
            if done[u] or goal[u]:
                continue
            _, seconds, p, _ = out[u][pos]
            if chance[u] and p <= 0:
                continue
            cand = own[u] + seconds + d
            if cand < values[u]:
                values[u] = cand
                heapq.heappush(heap, (cand, u))


def _passed(net: Net, first: int, goal: list[bool], values: list[float]) -> set[int]:
    """Return the nodes, goals aside, a call from `first` reaches by choices within a hair
    of the best by `values` and every route of a branch, up to those with no value."""
    found = {first}
    todo = [first]
    out = net.out
    while todo:
        u = todo.pop()
        if net.chance[u]:
            ahead = [v for v, _, p, _ in out[u] if p > 0]
        else:
            costs = [(s + values[v], v) for v, s, _, _ in out[u]]
            best = min(c for c, _ in costs)
            # Looser than the tie of _best_edge, so that no choice it could make lies beyond.
            bar = best + 1e-6 * max(1.0, best)
            ahead = [v for c, v in costs if c <= bar]
        for v in ahead:
            if not goal[v] and v not in found and values[v] < INF:
                found.add(v)
                todo.append(v)
    return found


class _Values(Mapping[Hashable, float]):
    """A solve's finite values by node, the goals' included, read from its flat list."""

    def __init__(self, net: Net, values: list[float], goals: Mapping[Hashable, float]) -> None:
        self._net, self._values, self._goals = net, values, goals

    def __getitem__(self, node: Hashable) -> float:
        i = self._net.index.get(node)
        if i is None or self._values[i] == INF:
            return self._goals[node]
        return self._values[i]

    def __iter__(self) -> Iterator[Hashable]:
        ids, values = self._net.ids, self._values
        yield from (g for g in self._goals if g not in self._net.index)
        yield from (ids[i] for i in range(len(ids)) if values[i] < INF)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Choices(Mapping[Hashable, Edge]):
    """A solve's best edge of each menu that reaches a goal for sure, each worked out when
    first read: a walk reads a few of thousands."""

    def __init__(
        self,
        net: Net,
        inner: list[bool],
        sure: list[bool],
        values: list[float],
        settled: Mapping[int, tuple[int, float]],
    ) -> None:
        self._net, self._inner, self._sure = net, inner, sure
        self._values, self._settled = values, settled
        self._known: dict[int, Edge] = {}

    def _chooses(self, i: int | None) -> bool:
        return i is not None and self._inner[i] and not self._net.chance[i]

    def __getitem__(self, node: Hashable) -> Edge:
        i = self._net.index.get(node)
        if not self._chooses(i):
            raise KeyError(node)
        assert i is not None
        if i not in self._known:
            self._known[i] = _best_edge(
                self._net, i, self._sure, self._values, self._settled.get(i)
            )
        return self._known[i]

    def __contains__(self, node: object) -> bool:
        return self._chooses(self._net.index.get(node))  # type: ignore[call-overload]

    def __iter__(self) -> Iterator[Hashable]:
        ids = self._net.ids
        return (ids[i] for i in range(len(ids)) if self._chooses(i))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _arcs(net: Net, u: int, sure: list[bool]) -> list[tuple[int, float]]:
    """Return the (target, seconds) a node may take: a chance node's routes, else sure edges."""
    if net.chance[u]:
        return [(v, s) for v, s, p, _ in net.out[u] if p > 0]
    return [(v, s) for v, s, _, _ in net.out[u] if sure[v]]


def _best_edge(
    net: Net,
    u: int,
    sure: list[bool],
    values: list[float],
    settled: tuple[int, float] | None = None,
) -> Edge:
    """Return the cheapest edge out of `u`; ties go to the `settled` choice (the first of
    its edges), else to the one spoken first."""
    best: Edge | None = None
    best_cost = INF
    on_settled = False
    for v, seconds, _, key in net.out[u]:
        if not sure[v]:
            continue
        cost = seconds + values[v]
        this = (v, seconds) == settled
        if cost < best_cost - 1e-9 or (
            this and not on_settled and cost <= best_cost + 1e-9 * max(1.0, cost)
        ):
            best, best_cost, on_settled = (net.ids[u], net.ids[v], key), cost, this
    assert best is not None, "a sure node always has an edge into the sure set"
    return best


def walk(
    g: nx.MultiDiGraph, sol: Solution, start: Hashable, goals: Iterable[Hashable]
) -> tuple[Step, ...]:
    """Follow `sol`'s choices from `start` until a goal, a repeat or no sure choice.

    At a branch the likeliest route not yet taken is followed, among those from which a
    goal can still be reached; the expected figures already account for the others.
    """
    goals = frozenset(goals)
    steps: list[Step] = []
    node, at, seen = start, 0.0, {start}
    while node not in goals:
        if g.nodes[node]["type"] == "branch":
            routes = [
                e
                for e in g.out_edges(node, data=True)
                if e[2]["probability"] > 0 and sol.value(e[1]) < INF
            ]
            if not routes:
                break
            _, v, data = min(
                routes, key=lambda e: (e[1] in seen, -e[2]["probability"], e[2]["order"])
            )
        elif node in sol.choice:
            _, v, k = sol.choice[node]
            data = g.edges[node, v, k]
        else:
            break
        at += g.nodes[node]["seconds"] + data["seconds"]
        steps.append(
            Step(node, data["kind"], data["dtmf"], data["label"], v, at, data["probability"])
        )
        if v in seen:  # a loop: the expected figure already accounts for it
            break
        seen.add(v)
        node = v
    return tuple(steps)
