"""What the portfolio index weighs: the finding that costs a menu's callers most, the
effect of a suggestion in caller-hours and money, and the biggest levers of all menus.

The rules (docs/reports.md, "The portfolio index"):

- A finding costs callers the seconds it adds to an average call: the most a measured
  suggestion that fixes it saves per call (its `saves_seconds`, plus its `resolves_more`
  share of calls times the typical call, which those callers spent for nothing); or, for
  a place where callers wait for a person, that wait times the share of calls that wait
  there. The worst finding is the costliest; findings the model cannot put a cost on
  follow, by severity, then by how often their rule fires.
- A suggestion's effect is its month's figures before and after (the "Calls as they
  happen" model, where the menu declares traffic): caller-hours saved and, where the
  menu declares costs, money. Levers rank by money where every priced menu uses one
  currency, then by caller-hours a month, then by seconds saved per call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ivraudit.audit import Audit
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Finding

# The seconds counted for a wait that has no end (an overloaded queue): an hour, far
# beyond any caller's patience, so that such a queue outweighs every finite cost.
ENDLESS_SECONDS = 3600.0


def finding_cost(f: Finding, audit: Audit, suggestions: Mapping[str, Any] | None = None) -> float:
    """Return the seconds `f` costs an average call of `audit`'s menu (0: not known)."""
    return max(_fixed_by(f, suggestions), _wait(f, audit))


def costliest_finding(
    audit: Audit, suggestions: Mapping[str, Any] | None = None
) -> tuple[Finding, float] | None:
    """Return the finding that costs callers most with its cost in seconds per call; where
    none has a cost, the most severe, then the one whose rule fires most often."""
    if not audit.findings:
        return None
    freq: dict[str, int] = {}
    for f in audit.findings:
        freq[f.rule] = freq.get(f.rule, 0) + 1
    costs = {id(f): finding_cost(f, audit, suggestions) for f in audit.findings}
    worst = min(
        audit.findings,
        key=lambda f: (-round(costs[id(f)], 1), -f.severity.rank, -freq[f.rule], f.sort_key),
    )
    return worst, costs[id(worst)]


def _fixed_by(f: Finding, suggestions: Mapping[str, Any] | None) -> float:
    """Return the most seconds per call a measured suggestion fixing `f` saves."""
    if not suggestions:
        return 0.0
    typical = _number((suggestions.get("before") or {}).get("typical_call_seconds")) or 0.0
    best = 0.0
    for s in suggestions.get("suggestions", ()):
        if f.rule not in s.get("fixes", ()):
            continue
        nodes = s.get("nodes") or ()
        if f.node is not None and nodes and f.node not in nodes:
            continue  # the same rule at another node
        saved = max(0.0, _number(s.get("saves_seconds")) or 0.0)
        saved += max(0.0, _number(s.get("resolves_more")) or 0.0) * typical
        best = max(best, saved)
    return best


def _wait(f: Finding, audit: Audit) -> float:
    """Return the wait for a person at the place `f` is about, times the share of calls
    that wait there (0 where `f` is about no such place)."""
    menu, c = audit.menu, audit.metrics.calls
    queue = _queue_of(f, audit)
    if c is not None and queue is not None:
        found = next((q for q in c.queues if q.queue == queue), None)
        if found is None:
            return 0.0
        wait = ENDLESS_SECONDS if found.overloaded else found.figures.answer_seconds
        share = sum(i.share * dict(i.arrivals).get(queue, 0.0) for i in c.intents)
        return wait * share
    node = menu.by_id.get(f.node) if f.node is not None else None
    if node is None or node.type != "agent":
        return 0.0
    if c is not None:
        share = sum(i.share * min(1.0, i.passes.get(node.id, 0.0)) for i in c.intents)
    else:
        # Without intents the model follows one caller, who wants a person: the wait
        # counts where the route to a person ends.
        route = audit.metrics.best_route
        share = 1.0 if route and route[-1].to == node.id else 0.0
    return node.hold_seconds * share


def _queue_of(f: Finding, audit: Audit) -> str | None:
    """Return the staffed queue `f` is about: its agent node's, or the queue declared
    where `f` points."""
    c = audit.metrics.calls
    if c is None:
        return None
    if f.node is not None:
        return dict(c.staffed).get(f.node)
    for name, q in audit.menu.queues:
        if q.pos is not None and (q.pos.line, q.pos.file) == (f.pos.line, f.pos.file):
            return name
    return None


@frozen
class Effect:
    """What one suggestion does for a menu's callers and its costs, a month (where the
    menu declares traffic) and per call."""

    seconds: float  # saved per call
    caller_hours: float | None = None  # saved a month; None without traffic
    money: float | None = None  # saved a month; None without costs
    currency: str = ""
    resolves: float = 0.0  # the share of calls newly resolved
    typical: float = 0.0  # the typical call before, seconds

    @property
    def caller_seconds(self) -> float:
        """Return the seconds saved per call, each newly resolved call counted as a whole
        typical call (as `finding_cost` counts it)."""
        return self.seconds + self.resolves * self.typical


def suggestion_effect(s: Mapping[str, Any], before: Mapping[str, Any]) -> Effect:
    """Return a suggestion's effect as the suggest contract's object states it: seconds
    saved, calls resolved more and `saves_per_month` (the library's month before minus
    after), with `before`'s typical call to weigh calls newly resolved."""
    typical = _number(before.get("typical_call_seconds")) or 0.0
    seconds = max(0.0, _number(s.get("saves_seconds")) or 0.0)
    resolves = max(0.0, _number(s.get("resolves_more")) or 0.0)
    month = s.get("saves_per_month") or {}
    hours, money = _number(month.get("caller_hours")), _number(month.get("cost"))
    return Effect(seconds, hours, money, str(month.get("currency", "")), resolves, typical)


@frozen
class Lever:
    """One suggestion among the biggest of the portfolio: the menu, what to change and
    its effect."""

    menu: str
    href: str
    title: str
    effect: Effect


def biggest_levers(
    menus: Sequence[tuple[str, str, Mapping[str, Any] | None]], limit: int = 3
) -> tuple[Lever, ...]:
    """Return the `limit` suggestions with the largest effect over every menu, each menu
    given as (name, page href, suggest contract object). Money ranks first where every
    priced menu uses one currency; then caller-hours a month; then seconds per call."""
    found: list[tuple[int, Lever]] = []
    for order, (name, href, sug) in enumerate(menus):
        if not sug:
            continue
        before = sug.get("before") or {}
        for s in sug.get("suggestions", ()):
            effect = suggestion_effect(s, before)
            if _gain(effect) > 0:
                found.append((order, Lever(name, href, str(s.get("title", "")), effect)))
    currencies = {lv.effect.currency for _, lv in found if lv.effect.money is not None}

    def key(item: tuple[int, Lever]) -> tuple[int, float, int]:
        e = item[1].effect
        if e.money is not None and len(currencies) == 1:
            return (3, -e.money, item[0])
        if e.caller_hours is not None:
            return (2, -e.caller_hours, item[0])
        return (1, -e.caller_seconds, item[0])

    found.sort(key=lambda item: (-key(item)[0], *key(item)[1:]))
    return tuple(lv for _, lv in found[:limit])


def _gain(e: Effect) -> float:
    """Return the largest positive figure of an effect (0: it gains nothing)."""
    return max(e.caller_seconds, e.caller_hours or 0.0, e.money or 0.0)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
