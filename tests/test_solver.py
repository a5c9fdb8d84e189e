"""The expected-time solver is exact: loops through branches, checked against brute force."""

from __future__ import annotations

import itertools
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivraudit import audit_menu, loads_menu
from ivraudit.analysis.paths import solve, walk

RING = """\
ivraudit: 1
name: Ring
timing: {response_seconds: 0}
nodes:
  m1: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m2}]}
  m2: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m3}]}
  m3: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m4}]}
  m4: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m5}]}
  m5: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m6}]}
  m6: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m7}]}
  m7: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m8}]}
  m8: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m9}]}
  m9: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: m10}]}
  m10: {prompt_seconds: 0, options: [{key: 1, say_seconds: 1, goto: busy}]}
  busy:
    type: branch
    routes:
      - {when: all advisers busy, share: 0.999999, goto: m1}
      - {when: an adviser is free, share: 0.000001, goto: desk}
  desk: {type: agent, hold_seconds: 0}
"""


def test_a_ring_left_once_in_a_million_calls_is_solved_exactly() -> None:
    # Issue 6: value iteration stopped at 100,000 sweeps and said 951,635 s.
    # Each round costs 10 s and one call in 10**6 leaves: 10 / 10**-6 = 10,000,000 s.
    metrics = audit_menu(loads_menu(RING, "ring.yaml")).metrics
    assert metrics.time_to_human_seconds == pytest.approx(10_000_000, abs=0.05)
    assert metrics.to_dict()["time_to_human_seconds"] == pytest.approx(10_000_000, abs=0.05)


def test_a_choice_between_two_loops_takes_the_cheaper() -> None:
    # The menu may take a fast loop that rarely leaves or a slow one that always does.
    g = nx.MultiDiGraph()
    for n, kind in (("m", "menu"), ("b", "branch"), ("goal", "agent")):
        g.add_node(n, type=kind, seconds=0.0)
    g.add_edge("m", "b", seconds=1.0, probability=1.0)
    g.add_edge("m", "goal", seconds=30.0, probability=1.0)
    g.add_edge("b", "m", seconds=0.0, probability=0.9)
    g.add_edge("b", "goal", seconds=0.0, probability=0.1)
    # Going round: x = 1 + 0.9 x, so 10 s, better than 30 s.
    assert solve(g, {"goal": 0.0}).value("m") == pytest.approx(10.0, abs=1e-9)


def test_a_first_guess_that_loops_for_ever_is_replaced() -> None:
    # The lower bounds tie, and the first guess (a -> b, d -> a) lets no call out of
    # {a, b, d}: the solver must notice and start from a policy that leaves.
    g = nx.MultiDiGraph()
    for n, kind in (("a", "menu"), ("b", "branch"), ("d", "menu"), ("goal", "agent")):
        g.add_node(n, type=kind, seconds=0.0)
    g.add_edge("a", "b", seconds=0.0, probability=1.0)
    g.add_edge("a", "goal", seconds=100.0, probability=1.0)
    g.add_edge("b", "a", seconds=0.0, probability=0.5)
    g.add_edge("b", "d", seconds=0.0, probability=0.5)
    g.add_edge("d", "a", seconds=0.0, probability=1.0)
    g.add_edge("d", "goal", seconds=50.0, probability=1.0)
    sol = solve(g, {"goal": 0.0})
    assert [sol.value(n) for n in "abd"] == pytest.approx([50.0, 50.0, 50.0])
    assert sol.choice["d"][1] == "goal"


# -- brute force: every policy, each solved exactly in fractions ------------------------


def _reference(
    kinds: list[str], edges: list[tuple[int, int, int, int]], goals: dict[int, int]
) -> dict[int, Fraction | None]:
    """Return the least expected seconds from each node (None: not sure to reach a goal),
    trying every choice at every menu and solving each policy's chain exactly."""
    n = len(kinds)
    out: dict[int, list[tuple[int, int, int]]] = {u: [] for u in range(n)}
    for u, v, seconds, share in edges:
        out[u].append((v, seconds, share))
    menus = [u for u in range(n) if kinds[u] == "menu" and u not in goals and out[u]]
    best: dict[int, Fraction | None] = {u: None for u in range(n)}
    for u, s in goals.items():
        best[u] = Fraction(s)
    for picks in itertools.product(*(range(len(out[u])) for u in menus)):
        chosen = dict(zip(menus, picks, strict=True))
        moves: dict[int, list[tuple[int, Fraction, Fraction]]] = {}
        for u in range(n):
            if u in goals:
                continue
            if kinds[u] == "menu":
                if u in chosen:
                    v, seconds, _ = out[u][chosen[u]]
                    moves[u] = [(v, Fraction(seconds), Fraction(1))]
                else:
                    moves[u] = []
            else:
                total = sum(share for _, _, share in out[u])
                moves[u] = [
                    (v, Fraction(seconds), Fraction(share, total))
                    for v, seconds, share in out[u]
                    if share > 0
                ]
        # Nodes that reach a goal for certain: every node reachable from them can reach one.
        can = set(goals)
        changed = True
        while changed:
            changed = False
            for u, ms in moves.items():
                if u not in can and any(v in can for v, _, _ in ms):
                    can.add(u)
                    changed = True
        sure = set(goals)
        for u in moves:
            seen, todo = {u}, [u]
            while todo:
                w = todo.pop()
                for v, _, _ in moves.get(w, []):
                    if v not in seen:
                        seen.add(v)
                        todo.append(v)
            if all(w in can for w in seen) and (moves[u] or u in goals):
                sure.add(u)
        unknown = [u for u in moves if u in sure]
        values = _solve_fractions(unknown, moves, goals)
        for u, x in values.items():
            if best[u] is None or x < best[u]:
                best[u] = x
    return best


def _solve_fractions(
    unknown: list[int], moves: dict[int, list[tuple[int, Fraction, Fraction]]], goals: dict
) -> dict[int, Fraction]:
    """Solve x_u = sum p (s + x_v) over `unknown` by Gauss-Jordan elimination in fractions."""
    index = {u: i for i, u in enumerate(unknown)}
    m = len(unknown)
    rows = []
    for u in unknown:
        row = [Fraction(0)] * (m + 1)
        row[index[u]] += 1
        for v, seconds, p in moves[u]:
            row[m] += p * seconds
            if v in goals:
                row[m] += p * goals[v]
            else:
                row[index[v]] -= p
        rows.append(row)
    for c in range(m):
        pivot = next(r for r in range(c, m) if rows[r][c] != 0)
        rows[c], rows[pivot] = rows[pivot], rows[c]
        for r in range(m):
            if r != c and rows[r][c] != 0:
                f = rows[r][c] / rows[c][c]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[c], strict=True)]
    return {u: rows[index[u]][m] / rows[index[u]][index[u]] for u in unknown}


@st.composite
def _menus(
    draw: st.DrawFn, most: int = 7
) -> tuple[list[str], list[tuple[int, int, int, int]], dict[int, int]]:
    n = draw(st.integers(3, most))
    kinds = [draw(st.sampled_from(["menu", "menu", "branch"])) for _ in range(n)]
    goals = {n - 1: draw(st.integers(0, 50))}
    if draw(st.booleans()):
        goals[n - 2] = draw(st.integers(0, 50))
    edges = []
    for u in range(n):
        if u in goals:
            continue
        count = draw(st.integers(0 if kinds[u] == "menu" else 1, 3))
        for _ in range(count):
            v = draw(st.integers(0, n - 1))
            # Free moves are common, so that loops costing nothing are tried too.
            seconds = draw(st.sampled_from([0, 0, 1, 2, 7, 20])) if kinds[u] == "menu" else 0
            share = draw(st.integers(0, 999)) if kinds[u] == "branch" else 1
            edges.append((u, v, seconds, share))
        if kinds[u] == "branch" and all(e[3] == 0 for e in edges if e[0] == u):
            edges.append((u, draw(st.integers(0, n - 1)), 0, 1))
    own = [draw(st.sampled_from([0, 0, 0, 3, 10])) for _ in range(n)]
    # A node's own seconds are folded into its outgoing edges for the reference.
    edges = [(u, v, s + own[u], share) for u, v, s, share in edges]
    return kinds, edges, goals


def _graph(kinds: list[str], edges: list[tuple[int, int, int, int]]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for u, kind in enumerate(kinds):
        g.add_node(u, type=kind, seconds=0.0)
    totals: dict[int, int] = {}
    for u, _, _, share in edges:
        totals[u] = totals.get(u, 0) + share
    for u, v, seconds, share in edges:
        p = share / totals[u] if kinds[u] == "branch" else 1.0
        g.add_edge(
            u,
            v,
            seconds=float(seconds),
            probability=p,
            kind="option",
            dtmf=None,
            label="",
            order=len(g.edges),
        )
    return g


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(_menus())
def test_the_solver_agrees_with_brute_force(
    case: tuple[list[str], list[tuple[int, int, int, int]], dict[int, int]],
) -> None:
    kinds, edges, goals = case
    g = _graph(kinds, edges)
    sol = solve(g, {u: float(s) for u, s in goals.items()})
    expected = _reference(kinds, edges, goals)
    for u in range(len(kinds)):
        want = expected[u]
        if want is None:
            assert sol.value(u) == float("inf"), (u, sol.values)
        else:
            assert sol.value(u) == pytest.approx(float(want), rel=1e-9, abs=1e-9), (u, sol.values)
    # Solved from one start, only what its calls pass through: the same value there, the
    # same route, and nothing shown that the whole solve does not agree with.
    for u in range(len(kinds)):
        part = solve(g, {v: float(s) for v, s in goals.items()}, start=u)
        assert part.value(u) == pytest.approx(sol.value(u), rel=1e-12, abs=1e-12)
        if sol.value(u) < float("inf"):  # a route is followed only to a goal that is sure
            _assert_best_choices(g, sol, walk(g, part, u, goals))
        assert all(sol.values[v] == pytest.approx(x, rel=1e-12) for v, x in part.values.items())
        for v, (_, w, k) in part.choice.items():  # a best choice (ties may differ)
            best = min(d["seconds"] + sol.value(x) for _, x, d in g.out_edges(v, data=True))
            assert g.edges[v, w, k]["seconds"] + sol.value(w) == pytest.approx(best, rel=1e-9)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_menus(most=30))
def test_a_solve_from_a_start_agrees_with_the_whole_solve(
    case: tuple[list[str], list[tuple[int, int, int, int]], dict[int, int]],
) -> None:
    """Larger menus than brute force can check, so that the settled part grows in steps."""
    kinds, edges, goals = case
    g = _graph(kinds, edges)
    targets = {u: float(s) for u, s in goals.items()}
    whole = solve(g, targets)
    for u in range(len(kinds)):
        part = solve(g, targets, start=u)
        assert part.value(u) == pytest.approx(whole.value(u), rel=1e-12, abs=1e-12)
        if whole.value(u) < float("inf"):
            _assert_best_choices(g, whole, walk(g, part, u, goals))


def _assert_best_choices(g: nx.MultiDiGraph, sol: object, route: tuple) -> None:
    """Every menu on `route` takes a choice that is best by `sol` (ties may differ)."""
    at = 0.0
    for step in route:
        cost = step.at_seconds - at + sol.value(step.to)  # type: ignore[attr-defined]
        if g.nodes[step.node]["type"] == "menu":
            best = min(d["seconds"] + sol.value(v) for _, v, d in g.out_edges(step.node, data=True))  # type: ignore[attr-defined]
            assert cost == pytest.approx(best, rel=1e-9, abs=1e-9), (step, best)
        at = step.at_seconds
