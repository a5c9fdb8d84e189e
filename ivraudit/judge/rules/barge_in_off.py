"""A menu cannot be interrupted: callers must hear every option before pressing a key.

With `barge_in: false` a caller who knows their key still waits for the whole menu;
the passing menu leaves barge-in on (the default).

Fails:

    ivraudit: 1
    name: No barge-in
    nodes:
      main:
        barge_in: false
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Barge-in
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

from ivraudit.analysis.timing import menu_seconds, prompt_seconds, say_seconds
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR304"
NAME = "barge-in-off"
TITLE = "Callers cannot interrupt the menu"
CATEGORY = "prompts"
SEVERITY = "warning"
RATIONALE = """Callers who know what they want, or who recognise their option early, are
made to sit through every remaining option before a key is accepted. Frequent callers
suffer most, and a long menu becomes a fixed toll on every call through it."""
SOURCE = """GetHuman Standard v1.0 (2007), point 7: callers should be able to interrupt
prompts (dial-through) whenever that lets them finish faster; IBM WebSphere Voice
Response (Blueworx) design guide: allow key-ahead wherever possible; Avaya Interactive
Response R2.0 design guidelines (2006): apply dial-through and barge-in consistently."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the `barge_in` field of each reachable menu that turns it off."""
    tm = ctx.menu.timing
    for node in ctx.nodes("menu"):
        if node.barge_in:
            continue
        whole = menu_seconds(node, tm)
        first = prompt_seconds(node, tm) + say_seconds(node.options[0], tm)
        yield Problem(
            node.where("barge_in"),
            f"barge-in is off at '{node.id}': every key waits for the whole menu "
            f"({seconds_text(whole)}) "
            f"where the first option could be chosen after {seconds_text(first)}",
            node.id,
        )
