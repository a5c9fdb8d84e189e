"""The few suggestions other reports name first (`check`, `score --format json`), each
in one line, computed once here so that reports only format them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ivraudit.frozen import frozen

if TYPE_CHECKING:
    from ivraudit.audit import Audit
    from ivraudit.suggest.engine import Suggestion
    from ivraudit.suggest.figures import MonthEffect

# Suggesting re-audits a menu once per candidate change: seconds for the examples, but
# minutes for a menu of thousands of nodes, which `ivraudit suggest` is there for.
MAX_SUGGEST_NODES = 300
# How many suggestions `check` and `score` name.
TOP = 3


@frozen
class TopSuggestion:
    """One suggestion as other reports name it: what, its id, and what it buys."""

    id: str
    title: str
    line: int
    saves_seconds: float | None
    score_gain: int | None
    resolves_more: float | None = None
    resolves: tuple[str, ...] = ()
    saves_per_month: MonthEffect | None = None

    @property
    def text(self) -> str:
        """Return the suggestion in one line: `Add 0 for a person to 'main' [zero-out:main]:
        saves 13.5 s a typical call, resolves 35% more calls (supply problem), score +6`."""
        from ivraudit.suggest.engine import gains_text

        gains = list(gains_text(self.saves_seconds, self.resolves_more, self.resolves))
        if self.score_gain:
            gains.append(f"score {self.score_gain:+d}")
        tail = ": " + ", ".join(gains) if gains else ""
        return f"{self.title} [{self.id}]{tail}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of `top_suggestions`."""
        return {
            "id": self.id,
            "title": self.title,
            "line": self.line,
            "saves_seconds": self.saves_seconds,
            "resolves_more": self.resolves_more,
            "score_gain": self.score_gain,
            "resolves": list(self.resolves),
            "saves_per_month": None
            if self.saves_per_month is None
            else self.saves_per_month.to_dict(),
        }


def top_of(ranked: Sequence[Suggestion], n: int = TOP) -> tuple[TopSuggestion, ...]:
    """Return the first `n` measured suggestions of ranked ones (`ranked_suggestions`,
    or a result's `suggestions`)."""
    return tuple(
        TopSuggestion(
            s.id,
            s.title,
            s.line,
            s.saves_seconds,
            s.score_gain,
            s.resolves_more,
            s.resolves,
            s.saves_per_month,
        )
        for s in ranked
        if s.measured
    )[:n]


def top_suggestions(audit: Audit, n: int = TOP) -> tuple[TopSuggestion, ...] | None:
    """Return the top `n` suggestions for an audited menu, or None when it has more than
    MAX_SUGGEST_NODES nodes (reports then leave them out)."""
    if audit.metrics.nodes > MAX_SUGGEST_NODES:
        return None
    from ivraudit.suggest.engine import ranked_suggestions

    return top_of(ranked_suggestions(audit), n)
