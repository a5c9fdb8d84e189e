"""Shortest routes through a call graph: key presses, and expected seconds to a goal.

Menus are choices (the caller takes the best option) and branches are chance (the
system splits calls by share), so expected time is a stochastic shortest path. Nodes
from which no way of choosing reaches a goal for certain are "never". The rest is
solved one strongly connected component at a time, sinks first: exactly by Dijkstra
where a component holds no chance node, and by value iteration, started from a lower
bound and swept in Dijkstra order, where a branch lies on a cycle.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

INF = math.inf
_TOLERANCE = 1e-10
_MAX_SWEEPS = 100_000

Edge = tuple[Hashable, Hashable, int]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Step:
    """One move on a route: from `node` by `kind`/`key` to `to`, arriving at `at_seconds`."""

    node: Hashable
    kind: str
    key: str | None
    label: str
    to: Hashable
    at_seconds: float
    probability: float = 1.0


@dataclass(frozen=True)
class Solution:
    """Expected seconds from each node to the goal, and the best edge of each choice node."""

    values: Mapping[Hashable, float]
    choice: Mapping[Hashable, Edge]

    def value(self, node: Hashable) -> float:
        """Return the expected seconds from `node`, or infinity when the goal is never sure."""
        return self.values.get(node, INF)


def press_distances(g: nx.MultiDiGraph, source: Hashable) -> dict[Hashable, int]:
    """Return the least number of menu choices from `source` to every reachable node."""
    return press_tree(g, source)[0]


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
    while True:
        reached = list(goal)
        count = sum(reached)
        todo = deque(i for i, g in enumerate(goal) if g)
        while todo:
            v = todo.popleft()
            for u, _ in net.into[v]:
                if reached[u] or not alive[u]:
                    continue
                if net.chance[u] and not all(alive[w] for w in _likely(net, u)):
                    continue
                reached[u] = True
                count += 1
                todo.append(u)
        if count == size:  # nothing dropped out: a fixed point
            return reached
        alive, size = reached, count


def solve(g: nx.MultiDiGraph, goals: Mapping[Hashable, float], net: Net | None = None) -> Solution:
    """Return the least expected seconds from every node until a goal is reached.

    `goals` maps each goal node to its own seconds; time spent in other nodes comes from
    their `seconds` attribute and each edge's `seconds`. Pass `net` (from compile_graph)
    when solving the same graph repeatedly.
    """
    net = net or compile_graph(g)
    n = len(net.ids)
    goal = [False] * n
    values = [INF] * n
    for node, seconds in goals.items():
        i = net.index[node]
        goal[i], values[i] = True, seconds
    sure = _sure(net, goal)
    inner = [sure[i] and not goal[i] for i in range(n)]
    for comp in _components(net, inner, sure):
        looped = len(comp) > 1 or any(v == comp[0] for v in _likely(net, comp[0]))
        if not looped or not any(net.chance[i] for i in comp):
            _dijkstra(net, comp, sure, values)
        else:
            _dijkstra(net, comp, sure, values, bound=True)
            _iterate(net, comp, sure, values)
    choice: dict[Hashable, Edge] = {}
    for u in range(n):
        if inner[u] and not net.chance[u]:
            choice[net.ids[u]] = _best_edge(net, u, sure, values)
    return Solution({net.ids[i]: values[i] for i in range(n) if values[i] < INF}, choice)


def _arcs(net: Net, u: int, sure: list[bool]) -> Iterable[tuple[int, float]]:
    """Return the (target, seconds) a node may take: a chance node's routes, else sure edges."""
    if net.chance[u]:
        return ((v, s) for v, s, p, _ in net.out[u] if p > 0)
    return ((v, s) for v, s, _, _ in net.out[u] if sure[v])


def _components(net: Net, inner: list[bool], sure: list[bool]) -> list[list[int]]:
    """Return the strongly connected components of the inner nodes, sinks first (Tarjan)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    comps: list[list[int]] = []
    counter = 0
    for root in range(len(inner)):
        if not inner[root] or root in index:
            continue
        work = [(root, iter([v for v, _ in _arcs(net, root, sure) if inner[v]]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            u, children = work[-1]
            advanced = False
            for v in children:
                if v not in index:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack.add(v)
                    work.append((v, iter([w for w, _ in _arcs(net, v, sure) if inner[w]])))
                    advanced = True
                    break
                if v in on_stack:
                    low[u] = min(low[u], index[v])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[u])
            if low[u] == index[u]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == u:
                        break
                comps.append(comp)
    return comps  # Tarjan emits a component only after all it leads to: sinks first


def _dijkstra(
    net: Net, comp: list[int], sure: list[bool], values: list[float], *, bound: bool = False
) -> None:
    """Settle a component by Dijkstra; with `bound`, chance nodes take their best route,
    which gives a lower bound to start value iteration from."""
    members = set(comp)
    best: dict[int, float] = {}
    heap: list[tuple[float, int]] = []
    for u in comp:
        if net.chance[u] and not bound:  # alone in its component: all routes are settled
            best[u] = _chance_value(net, u, values)
        else:
            exits = [s + values[v] for v, s in _arcs(net, u, sure) if v not in members]
            best[u] = net.own[u] + min(exits) if exits else INF
        if best[u] < INF:
            heapq.heappush(heap, (best[u], u))
    done: set[int] = set()
    while heap:
        d, v = heapq.heappop(heap)
        if v in done or d > best[v]:
            continue
        done.add(v)
        values[v] = d
        for u, pos in net.into[v]:
            if u not in members or u in done or (net.chance[u] and not bound):
                continue
            _, seconds, p, _ = net.out[u][pos]
            if net.chance[u] and p <= 0:
                continue
            cand = net.own[u] + seconds + d
            if cand < best[u]:
                best[u] = cand
                heapq.heappush(heap, (cand, u))


def _chance_value(net: Net, u: int, values: list[float]) -> float:
    total = net.own[u]
    for v, seconds, p, _ in net.out[u]:
        if p > 0:
            total += p * (seconds + values[v])
    return total


def _iterate(net: Net, comp: list[int], sure: list[bool], values: list[float]) -> None:
    """Raise a component's lower bounds to the optimum by Bellman sweeps (Gauss-Seidel).

    Sweeping nearest-to-the-goal first lets one sweep carry an improvement along a chain,
    and only nodes whose successors rose are recomputed; what repeats is the loops through
    branches, which converge geometrically in the chance of going round again.
    """
    members = set(comp)
    order = sorted(comp, key=lambda i: (values[i], i))
    arcs = {u: list(_arcs(net, u, sure)) for u in order}
    preds = {u: [w for w, _ in net.into[u] if w in members] for u in order}
    dirty = dict.fromkeys(order, True)
    tolerance = _TOLERANCE * max(1.0, max(values[i] for i in order))
    for _ in range(_MAX_SWEEPS):
        any_dirty = False
        for u in order:
            if not dirty[u]:
                continue
            dirty[u] = False
            if net.chance[u]:
                new = _chance_value(net, u, values)
            else:
                new = net.own[u] + min(s + values[v] for v, s in arcs[u])
            if new - values[u] > tolerance:
                any_dirty = True
                for w in preds[u]:
                    dirty[w] = True
            values[u] = max(values[u], new)
        if not any_dirty:
            break


def _best_edge(net: Net, u: int, sure: list[bool], values: list[float]) -> Edge:
    """Return the cheapest edge out of `u`; ties go to the one spoken first."""
    best: Edge | None = None
    best_cost = INF
    for v, seconds, _, key in net.out[u]:
        if not sure[v]:
            continue
        cost = seconds + values[v]
        if cost < best_cost - 1e-9:
            best, best_cost = (net.ids[u], net.ids[v], key), cost
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
