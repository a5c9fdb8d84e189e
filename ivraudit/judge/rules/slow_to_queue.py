"""Callers spend too long in prompts and menus before they can even queue for a person.

The failing menu plays a 70-second recorded welcome before its first option; the passing
one keeps the welcome to 8 seconds, so a caller is in the queue well within a minute.

Fails:

    ivraudit: 1
    name: Long way in
    nodes:
      welcome:
        type: message
        prompt: "Welcome to Acme. Here is some news about our products and our website."
        prompt_seconds: 70
        next: main
      main:
        prompt: "How can we help?"
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent, hold_seconds: 30}

Passes:

    ivraudit: 1
    name: Short way in
    nodes:
      welcome:
        type: message
        prompt: "Welcome to Acme."
        prompt_seconds: 8
        next: main
      main:
        prompt: "How can we help?"
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent, hold_seconds: 30}

The figure is the contract's quickest expected time to any person's queue with the hold left
out (`time_to_queue_seconds`), so it measures the menu alone, not staffing. A line where no
person can be reached for sure is left to IVR101.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, route_text, seconds_text

ID = "IVR102"
NAME = "slow-to-queue"
TITLE = "Slow to reach a person's queue"
CATEGORY = "reach"
SEVERITY = "warning"
RATIONALE = """Every second of greeting, announcement and menu before the queue is time the
caller spends not yet waiting for anyone, and it is paid on every call. Callers who want a
person try to reach one at the first opportunity, and design guides ask for introductions and
prompts as short as possible. The 60-second default is ivraudit's own yardstick, not a
published figure; tune it per line."""
SOURCE = """Suhm & Peterson (2002), "A data-driven methodology for evaluating and optimizing
call center IVRs", International Journal of Speech Technology 5, 23-37 (callers seek an agent
at the first opportunity); Lewis (2011), Practical Speech User Interface Design, CRC Press
(keep the introduction as concise as possible; citing Yudkowsky 2008, about $1 million a year
saved at AT&T per second of extraneous speech); GetHuman Standard v1.0 (gethuman.com,
c. 2006-2007), point 6: no long or verbose prompts."""
OPTIONS: dict[str, Any] = {"max_seconds": 60}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the entry when the quickest way to a queue exceeds `max_seconds`."""
    limit = options["max_seconds"]
    seconds = ctx.metrics.time_to_queue_seconds
    if seconds is None or seconds <= limit:
        return
    route = ctx.metrics.queue_route
    # With a branch on the way the figure is an average over its routes, not this one route.
    average = " on average" if any(step.kind == "route" for step in route) else ""
    entry = ctx.menu.node(ctx.menu.entry)
    yield Problem(
        entry.pos,
        f"the quickest way to a person's queue takes {seconds_text(seconds)}{average} before "
        f"any hold (more than {seconds_text(limit)}), via {route_text(route)}",
        entry.id,
    )
