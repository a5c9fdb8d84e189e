"""Which choices a caller with a given intent makes: the format's rules for `intents` on options.

At a menu where some option declares `intents`, a caller follows the labels, not the fastest
route: they choose among the options listing their intent; else among the undeclared
options, silence and a wrong key; else key 0 and silence. Elsewhere every choice is open.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

from ivraudit.paths import Edge, Net

# A menu where some option declares intents, with its out-edges (u, v, key, data).
Chooser = tuple[Hashable, list[tuple[Hashable, Hashable, int, dict]]]


def declares_intents(g: nx.MultiDiGraph) -> bool:
    """Return whether some option of the call graph says which callers choose it."""
    return any(d.get("intents") for _, _, d in g.edges(data=True))


def closed_choices(g: nx.MultiDiGraph, node: Hashable, intent: str) -> list[Edge]:
    """Return the edges out of `node` that a caller with `intent` does not take."""
    return _closed(list(g.out_edges(node, keys=True, data=True)), intent)


def _closed(edges: list[tuple[Hashable, Hashable, int, dict]], intent: str) -> list[Edge]:
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
    closed = intent_closed(choosers(g), intent)
    return nx.restricted_view(g, [], closed) if closed else g


def choosers(g: nx.MultiDiGraph) -> list[Chooser]:
    """Return the menus where some option declares intents, with their out-edges: the only
    places an intent closes choices, gathered once for all intents."""
    out = []
    for node, kind in g.nodes(data="type"):
        if kind != "menu":
            continue
        edges = list(g.out_edges(node, keys=True, data=True))
        if any(d["kind"] == "option" and d.get("intents") for *_, d in edges):
            out.append((node, edges))
    return out


def intent_closed(menus: list[Chooser], intent: str) -> list[Edge]:
    """Return the edges a caller with `intent` does not take, of the menus from `choosers`."""
    return [e for _, edges in menus for e in _closed(edges, intent)]


def restrict_net(net: Net, closed: Iterable[Edge]) -> Net:
    """Return `net` without the edges `closed`: the compiled form of the graph's restricted
    view, in the same order, without compiling the view again (which is slow)."""
    index = net.index
    gone: dict[int, set[tuple[int, int]]] = {}
    for u, v, k in closed:
        gone.setdefault(index[u], set()).add((index[v], k))
    if not gone:
        return net
    out = list(net.out)
    moved: dict[int, list[int | None]] = {}  # old position -> new position, per source
    touched: set[int] = set()
    for u, drop in gone.items():
        kept, where = [], []
        for e in net.out[u]:
            touched.add(e[0])
            if (e[0], e[3]) in drop:
                where.append(None)
            else:
                where.append(len(kept))
                kept.append(e)
        out[u], moved[u] = tuple(kept), where
    into = list(net.into)
    for v in touched:  # only the targets of edges whose source lost one change
        into[v] = tuple(
            (u, pos if u not in moved else moved[u][pos])  # type: ignore[misc]
            for u, pos in net.into[v]
            if u not in moved or moved[u][pos] is not None
        )
    return Net(net.ids, index, net.chance, net.own, tuple(out), tuple(into))


def announced_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return the call graph without silence and wrong keys: the routes menus announce."""
    errors = error_edges(g)
    return nx.restricted_view(g, [], errors) if errors else g


def error_edges(g: nx.MultiDiGraph) -> list[Edge]:
    """Return the silence and wrong-key edges of the call graph."""
    return [
        (u, v, k)
        for u, v, k, kind in g.edges(keys=True, data="kind")
        if kind in ("no_input", "no_match")
    ]
