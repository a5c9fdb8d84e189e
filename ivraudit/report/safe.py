"""Menu text is data in every report: no control characters reach a terminal or a log.

A name or label can hold anything JSON or YAML escapes allow: ESC sequences that
recolour or retitle a terminal, line breaks that split a one-line finding, bidirectional
overrides that make text read differently than it is (CVE-2021-42574). Reports show
these characters as escapes (`\\x1b`, `\\n`, `\\u202e`) and keep every other character.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 and C1 controls, DEL, line and paragraph separators, lone surrogates and the
# bidirectional controls. Joiners (U+200C, U+200D) stay: Persian, Indic scripts and
# emoji need them.
_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
# json.dumps escapes C0 controls itself; a raw line break in its output is layout.
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]")


def one_line(text: str) -> str:
    """Return `text` on one line with each control character shown as its escape."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def json_text(data: Any) -> str:
    """Return `data` as indented JSON, refusing NaN and infinity and escaping what
    `one_line` would, so the file shows safely in a terminal too."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
