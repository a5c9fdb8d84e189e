"""How the menu reader words a mistake: the kind of value given, a value cut short, and
the name the writer most likely meant."""

from __future__ import annotations

from typing import Any

TYPE_NAMES = {bool: "true/false", int: "a number", float: "a number", str: "text"}


def close_matches(word: str, candidates: list[str] | tuple[str, ...]) -> list[str]:
    """Return the candidate most like `word` if one is close enough, for "did you mean"."""
    # Imported here: only a mistake needs a hint, and difflib costs ~1 ms of start-up.
    import difflib

    return difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)


def short(raw: str) -> str:
    """Return a value as written, cut short: a 400-digit number need not be echoed whole."""
    return raw if len(raw) <= 24 else f"{raw[:20]}... ({len(raw)} characters)"


def kind_name(value: Any) -> str:
    """Return what kind of value a file gave, as a person would say it."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return TYPE_NAMES.get(type(value), type(value).__name__)
