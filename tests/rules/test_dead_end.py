"""IVR402: which disconnects and hang-ups count as dead ends, and what the message says."""

from __future__ import annotations

from tests.rules.common import findings

HANDLED = "    no_input: {goto: desk}\n    no_match: {goto: desk}\n"


def test_missing_handlers_say_which_and_after_how_long() -> None:
    text = """\
ivraudit: 1
name: T
timing: {retries: 1}
nodes:
  main:
    prompt: "Acme."
    options:
      - {key: 0, label: a person, goto: desk}
  desk: {type: agent}
"""
    got = [f.message for f in findings(text, "IVR402")]
    # Silence: 2 x (0.4 + 2.0 + 5) = 14.8 s; wrong key: 2 x (0.4 + 1.0) = 2.8 s.
    assert got == [
        "'main' has no no_input handler: a caller who presses nothing hears it 2 times "
        "and is disconnected after 14.8 s",
        "'main' has no no_match handler: a caller who presses a wrong key 2 times "
        "is disconnected after 2.8 s",
    ]


def test_every_unchosen_way_into_a_hang_up_is_named_once() -> None:
    text = """\
ivraudit: 1
name: T
nodes:
  main:
    options:
      - {key: 1, label: news, goto: news}
      - {key: 9, label: ending the call, goto: bye}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: bye}
    no_match: {goto: bye}
  news: {type: message, prompt: "No news.", next: bye}
  bye: {type: hangup}
  desk: {type: agent}
"""
    (got,) = findings(text, "IVR402")
    assert got.node == "bye"
    assert got.message == (
        "'bye' ends the call on silence at 'main' or on a wrong key at 'main' or after 'news', "
        "which the caller did not choose, before any person or self-service has helped"
    )


def test_a_hang_up_chosen_with_a_key_is_no_dead_end() -> None:
    text = f"""\
ivraudit: 1
name: T
nodes:
  main:
    options:
      - {{key: 9, label: ending the call, goto: bye}}
      - {{key: 0, label: a person, goto: desk}}
{HANDLED}  bye: {{type: hangup, prompt: "Goodbye."}}
  desk: {{type: agent}}
"""
    assert findings(text, "IVR402") == []


def test_a_hang_up_after_a_resolution_is_no_dead_end() -> None:
    text = f"""\
ivraudit: 1
name: T
nodes:
  main:
    options:
      - {{key: 1, label: your balance, goto: balance}}
      - {{key: 0, label: a person, goto: desk}}
{HANDLED}  balance: {{type: self_service, prompt: "You owe nothing.", next: more}}
  more:
    options:
      - {{key: 0, label: a person, goto: desk}}
    no_input: {{goto: bye}}
    no_match: {{goto: desk}}
  bye: {{type: hangup, prompt: "Goodbye."}}
  desk: {{type: agent}}
"""
    assert findings(text, "IVR402") == []


def test_a_hang_up_also_reachable_unhelped_is_a_dead_end() -> None:
    # As above, but 'more' is also offered straight from 'main' (key 2): callers
    # who never had their balance are cut off on silence there.
    text = f"""\
ivraudit: 1
name: T
nodes:
  main:
    options:
      - {{key: 1, label: your balance, goto: balance}}
      - {{key: 2, label: more options, goto: more}}
      - {{key: 0, label: a person, goto: desk}}
{HANDLED}  balance: {{type: self_service, prompt: "You owe nothing.", next: more}}
  more:
    options:
      - {{key: 0, label: a person, goto: desk}}
    no_input: {{goto: bye}}
    no_match: {{goto: desk}}
  bye: {{type: hangup, prompt: "Goodbye."}}
  desk: {{type: agent}}
"""
    assert [f.node for f in findings(text, "IVR402")] == ["bye"]


def test_an_entry_hang_up_behind_a_branch_is_reported_at_the_hang_up() -> None:
    text = """\
ivraudit: 1
name: T
nodes:
  hours:
    type: branch
    routes:
      - {when: open, share: 3, goto: desk}
      - {when: closed, share: 1, goto: closed}
  closed: {type: hangup, prompt: "We are closed."}
  desk: {type: agent}
"""
    (got,) = findings(text, "IVR402")
    assert got.node == "closed"
    assert "when branch 'hours' routes there" in got.message
