"""IVR102: the time to a queue, hold left out, and the route its message shows."""

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


def test_queue_message_shows_each_step_and_its_seconds() -> None:
    (finding,) = findings(LONG_WELCOME, "IVR102", {"max_seconds": 40})
    # welcome 50 s; "Acme." 0.4 s + "For sales, press 1." 1.6 s + 1 s to press.
    assert finding.node == "welcome"
    assert finding.message == (
        "the quickest way to a person's queue takes 53.0 s before any hold (more than 40.0 s), "
        "via welcome (50.0 s) → main (key 1, 3.0 s) → sales"
    )


def test_queue_time_leaves_the_hold_out() -> None:
    assert findings(LONG_WELCOME, "IVR102", {"max_seconds": 53}) == []


def test_an_average_over_branch_routes_is_called_so() -> None:
    text = """\
    ivraudit: 1
    name: Strangers key in a number
    nodes:
      check:
        type: branch
        routes:
          - {when: caller ID known, share: 3, goto: desk}
          - {when: caller ID unknown, share: 1, goto: account}
      account:
        type: input
        prompt: "Key in your account number."
        prompt_seconds: 254
        collects: account_number
        next: desk
      desk: {type: agent}
    """
    # A quarter of the calls spend 260 s keying in a number: 65 s on average.
    (finding,) = findings(text, "IVR102")
    assert finding.message == (
        "the quickest way to a person's queue takes 65.0 s on average before any hold "
        "(more than 60.0 s), via check (75% route) → desk"
    )
    assert findings(text, "IVR102", {"max_seconds": 65}) == []
