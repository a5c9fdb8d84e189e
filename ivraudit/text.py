"""Show untrusted text safely: on one line, with control characters as escapes.

A name or label can hold anything JSON or YAML escapes allow, and a file name almost
anything: ESC sequences that recolour or retitle a terminal, line breaks that split a
one-line finding, bidirectional overrides that make text read differently than it is
(CVE-2021-42574). These are shown as escapes (`\\x1b`, `\\n`, `\\u202e`); every other
character is kept.
"""

from __future__ import annotations

import re

# C1 controls, DEL, line and paragraph separators, lone surrogates and the
# bidirectional controls. Joiners (U+200C, U+200D) stay: Persian, Indic scripts and
# emoji need them.
BEYOND_C0 = "\x7f-\x9f\u2028\u2029\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f{BEYOND_C0}]")


def one_line(text: str) -> str:
    """Return `text` on one line with each control character shown as its escape."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


_UNSAFE_BLOCK = re.compile(f"[\x00-\x08\x0b-\x1f{BEYOND_C0}]")


def printable(text: str) -> str:
    """Return `text` with control characters as escapes, keeping tabs and line feeds
    (for pages, where a line break is only white space)."""
    if text.isascii() and text.isprintable():
        return text
    return _UNSAFE_BLOCK.sub(lambda m: repr(m.group())[1:-1], text)
