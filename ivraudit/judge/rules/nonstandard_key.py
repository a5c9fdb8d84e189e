"""Key 0 that does not lead to a person, or key * that does not go back.

By wide convention 0 reaches a person and * goes back or cancels; a caller pressing 0
to escape a menu and landing in another menu (or hearing "goodbye") has been misled.
The passing menu gives the sub-menu its own digit and keeps 0 for the desk.

Fails:

    ivraudit: 1
    name: Surprising keys
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 0, label: more options, goto: more}
      more:
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: "*", label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Conventional keys
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 2, label: more options, goto: more}
          - {key: 0, label: a person, goto: desk}
      more:
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
          - {key: "*", label: the main menu, goto: main}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR207"
NAME = "nonstandard-key"
TITLE = "Key 0 or * used against convention"
CATEGORY = "navigation"
SEVERITY = "warning"
RATIONALE = """Callers carry key habits from line to line: 0 for a person and * to go
back are what they press when lost, often without waiting for the menu to say so. A 0
or * that does something else sends exactly those callers somewhere they did not mean
to go. No law fixes key meanings, so consistency with the common convention is what
helps."""
SOURCE = """ISO/IEC 13714:1995 as commonly summarised: 0 for help or an operator, * to
go back or cancel; IBM WebSphere Voice Response design guide: use 0 for operator access
and * for the control menu; ACIxD wiki, "DTMF keys common usage" (citing Lewis 2011):
in the US 0 is virtually always the operator, * is back/cancel."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each 0 that reaches no person and each * that does not go back."""
    for node in ctx.nodes("menu"):
        for option in node.options:
            # A callback or wait offer in front of the queue is the way to the person.
            offer = option.goto in ctx.metrics.queue_offer_menus
            if option.key == "0" and not offer and not ctx.leads_to_human(option.goto):
                yield Problem(
                    option.pos,
                    f"key 0 of '{node.id}' leads to '{option.goto}' ({ctx.type_of(option.goto)}), "
                    "not to a person, though callers press 0 for one",
                    node.id,
                )
            elif option.key == "*" and not ctx.leads_back(node.id, option.goto):
                yield Problem(
                    option.pos,
                    f"key * of '{node.id}' leads on to '{option.goto}' "
                    f"({ctx.type_of(option.goto)}), though callers press * to go back",
                    node.id,
                )
