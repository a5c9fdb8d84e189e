"""IVR207: what counts as a person behind 0 and as going back with *."""

from __future__ import annotations

from tests.rules.common import findings

MENU = """\
ivraudit: 1
name: Keys
nodes:
  main:
    options:
      - {{key: 1, goto: sub}}
      - {{key: 0, goto: desk}}
  sub:
    options:
      - {{key: 1, goto: desk}}
      - {{key: "{key}", goto: {goto}}}
  deeper: {{options: [{{key: 1, goto: desk}}, {{key: 0, goto: desk}}]}}
  to_main: {{type: message, prompt: "Back to the start.", next: main}}
  to_deeper: {{type: message, prompt: "More options.", next: deeper}}
  loop_a: {{type: message, prompt: "A.", next: loop_b}}
  loop_b: {{type: message, prompt: "B.", next: loop_a}}
  night:
    type: branch
    routes: [{{when: open, share: 1, goto: desk}}, {{when: closed, share: 9, goto: bye}}]
  bye: {{type: hangup}}
  desk: {{type: agent}}
"""


def _messages(key: str, goto: str) -> list[str]:
    return [f.message for f in findings(MENU.format(key=key, goto=goto), "IVR207")]


def test_star_back_through_a_message_is_fine() -> None:
    assert _messages("*", "to_main") == []


def test_star_on_through_a_message_is_not_back() -> None:
    assert _messages("*", "to_deeper") == [
        "key * of 'sub' leads on to 'to_deeper' (message), though callers press * to go back"
    ]


def test_a_loop_of_messages_ends_the_search() -> None:
    assert len(_messages("*", "loop_a")) == 1


def test_zero_to_a_branch_with_one_route_to_a_person_is_fine() -> None:
    # Even when the person is the rarer route: 0 still does what callers expect when open.
    assert _messages("0", "night") == []


def test_zero_to_a_hangup_is_flagged() -> None:
    assert _messages("0", "bye") == [
        "key 0 of 'sub' leads to 'bye' (hangup), not to a person, though callers press 0 for one"
    ]
