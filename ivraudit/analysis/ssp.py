"""Exact expected times to a goal, one strongly connected component at a time.

A stochastic shortest path solved exactly: Dijkstra for a component with no chance node,
policy iteration, each policy's linear system solved exactly, where a branch lies
on a cycle. `paths` frames the problem and reads the answer.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ivraudit.analysis.paths import Net

INF = math.inf


def components(inner: list[bool], arcs: Sequence[Sequence[tuple[int, float]]]) -> list[list[int]]:
    """Return the strongly connected components of the inner nodes, sinks first (Tarjan)."""
    n = len(inner)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n):
        if not inner[root] or index[root] >= 0:
            continue
        work = [(root, iter([v for v, _ in arcs[root] if inner[v]]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            u, children = work[-1]
            advanced = False
            for v in children:
                if index[v] < 0:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack[v] = True
                    work.append((v, iter([w for w, _ in arcs[v] if inner[w]])))
                    advanced = True
                    break
                if on_stack[v] and index[v] < low[u]:
                    low[u] = index[v]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[u] < low[parent]:
                    low[parent] = low[u]
            if low[u] == index[u]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == u:
                        break
                comps.append(comp)
    return comps  # Tarjan emits a component only after all it leads to: sinks first


def _dijkstra(
    net: Net,
    comp: list[int],
    arcs: Sequence[list[tuple[int, float]]],
    values: list[float],
    *,
    bound: bool = False,
) -> None:
    """Settle a component by Dijkstra; with `bound`, chance nodes take their best route,
    which gives a lower bound whose best choices start policy iteration."""
    members = set(comp)
    best: dict[int, float] = {}
    heap: list[tuple[float, int]] = []
    for u in comp:
        if net.chance[u] and not bound:  # alone in its component: all routes are settled
            best[u] = _chance_value(net, u, values)
        else:
            exits = [s + values[v] for v, s in arcs[u] if v not in members]
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


class Unbounded(ArithmeticError):
    """An expected time too large for a float: a loop almost no call ever leaves."""


class _Improper(Exception):
    """A policy under which some call goes round a loop for ever."""


def _improve(
    net: Net, comp: list[int], arcs: Sequence[list[tuple[int, float]]], values: list[float]
) -> dict[int, tuple[int, float]]:
    """Replace a component's lower bounds by the exact optimum, by policy iteration, and
    return the choice it settles on at each menu.

    Once each menu's choice is fixed, the expected times are a linear system; it is solved
    exactly, then any menu with a strictly better choice switches, until none has one.
    The first choices come from the lower bounds; should they let some call loop for ever,
    choices that step towards a way out replace them. From a policy that leaves for
    certain, strict improvements keep leaving for certain, so every value is finite.
    """
    members = set(comp)
    policy = {u: _cheapest(arcs[u], values) for u in comp if not net.chance[u]}
    for _ in range(len(comp) * 4 + 8):  # each round strictly improves; this is a backstop
        solved = _evaluate(net, comp, members, policy, values)
        if solved is None:  # only the first policy, from the lower bounds, can be improper
            policy = _attractor(net, comp, members, arcs)
            solved = _evaluate(net, comp, members, policy, values)
            if solved is None:  # pragma: no cover - the attractor always leaves
                raise Unbounded("no way out of a loop")
        for u, x in solved.items():
            values[u] = x
        changed = False
        for u, (v, s) in policy.items():
            current = s + values[v]
            # Switch only for a clear gain: rounding must not make two equal choices alternate.
            bar = current - 1e-9 * max(1.0, current)
            for arc in arcs[u]:
                if arc[1] + values[arc[0]] < bar:
                    policy[u] = _cheapest(arcs[u], values)
                    changed = True
                    break
        if not changed:
            return policy
    raise Unbounded("policy iteration did not settle")  # pragma: no cover - a safeguard


def _cheapest(arcs: Sequence[tuple[int, float]], values: list[float]) -> tuple[int, float]:
    """Return the arc with the least seconds to the goal; ties go to the first."""
    best, best_cost = arcs[0], arcs[0][1] + values[arcs[0][0]]
    for arc in arcs:
        cost = arc[1] + values[arc[0]]
        if cost < best_cost:
            best, best_cost = arc, cost
    return best


def _attractor(
    net: Net, comp: list[int], members: set[int], arcs: Sequence[list[tuple[int, float]]]
) -> dict[int, tuple[int, float]]:
    """Return a policy that leaves the component for certain: each menu steps towards an
    exit, found walking back from the exits (every node here can reach one)."""
    preds: dict[int, list[tuple[int, tuple[int, float]]]] = {u: [] for u in comp}
    done: set[int] = set()
    policy: dict[int, tuple[int, float]] = {}
    todo: deque[int] = deque()
    for u in comp:
        for a in arcs[u]:
            if a[0] in members:
                preds[a[0]].append((u, a))
            elif u not in done:
                done.add(u)
                todo.append(u)
                if not net.chance[u]:
                    policy[u] = a
    while todo:
        v = todo.popleft()
        for u, a in preds[v]:
            if u not in done:
                done.add(u)
                todo.append(u)
                if not net.chance[u]:
                    policy[u] = a
    return policy


def _evaluate(
    net: Net,
    comp: list[int],
    members: set[int],
    policy: Mapping[int, tuple[int, float]],
    values: list[float],
) -> dict[int, float] | None:
    """Return the exact expected seconds of each node of a component under `policy`, or
    None when some call would never leave the component under it."""
    try:
        return _linear(net, comp, members, policy, values)
    except _Improper:
        return None


def _linear(
    net: Net,
    comp: list[int],
    members: set[int],
    policy: Mapping[int, tuple[int, float]],
    values: list[float],
) -> dict[int, float]:
    """Return the exact expected seconds of each node of a component under `policy`.

    A menu's value is its chosen step plus the value where that leads, so chains of menus
    fold into the branches they end at, leaving one equation per branch:
    x_u = b_u + sum p_uv x_v. It is solved by elimination in the GTH form (a node's
    outflow is summed from its remaining shares rather than taken as 1 - p_uu), which
    keeps full precision when a branch sends nearly all calls round a loop.
    """
    ends: dict[int, tuple[float, int | None]] = {}

    def end(v: int) -> tuple[float, int | None]:
        """Return the seconds from `v` to the branch its menus lead to (None: an exit)."""
        path: list[int] = []
        on_path: set[int] = set()
        while v in members and not net.chance[v] and v not in ends:
            if v in on_path:
                raise _Improper
            path.append(v)
            on_path.add(v)
            v = policy[v][0]
        if v not in members:
            tail: tuple[float, int | None] = (values[v], None)
        elif v in ends:
            tail = ends[v]
        else:
            tail = (0.0, v)
        for u in reversed(path):
            tail = (net.own[u] + policy[u][1] + tail[0], tail[1])
            ends[u] = tail
        return tail

    # rows[u]: (constant seconds, outflow to exits, {branch: share}) of branch u's equation.
    rows: dict[int, tuple[float, float, dict[int, float]]] = {}
    refs: dict[int, set[int]] = {}
    for u in comp:
        if not net.chance[u]:
            continue
        b, exit_share, row = net.own[u], 0.0, {}
        for v, s, p, _ in net.out[u]:
            if p <= 0:
                continue
            seconds, target = end(v)
            b += p * (s + seconds)
            if target is None:
                exit_share += p
            elif target != u:  # a way back to itself only lowers the outflow
                row[target] = row.get(target, 0.0) + p
        rows[u] = (b, exit_share, row)
        refs.setdefault(u, set())
        for t in row:
            refs.setdefault(t, set()).add(u)
    order = sorted(rows, key=lambda u: (len(refs[u]) * len(rows[u][2]), u))
    solved: list[tuple[int, float, float, dict[int, float]]] = []
    for w in order:  # eliminate w from every row that mentions it
        b_w, e_w, row_w = rows.pop(w)
        out_w = e_w + math.fsum(row_w.values())
        if out_w <= 0:  # exact: a closed loop's rows never gain outflow (GTH)
            raise _Improper
        solved.append((w, b_w, out_w, row_w))
        for u in refs.pop(w):
            if u not in rows:
                continue
            b_u, e_u, row_u = rows[u]
            share = row_u.pop(w) / out_w
            for v, p in row_w.items():
                if v == u:
                    continue  # the self-loop is implied by the outflow sum (GTH)
                if v not in row_u:
                    refs[v].add(u)
                row_u[v] = row_u.get(v, 0.0) + share * p
            rows[u] = (b_u + share * b_w, e_u + share * e_w, row_u)
        for v in row_w:
            if v in refs:
                refs[v].discard(w)
    x: dict[int, float] = {}
    for w, b_w, out_w, row_w in reversed(solved):
        x[w] = (b_w + math.fsum(p * x[v] for v, p in row_w.items())) / out_w
        if not math.isfinite(x[w]):
            raise Unbounded("an expected time too large for a float")
    for u in comp:
        if not net.chance[u]:
            seconds, target = end(u)
            x[u] = seconds + (x[target] if target is not None else 0.0)
            if not math.isfinite(x[u]):
                raise Unbounded("an expected time too large for a float")
    return x
