"""Whether a rewrite is a regression for callers: what `combined` and each suggestion
must never be (suggest contract 0.3, "combined is not a regression").

The judgement is `diff`'s, `Figures.regressions`, which with `calls` includes the 0.3
rules of calls as they happen (an intent's resolved share falling by more than 0.02,
the share of calls hanging up rising by more than 0.01, a queue becoming overloaded);
`calls_regressions` applies those rules to two `calls` objects alone.
"""

from __future__ import annotations

from ivraudit.suggest.figures import (
    ABANDON_RISE,
    RESOLVED_FALL,
    Figures,
    calls_regressions,
)

__all__ = ["ABANDON_RISE", "RESOLVED_FALL", "calls_regressions", "regressions"]


def regressions(before: Figures, after: Figures) -> tuple[str, ...]:
    """Return how `after` is worse for callers than `before` (`Figures.regressions`)."""
    return before.regressions(after)
