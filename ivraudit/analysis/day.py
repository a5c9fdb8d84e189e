"""The day of calls, hour by hour, by Erlang A: each hour of `traffic.profile` audited as
if it were the only one, with the agents `queues.<q>.schedule` gives it.

This is the stationary independent period-by-period approximation (SIPP; Green, Kolesar
& Soares (2001), "Improving the SIPP approach for staffing service systems that have
cyclic demands", Operations Research 49(4)): each hour is taken in steady state at its
own arrival rate, as if the queue started it empty of the last hour's backlog. It is
close where an hour is long against the handle time and patience, and parts from the
simulation (`ivraudit simulate`) after a peak, when calls still wait from the hour before.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ivraudit.analysis.calls import Calls, compute_calls
from ivraudit.analysis.graph import build_graph
from ivraudit.analysis.metrics import caller_classes
from ivraudit.analysis.queues import DEFAULT_TARGETS, Targets
from ivraudit.format.model import Menu, Queue
from ivraudit.frozen import frozen

_EN_DASH = "\u2013"  # a span of time, as typesetting writes it


@frozen
class HourCalls:
    """One hour of the day: its calls, the agents on each queue, and its `calls` figures."""

    hour: int  # 0-based: the hour's place in `traffic.profile`
    label: str  # "08:00-09:00" (an en dash) from `traffic.opens_at`, else "hour 1"
    calls_per_hour: float
    agents: tuple[tuple[str, int], ...]  # queue id -> agents in this hour, in file order
    calls: Calls

    def to_dict(self) -> dict[str, Any]:
        """Return the hour as JSON: its label and calls, then the contract's `calls`."""
        return {
            "hour": self.label,
            "calls_per_hour": round(self.calls_per_hour, 2),
            **self.calls.to_dict(),
        }


def hour_label(opens_at: str | None, hour: int) -> str:
    """Return how the hour at 0-based place `hour` of the day is named: by the clock from
    `opens_at` ("08:00-09:00" with an en dash; past midnight "23:00-00:00"), else
    "hour 1"."""
    if opens_at is None:
        return f"hour {hour + 1}"
    hours, minutes = (int(part) for part in opens_at.split(":"))
    start = (hours + hour) % 24
    return f"{start:02d}:{minutes:02d}{_EN_DASH}{(start + 1) % 24:02d}:{minutes:02d}"


def analytic_day(menu: Menu, targets: Targets = DEFAULT_TARGETS) -> tuple[HourCalls, ...]:
    """Return the `calls` figures of each hour of the menu's `traffic.profile` with each
    queue's scheduled agents (without a profile: the audited hour alone, as `score`).

    Raise ValueError for a menu without `traffic`, or (not from a file: the loader refuses
    it) an hour whose calls reach a queue without agents."""
    traffic = menu.traffic
    if traffic is None:
        raise ValueError("the menu states no traffic: there is no day to compute")
    g = build_graph(menu)
    classes, person = caller_classes(menu, g)
    profile = traffic.profile or (traffic.calls_per_hour,)
    out = []
    for hour, calls_per_hour in enumerate(profile):
        queues = tuple((name, _at(q, hour) if traffic.profile else q) for name, q in menu.queues)
        hour_menu = replace(
            menu, traffic=replace(traffic, calls_per_hour=calls_per_hour), queues=queues
        )
        calls = compute_calls(hour_menu, g, classes, menu.entry, targets, person=person)
        label = hour_label(traffic.opens_at, hour) if traffic.profile else "the audited hour"
        agents = tuple((name, q.agents) for name, q in queues)
        out.append(HourCalls(hour, label, calls_per_hour, agents, calls))
    return tuple(out)


def _at(queue: Queue, hour: int) -> Queue:
    """Return the queue as staffed in `hour` (its `agents` without a schedule)."""
    return replace(queue, agents=queue.schedule[hour]) if queue.schedule else queue
