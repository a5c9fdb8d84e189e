"""The 0-100 score: each metric through a log-normal curve, then a weighted mean.

The curve is Lighthouse's: a metric at its `median` scores 0.5 and at its `p10`
(the value the best tenth achieve) scores 0.9, falling smoothly in between and beyond.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ivraudit.metrics import Metrics

# Φ⁻¹(0.9): where the p10 control point sits on the standard normal.
_Z90 = 1.2815515655446004


@dataclass(frozen=True)
class Curve:
    """A log-normal scoring curve set by two control points (lower values are better)."""

    p10: float
    median: float

    def __call__(self, value: float) -> float:
        """Return the 0-1 score of `value`."""
        if value <= 0:
            return 1.0
        sigma = (math.log(self.median) - math.log(self.p10)) / _Z90
        z = (math.log(value) - math.log(self.median)) / sigma
        return 0.5 * math.erfc(z / math.sqrt(2))


@dataclass(frozen=True)
class Part:
    """One metric's share of the score."""

    metric: str
    title: str
    value: float | None
    weight: float
    score: float  # 0-1
    note: str

    @property
    def points(self) -> float:
        """Return what this part adds to the 0-100 score."""
        return 100 * self.weight * self.score


@dataclass(frozen=True)
class Score:
    """The overall score, its band and how it was made."""

    value: int
    band: str
    parts: tuple[Part, ...]


# (metric, title, curve, weight): the first score, documented in docs/scoring.md.
TIME_TO_HUMAN = Curve(p10=30.0, median=120.0)
DEPTH = Curve(p10=1.0, median=3.0)
MAX_OPTIONS = Curve(p10=4.0, median=8.0)
WEIGHTS = {
    "time_to_human_seconds": 0.45,
    "depth": 0.25,
    "max_options": 0.10,
    "zero_out_share": 0.20,
}


def band(value: int) -> str:
    """Return the Lighthouse band of a 0-100 score."""
    if value >= 90:
        return "good"
    if value >= 50:
        return "needs work"
    return "poor"


def score_metrics(m: Metrics) -> Score:
    """Return the score of a menu's figures."""
    tth = m.time_to_human_seconds
    n = m.reachable_menus
    zero_ok = 1 - m.menus_without_zero_out / n if n else 1.0
    parts = (
        Part(
            "time_to_human_seconds",
            "Time to a person",
            tth,
            WEIGHTS["time_to_human_seconds"],
            TIME_TO_HUMAN(tth) if tth is not None else 0.0,
            "no person can be reached" if tth is None else f"{tth:.1f} s, hold included",
        ),
        Part(
            "depth",
            "Menu depth",
            m.depth,
            WEIGHTS["depth"],
            DEPTH(m.depth),
            f"{m.depth} key press{'' if m.depth == 1 else 'es'} to the deepest outcome",
        ),
        Part(
            "max_options",
            "Options in the widest menu",
            m.max_options,
            WEIGHTS["max_options"],
            MAX_OPTIONS(m.max_options),
            f"{m.max_options} options",
        ),
        Part(
            "zero_out_share",
            "Menus where 0 reaches a person",
            zero_ok,
            WEIGHTS["zero_out_share"],
            zero_ok,
            f"{m.menus_without_zero_out} of {n} menus without a working 0",
        ),
    )
    total = round(sum(p.points for p in parts))
    return Score(total, band(total), parts)
