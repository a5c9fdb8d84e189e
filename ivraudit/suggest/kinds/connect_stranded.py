"""Give callers a way to a handler no route of theirs reaches."""

from __future__ import annotations

from collections.abc import Iterator

from ivraudit.analysis.timing import own_seconds
from ivraudit.format.model import Menu, Node, Option
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import free_digit, insert_option, with_node

KIND = "connect-stranded"
TITLE = "Connect what is stranded"
FIXES = ("IVR209", "IVR203")
RATIONALE = """A request the menu has a handler for, but that no caller with it can reach,
is lost business and a repeat call: the desk exists and nobody is sent to it. An option
on the first menu connects them; its wording is for a person to choose."""
SOURCE = """Rule IVR209 (reason for calling not listed: the top IVR complaint in surveys)
and IVR203 (unreachable nodes)."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each lost intent (one with a handler, but no route and no option
    declared for it), adding an option to the first menu callers meet that has room."""
    menus = site.first_menus() + [n for n in site.menus() if n not in site.first_menus()]
    if not menus:
        return
    limit = site.option("IVR202", "max_options")
    timing = site.menu.timing
    shares = site.menu.intent_shares
    # Callers with an intent some option names press that option: if they are trapped
    # behind it, the fix is an exit from the trap (dead-ends, zero-out), not a second
    # option they would never press.
    declared = {i for n in site.menu.nodes for o in n.options for i in o.intents}
    for intent, seconds in site.audit.metrics.intent_seconds:
        if seconds is not None or shares.get(intent, 0) <= 0 or intent in declared:
            continue
        handlers = [
            n
            for n in site.menu.nodes
            if n.type in ("agent", "self_service") and intent in n.handles
        ]
        if not handlers:
            continue
        handler = min(handlers, key=lambda n: own_seconds(n, timing))
        # A new option must not push a menu past the options limit (IVR202).
        menu_node = next((m for m in menus if len(m.options) < limit), None)
        if menu_node is None:
            continue
        label = _label(handler, intent)
        yield Change(
            key=intent,
            title=f"Give callers who want {label} an option to '{handler.id}'",
            why=(
                f"'{handler.id}' handles {intent} ({shares[intent]:.0%} of calls) but no "
                "option is offered to those callers and no route of theirs reaches it"
            ),
            change=f"add an option for {label} to '{menu_node.id}', going to '{handler.id}'",
            nodes=(menu_node.id, handler.id),
            pos=handler.pos,
            apply=lambda menu, m=menu_node.id, h=handler.id, i=intent, w=label, n=limit: _apply(
                menu, m, h, i, w, n
            ),
            decision="wording of the new option",
        )


def _label(handler: Node, intent: str) -> str:
    """Return the words of the new option: the handler's queue when it serves this
    request alone (its name is the desk's own words), else the request in words."""
    if handler.type == "agent" and handler.queue and tuple(handler.handles) == (intent,):
        return handler.queue.replace("_", " ")
    return intent.replace("_", " ")


def _apply(
    menu: Menu, menu_id: str, handler: str, intent: str, label: str, limit: int
) -> Menu | None:
    node = menu.by_id.get(menu_id)
    if node is None or node.type != "menu" or handler not in menu.by_id:
        return None
    if len(node.options) >= limit:
        return None
    key = free_digit(node)
    if key is None:
        return None
    declared = any(o.intents for o in node.options)
    option = Option(
        key=key,
        goto=handler,
        pos=node.pos,
        label=label,
        intents=(intent,) if declared else (),
    )
    return with_node(menu, insert_option(node, option))
