"""Shortest routes through a call graph: key presses, and expected seconds to a goal.

Menus are choices (the caller takes the best option) and branches are chance
(the system splits calls by share), so expected time is a stochastic shortest path.
It is solved exactly where no chance node lies on a cycle (Dijkstra on each strongly
connected component, sinks first) and by value iteration inside the rare components
where one does.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

INF = math.inf
_EPS = 1e-9
_MAX_SWEEPS = 100_000

Edge = tuple[Hashable, Hashable, int]


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
    dist = {source: 0}
    todo: deque[Hashable] = deque([source])
    while todo:  # 0-1 BFS: free edges go to the front, presses to the back
        u = todo.popleft()
        for _, v, data in g.out_edges(u, data=True):
            d = dist[u] + (1 if data["press"] else 0)
            if d < dist.get(v, d + 1):
                dist[v] = d
                if data["press"]:
                    todo.append(v)
                else:
                    todo.appendleft(v)
    return dist


def _is_chance(g: nx.MultiDiGraph, node: Hashable) -> bool:
    return g.nodes[node]["type"] == "branch"


def sure_nodes(g: nx.MultiDiGraph, goals: Iterable[Hashable]) -> set[Hashable]:
    """Return the nodes from which some way of choosing reaches a goal with certainty."""
    goals = set(goals)
    alive = set(g.nodes)
    while True:
        reached = set(goals)
        todo = deque(goals)
        while todo:
            v = todo.popleft()
            for u in g.predecessors(v):
                if u in reached or u not in alive or u in goals:
                    continue
                if _is_chance(g, u) and any(w not in alive for w in _likely(g, u)):
                    continue
                reached.add(u)
                todo.append(u)
        if len(reached) == len(alive):  # nothing dropped out: a fixed point
            return reached
        alive = reached


def solve(g: nx.MultiDiGraph, goals: Mapping[Hashable, float]) -> Solution:
    """Return the least expected seconds from every node until a goal is reached.

    `goals` maps each goal node to its own seconds; time spent in other nodes comes
    from their `seconds` attribute and each edge's `seconds`.
    """
    sure = sure_nodes(g, goals)
    values: dict[Hashable, float] = dict(goals)
    choice: dict[Hashable, Edge] = {}
    inner = [n for n in g.nodes if n in sure and n not in goals]
    sub = g.subgraph(inner)
    condensed = nx.condensation(sub)
    for comp in reversed(list(nx.topological_sort(condensed))):
        members = condensed.nodes[comp]["members"]
        if any(_is_chance(g, n) for n in members) and (
            len(members) > 1 or any(sub.has_edge(n, n) for n in members)
        ):
            _iterate(g, members, sure, values)
        else:
            _dijkstra(g, members, sure, values)
    for u in inner:
        if not _is_chance(g, u):
            choice[u] = _best_edge(g, u, sure, values)
    return Solution(values, choice)


def _edges(g: nx.MultiDiGraph, u: Hashable, sure: set[Hashable]) -> Iterable[tuple]:
    for _, v, k, data in g.out_edges(u, keys=True, data=True):
        if v in sure:
            yield v, k, data


def _likely(g: nx.MultiDiGraph, u: Hashable) -> Iterable[Hashable]:
    """Return the successors a chance node routes some calls to (a share of 0 routes none)."""
    return (v for _, v, p in g.out_edges(u, data="probability") if p > 0)


def _chance_value(g: nx.MultiDiGraph, u: Hashable, values: Mapping[Hashable, float]) -> float:
    total = g.nodes[u]["seconds"]
    for _, v, data in g.out_edges(u, data=True):
        if data["probability"] > 0:
            total += data["probability"] * (data["seconds"] + values.get(v, INF))
    return total


def _dijkstra(
    g: nx.MultiDiGraph, members: set[Hashable], sure: set[Hashable], values: dict[Hashable, float]
) -> None:
    best: dict[Hashable, float] = {}
    heap: list[tuple[float, int, Hashable]] = []
    order = {n: i for i, n in enumerate(sorted(members, key=str))}
    for u in members:
        if _is_chance(g, u):  # a chance node alone in its component: all exits are known
            best[u] = _chance_value(g, u, values)
        else:
            exits = [d["seconds"] + values[v] for v, _, d in _edges(g, u, sure) if v not in members]
            best[u] = g.nodes[u]["seconds"] + min(exits) if exits else INF
        if best[u] < INF:
            heapq.heappush(heap, (best[u], order[u], u))
    done: set[Hashable] = set()
    while heap:
        d, _, v = heapq.heappop(heap)
        if v in done or d > best[v]:
            continue
        done.add(v)
        values[v] = d
        for u, _, data in g.in_edges(v, data=True):
            if u not in members or u in done or _is_chance(g, u):
                continue
            cand = g.nodes[u]["seconds"] + data["seconds"] + d
            if cand < best[u]:
                best[u] = cand
                heapq.heappush(heap, (cand, order[u], u))


def _iterate(
    g: nx.MultiDiGraph, members: set[Hashable], sure: set[Hashable], values: dict[Hashable, float]
) -> None:
    nodes = sorted(members, key=str)
    for n in nodes:
        values[n] = 0.0  # from below: Bellman updates rise monotonically to the optimum
    for _ in range(_MAX_SWEEPS):
        change = 0.0
        for u in nodes:
            if _is_chance(g, u):
                new = _chance_value(g, u, values)
            else:
                new = g.nodes[u]["seconds"] + min(
                    d["seconds"] + values.get(v, INF) for v, _, d in _edges(g, u, sure)
                )
            change = max(change, abs(new - values[u]))
            values[u] = new
        if change <= _EPS * 1e-3:
            break


def _best_edge(
    g: nx.MultiDiGraph, u: Hashable, sure: set[Hashable], values: Mapping[Hashable, float]
) -> Edge:
    """Return the cheapest edge out of `u`; ties go to the one spoken first."""
    best: Edge | None = None
    best_cost = INF
    for v, k, data in _edges(g, u, sure):
        cost = data["seconds"] + values.get(v, INF)
        if cost < best_cost - _EPS:
            best, best_cost = (u, v, k), cost
    assert best is not None, "a sure node always has an edge into the sure set"
    return best
