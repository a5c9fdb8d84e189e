"""Menu text is data in every report: no control characters reach a terminal or a log.

Text reports show them as escapes (`one_line`, from `ivraudit.format.text`); JSON keeps the
text exactly but escapes what a terminal would obey, so `cat report.json` is safe too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ivraudit.format.text import BEYOND_C0, one_line

__all__ = ["Encoded", "json_parts", "json_text", "one_line"]

# json.dumps escapes C0 controls itself; a raw line break in its output is layout.
_JSON_UNSAFE = re.compile(f"[{BEYOND_C0}]")


class Encoded:
    """A value whose indented JSON is written by its owner: `pieces(level)` returns the
    text `json_text` would make of it at that nesting level, in pieces."""

    def __init__(self, pieces: Callable[[int], Iterable[str]], level: int) -> None:
        self.pieces = pieces
        self.level = level


# A string no menu holds (a NUL byte is refused on reading) names each Encoded value in
# the encoder's tokens, where its own text then takes its place.
_MARK = "\x00ivraudit-encoded-"


class _Encoder(json.JSONEncoder):
    def __init__(self) -> None:
        super().__init__(indent=2, ensure_ascii=False, allow_nan=False)
        self.encoded: list[Encoded] = []

    def default(self, o: Any) -> Any:
        if isinstance(o, Encoded):
            self.encoded.append(o)
            return f"{_MARK}{len(self.encoded) - 1}"
        return super().default(o)


_MARK_TOKEN = json.dumps(_MARK)[:-1]  # as the encoder writes it, without the closing quote


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
    encoder = _Encoder()
    tokens = _tokens(encoder, encoder.iterencode(data))
    pieces = []
    while piece := "".join(islice(tokens, 4096)):
        pieces.append(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", piece))
    pieces.append("\n")
    return pieces


def _tokens(encoder: _Encoder, tokens: Iterable[str]) -> Iterator[str]:
    """Yield the encoder's tokens, each Encoded value's own pieces in place of its mark."""
    for token in tokens:
        if token.startswith(_MARK_TOKEN):
            value = encoder.encoded[int(token[len(_MARK_TOKEN) : -1])]
            yield from value.pieces(value.level)
        else:
            yield token
