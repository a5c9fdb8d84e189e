"""Asterisk queues.conf: queue definitions that complete a dialplan given with it."""

from __future__ import annotations

import re

NAME = "asterisk-queues"
TITLE = "an Asterisk queues.conf (queue definitions)"
SYSTEM = "asterisk"
ROLE = "companion"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a queues.conf."""
    has_sections = re.search(r"(?m)^\s*\[[^\]\n]+\]", text) is not None
    queue_keys = re.search(r"(?m)^\s*(strategy|member|musicclass|joinempty)\s*=>?", text)
    if has_sections and queue_keys and not re.search(r"(?m)^\s*(exten|same)\s*=>?", text):
        return 0.92
    return 0.0
