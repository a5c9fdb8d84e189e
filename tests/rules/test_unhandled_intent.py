"""IVR209: the three reasons an intent has no sure route, reported at the intent."""

from __future__ import annotations

from tests.rules.common import findings

TEXT = """\
ivraudit: 1
name: Line
entry: start
intents: {a: 1, b: 1, c: 2}
nodes:
  main:
    options:
      - {key: 1, goto: desk}
  start: {type: message, prompt: "Hello.", next: main}
  desk: {type: agent, handles: [c]}
  old1: {type: agent, handles: [b]}
  old2: {type: agent, handles: [b]}
  old3: {type: agent, handles: [b]}
  old4: {type: agent, handles: [b]}
"""


def test_reported_where_each_intent_is_declared_in_declared_order() -> None:
    found = findings(TEXT, "IVR209")
    assert [(f.node, f.pos.line, f.pos.column) for f in found] == [(None, 4, 11), (None, 4, 17)]
    assert [f.message for f in found] == [
        "intent 'a' (25% of calls) is handled by no node",
        "intent 'b' (25% of calls) is handled only by unreachable 'old1', 'old2', 'old3' "
        "and 1 more",
    ]


def test_an_intent_resolved_on_every_route_passes() -> None:
    assert all("'c'" not in f.message for f in findings(TEXT, "IVR209"))
