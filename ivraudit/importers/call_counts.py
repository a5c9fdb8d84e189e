"""The `--calls` file: a CSV of call counts per key path (or node id), read with the
place of each field, so a bad row is reported where it is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ivraudit.format import numbers
from ivraudit.format.errors import MenuError
from ivraudit.format.text import one_line
from ivraudit.importers.document import Lines

# A call count is a count of calls, so a share of the intents: at most what a menu's
# `intents` take (numbers.MAX_SHARE, 10^15, far above any line's calls in a year).
MAX_CALLS = numbers.MAX_SHARE
CALLS = numbers.Range(0, MAX_CALLS)
# A key path or a node id is short; a field longer than this is not one (issue 16).
MAX_FIELD = 10_000

_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"([^,\r\n]*)')
_BARE = re.compile(r"[^,\r\n]*")
_BREAK = re.compile(r"\r\n|\r|\n")
_SEP = re.compile(r"[\s>/,-]+")  # between the keys of a path, as `flow._follow` reads them


def _csv(text: str, source: str) -> Iterator[tuple[list[str], list[tuple[int, int]]]]:
    """Yield each record of a CSV text (RFC 4180, as Python's csv module reads it) with
    the line and column each field starts at; raise MenuError for a field too long or a
    quote not closed."""
    lines = Lines(text, _BREAK)
    i, end = 0, len(text)
    while i < end:
        values: list[str] = []
        places: list[tuple[int, int]] = []
        while True:
            place = lines.at(i)
            if text.startswith('"', i):
                m = _QUOTED.match(text, i)
                if m is None:
                    raise MenuError(source, *place, "a quoted field is not closed")
                value = m.group(1).replace('""', '"') + m.group(2)
            else:
                m = _BARE.match(text, i)
                assert m is not None  # it matches the empty string
                value = m.group()
            if len(value) > MAX_FIELD:
                raise MenuError(source, *place, f"a field is longer than {MAX_FIELD:,} characters")
            values.append(value)
            places.append(place)
            i = m.end()
            if not text.startswith(",", i):
                break
            i += 1
        brk = _BREAK.match(text, i)
        i = brk.end() if brk else i
        yield values, places


def _shown(text: str, limit: int = 40) -> str:
    """Return a field for a message: on one line, and cut short, so the line stays short."""
    return one_line(text[:limit]) + ("..." if len(text) > limit else "")


def read_calls(path: Path) -> tuple[tuple[str, float], ...]:
    """Return the rows of a call-count CSV (`path,calls`: a key path such as `1 2`, or a
    node id, and how many calls took it); a first line that is not a count is a header.
    Rows for the same path are one row: their counts are added."""
    from ivraudit.format.files import read_file, shown
    from ivraudit.format.yamltree import MAX_BYTES

    source = shown(path)
    raw = read_file(path, MAX_BYTES, source, what="call counts")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MenuError(source, 1, 1, f"cannot read the call counts: {exc}") from None
    totals: dict[str, tuple[str, float]] = {}  # the path's keys -> (path as first given, sum)
    for row, places in _csv(text, source):
        if not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) < 2:
            raise MenuError(source, *places[0], "a row needs a path and a count: path,calls")
        try:
            count = float(row[1])
        except ValueError:
            if places[0][0] == 1:
                continue  # a header
            raise MenuError(
                source, *places[1], f"'{_shown(row[1])}' is not a number of calls"
            ) from None
        problem = CALLS.problem(count)
        if problem:
            raise MenuError(source, *places[1], f"a call count {problem}")
        name = row[0].strip()
        keys = " ".join(_SEP.split(name))
        first, total = totals.get(keys, (name, 0.0))
        if total + count > MAX_CALLS:
            raise MenuError(
                source,
                *places[1],
                f"the calls for '{_shown(first)}' add up to more than {MAX_CALLS:g}",
            )
        totals[keys] = (first, total + count)
    return tuple(totals.values())
