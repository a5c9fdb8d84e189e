"""Reaching a person takes too long once the hold is counted.

The failing menu puts callers through a short menu and then a 4-minute hold; the passing one
answers within 2 minutes, so a person picks up well inside 3 minutes.

Fails:

    ivraudit: 1
    name: Long hold
    nodes:
      main:
        prompt: "Acme support."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent, hold_seconds: 240}

Passes:

    ivraudit: 1
    name: Short hold
    nodes:
      main:
        prompt: "Acme support."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent, hold_seconds: 120}

The figure is the contract's `time_to_human_seconds`: the quickest expected time from the start
of the call until any person answers, so one fast queue is enough to pass (a slow queue behind
it is IVR106's business). A line where no person can be reached for sure is left to IVR101.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, route_text, seconds_text

ID = "IVR103"
NAME = "slow-to-human"
TITLE = "Slow to reach a person, hold included"
CATEGORY = "reach"
SEVERITY = "warning"
RATIONALE = """What a caller remembers is how long it took until someone answered: menus and
hold together. Three minutes is the answer time Spain's 2025 customer-service law sets for 95%
of calls to large companies and utilities, and GetHuman asks that a person answer when one is
available. Over that, callers give up, call again or complain."""
SOURCE = """Spain, Ley de Servicios de Atención a la Clientela (final approval December 2025):
95% of calls answered within 3 minutes on average, as reported in the press (regulatory
context, not a design standard); GetHuman Standard (gethuman.com, draft 2006, v1.0 c. 2007):
if a person is available, the person should answer."""
OPTIONS: dict[str, Any] = {"max_seconds": 180}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the entry when the quickest way to a person exceeds `max_seconds`."""
    limit = options["max_seconds"]
    m = ctx.metrics
    seconds = m.time_to_human_seconds
    if seconds is None or seconds <= limit:
        return
    # With a branch on the way the figure is an average over its routes, not this one route.
    average = " on average" if any(step.kind == "route" for step in m.best_route) else ""
    route = route_text(m.best_route) if m.best_route else f"straight to {ctx.menu.entry}"
    hold = seconds_text(m.best_route_hold_seconds or 0.0)
    entry = ctx.menu.node(ctx.menu.entry)
    yield Problem(
        entry.pos,
        f"the quickest way to a person takes {seconds_text(seconds)}{average}, hold included "
        f"(more than {seconds_text(limit)}): {route}, then {hold} on hold",
        entry.id,
    )
