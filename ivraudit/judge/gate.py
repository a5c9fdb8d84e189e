"""The CI gate: whether an audit passes the thresholds the user asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivraudit.frozen import frozen
from ivraudit.judge.config import MAX_TYPICAL_CALL, MIN_RESOLVED_SHARE
from ivraudit.judge.findings import Finding, Severity

if TYPE_CHECKING:  # a verdict is on an audit; the audit runs the judge, not the other way
    from ivraudit.audit import Audit
    from ivraudit.judge.config import Config


@frozen
class Thresholds:
    """What makes a menu fail `ivraudit check`."""

    fail_on: Severity = Severity.ERROR
    # The default gate fails what the report calls poor (an error finding, or under 50).
    fail_under: float | None = 50.0
    max_time_to_human: float | None = None
    # Over all callers, where the menu has `calls` (format 0.3): the least share of calls
    # resolved, and the longest mean time on the phone (hold included); None: not judged.
    min_resolved_share: float | None = MIN_RESOLVED_SHARE
    max_typical_call: float | None = MAX_TYPICAL_CALL

    @classmethod
    def of(
        cls,
        config: Config,
        fail_on: str | None = None,
        fail_under: float | None = None,
        max_time_to_human: float | None = None,
        min_resolved_share: float | None = None,
        max_typical_call: float | None = None,
    ) -> Thresholds:
        """Return the gate of `config`, with each threshold the command line gives over it."""

        def given(flag: float | None, setting: float | None) -> float | None:
            return flag if flag is not None else setting

        return cls(
            fail_on=Severity(fail_on) if fail_on else config.fail_on,
            fail_under=given(fail_under, config.fail_under),
            max_time_to_human=given(max_time_to_human, config.max_time_to_human),
            min_resolved_share=given(min_resolved_share, config.min_resolved_share),
            max_typical_call=given(max_typical_call, config.max_typical_call),
        )


@frozen
class Verdict:
    """One audit judged against the thresholds; `reasons` is empty when it passes."""

    audit: Audit
    thresholds: Thresholds
    reasons: tuple[str, ...]
    # What to do first (`ivraudit.suggest.top`), or None when not computed (a large menu).
    top_suggestions: tuple[Any, ...] | None = None

    @property
    def passed(self) -> bool:
        """Return whether the menu passes."""
        return not self.reasons

    @property
    def failing_findings(self) -> tuple[Finding, ...]:
        """Return the findings at or above the failure severity."""
        bar = self.thresholds.fail_on.rank
        return tuple(f for f in self.audit.findings if f.severity.rank >= bar)


def judge(audit: Audit, thresholds: Thresholds, regressions: tuple[str, ...] = ()) -> Verdict:
    """Return the verdict on one audit; `regressions` (how it got worse since a baseline,
    from `diff`) fail it too."""
    reasons = []
    bar = thresholds.fail_on
    failing = [f for f in audit.findings if f.severity.rank >= bar.rank]
    if failing:
        noun = "finding" if len(failing) == 1 else "findings"
        reasons.append(f"{len(failing)} {noun} at or above {bar.value}")
    if thresholds.fail_under is not None and audit.score.value < thresholds.fail_under:
        reasons.append(f"score {audit.score.value} is under {thresholds.fail_under:g}")
    limit = thresholds.max_time_to_human
    tth = audit.metrics.time_to_human_seconds
    if limit is not None:
        if tth is None:
            reasons.append("no person can be reached")
        elif tth > limit:
            reasons.append(f"time to a person {tth:.1f} s is over {limit:g} s")
    reasons += _over_all_callers(audit, thresholds)
    reasons += [f"regressed: {r}" for r in regressions]
    return Verdict(audit, thresholds, tuple(reasons))


def _over_all_callers(audit: Audit, thresholds: Thresholds) -> list[str]:
    """Return how the calls as they happen fail the gate: too few resolved, or a typical
    call too long. A menu without `calls` is not judged so; an overloaded queue fails
    through its error finding (IVR109)."""
    calls = audit.metrics.calls
    if calls is None:
        return []
    out = []
    least = thresholds.min_resolved_share
    if least is not None and round(calls.resolved_share, 4) < least:
        out.append(f"{_pct(calls.resolved_share, least)} of calls are resolved, under {least:.0%}")
    limit = thresholds.max_typical_call
    if limit is not None and calls.seconds is not None and calls.seconds > limit:
        out.append(f"a typical call takes {calls.seconds:.1f} s, hold included, over {limit:g} s")
    return out


def _pct(share: float, least: float) -> str:
    """Return a share as a whole percentage, with a decimal where that would read as the
    threshold it falls under (79.6% is under 80%)."""
    whole = f"{share:.0%}"
    return whole if whole != f"{least:.0%}" else f"{share:.1%}"
