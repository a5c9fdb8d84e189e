"""No route reaches a person.

Fails:

    ivraudit: 1
    name: Robot only
    nodes:
      main:
        options:
          - {key: 1, label: opening hours, goto: hours}
      hours: {type: self_service, prompt: "We open at nine."}

Passes:

    ivraudit: 1
    name: Robot and a person
    nodes:
      main:
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR101"
NAME = "no-human"
TITLE = "No route to a person"
CATEGORY = "reach"
SEVERITY = "error"
RATIONALE = """A caller whose problem the machine cannot solve must be able to reach a
person; a line with no way to one strands them. When a person exists but a branch on
the way carries no calls there, a person is not reached either. A branch that reaches a
person only some of the time (opening hours) is not this problem: it lowers
`human_share`, which the calls figures and the score count."""
SOURCE = """GetHuman Standard v1.0 (gethuman.com, 2006-07), point 1: callers must always
be able to press 0 or say "operator" to queue for a human."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the entry when no call can reach a person."""
    m = ctx.metrics
    if m.human_share > 0:
        return
    entry = ctx.menu.node(ctx.menu.entry)
    if not m.human_reachable:
        message = "no route from the entry reaches a person (an agent node)"
    else:
        message = (
            "a person exists, but every way there passes a branch that routes no calls that way"
        )
    yield Problem(entry.pos, message, entry.id)
