"""A menu with a single option: a prompt and a key press that decide nothing.

When silence leads somewhere else ("press 1 to hear this again, or stay on the line")
the caller does have a choice, and the menu passes. The passing menu below plays a
message and goes straight on.

Fails:

    ivraudit: 1
    name: Needless press
    nodes:
      main:
        prompt: "Our opening hours have changed."
        options:
          - {key: 1, label: reception, goto: desk}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Straight on
    nodes:
      main:
        type: message
        prompt: "Our opening hours have changed."
        next: desk
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR205"
NAME = "single-option"
TITLE = "Menu with a single option"
CATEGORY = "navigation"
SEVERITY = "info"
RATIONALE = """A menu with one option makes the caller listen to it and press a key only
to go where the call would have gone anyway; a caller who does not press in time hears
the menu again or is cut off. A message that moves on, or the option folded into the
menu before, saves the press and the prompt."""
SOURCE = """No study names this directly; it follows from the cost of every second of
prompt (Lewis, "Practical Speech User Interface Design", 2011, citing Yudkowsky 2008)
and from GetHuman Standard v1.0 (2007), point 6: no long or verbose prompts."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each reachable menu with exactly one option and nothing else to do."""
    for node in ctx.nodes("menu"):
        if len(node.options) != 1:
            continue
        option = node.options[0]
        silence = node.no_input
        # Waiting is a real second choice when silence leads somewhere else that goes on.
        if (
            silence is not None
            and silence.goto not in (node.id, option.goto)
            and ctx.type_of(silence.goto) != "hangup"
        ):
            continue
        yield Problem(
            node.pos,
            f"'{node.id}' offers a single option (key {option.key} to '{option.goto}'); "
            "use a message that goes straight on instead",
            node.id,
        )
