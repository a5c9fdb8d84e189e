"""Menus in front of a queue whose only job is a callback or wait offer.

Such a menu ("The wait is about 5 minutes. For a callback, press 1; to hold, press 2") is
what IVR106 asks for. It is the last stop before a person, so it needs no key 0 of its own,
and a 0 that leads to it leads to the person behind it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Hashable, Iterable

import networkx as nx

from ivraudit.format.model import Menu

# Words of a callback or wait offer; a menu must use one to count as such an offer.
_OFFER = re.compile(
    r"\b(?:call-?backs?|call(?:ing)?\s+you\s+back|called\s+back|wait\w*|hold\w*|queue\w*|busy)\b",
    re.IGNORECASE,
)


def queue_offer_menus(
    menu: Menu, g: nx.MultiDiGraph, menu_ids: Iterable[str], human: frozenset[Hashable]
) -> frozenset[str]:
    """Return the menus among `menu_ids` that only offer a callback or a wait.

    Such a menu speaks of a callback or the wait, one of its options (or silence, which
    keeps a caller in the queue waiting) reaches a person (`human`: agents and what leads
    to one freely), and no option leads on to another menu.
    """
    found = set()
    for menu_id in menu_ids:
        node = menu.node(menu_id)
        words = [node.prompt or ""] + [o.spoken for o in node.options]
        words += [o.label or "" for o in node.options]
        if not any(_OFFER.search(w) for w in words):
            continue
        targets = [o.goto for o in node.options]
        waits = node.no_input is not None and node.no_input.goto in human
        if not waits and not any(t in human for t in targets):
            continue
        if all(_no_menu_after(g, t, menu_id) for t in targets):
            found.add(menu_id)
    return frozenset(found)


def _no_menu_after(g: nx.MultiDiGraph, start: Hashable, home: str) -> bool:
    """Return whether a call from `start` meets no menu but `home` before a person or an end."""
    seen = {start}
    todo = deque([start])
    while todo:
        v = todo.popleft()
        kind = g.nodes[v]["type"]
        if kind == "menu" and v != home:
            return False
        if kind in ("agent", "menu"):
            continue  # a person, or back to the offer itself
        for w in g.successors(v):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return True
