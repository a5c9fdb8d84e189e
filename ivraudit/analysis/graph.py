"""Turn a menu into a networkx MultiDiGraph: what every later stage reads.

Nodes carry `type`, `seconds` (time spent in the node itself), `handles`, `resolves`
(the share of those callers a self-service resolves; 1 elsewhere), `takes` (the share
who take a callback offer; 1 elsewhere), `queue` (an agent's or a callback's queue id,
else None), `pos` and `synthetic`; edges carry `kind` (option, no_input,
no_match, next, route), `dtmf` (the phone key of an option), `label`, `order`,
`seconds` (what taking the edge costs), `press` (whether it is a menu choice) and
`probability` (for routes); option edges also carry `intents`, the callers their label
is for (empty when undeclared).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from ivraudit.analysis import timing as t
from ivraudit.format.model import Menu, Node

DISCONNECT = "#disconnect"
# Most nodes handle nothing and most options name no intents: one empty set serves them
# all (CPython makes a new 216-byte one for each frozenset() of an empty sequence).
_EMPTY: frozenset[str] = frozenset()


def disconnect_id(menu_id: str) -> str:
    """Return the id of the synthetic hang-up a menu falls into after its last retry."""
    # '#' cannot appear in a node id, so this never collides with a defined node.
    return menu_id + DISCONNECT


def build_graph(menu: Menu) -> nx.MultiDiGraph:
    """Return the call graph of `menu`."""
    g = nx.MultiDiGraph(name=menu.name, entry=menu.entry, source=menu.source)
    tm = menu.timing
    # Added in bulk, one call each instead of one per node and edge, from generators:
    # networkx copies each attribute dict, so a list of them would be held twice. The
    # order is that of adding them one by one: the menu's nodes, then each menu's
    # disconnect where its edge first leads there; each node's edges as written.
    g.add_nodes_from(
        (
            node.id,
            {
                "type": node.type,
                "seconds": t.own_seconds(node, tm),
                "handles": frozenset(node.handles) if node.handles else _EMPTY,
                "resolves": node.resolves,
                "takes": node.takes,
                "queue": node.queue,
                "pos": node.pos,
                "synthetic": False,
            },
        )
        for node in menu.nodes
    )
    disconnects: dict[str, dict[str, Any]] = {}
    g.add_edges_from(_edges(menu, disconnects))
    for target, data in disconnects.items():  # added with their first edge, data now
        g.nodes[target].update(data)
    return g


def _edges(
    menu: Menu, disconnects: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield every edge of the graph; `disconnects` gets the data of each synthetic node."""
    for node in menu.nodes:
        if node.type == "menu":
            yield from _menu_edges(node, menu, disconnects)
        elif node.type == "branch":
            total = sum(r.share for r in node.routes)
            for i, route in enumerate(node.routes):
                yield (
                    node.id,
                    route.goto,
                    {
                        "kind": "route",
                        "dtmf": None,
                        "label": route.when,
                        "order": i,
                        "seconds": 0.0,
                        "press": False,
                        "probability": route.share / total,
                        "pos": route.pos,
                    },
                )
        elif node.next is not None:
            yield (
                node.id,
                node.next,
                {
                    "kind": "next",
                    "dtmf": None,
                    "label": "next",
                    "order": 0,
                    "seconds": 0.0,
                    "press": False,
                    "probability": 1.0,
                    "pos": node.where("next"),
                },
            )


def _menu_edges(
    node: Node, menu: Menu, disconnects: dict[str, dict[str, Any]]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    tm = menu.timing
    for i, (option, cost) in enumerate(zip(node.options, t.option_costs(node, tm), strict=True)):
        yield (
            node.id,
            option.goto,
            {
                "kind": "option",
                "dtmf": option.key,
                "label": option.label or option.spoken,
                "order": i,
                "seconds": cost,
                "press": True,
                "probability": 1.0,
                "pos": option.pos,
                "intents": frozenset(option.intents) if option.intents else _EMPTY,
            },
        )
    for kind, handler, cost in (
        ("no_input", node.no_input, t.no_input_seconds(node, tm)),
        ("no_match", node.no_match, t.no_match_seconds(node, tm)),
    ):
        if handler is not None:
            target, pos = handler.goto, handler.pos
        else:
            target, pos = disconnect_id(node.id), node.pos
            disconnects.setdefault(
                target,
                {
                    "type": "hangup",
                    "seconds": 0.0,
                    "handles": _EMPTY,
                    "resolves": 1.0,
                    "takes": 1.0,
                    "queue": None,
                    "pos": node.pos,
                    "synthetic": True,
                },
            )
        yield (
            node.id,
            target,
            {
                "kind": kind,
                "dtmf": None,
                "label": kind.replace("_", "-"),
                "order": len(node.options) + (kind == "no_match"),
                "seconds": cost,
                "press": True,
                "probability": 1.0,
                "pos": pos,
            },
        )
