"""Routes that keep the greatest probability of reaching a goal, then the quickest of them.

Format 0.3: a branch route that can never reach a goal (the office is closed) no longer
makes the whole branch "never". At each choice the caller keeps the greatest probability
P of reaching a goal; among those choices, the least expected time for the calls that
succeed: the chain conditioned on success, in which a branch route to m weighs
share x P(m) / P(n) (a stochastic shortest path after greatest probability; Kolobov,
Mausam & Weld 2012, "A theory of goal-oriented MDPs with dead ends"). Where every route
is sure, P is 1 everywhere and this is the ordinary solve of `paths`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from ivraudit.analysis.paths import (
    INF,
    Net,
    Solution,
    _frame,
    _likely,
    _solve_from,
    _sure,
)
from ivraudit.analysis.ssp import _dijkstra, _improve, components
from ivraudit.frozen import frozen

# Two choices whose probabilities differ by less than this are equally likely to succeed:
# the probabilities come out of linear solves, so equal ones may differ in the last bits.
_SAME = 1e-9


@frozen
class Likeliest:
    """A solve from one start: `share` is the greatest probability of reaching a goal
    from there (0 to 1), and `solution` the expected seconds for the calls that do."""

    solution: Solution
    share: float

    def value(self, node: Hashable) -> float:
        """Return the expected seconds from `node` given success (infinity: never)."""
        return self.solution.value(node)


_NOWHERE = Likeliest(Solution({}, {}), 0.0)


def solve_likeliest(
    net: Net, goal_maps: Sequence[Mapping[Hashable, float]], start: Hashable
) -> list[Likeliest]:
    """Return, for each goal map (all with the same goal nodes), the greatest probability
    of reaching a goal from `start` and the least expected seconds given success."""
    if not goal_maps or not goal_maps[0]:
        return [_NOWHERE for _ in goal_maps]
    framed, goal = _frame(net, goal_maps[0], start)
    first = [_solve_from(framed, goal, goals, start) for goals in goal_maps[:1]]
    if first[0].value(start) < INF or goal[framed.index[start]]:
        # Sure from the start: P is 1 on every route the calls take, as in 0.2.
        rest = [_solve_from(framed, goal, goals, start) for goals in goal_maps[1:]]
        return [Likeliest(s, 1.0) for s in first + rest]
    chance = probabilities(framed, goal)
    share = chance[framed.index[start]]
    if share <= 0:
        return [Likeliest(first[0], 0.0) for _ in goal_maps]
    kept, cond = _conditioned(framed, goal, chance)
    cond_goal = [goal[u] for u in kept]
    out = []
    for goals in goal_maps:
        inside = {node: s for node, s in goals.items() if node in cond.index}
        out.append(Likeliest(_solve_from(cond, cond_goal, inside, start), share))
    return out


def probabilities(net: Net, goal: list[bool]) -> list[float]:
    """Return, per node, the greatest probability that a call from there reaches a goal.

    Solved exactly with the machinery of the expected-time solve: every move costs
    nothing and a goal is worth -1, so the least "time" is minus the greatest
    probability (nodes that cannot reach a goal at all are worth 0). Components without
    a branch settle by Dijkstra; loops through branches by policy iteration, whose
    strict improvements from a policy that leaves keep leaving.
    """
    n = len(net.ids)
    sure = _sure(net, goal)
    possible = list(goal)
    todo = [i for i in range(n) if goal[i]]
    while todo:
        v = todo.pop()
        for u, pos in net.into[v]:
            if possible[u] or (net.chance[u] and net.out[u][pos][2] <= 0):
                continue
            possible[u] = True
            todo.append(u)
    values = [-1.0 if goal[i] or sure[i] else 0.0 for i in range(n)]
    inner = [possible[i] and not sure[i] and not goal[i] for i in range(n)]
    free = Net(
        ids=net.ids,
        index=net.index,
        chance=net.chance,
        own=(0.0,) * n,
        out=tuple(tuple((v, 0.0, p, k) for v, _, p, k in edges) for edges in net.out),
        into=net.into,
    )
    arcs: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for u in range(n):
        if inner[u]:
            if net.chance[u]:
                arcs[u] = [(v, 0.0) for v, _, p, _ in net.out[u] if p > 0]
            else:
                arcs[u] = [(v, 0.0) for v, _, _, _ in net.out[u] if possible[v]]
    for i in range(n):
        if inner[i]:
            values[i] = INF
    for comp in components(inner, arcs):
        looped = len(comp) > 1 or any(v == comp[0] for v in _likely(net, comp[0]))
        if not looped or not any(net.chance[i] for i in comp):
            _dijkstra(free, comp, arcs, values)
        else:
            _dijkstra(free, comp, arcs, values, bound=True)
            _improve(free, comp, arcs, values)
    return [min(1.0, max(0.0, -x)) if x < INF else 0.0 for x in values]


def _conditioned(net: Net, goal: list[bool], chance: list[float]) -> tuple[list[int], Net]:
    """Return the nodes that can reach a goal and the graph of the calls that do: each
    choice keeps only the moves that keep the greatest probability, and a branch's route
    to m weighs share x P(m) / P(branch)."""
    kept = [u for u in range(len(net.ids)) if chance[u] > 0]
    at = {u: i for i, u in enumerate(kept)}
    out: list[tuple[tuple[int, float, float, int], ...]] = []
    into: list[list[tuple[int, int]]] = [[] for _ in kept]
    for i, u in enumerate(kept):
        edges: list[tuple[int, float, float, int]] = []
        if not goal[u]:
            here = chance[u]
            if net.chance[u]:
                moves = [
                    (v, s, p * chance[v] / here, k)
                    for v, s, p, k in net.out[u]
                    if p > 0 and chance[v] > 0
                ]
            else:
                best = max(chance[v] for v, _, _, _ in net.out[u])
                bar = best - _SAME * max(best, 1e-300)
                moves = [(v, s, p, k) for v, s, p, k in net.out[u] if chance[v] >= bar]
            for v, s, p, k in moves:
                into[at[v]].append((i, len(edges)))
                edges.append((at[v], s, p, k))
        out.append(tuple(edges))
    ids = tuple(net.ids[u] for u in kept)
    return kept, Net(
        ids=ids,
        index={node: i for i, node in enumerate(ids)},
        chance=tuple(net.chance[u] for u in kept),
        own=tuple(net.own[u] for u in kept),
        out=tuple(out),
        into=tuple(tuple(e) for e in into),
    )
