"""The figures of one replication, from its calls: the contract's `calls` figures (per
intent, per queue, the month) and the same hour by hour of the day.

A replication's figures are a flat map from a key (a path such as ("queues", "care",
"wait_seconds")) to a number, or None where a figure has no value (a queue no call
reached has no wait), so that replications combine key by key (`result.combine`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ivraudit.frozen import frozen
from ivraudit.simulate.engine import Attempt
from ivraudit.simulate.plan import Plan
from ivraudit.simulate.walks import CALLBACK, QUEUE, RESOLVED

Key = tuple[str, ...]
Sample = dict[Key, float | None]


@frozen
class Money:
    """What scales the figures to the month (`traffic.hours_per_month`) and prices them."""

    hours_per_month: float
    agent_hour: float | None = None  # None: the menu states no `costs`
    line_minute: float = 0.0


def _mean(xs: Sequence[float]) -> float | None:
    return math.fsum(xs) / len(xs) if xs else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def exposure(plan: Plan) -> tuple[float, ...]:
    """Return how many hours of each hour of the day the counted run covers."""
    out = [0.0] * plan.day_hours
    start, end = plan.warmup_hours, plan.warmup_hours + plan.hours
    slot = math.floor(start)
    while slot < end:
        out[slot % plan.day_hours] += min(end, slot + 1) - max(start, slot)
        slot += 1
    return tuple(out)


def _resolved(a: Attempt) -> bool:
    return a.ends in (RESOLVED, CALLBACK) or (a.ends == QUEUE and a.answered)


def _seconds(a: Attempt) -> float:
    """Return a call's time on the phone: until resolved, answered, hung up or ended."""
    return a.menu_seconds + ((a.wait_seconds or 0.0) if a.ends == QUEUE else 0.0)


def _calls(out: Sample, prefix: Key, calls: Sequence[Attempt], hours: float) -> None:
    """Put the figures of `calls` (over `hours`) under `prefix`."""
    resolvable = [a for a in calls if a.ends >= 0]
    resolved = [a for a in calls if _resolved(a)]
    out[(*prefix, "calls_per_hour")] = len(calls) / hours if hours > 0 else None
    out[(*prefix, "resolved_share")] = _share(len(resolved), len(calls))
    lost = sum(1 for a in calls if a.ends == QUEUE and not a.answered)
    out[(*prefix, "abandon_share")] = _share(lost, len(calls))
    out[(*prefix, "seconds")] = _mean([_seconds(a) for a in resolvable])
    out[(*prefix, "seconds_resolved")] = _mean([_seconds(a) for a in resolved])


def _queue(
    out: Sample, prefix: Key, calls: Sequence[Attempt], hours: float, agents: float
) -> float:
    """Put one queue's figures under `prefix`; return its agents' talking seconds."""
    live = [a for a in calls if a.ends == QUEUE]
    back = [a for a in calls if a.ends == CALLBACK]
    answered = [a for a in live if a.answered]
    talk = math.fsum(a.handle_seconds for a in calls if a.answered)
    out[(*prefix, "calls_per_hour")] = len(calls) / hours if hours > 0 else None
    out[(*prefix, "agents")] = agents
    out[(*prefix, "answer_seconds")] = _mean([a.wait_seconds or 0.0 for a in answered])
    out[(*prefix, "wait_seconds")] = _mean([a.wait_seconds or 0.0 for a in live])
    out[(*prefix, "abandon_share")] = _share(len(live) - len(answered), len(live))
    staffed = agents * hours * 3600.0
    out[(*prefix, "occupancy")] = talk / staffed if staffed > 0 else None
    out[(*prefix, "callbacks_per_hour")] = len(back) / hours if hours > 0 else None
    out[(*prefix, "callback_seconds")] = _mean(
        [a.wait_seconds for a in back if a.wait_seconds is not None and a.answered]
    )
    return talk


def sample(plan: Plan, calls: Sequence[Attempt], money: Money) -> Sample:
    """Return one replication's figures from its calls (those started in the counted
    hours; a queue's, those that reached it then)."""
    start, end = plan.warmup_hours * 3600.0, plan.end_seconds
    hours = plan.hours
    counted = [a for a in calls if start <= a.start < end]
    covered = exposure(plan)
    out: Sample = {}
    _calls(out, ("calls",), counted, hours)
    retrials = sum(1 for a in counted if a.retrial)
    out[("calls", "retrial_share")] = _share(retrials, len(counted))
    for i, w in enumerate(plan.walks):
        mine = [a for a in counted if a.intent == i]
        _calls(out, ("intents", w.intent), mine, hours)
    at_queue = [
        a for a in calls if a.ends in (QUEUE, CALLBACK) and start <= a.start + a.menu_seconds < end
    ]
    talk = 0.0
    staffed = 0.0
    for i, q in enumerate(plan.queues):
        agents = math.fsum(q.agents_at(h) * covered[h] for h in range(plan.day_hours)) / hours
        staffed += agents
        mine = [a for a in at_queue if a.queue == i]
        talk += _queue(out, ("queues", q.name), mine, hours, agents)
    _month(out, counted, hours, talk, staffed, money)
    _hours(out, plan, counted, at_queue, covered)
    return out


def _month(
    out: Sample,
    counted: Sequence[Attempt],
    hours: float,
    talk: float,
    staffed: float,
    money: Money,
) -> None:
    """Put the month's figures: the run's average hour times `hours_per_month`."""
    scale = money.hours_per_month / hours
    out[("month", "calls")] = len(counted) * scale
    caller = math.fsum(_seconds(a) for a in counted if a.ends >= 0) / 3600.0 * scale
    agent = talk / 3600.0 * scale
    staffed_hours = staffed * money.hours_per_month
    out[("month", "caller_hours")] = caller
    out[("month", "agent_hours")] = agent
    out[("month", "staffed_agent_hours")] = staffed_hours
    out[("month", "cost")] = (
        None
        if money.agent_hour is None
        else staffed_hours * money.agent_hour + (caller + agent) * 60.0 * money.line_minute
    )


def _hours(
    out: Sample,
    plan: Plan,
    counted: Sequence[Attempt],
    at_queue: Sequence[Attempt],
    covered: Sequence[float],
) -> None:
    """Put each hour of the day's figures under ("hours", hour)."""
    by_hour: list[list[Attempt]] = [[] for _ in range(plan.day_hours)]
    for a in counted:
        by_hour[int(a.start // 3600.0) % plan.day_hours].append(a)
    queued: list[list[Attempt]] = [[] for _ in range(plan.day_hours)]
    for a in at_queue:
        queued[int((a.start + a.menu_seconds) // 3600.0) % plan.day_hours].append(a)
    for h in range(plan.day_hours):
        prefix = ("hours", str(h))
        if covered[h] <= 0:
            continue
        _calls(out, prefix, by_hour[h], covered[h])
        for i, q in enumerate(plan.queues):
            mine = [a for a in queued[h] if a.queue == i]
            _queue(out, (*prefix, "queues", q.name), mine, covered[h], float(q.agents_at(h)))
