"""IVR303: tolerant matching of filler phrases, and the `phrases` options."""

from __future__ import annotations

import re

from ivraudit.format.model import Position
from ivraudit.judge.rules.filler_phrase import (
    DEFAULT_PHRASES,
    _find,
    _patterns,
    _screen,
    _sources,
    normalise,
    says_phrase,
)
from tests.rules.common import findings


def _prompt(text: str) -> str:
    return (
        f'ivraudit: 1\nname: T\nnodes:\n  main:\n    prompt: "{text}"\n'
        "    options:\n      - {key: 0, label: a person, goto: desk}\n  desk: {type: agent}\n"
    )


def test_normalise_drops_punctuation_and_case() -> None:
    assert normalise("  Your CALL,  is important\u2014to us!  We\u2019re here.") == (
        "your call is important to us we're here"
    )


def test_variants_of_the_call_volume_phrase() -> None:
    for text in (
        "We are experiencing a high call volume.",
        "We're experiencing higher than normal call volumes.",
        "WE ARE EXPERIENCING HIGHER CALL VOLUME",
    ):
        (got,) = findings(_prompt(text), "IVR303")
        assert "a stock phrase that tells callers nothing" in got.message


def test_each_occurrence_is_one_finding_in_spoken_order() -> None:
    text = "Please listen carefully. Your call is important to us. Your call is important to us."
    got = [f.message for f in findings(_prompt(text), "IVR303")]
    assert len(got) == 3
    assert all(m.startswith("the prompt of 'main' says \"") for m in got)


def test_phrases_must_be_whole_words() -> None:
    assert findings(_prompt("Revisit our websites for news."), "IVR303") == []


def test_extra_phrases_add_to_the_defaults() -> None:
    text = _prompt("Your call is important to us. Thanks for holding.")
    got = findings(text, "IVR303", {"phrases": ["Thanks for holding."]})
    assert len(got) == 2
    only = findings(text, "IVR303", {"phrases": ["thanks  for holding"], "replace_defaults": True})
    assert [f.message for f in only] == [
        "the prompt of 'main' says \"thanks for holding\", "
        "a stock phrase that tells callers nothing"
    ]


def test_a_phrase_that_is_no_valid_pattern_is_taken_literally() -> None:
    got = findings(_prompt("Hold (please) on."), "IVR303", {"phrases": ["hold (please"]})
    assert got == []  # the bracket is punctuation, dropped from the wording
    got = findings(_prompt("Press [1] now."), "IVR303", {"phrases": ["[1"]})
    assert got == []


SCREENED = [
    ("Our menu options have changed.", ["menu options"]),
    ("Hold hold on. Your call is important to us.", [r"(hold) \1"]),
    ("Thanks for holding.", ["(?x) thanks for", "thanks"]),
    ("Hold on, press one.", ["(?P<w>hold) on", "(?P<w>press) one"]),
    ("Please listen carefully: visit our website.", ["listen", "carefully visit"]),
    ("Nothing to see here.", ["see (?=here)"]),
    ("Please hold on.", ["^please hold", r"(?<!not )hold on", "on"]),
    ("Do not hold on, hold.", [r"(?<!not )hold", "hold.?"]),
]


def test_the_joined_screen_finds_what_each_phrase_finds() -> None:
    # One joined pattern screens out wording without any phrase; what it lets through is
    # searched phrase by phrase. Searching every phrase alone must find the same.
    said: dict[str, list[str]] = {}
    for text, extra in SCREENED:
        sources = _sources(DEFAULT_PHRASES + tuple(extra))
        screen = _screen(sources)
        pos = Position("t", 1, 1)
        with_screen = [p.message for p in _find(sources, screen, text, "x", pos, "n", {})]
        alone = [p.message for p in _find(sources, None, text, "x", pos, "n", said)]
        assert with_screen == alone, text
        assert alone or text.startswith("Nothing")


def test_patterns_that_cannot_be_joined_are_searched_alone() -> None:
    assert _screen(_sources((r"(hold) \1",))) is None
    assert _screen(_sources(("(?P<w>a) b", "(?P<w>c) d"))) is None
    assert _screen(_sources((r"(?<!not )hold on",))) is None  # looks behind
    assert _screen(_sources(("^please hold",))) is None  # anchored
    assert _screen(_sources(DEFAULT_PHRASES)) is not None


def test_the_built_in_phrases_are_valid_patterns() -> None:
    # They are not compiled to check (start-up), so they must never need escaping.
    for source in _sources(DEFAULT_PHRASES):
        re.compile(source)
    assert len(_patterns(_sources(DEFAULT_PHRASES))) == len(DEFAULT_PHRASES)


def test_non_capturing_groups_join_the_screen_and_it_finds_what_they_find() -> None:
    intros = (r"please (?:choose|select) (?:from )?the following( options)?",)
    assert _screen(_sources(intros)) is not None
    assert says_phrase("Please select from the following options.", intros)
    assert says_phrase("Welcome. Please choose the following!", DEFAULT_PHRASES + intros)
    assert not says_phrase("Please choosey the following", intros)
    assert not says_phrase("Bloom florists.", DEFAULT_PHRASES + intros)
