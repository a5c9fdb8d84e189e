"""Which choices a caller with a given intent makes: the format's rules for `intents` on options.

At a menu where some option declares `intents`, a caller follows the labels, not the fastest
route: they choose among the options listing their intent; else among the undeclared
options, silence and a wrong key; else key 0 and silence. Elsewhere every choice is open.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import replace

import networkx as nx

from ivraudit.analysis.paths import Edge, Net
from ivraudit.frozen import frozen


@frozen
class Chooser:
    """A menu where some option declares intents, with the choices each intent closes."""

    node: Hashable
    by_intent: Mapping[str, tuple[Edge, ...]]  # the intents some option lists
    unlisted: tuple[Edge, ...]  # every other intent
    # The same as positions among the menu's out-edges, as the compiled graph lists them.
    shut: Mapping[str, frozenset[int]]
    shut_unlisted: frozenset[int]


def declares_intents(g: nx.MultiDiGraph) -> bool:
    """Return whether some option of the call graph says which callers choose it."""
    return any(d.get("intents") for _, _, d in g.edges(data=True))


def closed_choices(g: nx.MultiDiGraph, node: Hashable, intent: str) -> list[Edge]:
    """Return the edges out of `node` that a caller with `intent` does not take."""
    return _closed(list(g.out_edges(node, keys=True, data=True)), intent)


def _closed(edges: list[tuple[Hashable, Hashable, int, dict]], intent: str | None) -> list[Edge]:
    """Return the edges among `edges` (out of one menu) closed to callers with `intent`
    (None: an intent no option lists)."""
    options = [(u, v, k, d) for u, v, k, d in edges if d["kind"] == "option"]
    if not any(d.get("intents") for *_, d in options):
        return []  # nothing declared here: every choice is open
    listing = [e for e in options if intent in e[3].get("intents", ())] if intent else []
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
    """Return the menus where some option declares intents, with what each intent closes
    there: the only places an intent closes choices, worked out once for all intents."""
    out = []
    for node, kind in g.nodes(data="type"):
        if kind != "menu":
            continue
        edges = list(g.out_edges(node, keys=True, data=True))
        listed = {i for *_, d in edges if d["kind"] == "option" for i in d.get("intents", ())}
        if listed:
            by_intent = {i: tuple(_closed(edges, i)) for i in sorted(listed)}
            unlisted = tuple(_closed(edges, None))
            at = {(u, v, k): j for j, (u, v, k, _) in enumerate(edges)}
            shut = {i: frozenset(at[e] for e in closed) for i, closed in by_intent.items()}
            out.append(Chooser(node, by_intent, unlisted, shut, frozenset(at[e] for e in unlisted)))
    return out


def intent_closed(menus: list[Chooser], intent: str) -> list[Edge]:
    """Return the edges a caller with `intent` does not take, of the menus from `choosers`."""
    return [e for m in menus for e in m.by_intent.get(intent, m.unlisted)]


def intent_net(net: Net, menus: list[Chooser], intent: str) -> Net:
    """Return `restrict_net(net, intent_closed(menus, intent))` of the unrestricted `net`,
    from the positions `choosers` worked out (a large menu closes thousands of edges)."""
    shut = {}
    for m in menus:
        positions = m.shut.get(intent, m.shut_unlisted)
        if positions:
            shut[net.index[m.node]] = positions
    return replace(net, closed=shut) if shut else net


def restrict_net(net: Net, closed: Iterable[Edge]) -> Net:
    """Return `net` with the edges `closed` marked as taken by no call: the compiled form
    of the graph's restricted view, without compiling the view again (which is slow)."""
    index = net.index
    wanted: dict[int, set[tuple[int, int]]] = {}
    for u, v, k in closed:
        wanted.setdefault(index[u], set()).add((index[v], k))
    if not wanted:
        return net
    shut = {u: set(positions) for u, positions in net.closed.items()}
    for u, edges in wanted.items():
        for j, (v, _, _, k) in enumerate(net.out[u]):
            if (v, k) in edges:
                shut.setdefault(u, set()).add(j)
    return replace(net, closed={u: frozenset(positions) for u, positions in shut.items()})


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
