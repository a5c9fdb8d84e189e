"""A prompt or option uses a stock filler phrase ("your call is important to us").

Filler costs every caller time and tells them nothing; the passing menu simply leaves it
out. Each phrase is a regular expression matched, case-insensitively, against the wording
with punctuation dropped and spaces collapsed; `phrases` adds to the built-in list, or
replaces it with `replace_defaults: true`.

Fails:

    ivraudit: 1
    name: Filler
    nodes:
      main:
        prompt: "Your call is important to us."
        options:
          - {key: 0, label: a person, goto: desk}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: To the point
    nodes:
      main:
        prompt: "Bloom florists."
        options:
          - {key: 0, label: a person, goto: desk}
      desk: {type: agent}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from ivraudit.format.model import Position
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR303"
NAME = "filler-phrase"
TITLE = "Stock filler phrase"
CATEGORY = "prompts"
SEVERITY = "warning"
RATIONALE = """Phrases such as "your call is important to us" or "please listen carefully,
our menu options have changed" are heard on every call, carry no information and have
become a byword for bad service; callers learn to tune them out. Apologies and
reassurance do not keep callers on the line, while concrete information does."""
SOURCE = """GetHuman Standard, public-review draft (gethuman.com, 2006), "additional
guidelines": avoid "your call is important to us", "please listen carefully, as our menu
options have changed" and "you can access our website..."; Munichor & Rafaeli (2007),
"Numbers or apologies?", Journal of Applied Psychology 92(2): apologies while waiting did
no better than music, queue position did; Balentine & Degler (2007), "It's Better to Be a
Good Machine Than a Bad Person"."""
OPTIONS: dict[str, Any] = {"phrases": [], "replace_defaults": False}

DEFAULT_PHRASES: tuple[str, ...] = (
    "your call is important to us",
    "please listen carefully",
    "our menu options have changed",
    "menu options have recently changed",
    "you can access our website",
    "visit our website",
    "thank you for your patience",
    "we( are|'re) experiencing (a )?(higher|high) (than normal )?call volume(s)?",
    "all of our (agents|representatives) are (currently )?busy",
    "your business is important",
    "we value your call",
)


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem for each filler phrase in the wording of a reachable node or option."""
    extra = options["phrases"] or ()
    extra = (extra,) if isinstance(extra, str) else tuple(str(p) for p in extra)
    phrases = extra if options["replace_defaults"] else DEFAULT_PHRASES + extra
    sources = _sources(phrases)
    if not sources:
        return
    screen = _screen(sources)
    said: dict[str, list[str]] = {}  # menus repeat their wording: search each text once
    for node in ctx.nodes():
        if node.prompt:
            place = f"the prompt of '{node.id}'"
            yield from _find(
                sources, screen, node.prompt, place, node.where("prompt"), node.id, said
            )
        for option in node.options:
            place = f"option {option.key} of '{node.id}'"
            yield from _find(sources, screen, option.spoken, place, option.pos, node.id, said)


def says_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    """Return whether `text` says one of `phrases`, read as the rule reads them."""
    sources = _sources(phrases)
    words = normalise(text)
    screen = _screen(sources)
    if screen is not None and screen.search(" " + words) is None:
        return False
    return any(p.search(words) for p in _patterns(sources))


def _find(
    sources: tuple[str, ...],
    screen: re.Pattern[str] | None,
    text: str,
    place: str,
    pos: Position,
    node: str,
    said: dict[str, list[str]],
) -> Iterator[Problem]:
    """Yield one problem per occurrence of each phrase, in the order they are spoken."""
    if text not in said:
        words = normalise(text)
        if screen is not None and screen.search(" " + words) is None:
            said[text] = []  # most wording holds no phrase: one search tells
        else:
            hits = sorted(
                (m.start(), i, m.group(0))
                for i, p in enumerate(_patterns(sources))
                for m in p.finditer(words)
            )
            said[text] = [phrase for _, _, phrase in hits]
    for phrase in said[text]:
        yield Problem(
            pos, f'{place} says "{phrase}", a stock phrase that tells callers nothing', node
        )


def normalise(text: str) -> str:
    """Return `text` lower-cased, punctuation dropped (apostrophes kept), spaces collapsed."""
    text = text.lower().replace("\u2019", "'")
    return " ".join(_NOT_WORD.sub(" ", text).split())


_NOT_WORD = re.compile(r"[^\w']+")
# What `_sources` puts around each phrase: whole words only.
_BEFORE, _AFTER = r"(?<![\w'])", r"(?![\w'])"
# A phrase the screen may hold: words, spaces and plain pattern syntax. Anything that
# looks behind or anchors (a backslash, ^, a (?...) group other than (?:...)) could
# match differently after the screen's leading space, and group references would point
# at other groups.
_SCREENABLE = re.compile(r"[\w' ()|?:*+.\[\]{},-]*")


@lru_cache(maxsize=32)
def _screen(sources: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return one pattern that matches, in " " + wording, wherever any of `sources` can
    match the wording, or None if they cannot be joined: a text it misses holds no phrase,
    and most texts hold none."""
    bodies = []
    for source in sources:
        body = source.removeprefix(_BEFORE).removesuffix(_AFTER)
        if "(?" in body.replace("(?:", "") or not _SCREENABLE.fullmatch(body):
            return None
        bodies.append(f"(?:{body})")
    # A phrase starts a word, and in normalised wording a word starts the text or follows
    # a space: the leading space lets the search skip to spaces instead of trying every
    # phrase at every character.
    try:
        return re.compile(" (?:" + "|".join(bodies) + ")", re.IGNORECASE)
    except re.error:  # pragma: no cover - each body compiled alone already
        return None


@lru_cache(maxsize=32)
def _patterns(sources: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Return the patterns of `sources`, matching whole words of normalised wording:
    compiled only when the screen finds something, which most menus never make it do."""
    return tuple(re.compile(source, re.IGNORECASE) for source in sources)


# Valid patterns, as a test checks: not compiled just to find out.
_VALID = frozenset(DEFAULT_PHRASES)


@lru_cache(maxsize=32)
def _sources(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Return the sources of the phrases' patterns (`_patterns`); a phrase that is no
    valid pattern is taken as plain words."""
    out = []
    for phrase in phrases:
        # End punctuation and runs of spaces mean nothing in normalised text ("?" is a quantifier).
        body = " ".join(phrase.strip().strip(".,;:!").split())
        if not body:
            continue
        source = rf"{_BEFORE}{body}{_AFTER}"
        if phrase not in _VALID:
            try:
                re.compile(source, re.IGNORECASE)
            except re.error:  # not a valid pattern: take it as plain words
                source = rf"{_BEFORE}{re.escape(body)}{_AFTER}"
        out.append(source)
    return tuple(out)
