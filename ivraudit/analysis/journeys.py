"""Caller journeys: the route a caller with an intent takes, and where it ends.

The expected seconds come from the solver on the graph as that caller moves through it
(`choices.intent_view`); this module turns a solution into the steps a report shows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx

from ivraudit.analysis.paths import INF, Solution, Step, solve, walk
from ivraudit.frozen import frozen


@frozen
class Journey:
    """The route callers with `intent` take, and the own seconds of the handler it ends at.

    `end_seconds` is the hold of a person or the length of a self-service message; None
    when the route does not end at a handler (the callers are trapped, or no node handles
    the intent, and then the route is empty).
    """

    intent: str
    steps: tuple[Step, ...]
    end_seconds: float | None
    end_kind: str = ""  # the type of the node the route ends at
    handled: bool = True  # whether any node handles the intent (False: the callers are lost)

    @property
    def end(self) -> Hashable | None:
        """Return the node the route ends at (None for an empty route)."""
        return self.steps[-1].to if self.steps else None


def intent_journey(
    g: nx.MultiDiGraph,
    intent: str,
    sol: Solution,
    entry: Hashable,
    goals: Mapping[Hashable, float] | None = None,
) -> Journey:
    """Return the journey of callers with `intent`, `g` being the graph as they move through it
    (`goals`: its `intent_goals`, when already known)."""
    goals = intent_goals(g, intent) if goals is None else goals
    steps = journey(g, sol, entry, goals)
    last = steps[-1].to if steps else entry
    return Journey(intent, steps, goals.get(last), g.nodes[last]["type"], bool(goals))


def intent_goals(g: nx.MultiDiGraph, intent: str) -> dict[Hashable, float]:
    """Return the nodes that handle `intent`, each with its own seconds (hold, message)."""
    return {n: d["seconds"] for n, d in g.nodes(data=True) if intent in d["handles"]}


def all_intent_goals(g: nx.MultiDiGraph) -> dict[str, dict[Hashable, float]]:
    """Return `intent_goals` of every intent some node handles, in one pass over the nodes."""
    out: dict[str, dict[Hashable, float]] = {}
    for n, d in g.nodes(data=True):
        for intent in d["handles"]:
            out.setdefault(intent, {})[n] = d["seconds"]
    return out


def journey(
    g: nx.MultiDiGraph, sol: Solution, entry: Hashable, goals: Mapping[Hashable, float]
) -> tuple[Step, ...]:
    """Return the route from `entry` towards a node of `goals`, `g` being the caller's graph.

    A route sure to reach a goal follows the solution. When a branch may send the call
    elsewhere, branches are assumed to take a route that can (shares renormalised), so the
    route shows where such calls go. A caller who cannot reach a goal at all is followed as
    long as they have a single choice: the route shows where they are trapped. Empty when
    no node handles the intent.
    """
    if not goals:
        return ()
    if sol.value(entry) < INF:
        return walk(g, sol, entry, goals)
    helpful = helpful_routes(g, goals)
    if entry in helpful:
        return walk(helpful, solve(helpful, goals, start=entry), entry, goals)
    return _single_choices(g, entry)


def helpful_routes(g: nx.MultiDiGraph, goals: Iterable[Hashable]) -> nx.MultiDiGraph:
    """Return the part of `g` that can reach a goal, branch shares renormalised over it."""
    keep = set(goals)
    todo = deque(keep)
    while todo:
        v = todo.popleft()
        for u, _, p in g.in_edges(v, data="probability"):
            # A route with share 0 carries no calls, so it does not keep a branch alive.
            if u not in keep and p > 0:
                keep.add(u)
                todo.append(u)
    sub = g.subgraph(keep).copy()
    for u, kind in sub.nodes(data="type"):
        if kind == "branch":
            total = sum(p for _, _, p in sub.out_edges(u, data="probability"))
            for _, _, data in sub.out_edges(u, data=True):
                data["probability"] /= total
    return sub


def _single_choices(g: nx.MultiDiGraph, entry: Hashable) -> tuple[Step, ...]:
    """Return the route from `entry` while each node leaves a caller one way to go (a
    branch: its likeliest route), up to a repeat or a node with several ways."""
    steps: list[Step] = []
    node, at, seen = entry, 0.0, {entry}
    while True:
        edges = [e for e in g.out_edges(node, data=True) if e[2]["probability"] > 0]
        if g.nodes[node]["type"] == "branch" and edges:
            _, v, data = max(edges, key=lambda e: (e[2]["probability"], -e[2]["order"]))
        elif len(edges) == 1:
            _, v, data = edges[0]
        else:
            break
        at += g.nodes[node]["seconds"] + data["seconds"]
        steps.append(
            Step(node, data["kind"], data["dtmf"], data["label"], v, at, data["probability"])
        )
        if v in seen:
            break
        seen.add(v)
        node = v
    return tuple(steps)
