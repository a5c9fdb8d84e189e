"""Turn a menu into a networkx MultiDiGraph: what every later stage reads.

Nodes carry `type`, `seconds` (time spent in the node itself), `handles`, `resolves`
(the share of those callers a self-service resolves; 1 elsewhere), `queue` (an agent's
queue id, else None), `pos` and `synthetic`; edges carry `kind` (option, no_input,
no_match, next, route), `dtmf` (the phone key of an option), `label`, `order`,
`seconds` (what taking the edge costs), `press` (whether it is a menu choice) and
`probability` (for routes); option edges also carry `intents`, the callers their label
is for (empty when undeclared).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from ivraudit.analysis import timing as t
from ivraudit.format.model import Menu, Node

DISCONNECT = "#disconnect"


def disconnect_id(menu_id: str) -> str:
    """Return the id of the synthetic hang-up a menu falls into after its last retry."""
    # '#' cannot appear in a node id, so this never collides with a defined node.
    return menu_id + DISCONNECT


def build_graph(menu: Menu) -> nx.MultiDiGraph:
    """Return the call graph of `menu`."""
    g = nx.MultiDiGraph(name=menu.name, entry=menu.entry, source=menu.source)
    tm = menu.timing
    # Collected first and added in bulk: one call each instead of one per node and edge.
    # The order is that of adding them one by one: the menu's nodes, then each menu's
    # disconnect as its edges are reached; each node's edges in the order written.
    nodes: list[tuple[str, dict[str, Any]]] = [
        (
            node.id,
            {
                "type": node.type,
                "seconds": t.own_seconds(node, tm),
                "handles": frozenset(node.handles),
                "resolves": node.resolves,
                "queue": node.queue,
                "pos": node.pos,
                "synthetic": False,
            },
        )
        for node in menu.nodes
    ]
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for node in menu.nodes:
        if node.type == "menu":
            _menu_edges(edges, nodes, node, menu)
        elif node.type == "branch":
            total = sum(r.share for r in node.routes)
            for i, route in enumerate(node.routes):
                edges.append(
                    (
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
                )
        elif node.next is not None:
            edges.append(
                (
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
            )
    g.add_nodes_from(nodes)
    g.add_edges_from(edges)
    return g


def _menu_edges(
    edges: list[tuple[str, str, dict[str, Any]]],
    nodes: list[tuple[str, dict[str, Any]]],
    node: Node,
    menu: Menu,
) -> None:
    tm = menu.timing
    for i, (option, cost) in enumerate(zip(node.options, t.option_costs(node, tm), strict=True)):
        edges.append(
            (
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
                    "intents": frozenset(option.intents),
                },
            )
        )
    disconnect = None
    for kind, handler, cost in (
        ("no_input", node.no_input, t.no_input_seconds(node, tm)),
        ("no_match", node.no_match, t.no_match_seconds(node, tm)),
    ):
        if handler is not None:
            target, pos = handler.goto, handler.pos
        else:
            target, pos = disconnect_id(node.id), node.pos
            if disconnect is None:  # one per menu, whichever handler falls into it first
                disconnect = target
                nodes.append(
                    (
                        target,
                        {
                            "type": "hangup",
                            "seconds": 0.0,
                            "handles": frozenset(),
                            "resolves": 1.0,
                            "queue": None,
                            "pos": node.pos,
                            "synthetic": True,
                        },
                    )
                )
        edges.append(
            (
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
        )
