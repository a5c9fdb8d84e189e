"""The menu as a tree from the entry, with the second at which each step is reached."""

from __future__ import annotations

import networkx as nx

from ivraudit.analysis.metrics import Step
from ivraudit.frozen import frozen


@frozen
class Line:
    """One line of the tree: the edge taken from the parent, and the node it leads to."""

    level: int
    node: str
    type: str
    via: str | None  # "1", "no_input", "next", "route", ... (None for the entry)
    label: str
    at_seconds: float  # when the caller arrives here along this branch of the tree
    own_seconds: float
    probability: float = 1.0
    repeat: bool = False  # the node is shown in full elsewhere in the tree
    best: bool = False  # the edge lies on the fastest route to a person


def build_outline(g: nx.MultiDiGraph, entry: str, best_route: tuple[Step, ...]) -> tuple[Line, ...]:
    """Return the depth-first tree of the graph from `entry`, each node expanded once."""
    best = {(s.node, s.to, s.kind, s.key) for s in best_route}
    lines: list[Line] = []
    seen: set[str] = set()
    # An explicit stack: menus of 10,000 nodes are deeper than Python's recursion limit.
    stack: list[tuple[int, str, str | None, str, float, float, bool]] = [
        (0, entry, None, "", 0.0, 1.0, False)
    ]
    # Read networkx's dicts once, not through a view per node and per edge.
    node_data = dict(g.nodes(data=True))
    succ = g._succ  # networkx's own adjacency dicts, read without views
    while stack:
        level, node, via, label, at, prob, on_best = stack.pop()
        data = node_data[node]
        repeat = node in seen
        lines.append(
            Line(level, node, data["type"], via, label, at, data["seconds"], prob, repeat, on_best)
        )
        if repeat:
            continue
        seen.add(node)
        leave = at + data["seconds"]
        children = []
        edges = [(v, d) for v, keyed in succ[node].items() for d in keyed.values()]
        edges.sort(key=lambda e: e[1]["order"])  # stable, as sorting out_edges was
        for v, d in edges:
            via_text = d["dtmf"] if d["kind"] == "option" else d["kind"]
            on = (node, v, d["kind"], d["dtmf"]) in best
            children.append(
                (level + 1, v, via_text, d["label"], leave + d["seconds"], d["probability"], on)
            )
        stack.extend(reversed(children))
    return tuple(lines)
