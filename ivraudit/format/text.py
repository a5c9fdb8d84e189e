"""Show untrusted text safely: on one line, with control characters as escapes.

A name or label can hold anything JSON or YAML escapes allow, and a file name almost
anything: ESC sequences that recolour or retitle a terminal, line breaks that split a
one-line finding, bidirectional overrides that make text read differently than it is
(CVE-2021-42574). These are shown as escapes (`\\x1b`, `\\n`, `\\u202e`); every other
character is kept.
"""

from __future__ import annotations

import re
from functools import cache

# C1 controls, DEL, line and paragraph separators, lone surrogates and the
# bidirectional controls. Joiners (U+200C, U+200D) stay: Persian, Indic scripts and
# emoji need them.
BEYOND_C0 = "\x7f-\x9f\u2028\u2029\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"


@cache
def _unsafe(keep_breaks: bool) -> re.Pattern[str]:
    """Return the pattern of the characters shown as escapes (tabs and line feeds kept,
    or not): compiled when first needed, as most text is printable ASCII (1 ms)."""
    c0 = "\x00-\x08\x0b-\x1f" if keep_breaks else "\x00-\x1f"
    return re.compile(f"[{c0}{BEYOND_C0}]")


def one_line(text: str) -> str:
    """Return `text` on one line with each control character shown as its escape."""
    if text.isascii() and text.isprintable():
        return text
    return _unsafe(False).sub(lambda m: repr(m.group())[1:-1], text)


def printable(text: str) -> str:
    """Return `text` with control characters as escapes, keeping tabs and line feeds
    (for pages, where a line break is only white space)."""
    if text.isascii() and text.isprintable():
        return text
    return _unsafe(True).sub(lambda m: repr(m.group())[1:-1], text)
