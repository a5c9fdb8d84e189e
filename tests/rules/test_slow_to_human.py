"""IVR103: the time to a person, hold included, and the route its message shows."""

from __future__ import annotations

from tests.rules.common import findings

LONG_WELCOME = """\
ivraudit: 1
name: Long welcome
nodes:
  welcome: {type: message, prompt: "Welcome.", prompt_seconds: 50, next: main}
  main:
    prompt: "Acme."
    options:
      - {key: 1, label: sales, goto: sales}
      - {key: 0, label: support, goto: support}
  sales: {type: agent, hold_seconds: 20}
  support: {type: agent, hold_seconds: 600}
"""


def test_human_message_adds_the_hold() -> None:
    (finding,) = findings(LONG_WELCOME, "IVR103", {"max_seconds": 60})
    assert finding.message == (
        "the quickest way to a person takes 73.0 s, hold included (more than 60.0 s): "
        "welcome (50.0 s) → main (key 1, 3.0 s) → sales, then 20.0 s on hold"
    )


def test_a_slower_queue_does_not_count_when_a_quicker_one_exists() -> None:
    assert findings(LONG_WELCOME, "IVR103") == []


def test_averages_over_branches_are_called_so() -> None:
    text = """\
    ivraudit: 1
    name: Sometimes slow
    nodes:
      check:
        type: branch
        routes:
          - {when: quiet, share: 1, goto: quick}
          - {when: busy, share: 1, goto: slow}
      quick: {type: agent, hold_seconds: 60}
      slow: {type: agent, hold_seconds: 400}
    """
    (finding,) = findings(text, "IVR103")
    assert finding.message == (
        "the quickest way to a person takes 3:50 on average, hold included (more than 3:00): "
        "check (50% route) → quick, then 60.0 s on hold"
    )


def test_a_person_at_the_entry() -> None:
    text = "ivraudit: 1\nname: Straight in\nnodes:\n  desk: {type: agent, hold_seconds: 200}\n"
    (finding,) = findings(text, "IVR103")
    assert finding.message.endswith("(more than 3:00): straight to desk, then 3:20 on hold")
    assert findings(text, "IVR102") == []
