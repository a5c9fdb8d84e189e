"""Let callers press a key while the options are still being read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ivraudit.analysis.timing import menu_seconds, option_costs
from ivraudit.format.model import Menu
from ivraudit.format.units import message_seconds
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import with_node

KIND = "barge-in"
TITLE = "Barge-in on"
FIXES = ("IVR304",)
RATIONALE = """With barge-in off every caller hears the whole menu before a key works, so
the callers who want the first option wait as long as those who want the last."""
SOURCE = """ETSI ES 202 076 and the ACIxD wiki ("barge-in"): allow barge-in on menus that
regular callers know; the rule IVR304 explains the cost."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each reachable menu with barge-in off."""
    timing = site.menu.timing
    for node in site.menus():
        if node.barge_in:
            continue
        whole = menu_seconds(node, timing)
        first = option_costs(replace(node, barge_in=True), timing)[0] - timing.response_seconds
        yield Change(
            key=node.id,
            title=f"Turn barge-in on at '{node.id}'",
            why=(
                f"every key at '{node.id}' waits for the whole menu "
                f"({message_seconds(whole)}) where "
                f"the first option could be chosen after {message_seconds(first)}"
            ),
            change=f"set barge_in: true on '{node.id}' (or remove barge_in: false)",
            nodes=(node.id,),
            pos=node.where("barge_in"),
            apply=lambda menu, nid=node.id: _apply(menu, nid),
        )


def _apply(menu: Menu, node_id: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.type != "menu" or node.barge_in:
        return None
    return with_node(menu, replace(node, barge_in=True))
