"""Do not ask the caller again for what they already keyed in."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from ivraudit.format.model import Menu
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import drop_node

KIND = "ask-once"
TITLE = "Ask once"
FIXES = ("IVR403",)
RATIONALE = """Keying in an account number is slow and error-prone; asking for it again
tells the caller their first answer was ignored. The second question is dropped only
where every route to it has already asked for the same datum."""
SOURCE = """GetHuman Standard v1.0, point 3; ISO 9241-154:2013, 6.3 "Non-duplication of
information input"; rule IVR403."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each input whose datum every route to it has already collected."""
    inputs = [n for n in site.ctx.nodes("input") if n.collects and n.next]
    if len(inputs) < 2:
        return
    g = site.audit.graph.subgraph(site.ctx.presses)
    dom = nx.immediate_dominators(g, site.menu.entry)
    for node in inputs:
        first = _asked_before(node.id, node.collects or "", dom, site)
        if first is None:
            continue
        yield Change(
            key=node.id,
            title=f"Do not ask for {node.collects} again at '{node.id}'",
            why=(
                f"every caller who reaches '{node.id}' has already keyed in "
                f"{node.collects} at '{first}'"
            ),
            change=f"remove '{node.id}' and send its callers straight to '{node.next}'",
            nodes=(node.id,),
            pos=node.pos,
            apply=lambda menu, nid=node.id: _apply(menu, nid),
        )


def _asked_before(node_id: str, datum: str, dom: dict[str, str], site: Site) -> str | None:
    """Return the input that asks for `datum` on every route to `node_id`, if one does."""
    seen = {node_id}
    at = node_id
    while dom.get(at, at) != at and dom[at] not in seen:
        at = dom[at]
        seen.add(at)
        node = site.menu.by_id.get(at)
        if node is not None and node.type == "input" and node.collects == datum:
            return at
    return None


def _apply(menu: Menu, node_id: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.type != "input" or node.next is None or node.next == node_id:
        return None
    return drop_node(menu, node_id, node.next)
