"""The JSON report: the contract's object per menu, and how the score was made."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ivraudit.report.safe import json_parts, json_text

if TYPE_CHECKING:  # only named in annotations: `score` never needs the gate
    from ivraudit.audit import Audit
    from ivraudit.judge.gate import Verdict
    from ivraudit.judge.score import Score


def score_to_dict(score: Score) -> dict[str, Any]:
    """Return how a score was made: each category and each part's contribution."""
    return {
        "value": score.value,
        "band": score.band,
        "capped_by": list(score.capped_by),
        "uncapped": score.uncapped,
        "categories": [
            {
                "id": c.id,
                "title": c.title,
                "weight": c.weight,
                "score": c.value,
                "parts": [
                    {
                        "metric": p.metric,
                        "title": p.title,
                        "value": None if p.value is None else round(p.value, 2),
                        "display": p.display,
                        "weight": p.weight,
                        "score": None if p.score is None else round(p.score, 4),
                        "points": round(c.contribution(p), 2),
                        **(
                            {"curve": {"good": p.curve.good, "poor": p.curve.poor}}
                            if p.curve
                            else {}
                        ),
                    }
                    for p in c.parts
                ],
            }
            for c in score.categories
        ],
    }


def audit_to_dict(a: Audit) -> dict[str, Any]:
    """Return one menu's report object; the contract's keys come first."""
    return {
        "name": a.menu.name,
        "file": a.file,
        "score": a.score.value,
        "metrics": a.metrics.to_dict(),
        "findings": [f.to_dict() for f in a.findings],
        # Format 0.3: what callers live through, beside the figures of a line that works
        # (after the contract's first five keys, which keep their order).
        **({"calls": a.metrics.calls.to_dict()} if a.metrics.calls is not None else {}),
        "band": a.score.band,
        "score_breakdown": score_to_dict(a.score),
        # Only imported menus rest on assumptions; our own format's report is unchanged.
        **({"assumptions": list(a.menu.assumptions)} if a.menu.assumptions else {}),
    }


def render_json(
    audits: Sequence[Audit],
    *,
    as_list: bool | None = None,
    top: Sequence[Sequence[Any] | None] | None = None,
) -> str:
    """Return one JSON object for one audit, a list for several; `top` (one per audit,
    from `ivraudit.suggest.top`) adds each menu's `top_suggestions`."""
    return "".join(render_json_parts(audits, as_list=as_list, top=top))


def render_json_parts(
    audits: Sequence[Audit],
    *,
    as_list: bool | None = None,
    top: Sequence[Sequence[Any] | None] | None = None,
) -> list[str]:
    """Return `render_json` in pieces (`safe.json_parts`)."""
    items = [audit_to_dict(a) for a in audits]
    for item, found in zip(items, top or (), strict=False):
        if found is not None:
            item["top_suggestions"] = [t.to_dict() for t in found]
    many = len(items) != 1 if as_list is None else as_list
    # NaN and Infinity are not JSON: inputs are bounded so that no figure can be either,
    # and should one ever be, json_parts fails rather than write a file no parser reads.
    return json_parts(items if many else items[0])


def check_item(v: Verdict) -> dict[str, Any]:
    """Return one menu's object of the `check` result: its report, verdict and the top
    suggestions when they were computed."""
    return {
        **audit_to_dict(v.audit),
        "passed": v.passed,
        "reasons": list(v.reasons),
        **(
            {"top_suggestions": [t.to_dict() for t in v.top_suggestions]}
            if v.top_suggestions is not None
            else {}
        ),
    }


def render_check_json(verdicts: Sequence[Verdict]) -> str:
    """Return the `check` result: each menu's report object with its verdict."""
    items = [check_item(v) for v in verdicts]
    passed = all(v.passed for v in verdicts)
    return json_text({"passed": passed, "menus": items})
