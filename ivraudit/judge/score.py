"""The 0-100 score: metrics through log-normal curves, weighted into four categories,
and a fifth, the calls as they happen, where a menu has `calls` (format 0.3).

Each curve is Lighthouse's: a metric at its `good` control point scores 0.9 and at its
`poor` one 0.5, falling smoothly between and beyond. Each category also scores its
findings (weighted by severity) on such a curve. The model is documented in
docs/scoring.md; every report shows each category and each part's contribution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ivraudit.analysis.calls import Calls
from ivraudit.analysis.metrics import Metrics
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Finding, Severity

# Φ⁻¹(0.9): where the `good` control point sits on the standard normal.
_Z90 = 1.2815515655446004


@frozen
class Curve:
    """A log-normal scoring curve for a metric where lower is better."""

    good: float  # scores 0.9
    poor: float  # scores 0.5

    def __call__(self, value: float) -> float:
        """Return the 0-1 score of `value`."""
        if value <= 0:
            return 1.0
        sigma = (math.log(self.poor) - math.log(self.good)) / _Z90
        z = (math.log(value) - math.log(self.poor)) / sigma
        return 0.5 * math.erfc(z / math.sqrt(2))


@frozen
class Part:
    """One scored metric of a category; `score` is None when it does not apply."""

    metric: str
    title: str
    value: float | None
    display: str
    weight: float
    score: float | None
    curve: Curve | None = None  # None for a share scored as itself


@frozen
class Category:
    """A category's 0-100 score and the parts it was made of."""

    id: str
    title: str
    weight: float
    value: int
    parts: tuple[Part, ...]

    def contribution(self, part: Part) -> float:
        """Return the points `part` adds to this category's 0-100 score."""
        total = sum(p.weight for p in self.parts if p.score is not None)
        return 100 * part.weight * (part.score or 0.0) / total if total else 0.0


@frozen
class Score:
    """The overall score, its band and how it was made."""

    value: int
    band: str
    categories: tuple[Category, ...]
    # Error findings that held the score in the poor band, and the uncapped mean.
    capped_by: tuple[str, ...] = ()
    uncapped: int | None = None


# A menu with an error finding (no person, a trap, a key that cannot work) is broken for
# some callers, whatever its averages say: it cannot score above the poor band.
ERROR_CAP = 49

# The typical call outweighs the fastest person: a quick sales queue must not hide a
# long wait for most callers (the trial airline menu of issue 7).
TYPICAL_CALL_WEIGHT = 4

# Severity weights for a category's findings: one error counts as several warnings.
FINDING_POINTS = {Severity.ERROR: 10.0, Severity.WARNING: 3.0, Severity.INFO: 1.0}
FINDINGS = Curve(good=1.0, poor=8.0)

CURVES = {
    "time_to_human_seconds": Curve(good=30.0, poor=120.0),
    "depth": Curve(good=1.0, poor=3.0),
    # Broad menus are gentler on callers than deep ones (Commarford et al. 2008), so
    # options are judged more leniently than depth.
    "max_options": Curve(good=5.0, poor=10.0),
    "typical_call_seconds": Curve(good=30.0, poor=120.0),
    "preamble_seconds": Curve(good=4.0, poor=12.0),
    "mean_menu_seconds": Curve(good=10.0, poor=25.0),
}
CATEGORY_WEIGHTS = {"reach": 0.40, "navigation": 0.25, "prompts": 0.15, "robustness": 0.20}
# Where a menu has `calls` (format 0.3), what callers live through is half the score and
# the four categories of the menu itself share the other half in their usual proportions:
# a tidy menu in front of a 9-minute hold for most callers, or one that tells half its
# callers to visit the website, is not a good line (issue 18).
CALLS_WEIGHT = 0.5
# A call counts when it is resolved, by how long it took (the `typical_call_seconds`
# curve): in the manner of Apdex, which scores each request against a target time and
# counts a failed one as frustrated (0).
CALL_TIME = Curve(good=30.0, poor=120.0)
# The parts of reach that the calls category replaces where a menu has `calls`.
_CALLS_PARTS = ("typical_call_seconds", "intent_coverage")
TITLES = {
    "calls": "Calls as they happen",
    "reach": "Reach a person",
    "navigation": "Navigation",
    "prompts": "Prompts",
    "robustness": "Robustness",
}


def band(value: int) -> str:
    """Return the band of a 0-100 score: good, needs work or poor."""
    if value >= 90:
        return "good"
    if value >= 50:
        return "needs work"
    return "poor"


def score_audit(
    m: Metrics, findings: Sequence[Finding], intent_shares: Mapping[str, float]
) -> Score:
    """Return the score of a menu from its figures, findings and intent shares."""
    parts: dict[str, list[Part]] = {
        "reach": [
            _curve(
                "time_to_human_seconds",
                "Time to a person",
                m.time_to_human_seconds,
                3,
                "never" if m.time_to_human_seconds is None else None,
            ),
            _typical_call(m, intent_shares),
            _zero_out(m),
            _coverage(m, intent_shares),
        ],
        "navigation": [
            _curve(
                "depth", "Depth", m.depth, 2, f"{m.depth} key press{'' if m.depth == 1 else 'es'}"
            ),
            _curve(
                "max_options",
                "Options in the widest menu",
                m.max_options,
                1,
                f"{m.max_options} options",
                applies=m.reachable_menus > 0,
            ),
        ],
        "prompts": [
            _curve(
                "preamble_seconds",
                "Time before the first option",
                m.preamble_seconds,
                2,
                applies=m.preamble_seconds is not None,
            ),
            _curve(
                "mean_menu_seconds",
                "Mean length of a menu",
                m.mean_menu_seconds,
                1,
                applies=m.reachable_menus > 0,
            ),
        ],
        "robustness": [],
    }
    categories = []
    weights = dict(CATEGORY_WEIGHTS)
    calls = m.calls
    if calls is not None:
        # The typical call and the share resolved are then scored together, call by call,
        # in their own category; reach keeps what is about getting to a person.
        parts["reach"] = [p for p in parts["reach"] if p.metric not in _CALLS_PARTS]
        weights = {"calls": CALLS_WEIGHT} | {
            cat: w * (1 - CALLS_WEIGHT) for cat, w in CATEGORY_WEIGHTS.items()
        }
        parts = {"calls": [_resolved_in_time(calls)], **parts}
    for cat, cat_parts in parts.items():
        if cat != "calls":  # no rule judges the calls themselves: their findings are reach's
            cat_parts.append(_findings_part(cat, findings))
        scored = [p for p in cat_parts if p.score is not None]
        total = sum(p.weight for p in scored)
        value = round(100 * sum(p.weight * p.score for p in scored) / total)  # type: ignore[operator]
        categories.append(Category(cat, TITLES[cat], weights[cat], value, tuple(cat_parts)))
    overall = round(sum(c.weight * c.value for c in categories) / sum(weights.values()))
    errors = tuple(sorted({f.rule for f in findings if f.severity is Severity.ERROR}))
    if errors and overall > ERROR_CAP:
        return Score(ERROR_CAP, band(ERROR_CAP), tuple(categories), errors, overall)
    return Score(overall, band(overall), tuple(categories))


def _seconds(value: float | None) -> str:
    # As every report shows durations: `55.4 s`, and minutes:seconds beyond 90 s.
    from ivraudit.format.units import NBSP, duration

    return duration(value).replace(NBSP, " ")


def _curve(
    metric: str,
    title: str,
    value: float | None,
    weight: float,
    display: str | None = None,
    *,
    applies: bool = True,
) -> Part:
    curve = CURVES[metric]
    if not applies:
        return Part(metric, title, value, "not applicable", weight, None, curve)
    score = 0.0 if value is None else curve(value)
    return Part(metric, title, value, display or _seconds(value), weight, score, curve)


def _zero_out(m: Metrics) -> Part:
    # A callback or wait offer in front of a queue needs no 0 of its own (offers.py).
    n = m.reachable_menus - len(m.queue_offer_menus)
    if n <= 0:
        return Part("zero_out_share", "Menus where 0 reaches a person", None, "no menus", 1, None)
    share = 1 - m.menus_without_working_zero / n
    return Part(
        "zero_out_share",
        "Menus where 0 reaches a person",
        share,
        f"{n - m.menus_without_working_zero} of {n}",
        1,
        share,
    )


def _coverage(m: Metrics, shares: Mapping[str, float]) -> Part:
    if not shares:
        return Part("intent_coverage", "Calls that can be resolved", None, "no intents", 1, None)
    covered = m.resolved_share  # read, not recomputed: one definition, in metrics
    return Part(
        "intent_coverage",
        "Calls that can be resolved",
        covered,
        f"{covered:.0%} of calls",
        1,
        covered,
    )


def _typical_call(m: Metrics, shares: Mapping[str, float]) -> Part:
    """Score the time a typical call takes to be resolved, hold included: what most
    callers live through, so it weighs most in reaching help."""
    # Without intents the typical call is the time to a person, already a part.
    typical = m.typical_call_seconds if shares else None
    return _curve(
        "typical_call_seconds",
        "Time to resolve a typical call",
        typical,
        TYPICAL_CALL_WEIGHT,
        applies=typical is not None,
    )


def _resolved_in_time(calls: Calls) -> Part:
    """Score the calls as they happen: each intent's resolved calls at the score of their
    mean time (`seconds_resolved`), an unresolved call (turned away, hung up, waiting
    without end) at 0, weighted by the intents' shares."""
    score = math.fsum(
        i.share * i.resolved_share * CALL_TIME(i.seconds_resolved)
        for i in calls.intents
        if i.resolved_share > 0 and i.seconds_resolved is not None
    )
    typical = (
        "some wait without end" if calls.seconds is None else f"{_seconds(calls.seconds)} a call"
    )
    return Part(
        "calls_resolved_in_time",
        "Calls resolved, by their time",
        calls.resolved_share,
        f"{calls.resolved_share:.0%} resolved; {typical}",
        1,
        min(1.0, score),
        CALL_TIME,
    )


def _findings_part(category: str, findings: Sequence[Finding]) -> Part:
    mine = [f for f in findings if f.category == category]
    points = sum(FINDING_POINTS[f.severity] for f in mine)
    counts = {s: sum(1 for f in mine if f.severity is s) for s in Severity}
    display = ", ".join(
        f"{n} {sev.value}{'' if n == 1 else 's'}"
        for sev, n in sorted(counts.items(), key=lambda kv: -kv[0].rank)
        if n
    )
    return Part("findings", "Findings", points, display or "none", 2, FINDINGS(points), FINDINGS)
