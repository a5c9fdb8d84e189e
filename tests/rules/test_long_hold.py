"""IVR106: which words count as a callback offer or a wait announcement, and where."""

from __future__ import annotations

import re

import pytest

from ivraudit.format.errors import MenuError
from ivraudit.judge.rules import get_rule
from tests.rules.common import findings

PATTERNS = [re.compile(p, re.IGNORECASE) for p in get_rule("IVR106").options["announce_patterns"]]

MENU = """\
ivraudit: 1
name: Hold
nodes:
  main:
    prompt: {prompt!r}
    options:
      - {{key: 0, label: an adviser, goto: desk}}
  desk: {{type: agent, hold_seconds: 300}}
"""


@pytest.mark.parametrize(
    "text",
    [
        "To request a callback, press 2.",
        "For a call-back, press 2.",
        "Leave your number and we will call you back.",
        "We'll ring you back within the hour.",
        "To be called back, press 2.",
        "The wait time is currently long.",
        "Our estimated wait is 8 minutes.",
        "An adviser will be with you in about 5 minutes.",
        "Your call will be answered in approximately 4 minutes.",
        "About 10 minutes is the current waiting period, please hold.",
        "You are number 3 in the queue.",
        "You are 3rd in line.",
        "You are third in the queue.",
        "You are next in line.",
        "We will keep your place in the queue.",
        "There are 4 callers ahead of you.",
    ],
)
def test_announcements_are_recognised(text: str) -> None:
    assert any(p.search(text) for p in PATTERNS)
    assert findings(MENU.format(prompt=text), "IVR106") == []


@pytest.mark.parametrize(
    "text",
    [
        "Your taxi arrives in 6 minutes.",
        "We are two minutes from the tram stop.",
        "Please call back during office hours.",
        "Please wait while we transfer you.",
        "Your call is important to us.",
        "You are now in the queue.",
    ],
)
def test_other_words_are_not_announcements(text: str) -> None:
    assert not any(p.search(text) for p in PATTERNS)
    assert len(findings(MENU.format(prompt=text), "IVR106")) == 1


def test_message_names_queue_hold_and_limit() -> None:
    text = MENU.format(prompt="Acme.").replace(
        "hold_seconds: 300", "queue: billing, hold_seconds: 300"
    )
    (finding,) = findings(text, "IVR106")
    assert finding.node == "desk"
    assert finding.message == (
        "'desk' (queue 'billing') holds callers for 5:00 (more than 2:00) with no callback "
        "offer or wait announcement on the way"
    )


def test_limit_is_an_option() -> None:
    text = MENU.format(prompt="Acme.")
    assert findings(text, "IVR106", {"max_hold_seconds": 300}) == []
    assert len(findings(text, "IVR106", {"max_hold_seconds": 299})) == 1


def test_announcement_on_one_route_is_enough() -> None:
    # Silence goes straight to the desk, key 0 through the announcement: a lenient reading,
    # as the finding is about a queue that callers are never told about.
    text = """\
    ivraudit: 1
    name: Two ways in
    nodes:
      main:
        prompt: "Acme."
        options:
          - {key: 0, label: an adviser, goto: wait}
        no_input: {retries: 0, goto: desk}
      wait: {type: message, prompt: "The current wait is 5 minutes.", next: desk}
      desk: {type: agent, hold_seconds: 300}
    """
    assert findings(text, "IVR106") == []


def test_an_invalid_pattern_is_bad_input_not_a_traceback() -> None:
    with pytest.raises(MenuError, match="announce_patterns: '\\(' is not a valid regular"):
        findings(MENU.format(prompt="Acme."), "IVR106", {"announce_patterns": ["("]})


def test_the_joined_patterns_match_where_any_pattern_does() -> None:
    # One search of all announce patterns at once (issue 22) must answer as one per pattern.
    from ivraudit.judge.rules.long_hold import OPTIONS, _joined

    patterns = [re.compile(p, re.IGNORECASE) for p in OPTIONS["announce_patterns"]]
    joined = _joined(patterns)
    assert joined is not None
    for text in (
        "We will call you back within the hour.",
        "You are the 3rd in the queue.",
        "Hold for about five minutes, please.",
        "Minutes later, we hold.",
        "For billing, press 1.",
        "Callers ahead of you: 4.",
        "",
    ):
        assert (joined.search(text) is not None) == any(p.search(text) for p in patterns), text
    assert _joined([re.compile(r"(a)\1")]) is None  # a group reference: searched alone
    assert _joined([re.compile("(?P<n>a)"), re.compile("(?P<n>b)")]) is None
