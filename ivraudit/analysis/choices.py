"""Which choices a caller with a given intent makes: the format's rules for `intents` on options.

At a menu where some option declares `intents`, a caller follows the labels, not the fastest
route: they choose among the options listing their intent; else among the undeclared
options; else key 0 and silence. Elsewhere every option is open. A wrong key is never a
choice for an intent, and silence only where none of the options open there leads
anywhere the intent can be resolved (format 0.3: a wrong key is a mistake, not a shortcut).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import replace

import networkx as nx

from ivraudit.analysis.paths import Edge, Net
from ivraudit.frozen import frozen

# The edges a caller follows to where an intent is resolved: silence and wrong keys are not.
_ON_PURPOSE = ("option", "next", "route")


# The edges a menu closes to an intent, and their positions among its out-edges.
Shut = tuple[tuple[Edge, ...], frozenset[int]]


@frozen
class Option:
    """An option edge of a menu: the edge, its position among the menu's out-edges, whether
    it is key 0, and the intents its label is for (empty when undeclared)."""

    edge: Edge
    at: int
    zero: bool
    intents: frozenset[str]


@frozen
class Chooser:
    """A menu with its options and its silence and wrong-key edges (each with its position)."""

    node: Hashable
    options: tuple[Option, ...]
    no_input: tuple[Edge, int] | None
    no_match: tuple[Edge, int] | None
    declared: bool  # whether some option says which callers choose it
    # Where the options that declare no intents lead, and what the menu closes to a caller
    # who may choose among them (rule 2, or no declarations) when silence is open or not:
    # worked out once, as most menus of a large line close the same for every intent.
    plain_targets: frozenset[Hashable]
    waiting: Shut
    not_waiting: Shut


@frozen
class Choosers:
    """Every menu of a call graph, and what is needed to know where each intent is resolved."""

    menus: tuple[Chooser, ...]
    # before[v]: the nodes with an option, `next` or route (share above 0) into v.
    before: Mapping[Hashable, tuple[Hashable, ...]]
    handlers: Mapping[str, tuple[Hashable, ...]]  # the nodes that handle each intent


def choosers(g: nx.MultiDiGraph) -> Choosers:
    """Return the menus of the call graph with their choices, worked out once for all intents."""
    out: dict[Hashable, list[tuple[Edge, dict]]] = {}
    before: dict[Hashable, list[Hashable]] = {}
    for u, v, k, d in g.edges(keys=True, data=True):  # each node's out-edges, in order
        out.setdefault(u, []).append(((u, v, k), d))
        if d["kind"] in _ON_PURPOSE and d["probability"] > 0:
            before.setdefault(v, []).append(u)
    menus = []
    for node, kind in g.nodes(data="type"):
        if kind == "menu":
            menus.append(_chooser(node, out.get(node, [])))
    handlers: dict[str, list[Hashable]] = {}
    for n, handles in g.nodes(data="handles"):
        for intent in handles or ():
            handlers.setdefault(intent, []).append(n)
    return Choosers(
        tuple(menus),
        {v: tuple(us) for v, us in before.items()},
        {i: tuple(ns) for i, ns in handlers.items()},
    )


def _chooser(node: Hashable, edges: list[tuple[Edge, dict]]) -> Chooser:
    options, errors = [], {}
    for j, (e, d) in enumerate(edges):
        if d["kind"] == "option":
            options.append(Option(e, j, d["dtmf"] == "0", frozenset(d.get("intents", ()))))
        elif d["kind"] in ("no_input", "no_match"):
            errors[d["kind"]] = (e, j)
    no_input, no_match = errors.get("no_input"), errors.get("no_match")
    listed = [(o.edge, o.at) for o in options if o.intents]
    return Chooser(
        node,
        tuple(options),
        no_input,
        no_match,
        bool(listed),
        frozenset(o.edge[1] for o in options if not o.intents),
        _shut_of([*listed, no_match]),
        _shut_of([*listed, no_input, no_match]),
    )


def _shut_of(edges: list[tuple[Edge, int] | None]) -> Shut:
    kept = sorted((e for e in edges if e is not None), key=lambda e: e[1])
    return tuple(e for e, _ in kept), frozenset(at for _, at in kept)


def resolvable_from(menus: Choosers, intent: str) -> frozenset[Hashable]:
    """Return R(intent): the nodes from which a node that handles `intent` can be reached
    along options, `next` and branch routes (not along silence or a wrong key)."""
    seen = set(menus.handlers.get(intent, ()))
    todo = deque(seen)
    while todo:
        v = todo.popleft()
        for u in menus.before.get(v, ()):
            if u not in seen:
                seen.add(u)
                todo.append(u)
    return frozenset(seen)


def _closed_at(m: Chooser, intent: str, reach: frozenset[Hashable]) -> Shut:
    """Return the edges out of menu `m` that a caller with `intent` does not take (with
    their positions), `reach` being `resolvable_from` of the intent."""
    listing = [o for o in m.options if intent in o.intents] if m.declared else []
    if listing:  # rule 1: the label meant for them, wherever it goes; never silence
        kept = {o.at for o in listing}
        shut = [(o.edge, o.at) for o in m.options if o.at not in kept]
        return _shut_of([*shut, m.no_input, m.no_match])
    if m.plain_targets:
        # Rule 2, or a menu without declarations: silence only when no open option helps.
        return m.waiting if m.plain_targets.isdisjoint(reach) else m.not_waiting
    # Rule 3: key 0 or wait. A wrong key is a mistake, never a way for an intent.
    return _shut_of([(o.edge, o.at) for o in m.options if not o.zero] + [m.no_match])


def closed_choices(g: nx.MultiDiGraph, node: Hashable, intent: str) -> list[Edge]:
    """Return the edges out of `node` that a caller with `intent` does not take."""
    menus = choosers(g)
    reach = resolvable_from(menus, intent)
    return [e for m in menus.menus if m.node == node for e in _closed_at(m, intent, reach)[0]]


def intent_closed(menus: Choosers, intent: str) -> list[Edge]:
    """Return the edges a caller with `intent` does not take, of the menus from `choosers`."""
    return [e for _, (edges, _) in _shut(menus, intent) for e in edges]


def intent_view(net: Net, menus: Choosers, intent: str) -> tuple[list[Edge], Net]:
    """Return `intent_closed(menus, intent)` and `restrict_net(net, those edges)` of the
    unrestricted `net`, working the choices out once and marking the closed edges by the
    positions `choosers` found (a large menu closes thousands of edges)."""
    closed: list[Edge] = []
    positions = {}
    index = net.index
    for node, (edges, at) in _shut(menus, intent):
        closed += edges
        positions[index[node]] = at
    return closed, (replace(net, closed=positions) if positions else net)


def _shut(menus: Choosers, intent: str) -> list[tuple[Hashable, Shut]]:
    """Return each menu that closes some choice to `intent`, with the edges it closes."""
    reach = resolvable_from(menus, intent)
    out = []
    for m in menus.menus:
        shut = _closed_at(m, intent, reach)
        if shut[1]:
            out.append((m.node, shut))
    return out


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
