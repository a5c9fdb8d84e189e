"""The figures the suggest contract compares (FIGURES), read from an audit's JSON figures."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import field
from typing import Any

from ivraudit.analysis.calls import PERSON, Calls
from ivraudit.audit import Audit
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Finding, Severity, new_problems
from ivraudit.judge.score import FINDING_POINTS

# Thresholds of a regression (issue 7): the typical call slower by more than both
# (seconds, fraction), and an intent slower by more than both.
TYPICAL_SLOWER = (1.0, 0.02)
INTENT_SLOWER = (5.0, 0.10)
# With `calls` (issue 18): an intent's resolved share falling by more than this, and the
# share of calls that hang up in a queue rising by more than this, are regressions.
RESOLVED_FALL = 0.02
ABANDON_RISE = 0.01
# Rules that judge the whole mix of calls: calls newly resolved join it, so an error of
# theirs that appears with them is no regression (a longer typical call; each caller's
# own wait is judged on its own).
_MIX_RULES = frozenset({"IVR108"})


@frozen
class MonthEffect:
    """What a change does to a month of calls (`calls.month`), as savings: caller-hours,
    agent-hours (talking) and cost a month fewer; negative where it adds. None where
    either side cannot say (no `costs`, or a queue that waits without end)."""

    caller_hours: float | None
    agent_hours: float
    cost: float | None
    currency: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of `saves_per_month`, rounded to 0.01."""
        out: dict[str, Any] = {
            "caller_hours": None if self.caller_hours is None else round(self.caller_hours, 2),
            "agent_hours": round(self.agent_hours, 2),
            "cost": None if self.cost is None else round(self.cost, 2),
        }
        if self.currency:
            out["currency"] = self.currency
        return out


@frozen
class Figures:
    """Score, time to a person, typical call, resolved share and each intent's seconds,
    rounded as `ivraudit score --format json` reports them."""

    score: int
    time_to_human_seconds: float | None
    typical_call_seconds: float | None
    resolved_share: float
    intent_seconds: tuple[tuple[str, float | None], ...]
    # Not in FIGURES: the findings weighed as the score weighs them, so that a change
    # that removes findings without moving the rounded score still counts as better.
    findings_points: float = field(default=0.0, compare=False)
    # Not in FIGURES: the score before rounding, so that a change that moves a part of
    # the score (fewer options, a shorter menu) without moving the rounded score counts.
    exact_score: float = field(default=0.0, compare=False)
    # Not in FIGURES, for the judgement of a regression: each intent's share, the rule
    # warnings and errors (matched as `new_problems` does), whether a person can be reached, the
    # score under the error cap, and the max-time-to-human limit.
    intent_shares: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    serious: tuple[Finding, ...] = field(default=(), compare=False)
    human_reachable: bool = field(default=True, compare=False)
    capped: bool = field(default=False, compare=False)
    uncapped: int | None = field(default=None, compare=False)
    max_time_to_human: float | None = field(default=None, compare=False)
    # FIGURES' `calls` (0.3), where the menu has it: the figures read from the object.
    calls: Calls | None = field(default=None, compare=False)
    # Not in FIGURES: for each class of callers (an intent, or "a person" in a menu
    # without intents), the data (`collects`) of the inputs its route passes.
    collected: tuple[tuple[str, frozenset[str]], ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, audit: Audit) -> Figures:
        """Return the figures of an audit, exactly as its JSON report gives them."""
        m = audit.metrics.to_dict()
        return cls(
            score=audit.score.value,
            time_to_human_seconds=m["time_to_human_seconds"],
            typical_call_seconds=m["typical_call_seconds"],
            resolved_share=m["resolved_share"],
            intent_seconds=tuple(m["intent_seconds"].items()),
            findings_points=sum(FINDING_POINTS[f.severity] for f in audit.findings),
            exact_score=_exact_score(audit),
            intent_shares=tuple(audit.menu.intent_shares.items()),
            serious=tuple(f for f in audit.findings if f.severity.rank >= Severity.WARNING.rank),
            human_reachable=bool(audit.metrics.human_reachable),
            capped=bool(audit.score.capped_by),
            uncapped=audit.score.uncapped,
            max_time_to_human=audit.config.max_time_to_human,
            calls=audit.metrics.calls,
            collected=_collected(audit),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's FIGURES object (`calls` only where the menu has it)."""
        out: dict[str, Any] = {
            "score": self.score,
            "time_to_human_seconds": self.time_to_human_seconds,
            "typical_call_seconds": self.typical_call_seconds,
            "resolved_share": self.resolved_share,
            "intent_seconds": dict(self.intent_seconds),
        }
        if self.calls is not None:
            out["calls"] = self.calls.to_dict()
        return out

    @property
    def resolvable_share(self) -> float:
        """Return the share of calls whose intent has a route to a handler (1.0 without
        intents): the calls the optimum for the resolved calls is built for."""
        shares = dict(self.intent_shares)
        if not shares or sum(shares.values()) <= 0:
            return self.resolved_share if self.calls is None else 1.0
        return sum(shares.get(i, 0.0) for i, s in self.intent_seconds if s is not None)

    @property
    def route_typical(self) -> float | None:
        """Return the typical call as the optimum measures it: each resolvable intent's
        route time (`intent_seconds`, holds as the file states them), share-weighted;
        the typical call itself in a menu without intents."""
        shares = dict(self.intent_shares)
        both = [(shares.get(i, 0.0), s) for i, s in self.intent_seconds if s is not None]
        weight = sum(w for w, _ in both)
        if not shares or weight <= 0:
            return self.typical_call_seconds
        return sum(w * s for w, s in both) / weight

    def saves(self, after: Figures) -> float | None:
        """Return the seconds `after` saves like for like (suggest contract 0.3): over the
        intents resolvable on both sides, the share-weighted mean of what each saves, in
        `calls` where there is one; a menu without intents compares its time to a person.

        Read from the figures as reported (rounded), so that anyone can re-measure it from
        `ivraudit score --format json`; None when no call is resolvable on both sides."""
        shares = dict(self.intent_shares)
        if not shares:
            old, new = self.time_to_human_seconds, after.time_to_human_seconds
            return None if old is None or new is None else round(old - new, 2)
        old_s, new_s = self._seconds(), after._seconds()
        both = [
            (shares[i], s, new_s[i])
            for i, s in old_s.items()
            if shares.get(i, 0.0) > 0 and s is not None and new_s.get(i) is not None
        ]
        weight = sum(w for w, _, _ in both)
        if weight <= 0:
            return None
        return round(sum(w * (s - t) for w, s, t in both) / weight, 2)  # type: ignore[operator]

    def _seconds(self) -> dict[str, float | None]:
        """Return each intent's seconds as the like-for-like saving reads them: `calls`
        where there is one (a call's whole time, queues included), else `intent_seconds`;
        None where the intent is not resolvable (or waits without end)."""
        route = dict(self.intent_seconds)
        if self.calls is None or not self.calls.declared:
            return route
        out: dict[str, float | None] = {}
        for i in self.calls.intents:
            seconds = None if i.seconds is None else round(i.seconds, 2)
            out[i.intent] = None if route.get(i.intent) is None else seconds
        return out

    def month_effect(self, after: Figures) -> MonthEffect | None:
        """Return what `after` saves in a month of calls, read from both sides' reported
        (rounded) `calls.month`; None where the menu declares no `traffic`."""
        old = None if self.calls is None else self.calls.month
        new = None if after.calls is None else after.calls.month
        if old is None or new is None:
            return None
        a, b = old.to_dict(), new.to_dict()

        def less(key: str) -> float | None:
            return None if a[key] is None or b[key] is None else round(a[key] - b[key], 2)

        return MonthEffect(
            caller_hours=less("caller_hours"),
            agent_hours=less("agent_hours") or 0.0,
            cost=less("cost") if old.priced and new.priced else None,
            currency=old.currency,
        )

    def resolves_more(self, after: Figures) -> float:
        """Return the share of all calls `after` resolves more (less, if negative)."""
        return round(after.resolved_share - self.resolved_share, 4)

    def newly_resolved(self, after: Figures) -> tuple[str, ...]:
        """Return the intents of which `after` resolves more calls, most calls first."""
        shares = dict(self.intent_shares)
        old, new = self._resolved(), after._resolved()
        gained = [
            (shares.get(i, 0.0) * (new.get(i, 0.0) - r), i)
            for i, r in old.items()
            if new.get(i, 0.0) - r >= 0.005 and shares.get(i, 0.0) > 0
        ]
        return tuple(i for _, i in sorted(gained, key=lambda gi: -gi[0]))

    def _resolved(self) -> dict[str, float]:
        """Return each intent's resolved share: `calls` where there is one, else 1 or 0."""
        if self.calls is not None and self.calls.declared:
            return {i.intent: round(i.resolved_share, 4) for i in self.calls.intents}
        return {i: 0.0 if s is None else 1.0 for i, s in self.intent_seconds}

    def dropped_inputs(self, after: Figures) -> tuple[tuple[str, str], ...]:
        """Return (caller class, datum) for each datum a class's route collected here
        that its route in `after` no longer collects: a suggestion keeps them all."""
        now = dict(after.collected)
        return tuple(
            (who, datum)
            for who, data in self.collected
            for datum in sorted(data - now.get(who, frozenset()))
        )

    def lost(self, after: Figures) -> list[str]:
        """Return the intents resolvable here that `after` can no longer resolve."""
        now = dict(after.intent_seconds)
        return [i for i, s in self.intent_seconds if s is not None and now.get(i) is None]

    def slower(self, after: Figures) -> tuple[tuple[str, float], ...]:
        """Return the intents `after` resolves more slowly, with the seconds added: each
        call's time on the phone where there is `calls` (as `saves` reads it)."""
        now = after._seconds()
        out = []
        for intent, s in self._seconds().items():
            t = now.get(intent)
            if s is not None and t is not None and t - s >= 0.05:
                out.append((intent, round(t - s, 2)))
        return tuple(out)

    def worse(self, after: Figures) -> bool:
        """Return whether `after` is a regression of this menu (see `regressions`)."""
        return bool(self.regressions(after))

    def regressions(self, after: Figures) -> tuple[str, ...]:
        """Return how `after` is worse for callers: the one judgement that both `diff
        --fail-on-regression` and the suggestions' filter use (issues 7 and 18).

        A lower score, a new warning or error, a slower typical call (over the intents
        resolved on both sides, so that newly resolved calls joining it do not count),
        an intent slower by more than 10% and 5 s or no longer resolved, or a person no
        longer reachable. With `calls`: an intent's resolved share falling by more than
        0.02, the share of calls hanging up rising by more than 0.01, a queue becoming
        overloaded. Calls made resolvable are never a regression: then the score, the
        typical call and new warnings are not held against it (new errors are). A
        slower fastest person alone is not, unless it crosses max-time-to-human."""
        out = []
        more = self.makes_resolvable(after)
        if more:
            pass  # the score moves with the calls now resolved: not held against them
        elif after.score < self.score:
            out.append(f"score fell from {self.score} to {after.score}")
        elif self.capped and after.capped and (after.uncapped or 0) < (self.uncapped or 0):
            # Both held at the error cap: the uncapped scores still show a change for the worse.
            out.append(
                f"score under the error cap fell from {self.uncapped or 0} to {after.uncapped or 0}"
            )
        fresh = new_problems(self.serious, after.serious)
        level = "at warning or above"
        if more:
            # The calls newly resolved take routes, and wait in queues, that no call took
            # before: a warning about those is no reason to turn them away again. An
            # error (a trap, a key that cannot work) still is.
            fresh = [f for f in fresh if f.severity is Severity.ERROR and f.rule not in _MIX_RULES]
            level = "at error"
        if fresh:
            n = len(fresh)
            out.append(f"{n} new {'finding' if n == 1 else 'findings'} {level}")
        old_t, new_t, common = self._typical_pair(after)
        if not more and _slower(old_t, new_t, *TYPICAL_SLOWER):
            where = "" if common else " (over the calls resolved before and after)"
            out.append(f"a typical call got slower{where}: {old_t:.1f} s → {new_t:.1f} s")
        now = after._seconds()
        lost = set(self.lost(after))
        for intent, s in self._seconds().items():
            t = now.get(intent)
            if intent in lost:
                took = "" if s is None else f" (took {s:.1f} s)"
                out.append(f"calls for {intent} can no longer be resolved{took}")
            elif _slower(s, t, *INTENT_SLOWER):
                out.append(f"calls for {intent} got slower: {s:.1f} s → {t:.1f} s")
        out += calls_regressions(self.calls, after.calls, lost)
        old_h, new_h = self.time_to_human_seconds, after.time_to_human_seconds
        limit = self.max_time_to_human
        if self.human_reachable and not after.human_reachable:
            out.append("a person can no longer be reached")
        elif old_h is not None and new_h is None:
            out.append(f"no route is sure to reach a person (took {old_h:.1f} s)")
        elif None not in (limit, old_h, new_h) and old_h <= limit < new_h:  # type: ignore[operator]
            out.append(
                f"the fastest way to a person is over max-time-to-human {limit:g} s: "
                f"{old_h:.1f} s → {new_h:.1f} s"
            )
        return tuple(out)

    def makes_resolvable(self, after: Figures) -> bool:
        """Return whether `after` makes calls resolvable: an intent resolved before by no
        route now resolved, or resolved more often by more than 0.02 (with `calls`)."""
        now = dict(after.intent_seconds)
        if any(s is None and now.get(i) is not None for i, s in self.intent_seconds):
            return True
        old, new = self.calls, after.calls
        if old is None or new is None:
            return False
        for before in old.intents:
            later = new.intent(before.intent)
            if later is not None and later.resolved_share > before.resolved_share + RESOLVED_FALL:
                return True
        return False

    def slows_typical(self, after: Figures) -> bool:
        """Return whether `after` makes the typical call slower at all, over the intents
        resolved on both sides: not a regression under the thresholds, but a suggestion
        is meant to save time, never to cost it."""
        old_t, new_t, _ = self._typical_pair(after)
        return old_t is not None and new_t is not None and new_t > old_t

    def _typical_pair(self, after: Figures) -> tuple[float | None, float | None, bool]:
        """Return the typical call before and after over the intents resolved on both
        sides, and whether that is every intent either side resolves (the figures as
        reported); a menu without intents compares its typical call as it is."""
        shares = dict(self.intent_shares)
        now = after._seconds()
        if not shares or not any(v > 0 for v in shares.values()):
            return self.typical_call_seconds, after.typical_call_seconds, True
        both = [
            (shares.get(i, 0.0), s, now[i])
            for i, s in self._seconds().items()
            if s is not None and now.get(i) is not None and shares.get(i, 0.0) > 0
        ]
        weight = sum(w for w, _, _ in both)
        if weight <= 0:
            return None, None, True
        old_t = round(sum(w * s for w, s, _ in both) / weight, 2)
        new_t = round(sum(w * t for w, _, t in both) / weight, 2)
        same = self.resolved_share == after.resolved_share
        if same:
            old_t, new_t = self.typical_call_seconds, after.typical_call_seconds
        return old_t, new_t, same

    def improved(self, after: Figures) -> bool:
        """Return whether `after` is better in some figure."""
        if after.score > self.score or after.resolved_share > self.resolved_share:
            return True
        calls = self.calls, after.calls
        if calls[0] is not None and calls[1] is not None:
            return round(calls[1].abandon_share, 4) < round(calls[0].abandon_share, 4) or (
                self._improved_times(after)
            )
        return self._improved_times(after)

    def _improved_times(self, after: Figures) -> bool:
        """Return whether `after` shortens a time or cuts the findings."""
        if after.findings_points < self.findings_points:
            return True
        if after.exact_score > self.exact_score + 1e-9 and after.score >= self.score:
            return True
        pairs = [
            (self.time_to_human_seconds, after.time_to_human_seconds),
            (self.typical_call_seconds, after.typical_call_seconds),
            *zip(
                (s for _, s in self.intent_seconds),
                (dict(after.intent_seconds).get(i) for i, _ in self.intent_seconds),
                strict=True,
            ),
        ]
        return any(b is not None and (a is None or b < a) for a, b in pairs)


def _collected(audit: Audit) -> tuple[tuple[str, frozenset[str]], ...]:
    """Return, for each class of callers, the data of the inputs its route passes with a
    probability above 0: step 1 and 2 of `calls` where there is one, else the route to a
    person (a menu without intents or traffic)."""
    menu = audit.menu
    calls = audit.metrics.calls

    def data(nodes: Any) -> frozenset[str]:
        found = (menu.by_id.get(n) if isinstance(n, str) else None for n in nodes)
        return frozenset(n.collects or n.id for n in found if n is not None and n.type == "input")

    if calls is not None:
        return tuple(
            (i.intent, data(n for n, p in i.passes.items() if p > 0)) for i in calls.intents
        )
    route = audit.metrics.best_route
    if not route:
        return ()
    return ((PERSON, data([*(s.node for s in route), route[-1].to])),)


def calls_regressions(
    old: Calls | None, new: Calls | None, lost: Collection[str] = ()
) -> list[str]:
    """Return how the calls as they happen got worse (format 0.3): a queue now overloaded;
    with `calls` on both sides, an intent resolved less often by more than 0.02 (those in
    `lost`, no longer resolvable at all, are said so by `Figures.regressions`), and more
    of the calls hanging up in a queue by more than 0.01."""
    out = []
    if new is not None:
        was = set() if old is None else {q.queue for q in old.overloaded}
        for q in new.overloaded:
            if q.queue not in was:
                out.append(
                    f"queue '{q.queue}' is now overloaded: calls wait without end "
                    f"(staff at least {q.stable_agents})"
                )
    if old is None or new is None:
        return out
    for before in old.intents:
        now = new.intent(before.intent)
        if before.intent in lost or now is None:
            continue
        if now.resolved_share < before.resolved_share - RESOLVED_FALL:
            out.append(
                f"calls for {before.intent} resolved less often: "
                f"{before.resolved_share:.0%} → {now.resolved_share:.0%}"
            )
    # Over the calls resolvable before: the callers newly resolved who hang up in a
    # queue were turned away before, so they are no more hang-ups than then.
    was_open = {i.intent for i in old.intents if i.resolvable}
    before_ab = round(old.abandon_share, 4)  # as the JSON figures give it
    after_ab = round(
        math.fsum(i.share * i.abandon_share for i in new.intents if i.intent in was_open), 4
    )
    if after_ab > before_ab + ABANDON_RISE:
        out.append(f"more calls hang up in a queue: {before_ab:.1%} → {after_ab:.1%}")
    return out


def _slower(old: float | None, new: float | None, seconds: float, fraction: float) -> bool:
    """Return whether a time rose by more than `seconds` and more than `fraction` of it."""
    if old is None or new is None:
        return False
    rise = new - old
    return rise > seconds and rise > fraction * old


def _exact_score(audit: Audit) -> float:
    """Return the weighted mean of the categories' unrounded scores."""
    total = 0.0
    for cat in audit.score.categories:
        scored = [p for p in cat.parts if p.score is not None]
        weight = sum(p.weight for p in scored)
        if weight:
            total += cat.weight * 100 * sum(p.weight * (p.score or 0.0) for p in scored) / weight
    return total / sum(c.weight for c in audit.score.categories)
