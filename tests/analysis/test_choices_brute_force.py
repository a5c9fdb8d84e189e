"""Each intent's figure against brute force on small random menus: the open choices are
worked out from the contract's words (labels, a wrong key never, silence only where no
open option leads to help), then every policy over them is solved exactly. The reference
is 0.2's (a goal reached for sure), which 0.3 keeps wherever every route succeeds; where
some branch route leads nowhere, 0.3 gives a figure for the calls that succeed instead of
"never" (checked against its own brute force in test_likeliest_brute_force.py)."""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivraudit import audit_menu, loads_menu
from tests.test_solver import _reference

INTENTS = ("a", "b")


@st.composite
def _menu_text(draw: st.DrawFn) -> str:
    n = draw(st.integers(2, 6))
    ids = [f"n{i}" for i in range(n)]
    lines = [
        "ivraudit: 1",
        "name: random",
        "timing: {retries: 0}",
        "intents: {a: 1, b: 1}",
        "nodes:",
    ]
    for i, node in enumerate(ids):
        kind = (
            "menu"
            if i == 0
            else draw(
                st.sampled_from(
                    ["menu", "menu", "message", "branch", "agent", "self_service", "hangup"]
                )
            )
        )
        to = st.sampled_from(ids)
        if kind == "menu":
            lines.append(f"  {node}:")
            lines.append(f"    prompt_seconds: {draw(st.sampled_from([0, 1, 4]))}")
            lines.append("    options:")
            keys = draw(
                st.lists(st.sampled_from(["1", "2", "3", "0"]), min_size=1, max_size=3, unique=True)
            )
            for key in keys:
                said = draw(st.sampled_from([0, 1, 3, 9]))
                listed = draw(st.sampled_from([[], [], ["a"], ["b"], ["a", "b"]]))
                extra = f", intents: [{', '.join(listed)}]" if listed else ""
                lines.append(
                    f"      - {{key: {key}, say_seconds: {said}, goto: {draw(to)}{extra}}}"
                )
            for handler in ("no_input", "no_match"):
                if draw(st.booleans()):
                    lines.append(f"    {handler}: {{goto: {draw(to)}}}")
        elif kind == "message":
            said = draw(st.sampled_from([0, 2]))
            lines.append(f"  {node}: {{type: message, prompt_seconds: {said}, next: {draw(to)}}}")
        elif kind == "branch":
            # A share of 0 carries no calls, so it does not lead anywhere (the first one > 0).
            shares = [draw(st.integers(0 if r else 1, 3)) for r in range(draw(st.integers(1, 2)))]
            routes = ", ".join(f"{{share: {s}, goto: {draw(to)}}}" for s in shares)
            lines.append(f"  {node}: {{type: branch, routes: [{routes}]}}")
        elif kind == "hangup":
            lines.append(f"  {node}: {{type: hangup}}")
        else:
            handles = draw(st.sampled_from([[], ["a"], ["b"], ["a", "b"]]))
            timed = "hold_seconds" if kind == "agent" else "prompt_seconds"
            own = draw(st.sampled_from([0, 5, 30]))
            lines.append(
                f"  {node}: {{type: {kind}, {timed}: {own}, handles: [{', '.join(handles)}]}}"
            )
    return "\n".join(lines) + "\n"


def _open_edges(g: nx.MultiDiGraph, intent: str) -> set[tuple[Hashable, Hashable, int]]:
    """Return the edges a caller with `intent` may take, read straight from the contract."""
    helps = {n for n, h in g.nodes(data="handles") if intent in h}
    changed = True
    while changed:  # R(intent): along options, next and routes that carry calls
        changed = False
        for u, v, d in g.edges(data=True):
            carries = d["kind"] in ("option", "next") or (d["kind"] == "route" and d["probability"])
            if u not in helps and v in helps and carries:
                helps.add(u)
                changed = True
    allowed = set()
    for u, v, k in g.edges(keys=True):
        if g.nodes[u]["type"] != "menu":
            allowed.add((u, v, k))
    for u, kind in g.nodes(data="type"):
        if kind != "menu":
            continue
        out = list(g.out_edges(u, keys=True, data=True))
        options = [e for e in out if e[3]["kind"] == "option"]
        silence = [e for e in out if e[3]["kind"] == "no_input"]
        mine = [e for e in options if intent in e[3]["intents"]]
        plain = [e for e in options if not e[3]["intents"]]
        if mine:
            chosen = mine
        elif plain:
            chosen = plain + (silence if not any(e[1] in helps for e in plain) else [])
        else:
            chosen = [e for e in options if e[3]["dtmf"] == "0"] + silence
        allowed |= {(a, b, c) for a, b, c, _ in chosen}
    return allowed


def _brute(
    g: nx.MultiDiGraph, allowed: set, goals: dict[Hashable, float], entry: Hashable
) -> float | None:
    ids = list(g.nodes)
    index = {n: i for i, n in enumerate(ids)}
    kinds = ["menu" if g.nodes[n]["type"] == "menu" else "branch" for n in ids]
    edges = []
    for u, v, k, d in g.edges(keys=True, data=True):
        if (u, v, k) not in allowed or u in goals:
            continue
        share = (
            Fraction(d["probability"]).limit_denominator(1000) if kinds[index[u]] == "branch" else 1
        )
        seconds = Fraction(d["seconds"]) + Fraction(g.nodes[u]["seconds"])
        edges.append((index[u], index[v], seconds, share))
    best = _reference(kinds, edges, {index[n]: Fraction(s) for n, s in goals.items()})
    value = best[index[entry]]
    return None if value is None else float(value)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(_menu_text())
def test_intent_seconds_agree_with_brute_force_over_the_open_choices(text: str) -> None:
    menu = loads_menu(text, "m.yaml")
    audit = audit_menu(menu)
    g = audit.graph
    figures = dict(audit.metrics.intent_seconds)
    for intent in INTENTS:
        goals = {n: s for n, s in g.nodes(data="seconds") if intent in g.nodes[n]["handles"]}
        want = _brute(g, _open_edges(g, intent), goals, menu.entry) if goals else None
        got = figures[intent]
        if want is None:
            calls = audit.metrics.calls
            assert calls is not None
            resolved = calls.intent(intent)
            assert got is None or (resolved is not None and resolved.resolved_share < 1), (
                intent,
                got,
            )
        else:
            assert got == pytest.approx(want, rel=1e-9, abs=1e-9), (intent, got, want)
    # Time to a person keeps every choice, wrong keys and silence included.
    agents = {n: s for n, s in g.nodes(data="seconds") if g.nodes[n]["type"] == "agent"}
    every = {(u, v, k) for u, v, k in g.edges(keys=True)}
    want = _brute(g, every, agents, menu.entry) if agents else None
    got = audit.metrics.time_to_human_seconds
    if want is None:
        assert got is None or audit.metrics.human_share < 1
    else:
        assert audit.metrics.human_share == 1
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9)
