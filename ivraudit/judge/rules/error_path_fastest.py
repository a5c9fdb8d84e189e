"""A wrong key or silence is the only quick way to a person.

When the fastest way to a person is to press a wrong key or to say nothing, and the menu
offers no 0 and no person among its first two options, it rewards callers who ignore it
and makes those who listen wait longer. A menu that offers a working 0 or an early person
and also sends wrong keys and silence to a person is not flagged: that is the GetHuman
standard's advice. The failing menu offers a person only as option 3; the passing one
offers 0 first.

Fails:

    ivraudit: 1
    name: Errors win
    nodes:
      main:
        prompt: "Welcome to Acme."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 2, label: our address, goto: address}
          - {key: 3, label: anything else, goto: desk}
        no_input: {goto: desk}
        no_match: {retries: 0, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      address: {type: self_service, prompt: "We are at 1 High Street."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: A person first
    nodes:
      main:
        prompt: "Welcome to Acme."
        options:
          - {key: 0, label: a person, goto: desk}
          - {key: 1, label: opening hours, goto: hours}
        no_input: {goto: desk}
        no_match: {goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.format.model import Node
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR107"
NAME = "error-path-fastest"
TITLE = "A wrong key or silence is the only quick way to a person"
CATEGORY = "reach"
SEVERITY = "info"
RATIONALE = """Callers learn quickly that mashing keys or staying silent gets them a person;
if that beats every option, the menu teaches them to skip it, and the callers who listen
patiently are served last. Offering a person early and plainly (0, said up front) makes
the honest route the fast one."""
SOURCE = """GetHuman Standard v1.0 (gethuman.com, c. 2006-2007), point 1 (0 or "operator"
always reaches a person); Suhm & Peterson (2002), International Journal of Speech
Technology 5, 23-37: callers of touch-tone systems seek an agent at the first
opportunity."""
OPTIONS: dict[str, Any] = {}

_WAYS = {"no_input": "saying nothing", "no_match": "pressing a wrong key"}


_EARLY = 2  # a person among this many first options is a quick way, as in IVR104


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the menu where the best route to a person takes an error path
    and the menu offers no quick way of its own (a working 0, a person among the first
    options)."""
    for step in ctx.metrics.best_route:
        if step.kind not in _WAYS:
            continue
        node = ctx.menu.node(step.node)
        if _quick_person(ctx, node):
            return  # routing errors to a person as well is what GetHuman asks for
        handler = node.no_input if step.kind == "no_input" else node.no_match
        yield Problem(
            handler.pos if handler is not None else node.pos,
            f"at '{step.node}', {_WAYS[step.kind]} reaches a person sooner than any option "
            f"(at {seconds_text(step.at_seconds)}); offer 0 for a person early in the menu",
            step.node,
        )
        return


def _quick_person(ctx: Context, node: Node) -> bool:
    """Return whether the menu offers a person plainly: by 0, or among its first options."""
    for i, option in enumerate(node.options):
        person = ctx.leads_to_human(option.goto) or option.goto in ctx.metrics.queue_offer_menus
        if person and (option.key == "0" or i < _EARLY):
            return True
    return False
