"""A menu repeats itself too many times on silence or a wrong key.

The failing menu plays five more times before a silent caller reaches a person; the
passing one gives up after one repeat and puts the caller through.

Fails:

    ivraudit: 1
    name: Again and again
    nodes:
      main:
        options:
          - {key: 0, label: a person, goto: desk}
        no_input: {retries: 5, goto: desk}
        no_match: {goto: desk}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Once more
    nodes:
      main:
        options:
          - {key: 0, label: a person, goto: desk}
        no_input: {retries: 1, goto: desk}
        no_match: {goto: desk}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.analysis.timing import no_input_seconds, no_match_seconds, retries_of
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR404"
NAME = "excessive-retries"
TITLE = "Too many repeats on silence or a wrong key"
CATEGORY = "robustness"
SEVERITY = "warning"
RATIONALE = """A caller who did not answer or pressed a wrong key twice is unlikely to
succeed on the fifth try; each repeat replays the menu and adds its length to the call
before the caller is finally helped (or cut off). Two or three attempts, then a person,
serve struggling callers better."""
SOURCE = """Avaya Interactive Response R2.0 design guidelines (2006): allow no more than
two or three tries, then tell the caller to hold and transfer to an attendant; W3C
VoiceXML 2.0 (2004), section 5.2.2: count no-input and no-match events to escalate."""
OPTIONS: dict[str, Any] = {"max_retries": 3}

_WHAT = {"no_input": "silence", "no_match": "a wrong key"}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each handler (or menu, without one) that repeats too often."""
    limit = options["max_retries"]
    tm = ctx.menu.timing
    for node in ctx.nodes("menu"):
        for kind, handler, seconds in (
            ("no_input", node.no_input, no_input_seconds(node, tm)),
            ("no_match", node.no_match, no_match_seconds(node, tm)),
        ):
            retries = retries_of(handler, tm)
            if retries <= limit:
                continue
            source = (
                "" if handler is not None and handler.retries is not None else " (timing.retries)"
            )
            then = f"goes to '{handler.goto}'" if handler is not None else "is disconnected"
            yield Problem(
                node.pos if handler is None else handler.pos,
                f"on {_WHAT[kind]}, '{node.id}' is repeated {retries} times{source}, more than "
                f"{limit}, before the call {then} after {seconds_text(seconds)}",
                node.id,
            )
