"""FreeSWITCH XML dialplan: says which mod_ivr menu a call starts in."""

from __future__ import annotations

import re

NAME = "freeswitch-dialplan"
TITLE = 'a FreeSWITCH dialplan (it starts menus with application="ivr")'
SYSTEM = "freeswitch"
ROLE = "companion"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a dialplan that starts a menu."""
    if re.search(r"<extension\s", text) and re.search(r"application=\"ivr\"", text):
        return 0.85
    return 0.0
