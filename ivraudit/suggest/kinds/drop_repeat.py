"""Drop the "to hear these options again" option: silence already repeats the menu."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ivraudit.format.model import Menu, Node
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import with_node

KIND = "drop-repeat"
TITLE = "No repeat option"
FIXES = ("IVR202",)
RATIONALE = """An option that only plays the same menu again is one more option every
caller hears, and it does what silence already does: a menu repeats when nobody
presses. Dropping it shortens the menu for everyone and brings it nearer the options
limit."""
SOURCE = """Rule IVR202 (too many options); the menu format's own repeat on no-input;
Avaya Interactive Response R2.0 (2006): keep menus short, four or five choices."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each reachable menu with options that lead back to it."""
    for node in site.menus():
        keys = _repeats(node)
        if not keys or len(keys) == len(node.options):
            continue
        first = next(o for o in node.options if o.key in keys)
        yield Change(
            key=node.id,
            title=f"Drop the option that repeats '{node.id}'",
            why=(
                f"key {', '.join(keys)} of '{node.id}' only plays the menu again, which "
                "silence does too, and every caller hears it"
            ),
            change=f"remove key {', '.join(keys)} from '{node.id}'",
            nodes=(node.id,),
            pos=first.pos,
            apply=lambda menu, nid=node.id: _apply(menu, nid),
            decision="callers who rely on the repeat key: tell them silence repeats the menu",
        )


def _repeats(node: Node) -> list[str]:
    return [o.key for o in node.options if o.goto == node.id and not o.intents]


def _apply(menu: Menu, node_id: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.type != "menu":
        return None
    keys = _repeats(node)
    if not keys or len(keys) == len(node.options):
        return None
    kept = tuple(o for o in node.options if o.key not in keys)
    return with_node(menu, replace(node, options=kept))
