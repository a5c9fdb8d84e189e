"""IVR303: tolerant matching of filler phrases, and the `phrases` options."""

from __future__ import annotations

from ivraudit.format.model import Position
from ivraudit.judge.rules.filler_phrase import (
    DEFAULT_PHRASES,
    _compile,
    _find,
    _screen,
    normalise,
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
        patterns = _compile(DEFAULT_PHRASES + tuple(extra))
        screen = _screen(patterns)
        pos = Position("t", 1, 1)
        with_screen = [p.message for p in _find(patterns, screen, text, "x", pos, "n", {})]
        alone = [p.message for p in _find(patterns, None, text, "x", pos, "n", said)]
        assert with_screen == alone, text
        assert alone or text.startswith("Nothing")


def test_patterns_that_cannot_be_joined_are_searched_alone() -> None:
    assert _screen(_compile((r"(hold) \1",))) is None
    assert _screen(_compile(("(?P<w>a) b", "(?P<w>c) d"))) is None
    assert _screen(_compile((r"(?<!not )hold on",))) is None  # looks behind
    assert _screen(_compile(("^please hold",))) is None  # anchored
    assert _screen(_compile(DEFAULT_PHRASES)) is not None
