"""Asterisk AEL (extensions.ael): recognised, not read yet; says so in one line."""

from __future__ import annotations

import re

from ivraudit.errors import MenuError
from ivraudit.importers.flow import Flow

NAME = "asterisk-ael"
TITLE = "Asterisk AEL dialplan (extensions.ael)"
SYSTEM = "asterisk-ael"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` is an AEL dialplan."""
    if "context" not in text and "macro" not in text:
        return 0.0
    if re.search(r"(?m)^[ \t]*(context|macro)[ \t]+[\w-]+[ \t]*\{", text):
        return 0.9
    return 0.0


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Refuse AEL with its place: only extensions.conf is read so far."""
    match = re.search(r"(?m)^[ \t]*(context|macro)[ \t]+[\w-]+[ \t]*\{", text)
    at = match.start(1) if match else 0
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise MenuError(
        source,
        line,
        column,
        "Asterisk AEL is not supported yet: convert the dialplan to extensions.conf "
        "(for instance with the CLI's `dialplan save`) and import that",
    )
