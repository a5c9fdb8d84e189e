"""The figures the suggest contract compares (FIGURES), read from an audit's JSON figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ivraudit.audit import Audit
from ivraudit.score import FINDING_POINTS


@dataclass(frozen=True)
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
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's FIGURES object."""
        return {
            "score": self.score,
            "time_to_human_seconds": self.time_to_human_seconds,
            "typical_call_seconds": self.typical_call_seconds,
            "resolved_share": self.resolved_share,
            "intent_seconds": dict(self.intent_seconds),
        }

    def lost(self, after: Figures) -> list[str]:
        """Return the intents resolvable here that `after` can no longer resolve."""
        now = dict(after.intent_seconds)
        return [i for i, s in self.intent_seconds if s is not None and now.get(i) is None]

    def slower(self, after: Figures) -> tuple[tuple[str, float], ...]:
        """Return the intents `after` resolves more slowly, with the seconds added."""
        now = dict(after.intent_seconds)
        out = []
        for intent, s in self.intent_seconds:
            t = now.get(intent)
            if s is not None and t is not None and t > s:
                out.append((intent, round(t - s, 2)))
        return tuple(out)

    def worse(self, after: Figures) -> bool:
        """Return whether `after` is worse in a headline figure or loses an intent: a
        slower or lost person, fewer calls resolved, or, as many resolved, a lower score
        or a slower typical call. Resolving calls that were lost is worth a lower score:
        those calls, often slow, join the typical call."""
        if self.lost(after) or after.resolved_share < self.resolved_share:
            return True
        if after.resolved_share == self.resolved_share and after.score < self.score:
            return True
        if self.time_to_human_seconds is not None and (
            after.time_to_human_seconds is None
            or after.time_to_human_seconds > self.time_to_human_seconds
        ):
            return True
        return (
            after.resolved_share == self.resolved_share
            and self.typical_call_seconds is not None
            and (
                after.typical_call_seconds is None
                or after.typical_call_seconds > self.typical_call_seconds
            )
        )

    def improved(self, after: Figures) -> bool:
        """Return whether `after` is better in some figure."""
        if after.score > self.score or after.resolved_share > self.resolved_share:
            return True
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


def _exact_score(audit: Audit) -> float:
    """Return the weighted mean of the categories' unrounded scores."""
    total = 0.0
    for cat in audit.score.categories:
        scored = [p for p in cat.parts if p.score is not None]
        weight = sum(p.weight for p in scored)
        if weight:
            total += cat.weight * 100 * sum(p.weight * (p.score or 0.0) for p in scored) / weight
    return total / sum(c.weight for c in audit.score.categories)
