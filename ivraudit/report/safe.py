"""Menu text is data in every report: no control characters reach a terminal or a log.

Text reports show them as escapes (`one_line`, from `ivraudit.format.text`); JSON keeps the
text exactly but escapes what a terminal would obey, so `cat report.json` is safe too.
"""

from __future__ import annotations

import json
import re
from itertools import islice
from typing import Any

from ivraudit.format.text import BEYOND_C0, one_line

__all__ = ["json_parts", "json_text", "one_line"]

# json.dumps escapes C0 controls itself; a raw line break in its output is layout.
_JSON_UNSAFE = re.compile(f"[{BEYOND_C0}]")


_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False, allow_nan=False)


def json_text(data: Any) -> str:
    """Return `data` as indented JSON, refusing NaN and infinity and escaping what
    `one_line` would, so the file shows safely in a terminal too."""
    return "".join(json_parts(data))


def json_parts(data: Any) -> list[str]:
    """Return `json_text(data)` in pieces, to be written without holding the text twice.

    Every piece is made before any is written: NaN or infinity fails before output."""
    # json.dumps lists every token (about a hundred bytes each for a few bytes of JSON)
    # before joining them: for a large menu's thousands of findings that list is several
    # times the text. Joining a few thousand tokens at a time keeps the peak near the text.
    tokens = _ENCODER.iterencode(data)
    pieces = []
    while piece := "".join(islice(tokens, 4096)):
        pieces.append(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", piece))
    pieces.append("\n")
    return pieces
