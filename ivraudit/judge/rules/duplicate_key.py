"""Two options of one menu on the same key.

The caller hears both, but a key press can only do one thing, so one of the two options
can never be chosen (which one depends on the platform). The passing menu gives each
option its own key.

Fails:

    ivraudit: 1
    name: Clash
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: One key each
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 2, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.format.model import Option
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR204"
NAME = "duplicate-key"
TITLE = "Two options on the same key"
CATEGORY = "navigation"
SEVERITY = "error"
RATIONALE = """A key can do only one thing: when two options share it, callers who want
the second are sent to the first (or the other way round), and the menu is read out
with a promise it cannot keep. It is almost always a copy-and-paste slip."""
SOURCE = """A logic error rather than a matter of design taste. Loosely related:
ISO/IEC 13714:1995 sets out a key allocation for each menu (per its table of contents),
and the IBM WebSphere Voice Response design guide asks that similar functions be
allocated to the same keys."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at every option whose key an earlier option of its menu already has."""
    for node in ctx.nodes("menu"):
        first: dict[str, Option] = {}
        for option in node.options:
            earlier = first.setdefault(option.key, option)
            if earlier is option:
                continue
            if earlier.goto == option.goto:
                what = f"both leading to '{option.goto}'"
            else:
                what = f"so only one of '{earlier.goto}' and '{option.goto}' can be chosen"
            yield Problem(
                option.pos,
                f"key {option.key} is offered twice in '{node.id}' (first at line "
                f"{earlier.pos.line}), {what}",
                node.id,
            )
