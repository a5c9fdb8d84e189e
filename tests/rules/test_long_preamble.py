"""IVR302: the least time to each first menu, along messages, inputs and branches."""

from __future__ import annotations

from tests.rules.common import findings


def test_the_message_adds_up_the_route() -> None:
    text = """\
ivraudit: 1
name: T
entry: hello
nodes:
  hello: {type: message, prompt: "one two three four five six seven eight nine ten", next: who}
  who:
    type: branch
    routes:
      - {when: known, share: 1, goto: main}
  main:
    prompt: "one two three four five six seven eight nine ten eleven"
    options:
      - {key: 0, label: a person, goto: desk}
  desk: {type: agent}
"""
    (got,) = findings(text, "IVR302")
    assert got.message == (
        "the first option of 'main' starts 8.4 s into the call ('hello' 4.0 s, its prompt 4.4 s), "
        "more than 8 s"
    )


def test_the_shortest_way_counts() -> None:
    # Two ways to 'main': a long message (10 s) or a short one (0.4 s).
    text = """\
ivraudit: 1
name: T
entry: who
nodes:
  who:
    type: branch
    routes:
      - {when: known, share: 1, goto: long}
      - {when: unknown, share: 1, goto: short}
  long:
    type: message
    prompt: >-
      a a a a a a a a a a a a a a a a a a a a a a a a a
    next: main
  short: {type: message, prompt: "Hi.", next: main}
  main:
    prompt: "Acme."
    options:
      - {key: 0, label: a person, goto: desk}
  desk: {type: agent}
"""
    assert findings(text, "IVR302") == []
