"""Findings and suggestions in a client's words: the menu format's keys (`barge_in: true`,
`no_input`) said as what callers live through. The technical formats (JSON, SARIF,
GitHub, JUnit, `suggest`) keep the messages as the rules write them, file terms and all,
for the people who edit the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# Each pattern with what a client reads instead, tried in order. Only the phrases the
# rules and suggestions write are rewritten: menu text quoted in a message is left alone
# unless it happens to repeat one of them word for word.
_PLAIN: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    # How to write the change in the file is for its editor (`ivraudit suggest` says it).
    (r" \(in the menu file: [^()]*\)", ""),
    (
        r" \(mark legally required words with keep: true\)",
        " (keeping any words the law requires)",
    ),
    (
        r"set barge_in: true on '([^']*)' \(or remove barge_in: false\)",
        r"let callers press a key before the prompt at '\1' ends",
    ),
    (r"\bbarge-in is off at '([^']*)'", r"callers cannot interrupt '\1'"),
    (r"\bhas no no_input handler\b", "has no way on for callers who press nothing"),
    (
        r"\bhas no no_match handler\b",
        "has no way on for callers who press a wrong key",
    ),
    # The dead-end suggestion's title names the file's handlers (`no-input`, `no-match`).
    (
        r"\bSend no-input and no-match at\b",
        "Send callers who press nothing or a wrong key at",
    ),
    (r"\bSend no-input at\b", "Send callers who press nothing at"),
    (r"\bSend no-match at\b", "Send callers who press a wrong key at"),
    # What an input node collects is a file key (`account_number`): said as words.
    (
        r"\b(ask for|keyed in|asks again for) ([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b",
        lambda m: f"{m.group(1)} {m.group(2).replace('_', ' ')}",
    ),
    (r"\bbarge_in: true\b", "callers can press a key before the prompt ends"),
    (r"\bbarge_in: false\b", "callers must hear the prompt to its end"),
    (r"\bno_input\b", "silence"),
    (r"\bno_match\b", "a wrong key"),
    (r"\bhold_seconds\b", "the stated hold"),
)


def client_text(text: str) -> str:
    """Return a finding's or suggestion's text without the menu format's terms."""
    for pattern, plain in _compiled():
        text = pattern.sub(plain, text)
    return text


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...]:
    # Compiled for the first finding or suggestion shown: a menu with none needs none.
    return tuple((re.compile(pattern), plain) for pattern, plain in _PLAIN)
