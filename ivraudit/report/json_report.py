"""The JSON report: the contract's object per menu, and how the score was made."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ivraudit.audit import Audit


def audit_to_dict(a: Audit) -> dict[str, Any]:
    """Return one menu's report object; the contract's keys come first."""
    return {
        "name": a.menu.name,
        "file": a.file,
        "score": a.score.value,
        "metrics": a.metrics.to_dict(),
        "findings": [],
        "band": a.score.band,
        "score_parts": [
            {
                "metric": p.metric,
                "title": p.title,
                "value": None if p.value is None else round(p.value, 2),
                "weight": p.weight,
                "score": round(p.score, 4),
                "points": round(p.points, 2),
                "note": p.note,
            }
            for p in a.score.parts
        ],
    }


def render_json(audits: Sequence[Audit], *, as_list: bool | None = None) -> str:
    """Return one JSON object for one audit, a list for several."""
    items = [audit_to_dict(a) for a in audits]
    many = len(items) != 1 if as_list is None else as_list
    return json.dumps(items if many else items[0], indent=2, ensure_ascii=False) + "\n"
