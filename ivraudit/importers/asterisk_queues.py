"""Asterisk queues.conf: queue definitions that complete a dialplan given with it."""

from __future__ import annotations

import re

NAME = "asterisk-queues"
TITLE = "an Asterisk queues.conf (queue definitions)"
SYSTEM = "asterisk"
ROLE = "companion"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a queues.conf."""
    if "member" not in text and "strategy" not in text:
        return 0.0
    has_sections = re.search(r"(?m)^[ \t]*\[[^\]\n]+\]", text) is not None
    queue_keys = re.search(r"(?m)^[ \t]*(strategy|member|musicclass|joinempty)[ \t]*=>?", text)
    if has_sections and queue_keys and not re.search(r"(?m)^[ \t]*(exten|same)[ \t]*=>?", text):
        return 0.92
    return 0.0
