"""The JSON report: the contract's object per menu, and how the score was made."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from ivraudit.report.safe import Encoded, json_parts, json_text

# The encoder's own string escaping (C-accelerated), as JSONEncoder(ensure_ascii=False) uses.
_str = json.encoder.encode_basestring  # type: ignore[attr-defined]

if TYPE_CHECKING:  # only named in annotations: `score` never needs the gate
    from ivraudit.audit import Audit
    from ivraudit.judge.findings import Finding
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


def audit_to_dict(a: Audit, *, findings_level: int | None = None) -> dict[str, Any]:
    """Return one menu's report object; the contract's keys come first. With
    `findings_level`, the findings are an `Encoded` value for `json_parts` at that level."""
    return {
        "name": a.menu.name,
        "file": a.file,
        "score": a.score.value,
        "metrics": a.metrics.to_dict(),
        "findings": (
            [f.to_dict() for f in a.findings]
            if findings_level is None
            else Encoded(partial(findings_json, a.findings), findings_level)
        ),
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
    many = len(audits) != 1 if as_list is None else as_list
    # A large menu has tens of thousands of findings: each is written from a template
    # instead of as a dict the encoder walks token by token (issue 22).
    items = [audit_to_dict(a, findings_level=2 if many else 1) for a in audits]
    for item, found in zip(items, top or (), strict=False):
        if found is not None:
            item["top_suggestions"] = [t.to_dict() for t in found]
    # NaN and Infinity are not JSON: inputs are bounded so that no figure can be either,
    # and should one ever be, json_parts fails rather than write a file no parser reads.
    return json_parts(items if many else items[0])


_FINDING_KEYS = ("rule", "severity", "node", "line", "column", "message", "name", "category")


def findings_json(findings: Sequence[Finding], level: int) -> Iterator[str]:
    """Yield the indented JSON of `[f.to_dict() for f in findings]` as a value at nesting
    `level`, exactly as the encoder writes it, one finding a piece."""
    if not findings:
        yield "[]"
        return
    inner = "\n" + "  " * (level + 1)
    keys = ["\n" + "  " * (level + 2) + _str(k) + ": " for k in _FINDING_KEYS]
    close = "\n" + "  " * (level + 1) + "}"
    first = True
    for f in findings:
        values = (
            f.rule,
            f.severity.value,
            f.node,
            f.pos.line,
            f.pos.column,
            f.message,
            f.name,
            f.category,
        )
        body = ",".join([k + _value(v) for k, v in zip(keys, values, strict=True)])
        yield ("[" if first else ",") + inner + "{" + body + close
        first = False
    yield "\n" + "  " * level + "]"


def _value(v: Any) -> str:
    """Return a scalar as the encoder writes it (ensure_ascii off, NaN refused)."""
    if v.__class__ is str:
        return _str(v)
    if v is None:
        return "null"
    if v.__class__ is int:
        return int.__repr__(v)
    return json.dumps(v, ensure_ascii=False, allow_nan=False)


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
