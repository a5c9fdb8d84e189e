"""A staffed queue misses its answer targets: more agents are needed.

With `traffic`, a queue listed in `queues` answers by Erlang A. It meets its targets when
its calls are answered in 30 s or less on average with at most 5% hanging up (the
contract's `agents_needed`). The failing menu answers leak calls after 2:13 on average;
the passing one has the 4 agents that answer them in 26 s.

Fails:

    ivraudit: 1
    name: Leak line one agent short
    intents: {leak: 0.2, other: 0.8}
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
    name: Leak line fully staffed
    intents: {leak: 0.2, other: 0.8}
    traffic: {calls_per_hour: 120}
    queues:
      leaks: {agents: 4, handle_seconds: 300}
    nodes:
      main:
        prompt: "Riverside Water."
        options:
          - {key: 1, label: a leak, goto: leak_desk, intents: [leak]}
          - {key: 0, label: anything else, goto: care_desk, intents: [other]}
      leak_desk: {type: agent, queue: leaks, handles: [leak]}
      care_desk: {type: agent, hold_seconds: 30, handles: [other, leak]}

The finding is at the queue's id in `queues:`. An overloaded queue is IVR109's error, not
this warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR110"
NAME = "understaffed-queue"
TITLE = "A staffed queue misses its answer targets"
CATEGORY = "reach"
SEVERITY = "warning"
RATIONALE = """A queue with too few agents for its calls makes callers wait long, and the
longer they wait the more of them hang up unserved. The contract's targets, an answer
within 30 s on average with no more than 5% hanging up, are those of a line that answers
most calls promptly; the agents they need show what staffing the menu's routing asks for."""
SOURCE = """Garnett, Mandelbaum & Reiman (2002), "Designing a call center with impatient
customers", Manufacturing & Service Operations Management 4(3) (Erlang A); Gans, Koole &
Mandelbaum (2003), "Telephone call centers: tutorial, review, and research prospects",
M&SOM 5(2): service levels as an answer time and an abandonment share."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each stable queue that needs more agents than it has."""
    calls = ctx.metrics.calls
    if calls is None:
        return
    answer, abandon = calls.targets.answer_seconds, calls.targets.abandon_share
    for q in calls.queues:
        f = q.figures
        if f.overloaded or f.agents_needed <= f.agents:
            continue
        missed = []
        if f.answer_seconds is not None and f.answer_seconds > answer:
            missed.append(
                f"answers after {seconds_text(f.answer_seconds)} on average (target {answer:g} s)"
            )
        if f.abandon_share > abandon:
            missed.append(
                f"loses {f.abandon_share:.0%} of its calls to hang-ups (target {abandon:.0%})"
            )
        if not missed:  # agents_needed is the least n meeting both: one is missed
            continue
        listed = ctx.menu.queue(q.queue)
        yield Problem(
            (listed.pos if listed else None) or ctx.menu.pos,
            f"queue '{q.queue}' ({f.agents} agent{'' if f.agents == 1 else 's'}) "
            f"{' and '.join(missed)}; {f.agents_needed} agents would meet the targets",
        )
