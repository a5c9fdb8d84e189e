"""The names a report gives: a menu's own, unless that is a template placeholder or a
bare word a platform fills in, when the file's name says more; an intent's in words."""

from __future__ import annotations

import re
from pathlib import PurePath

from ivraudit.format.model import Menu

# `{{flow_name}}`, `${name}`, `<%= name %>` as the whole name: one the platform fills in
# when it runs. A name with other words around a placeholder is shown as written.
_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\$\{\s*[\w.]+\s*\}|<%=?\s*[\w.]+\s*%>")
# Words an export puts where a name goes when nobody named the flow.
_BARE = frozenset({"", "ivr", "demo", "flow", "main", "untitled", "new flow", "test"})


def shown_name(menu: Menu) -> str:
    """Return the menu's name as a reader should see it: the file's stem where the name
    is a placeholder or a bare platform word."""
    name = menu.name.strip()
    if _PLACEHOLDER.fullmatch(name) or name.lower() in _BARE:
        stem = PurePath(menu.source).stem
        return stem or name
    return name


def intent_label(intent: str) -> str:
    """Return an intent id as a client reads it: `billing_query` → `Billing query`."""
    words = re.sub(r"[_\-.]+", " ", intent).strip() or intent
    return words[:1].upper() + words[1:] if words.islower() else words
