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
    for node in menu.nodes:
        g.add_node(
            node.id,
            type=node.type,
            seconds=t.own_seconds(node, tm),
            handles=frozenset(node.handles),
            resolves=node.resolves,
            takes=node.takes,
            queue=node.queue,
            pos=node.pos,
            synthetic=False,
        )
    for node in menu.nodes:
        if node.type == "menu":
            _add_menu_edges(g, node, menu)
        elif node.type == "branch":
            total = sum(r.share for r in node.routes)
            for i, route in enumerate(node.routes):
                g.add_edge(
                    node.id,
                    route.goto,
                    kind="route",
                    dtmf=None,
                    label=route.when,
                    order=i,
                    seconds=0.0,
                    press=False,
                    probability=route.share / total,
                    pos=route.pos,
                )
        elif node.next is not None:
            g.add_edge(
                node.id,
                node.next,
                kind="next",
                dtmf=None,
                label="next",
                order=0,
                seconds=0.0,
                press=False,
                probability=1.0,
                pos=node.where("next"),
            )
    return g


def _add_menu_edges(g: nx.MultiDiGraph, node: Node, menu: Menu) -> None:
    tm = menu.timing
    for i, (option, cost) in enumerate(zip(node.options, t.option_costs(node, tm), strict=True)):
        g.add_edge(
            node.id,
            option.goto,
            kind="option",
            dtmf=option.key,
            label=option.label or option.spoken,
            order=i,
            seconds=cost,
            press=True,
            probability=1.0,
            pos=option.pos,
            intents=frozenset(option.intents),
        )
    for kind, handler, cost in (
        ("no_input", node.no_input, t.no_input_seconds(node, tm)),
        ("no_match", node.no_match, t.no_match_seconds(node, tm)),
    ):
        if handler is not None:
            target, pos = handler.goto, handler.pos
        else:
            target, pos = disconnect_id(node.id), node.pos
            if target not in g:
                g.add_node(
                    target,
                    type="hangup",
                    seconds=0.0,
                    handles=frozenset(),
                    resolves=1.0,
                    takes=1.0,
                    queue=None,
                    pos=node.pos,
                    synthetic=True,
                )
        g.add_edge(
            node.id,
            target,
            kind=kind,
            dtmf=None,
            label=kind.replace("_", "-"),
            order=len(node.options) + (kind == "no_match"),
            seconds=cost,
            press=True,
            probability=1.0,
            pos=pos,
        )
