"""IVR205: when silence makes a one-option menu a real choice."""

from __future__ import annotations

import pytest

from tests.rules.common import findings

TEXT = """\
ivraudit: 1
name: One key
nodes:
  main:
    options:
      - {{key: 1, goto: desk}}
    {handler}
  info: {{type: message, prompt: "We open at nine.", next: bye}}
  bye: {{type: hangup, prompt: "Goodbye."}}
  desk: {{type: agent}}
"""


@pytest.mark.parametrize(
    ("handler", "flagged"),
    [
        ("", True),  # silence repeats the menu, then disconnects
        ("no_input: {goto: bye}", True),  # press or be cut off: no real choice
        ("no_input: {goto: desk}", True),  # silence goes where the key goes
        ("no_input: {goto: main}", True),  # silence repeats the menu
        ("no_match: {goto: info}", True),  # a wrong key is not a choice callers are offered
        ("no_input: {goto: info}", False),  # wait to hear the hours, or press for a person
    ],
)
def test_silence_as_a_second_choice(handler: str, flagged: bool) -> None:
    assert bool(findings(TEXT.format(handler=handler), "IVR205")) is flagged
