"""A staffed queue gets more talk than its agents can give: calls wait without end.

With `traffic`, a queue listed in `queues` answers by Erlang A. When its callers never hang
up (no `patience_seconds`) and its calls need as many agents of talk as it has, or more,
the line in front of it only grows. The failing menu sends 120 calls an hour, 5 minutes of
talk each, to 3 leak agents; the passing one staffs 12.

Fails:

    ivraudit: 1
    name: Leak line on the day of the storm
    intents: {leak: 0.8, other: 0.2}
    traffic: {calls_per_hour: 120}
    queues:
      leaks: {agents: 3, handle_seconds: 300}
    nodes:
      main:
        prompt: "Riverside Water."
        options:
          - {key: 1, label: a leak, goto: leak_desk, intents: [leak]}
          - {key: 0, label: anything else, goto: care_desk, intents: [other]}
      leak_desk: {type: agent, queue: leaks, handles: [leak]}
      care_desk: {type: agent, hold_seconds: 30, handles: [other, leak]}

Passes:

    ivraudit: 1
    name: Leak line staffed for the storm
    intents: {leak: 0.8, other: 0.2}
    traffic: {calls_per_hour: 120}
    queues:
      leaks: {agents: 12, handle_seconds: 300}
    nodes:
      main:
        prompt: "Riverside Water."
        options:
          - {key: 1, label: a leak, goto: leak_desk, intents: [leak]}
          - {key: 0, label: anything else, goto: care_desk, intents: [other]}
      leak_desk: {type: agent, queue: leaks, handles: [leak]}
      care_desk: {type: agent, hold_seconds: 30, handles: [other, leak]}

The finding is at the queue's id in `queues:`. Its calls count as unresolved, so the
line's `calls.seconds` is unknown; the least agents it names make the queue stable
(load under 1), which is not yet enough to answer quickly (`agents_needed`, IVR110).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR109"
NAME = "overloaded-queue"
TITLE = "A staffed queue is overloaded: calls wait without end"
CATEGORY = "reach"
SEVERITY = "error"
RATIONALE = """A queue whose calls bring more work than its agents can do never catches up:
with callers who wait, the line grows for as long as the hour lasts, and no figure of
the menu in front of it means anything for the callers sent there. Routing more callers
to a queue (a zero-out, a merged option) can do this to a queue that was fine."""
SOURCE = """Garnett, Mandelbaum & Reiman (2002), "Designing a call center with impatient
customers", Manufacturing & Service Operations Management 4(3): without abandonment
(Erlang C) a queue is stable only when its offered load is below its agents; Gans, Koole
& Mandelbaum (2003), "Telephone call centers: tutorial, review, and research prospects",
M&SOM 5(2)."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each overloaded queue's id in `queues:`."""
    calls = ctx.metrics.calls
    if calls is None:
        return
    for q in calls.overloaded:
        f = q.figures
        talk = f.calls_per_hour * q.handle_seconds / 3600.0
        listed = ctx.menu.queue(q.queue)
        yield Problem(
            (listed.pos if listed else None) or ctx.menu.pos,
            f"queue '{q.queue}' is overloaded: {number(f.calls_per_hour)} calls an hour need "
            f"{talk:.1f} agents of talk on {f.agents} agent{'' if f.agents == 1 else 's'}; "
            f"calls wait without end — staff at least {q.stable_agents}",
        )


def number(value: float) -> str:
    """Return a count as a message shows it: whole when it is, else to one decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
