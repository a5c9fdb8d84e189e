"""What callers live through, as every report shows it: the `calls` figures formatted once
(terminal, Markdown and HTML only lay them out). Menu text (queue ids, intent names,
the currency) stays raw here; each renderer makes it safe for its own medium."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ivraudit.analysis.calls import Calls, Month, QueueCalls
from ivraudit.analysis.queues import Targets
from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, duration, share
from ivraudit.frozen import frozen

TITLE = "What callers live through"


def needed_note(targets: Targets) -> str:
    """Return what the "needed" column means, in the words a client reads, for the service
    level `agents_needed` aimed at."""
    return (
        f"needed: the fewest agents who answer in {targets.answer_seconds:g}{NBSP}s on "
        f"average with at most {targets.abandon_share:.0%} of callers hanging up"
    )


ANSWER_NOTE = "answered in: the mean wait of the calls a person answers"
NOT_ESTIMATED = "not estimated without the call volume and staffing"
ENDLESS = "without end"
OVERLOADED = "a queue is overloaded"


@frozen
class QueueRow:
    """One staffed queue at the audited hour, every figure written out."""

    name: str
    load: str
    answer: str
    hang_up: str
    agents: str
    needed: str
    overloaded: bool
    note: str  # "overloaded — needs N agents to be stable", or ""


@frozen
class MonthView:
    """The audited hour over a month: calls, hours on the line and what they cost."""

    calls: str
    hours: str  # how many hours like the audited one a month has
    caller_hours: str  # "245 hours", or "without end" with an overloaded queue
    agent_hours: str
    staffed_hours: str
    cost: str  # "" when the menu states no costs; "without end" with an overloaded queue
    endless: bool  # a queue is overloaded: the callers' hours and the cost have no end


@frozen
class CallsView:
    """The `calls` figures of one menu as a report shows them."""

    resolved: str
    never: tuple[str, ...]  # intents no route resolves
    hang_up: str
    seconds: str  # "36.8 s", or "without end" / "none"
    seconds_note: str  # "on average, holds included", or why there is no figure
    seconds_known: bool  # False: a queue is overloaded, or no call is resolved
    per_hour: str  # "120 calls an hour", or "" without traffic
    queues: tuple[QueueRow, ...]
    month: MonthView | None
    # Intents resolved on fewer than all of their calls: name -> "96% resolved".
    intent_resolved: Mapping[str, str]
    # Agent nodes whose wait the queues compute (node id -> queue id): a journey ending
    # there shows the queue, not a stated hold.
    staffed: Mapping[str, str]
    needed_note: str = ""


def calls_view(a: Audit) -> CallsView | None:
    """Return what callers of `a`'s menu live through, or None when it reports no calls."""
    c = a.metrics.calls
    if c is None:
        return None
    traffic = a.menu.traffic
    if c.seconds is not None:
        seconds, note = duration(c.seconds), "on average, holds included"
    elif c.overloaded:
        seconds, note = ENDLESS, OVERLOADED
    else:
        seconds, note = "none", "no call is resolved"
    return CallsView(
        resolved=share(c.resolved_share),
        never=tuple(i.intent for i in c.intents if c.declared and not i.resolvable),
        hang_up=hang_up_share(c.abandon_share) if c.queues else NOT_ESTIMATED,
        seconds=seconds,
        seconds_note=note,
        seconds_known=c.seconds is not None,
        per_hour=(
            f"{number(traffic.calls_per_hour)}{NBSP}calls an hour" if traffic is not None else ""
        ),
        queues=tuple(_queue(q) for q in c.queues),
        month=_month(c.month, hours=traffic.hours_per_month) if c.month and traffic else None,
        intent_resolved=_intent_resolved(c),
        staffed=dict(c.staffed),
        needed_note=needed_note(c.targets),
    )


def _intent_resolved(c: Calls) -> dict[str, str]:
    out = {}
    for i in c.intents:
        shown = share(i.resolved_share)
        if c.declared and i.resolvable and shown != "100%":
            out[i.intent] = f"{shown}{NBSP}resolved"
    return out


def _queue(q: QueueCalls) -> QueueRow:
    f = q.figures
    return QueueRow(
        name=q.queue,
        load=share(f.load),
        # An overloaded queue's calls are never answered: they wait without end.
        answer="no end" if f.overloaded else duration(f.answer_seconds),
        hang_up="—" if f.overloaded else hang_up_share(f.abandon_share),
        agents=str(f.agents),
        needed=str(f.agents_needed),
        overloaded=f.overloaded,
        note=(
            f"overloaded — needs {q.stable_agents} agents to be stable"
            if f.overloaded and q.stable_agents is not None
            else ""
        ),
    )


def _month(m: Month, *, hours: float) -> MonthView:
    cost = ""
    if m.priced:
        cost = money(m.cost, m.currency) if m.cost is not None else ENDLESS
    return MonthView(
        calls=f"{number(m.calls)}{NBSP}calls",
        hours=f"{number(hours)}{NBSP}hours",
        caller_hours=(
            ENDLESS if m.caller_hours is None else f"{number(m.caller_hours)}{NBSP}hours"
        ),
        agent_hours=f"{number(m.agent_hours)}{NBSP}hours",
        staffed_hours=f"{number(m.staffed_agent_hours)}{NBSP}hours",
        cost=cost,
        endless=m.caller_hours is None,
    )


def month_effect(effect: Mapping[str, Any] | None) -> tuple[str, str]:
    """Return what a change does to a month of calls (the suggest contract's
    `saves_per_month`) in words, in full and short: ("saves 101 caller-hours, 12
    agent-hours and GBP 1,234.56 a month", "GBP 1,234.56 a month"); ("", "") without one
    or where it rounds to nothing. The one wording of it in every report."""
    if not effect:
        return "", ""
    currency = str(effect.get("currency") or "")
    parts: list[tuple[float, str]] = []
    for key, noun in (("caller_hours", "caller-hours"), ("agent_hours", "agent-hours")):
        value = effect.get(key)
        if isinstance(value, (int, float)) and round(value, 1):
            parts.append((value, f"{number(abs(value))}{NBSP}{noun}"))
    cost = effect.get("cost")
    priced = isinstance(cost, (int, float)) and round(cost, 2) != 0
    if priced:
        parts.append((cost, money(abs(cost), currency)))  # type: ignore[arg-type]
    if not parts:
        return "", ""
    saved = [text for value, text in parts if value > 0]
    added = [text for value, text in parts if value < 0]
    said = []
    if saved:
        said.append("saves " + _and(saved) + " a month")
    if added:
        said.append("adds " + _and(added) + " a month")
    full = "; ".join(said)
    first = parts[-1] if priced else parts[0]
    short = f"{'saves' if first[0] > 0 else 'adds'} {first[1]} a month"
    return full, short


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def hang_up_share(value: float) -> str:
    """Return a share of calls that hang up to a tenth of a percent (`1.8%`), from the
    four decimals JSON gives, so that the report reads as the JSON does."""
    shown = round(value, 4)
    if shown <= 0:
        return "0%"
    tenths = math.floor(shown * 1000 + 0.5)  # half up: 0.0175 reads 1.8%
    if tenths == 0:
        return "<0.1%"
    return f"{tenths / 10:.1f}%"


def number(value: float) -> str:
    """Return a count or a number of hours with thousands separators: whole from 100 on
    (`1,092`), else to a tenth (`24.5`)."""
    if value >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def money(value: float, currency: str) -> str:
    """Return an amount with thousands separators after its currency (`USD 55,604.95`)."""
    amount = f"{value:,.2f}"
    return f"{currency}{NBSP}{amount}" if currency else amount
