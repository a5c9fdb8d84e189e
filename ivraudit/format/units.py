"""Numbers as people read them: durations, shares and counts with their units (shared by
rules, suggestions and reports)."""

from __future__ import annotations

# A non-breaking space keeps a number on the same line as its unit.
NBSP = "\u00a0"


def duration(seconds: float | None, *, never: str = "never", space: str = NBSP) -> str:
    """Return `seconds` as `55.4 s`, or as `m:ss` beyond 90 s (`11:25`).

    Reports and rule messages share it so that a time reads the same everywhere; messages
    pass a plain `space` (they also go to JSON and SARIF), reports keep the unit glued.
    """
    if seconds is None:
        return never
    if seconds > 90:
        whole = round(seconds)
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{seconds:.1f}{space}s"


def message_seconds(seconds: float) -> str:
    """Return a duration as a finding's or suggestion's message shows it (plain space)."""
    return duration(seconds, space=" ")


def share(value: float) -> str:
    """Return a share of calls as a whole percentage."""
    return f"{value:.0%}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """Return `1 option`, `3 options`: a count with its noun."""
    word = noun if n == 1 else (plural or noun + "s")
    return f"{n}{NBSP}{word}"
