"""Which choices a caller with a given intent makes: the format's rules for `intents` on options.

At a menu where some option declares `intents`, a caller follows the labels, not the fastest
route: they choose among the options listing their intent; else among the undeclared
options, silence and a wrong key; else key 0 and silence. Elsewhere every choice is open.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from ivraudit.paths import Edge


def declares_intents(g: nx.MultiDiGraph) -> bool:
    """Return whether some option of the call graph says which callers choose it."""
    return any(d.get("intents") for _, _, d in g.edges(data=True))


def closed_choices(g: nx.MultiDiGraph, node: Hashable, intent: str) -> list[Edge]:
    """Return the edges out of `node` that a caller with `intent` does not take."""
    edges = list(g.out_edges(node, keys=True, data=True))
    options = [(u, v, k, d) for u, v, k, d in edges if d["kind"] == "option"]
    if not any(d.get("intents") for *_, d in options):
        return []  # nothing declared here: every choice is open
    listing = [e for e in options if intent in e[3].get("intents", ())]
    if listing:
        open_ = listing
    elif any(not d.get("intents") for *_, d in options):
        open_ = [e for e in edges if e[3]["kind"] != "option" or not e[3].get("intents")]
    else:
        open_ = [e for e in edges if e[3]["kind"] == "no_input" or e[3]["dtmf"] == "0"]
    kept = {(u, v, k) for u, v, k, _ in open_}
    return [(u, v, k) for u, v, k, _ in edges if (u, v, k) not in kept]


def intent_graph(g: nx.MultiDiGraph, intent: str) -> nx.MultiDiGraph:
    """Return the call graph as a caller with `intent` moves through it (a read-only view).

    The graph itself when no option declares intents, so the common case costs nothing.
    """
    if not declares_intents(g):
        return g
    closed = [
        e
        for node, kind in g.nodes(data="type")
        if kind == "menu"
        for e in closed_choices(g, node, intent)
    ]
    return nx.restricted_view(g, [], closed) if closed else g


def announced_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return the call graph without silence and wrong keys: the routes menus announce."""
    errors = [
        (u, v, k)
        for u, v, k, kind in g.edges(keys=True, data="kind")
        if kind in ("no_input", "no_match")
    ]
    return nx.restricted_view(g, [], errors) if errors else g
