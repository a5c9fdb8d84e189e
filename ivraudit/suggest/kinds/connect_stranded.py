"""Give callers a way to a handler no route of theirs reaches."""

from __future__ import annotations

from collections.abc import Iterator

from ivraudit.model import Menu, Option
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import free_digit, insert_option, with_node
from ivraudit.timing import own_seconds

KIND = "connect-stranded"
TITLE = "Connect what is stranded"
FIXES = ("IVR209", "IVR203")
RATIONALE = """A request the menu has a handler for, but that no caller with it can reach,
is lost business and a repeat call: the desk exists and nobody is sent to it. An option
on the first menu connects them; its wording is for a person to choose."""
SOURCE = """Rule IVR209 (reason for calling not listed: the top IVR complaint in surveys)
and IVR203 (unreachable nodes)."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each intent with a handler but no route, adding an option to the
    first menu callers meet."""
    firsts = site.first_menus()
    if not firsts:
        return
    menu_node = firsts[0]
    timing = site.menu.timing
    shares = site.menu.intent_shares
    for intent, seconds in site.audit.metrics.intent_seconds:
        if seconds is not None or shares.get(intent, 0) <= 0:
            continue
        handlers = [
            n
            for n in site.menu.nodes
            if n.type in ("agent", "self_service") and intent in n.handles
        ]
        if not handlers:
            continue
        handler = min(handlers, key=lambda n: own_seconds(n, timing))
        label = intent.replace("_", " ")
        yield Change(
            key=intent,
            title=f"Give callers who want {label} an option to '{handler.id}'",
            why=(
                f"'{handler.id}' handles {intent} ({shares[intent]:.0%} of calls) but no "
                "route of those callers reaches it"
            ),
            change=f"add an option for {label} to '{menu_node.id}', going to '{handler.id}'",
            nodes=(menu_node.id, handler.id),
            pos=handler.pos,
            apply=lambda menu, m=menu_node.id, h=handler.id, i=intent: _apply(menu, m, h, i),
            decision="wording of the new option",
        )


def _apply(menu: Menu, menu_id: str, handler: str, intent: str) -> Menu | None:
    node = menu.by_id.get(menu_id)
    if node is None or node.type != "menu" or handler not in menu.by_id:
        return None
    key = free_digit(node)
    if key is None:
        return None
    declared = any(o.intents for o in node.options)
    option = Option(
        key=key,
        goto=handler,
        pos=node.pos,
        label=intent.replace("_", " "),
        intents=(intent,) if declared else (),
    )
    return with_node(menu, insert_option(node, option))
