"""Whether terminal output may use colour and cursor movement, decided in one place.

The conventions users know: `--color`/`--no-color` first; then `NO_COLOR` (any value but
empty: no colour, https://no-color.org), `TERM=dumb` (a terminal that cannot draw
colour or move the cursor), `FORCE_COLOR` (colour even into a pipe or a file, as CI logs
that render escape codes want); else colour only on a terminal. Rich decides the same
way, with `NO_COLOR` and a dumb terminal winning over `FORCE_COLOR`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO

# FORCE_COLOR=0 or false asks for no forcing in Node's tools and in pytest; honour that.
_OFF = ("", "0", "false", "no")


def use_colour(
    flag: bool | None = None,
    stream: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Return whether output to `stream` should be coloured: `flag` (--color/--no-color)
    when given, else the environment, else whether `stream` is a terminal."""
    if flag is not None:
        return flag
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", "") != "":
        return False
    if _dumb(env):
        return False
    if env.get("FORCE_COLOR", "").strip().lower() not in _OFF:
        return True
    return _is_terminal(stream)


def cursor_ok(stream: IO[str] | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Return whether `stream` (standard error by default, where progress goes) may be
    redrawn in place: a terminal that is not `TERM=dumb`. FORCE_COLOR does not make a
    pipe a terminal."""
    import sys

    env = os.environ if environ is None else environ
    return not _dumb(env) and _is_terminal(sys.stderr if stream is None else stream)


def _dumb(env: Mapping[str, str]) -> bool:
    return env.get("TERM", "").strip().lower() == "dumb"


def _is_terminal(stream: IO[str] | None) -> bool:
    if stream is None:
        import sys

        stream = sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or file-less stream
        return False
