"""Asterisk extension patterns (`_NXX.`), matched as Asterisk's pbx.c matches them: in
one pass over the number."""

from __future__ import annotations

from ivraudit.frozen import frozen

# A pattern is a run of one-character classes, then an optional wildcard: Asterisk's
# matcher (pbx.c) stops at the first `.` (one or more characters) or `!` (zero or more)
# and ignores what follows, so matching is one pass over the number, never a backtrack.
_DIGITS = {"X": ("0", "9"), "Z": ("1", "9"), "N": ("2", "9")}


@frozen
class Pattern:
    """An extension pattern (`_NXX.`): a class of allowed characters per position, then
    `tail`: "" (the number ends there), "." (one or more more) or "!" (any more)."""

    classes: tuple[tuple[tuple[str, str], ...], ...]
    tail: str

    def matches(self, number: str) -> bool:
        """Return whether `number` is one this pattern handles (linear in its length)."""
        size = len(self.classes)
        if len(number) < size or (self.tail == "" and len(number) != size):
            return False
        if self.tail == "." and len(number) == size:
            return False
        return all(
            any(lo <= ch <= hi for lo, hi in ranges)
            for ch, ranges in zip(number, self.classes, strict=False)
        )


def pattern(ext: str) -> Pattern | None:
    """Return the pattern an extension written `_...` stands for (else None)."""
    if not ext.startswith("_"):
        return None
    classes: list[tuple[tuple[str, str], ...]] = []
    tail = ""
    i, body = 0, ext[1:]
    while i < len(body):
        ch = body[i]
        if ch.upper() in _DIGITS:
            classes.append((_DIGITS[ch.upper()],))
        elif ch == "[":
            end = body.find("]", i)
            if end < 0:
                return None
            classes.append(_ranges(body[i + 1 : end]))
            i = end
        elif ch in ".!":
            tail = ch
            break
        else:
            classes.append(((ch, ch),))
        i += 1
    return Pattern(tuple(classes), tail)


def _ranges(inside: str) -> tuple[tuple[str, str], ...]:
    """Return the characters `[1-5a]` allows, as (low, high) pairs."""
    out = []
    i = 0
    while i < len(inside):
        if i + 2 < len(inside) and inside[i + 1] == "-":
            out.append((inside[i], inside[i + 2]))
            i += 3
        else:
            out.append((inside[i], inside[i]))
            i += 1
    return tuple(out)
