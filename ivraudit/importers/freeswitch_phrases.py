"""FreeSWITCH phrase macros (lang/*/*.xml): the prompts behind `phrase:` in a menu."""

from __future__ import annotations

import re

NAME = "freeswitch-phrases"
TITLE = "FreeSWITCH phrase macros (the prompts behind phrase: in a menu)"
SYSTEM = "freeswitch"
ROLE = "companion"


def detect(text: str) -> float:
    """Return how sure we are that `text` holds phrase macros."""
    if re.search(r"<macro\s[^>]*name=", text) and re.search(r"<action\s[^>]*function=", text):
        return 0.9
    return 0.0
