"""Reports of `ivraudit diff`: what changed in each menu since the baseline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ivraudit.diff import MenuDiff, MetricChange
from ivraudit.format.units import duration
from ivraudit.judge.findings import Finding
from ivraudit.report.location import display_path
from ivraudit.report.markdown import html_text, md_cell, md_text
from ivraudit.report.safe import json_text, one_line


def _value(value: Any) -> str:
    """Return a figure as JSON writes it, numbers without trailing zeros."""
    if isinstance(value, float):
        return f"{value:g}"
    return one_line(json.dumps(value, ensure_ascii=False, allow_nan=False))


def _delta(value: float | None) -> str:
    return "" if value is None else f"{value:+g}"


def _score(d: MenuDiff) -> str:
    if d.old_score is None:
        return f"new menu, score {d.new_score}"
    return f"score {d.old_score} → {d.new_score} ({_delta(d.score_delta)})"


def _finding(f: Finding) -> str:
    where = f"{display_path(f.pos.file)}:{f.pos.line}:{f.pos.column}"
    return one_line(f"{where}: {f.severity.value} {f.rule} {f.message} [{f.name}]")


def _changed(d: MenuDiff) -> list[MetricChange]:
    return [m for m in d.metrics if m.changed]


def _calls(d: MenuDiff) -> list[MetricChange]:
    """Return the figures of the calls themselves: the typical call, then every intent."""
    typical = [m for m in d.metrics if m.metric == "typical_call_seconds"]
    return typical + [m for m in d.metrics if m.metric.startswith("intent_seconds.")]


def _shown(m: MetricChange, value: Any) -> str:
    """Return a figure in words: seconds with `s`, `never` for a call never resolved,
    `none` for a count that does not exist."""
    if value is None and m.seconds:
        return "never"
    if value is None:  # no person reachable: no count of key presses to one
        return "none"
    if m.share and isinstance(value, (int, float)):
        return f"{value:.1%}" if m.metric == "abandon_share" else f"{value:.0%}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "none"
    if m.seconds and isinstance(value, (int, float)):
        return duration(value, space=" ")  # m:ss past 90 s, as every other report
    return _value(value)


def _line(m: MetricChange) -> str:
    """Return `a typical call: 660 s → 58 s (-602 s)`; an unchanged figure says so."""
    if not m.changed:
        return f"{m.title}: {_shown(m, m.new)} (unchanged)"
    unit = " s" if m.seconds else ""
    change = f"{m.delta:+.1f}" if m.seconds and m.delta is not None else _delta(m.delta)
    delta = f" ({change}{unit})" if m.delta is not None and not m.share else ""
    return f"{m.title}: {_shown(m, m.old)} → {_shown(m, m.new)}{delta}"


def _total(diffs: Sequence[MenuDiff]) -> str:
    regressed = sum(1 for d in diffs if d.regressed)
    noun = "menu" if len(diffs) == 1 else "menus"
    return f"{len(diffs)} {noun} compared, {regressed} regressed"


def render_diff_text(diffs: Sequence[MenuDiff]) -> str:
    """Return each menu's change, its changed figures and findings, then a total."""
    out = []
    for d in diffs:
        status = "REGRESSED: " + "; ".join(d.reasons) if d.regressed else "no regression"
        out.append(one_line(f"{display_path(d.file)} ({d.name}): {_score(d)} — {status}"))
        if not d.added:
            calls = _calls(d)
            out += [f"  {one_line(_line(m))}" for m in calls]
            out += [f"  {one_line(_line(m))}" for m in _changed(d) if m not in calls]
            out += [f"  note: {one_line(n)}" for n in d.notes]
        out += [f"  + {_finding(f)}" for f in d.new_findings]
        out += [f"  - {_finding(f)} (fixed)" for f in d.fixed_findings]
        for c in d.changed_findings:
            was = one_line(f"{c.old.severity.value} {c.old.message}")
            out.append(f"  ~ {_finding(c.new)} (was: {was})")
    out.append(_total(diffs))
    return "\n".join(out) + "\n"


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {"file": display_path(f.pos.file), **f.to_dict()}


def diff_to_dict(d: MenuDiff) -> dict[str, Any]:
    """Return one menu's change as JSON-ready data."""
    return {
        "file": display_path(d.file),
        "name": d.name,
        "added": d.added,
        "old_score": d.old_score,
        "new_score": d.new_score,
        "score_delta": d.score_delta,
        "regressed": d.regressed,
        "reasons": list(d.reasons),
        "notes": list(d.notes),
        "metrics": {
            m.metric: {
                "title": m.title,
                "old": m.old,
                "new": m.new,
                "delta": m.delta,
                "changed": m.changed,
            }
            for m in d.metrics
        },
        "new_findings": [_finding_dict(f) for f in d.new_findings],
        "fixed_findings": [_finding_dict(f) for f in d.fixed_findings],
        "changed_findings": [
            {"old": _finding_dict(c.old), "new": _finding_dict(c.new)} for c in d.changed_findings
        ],
    }


def render_diff_json(diffs: Sequence[MenuDiff]) -> str:
    """Return `{"regressed": bool, "menus": [...]}` with every figure before and after."""
    data = {"regressed": any(d.regressed for d in diffs), "menus": [diff_to_dict(d) for d in diffs]}
    return json_text(data)


def render_diff_markdown(diffs: Sequence[MenuDiff]) -> str:
    """Return a table of menus and, for each that changed, its figures and findings."""
    regressed = sum(1 for d in diffs if d.regressed)
    noun = "menu" if len(diffs) == 1 else "menus"
    summary = f"{regressed} of {len(diffs)} {noun} regressed" if regressed else _total(diffs)
    head = f"## ivraudit diff: {summary}"
    out = [head, ""]
    if diffs:
        out += [
            "| Menu | Score | Change | New findings | Fixed | Changed | Result |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for d in diffs:
            change = "new menu" if d.added else _delta(d.score_delta)
            result = "❌ **regressed**" if d.regressed else "✅ no regression"
            cells = [
                md_cell(display_path(d.file)),
                str(d.new_score),
                change,
                str(len(d.new_findings)),
                str(len(d.fixed_findings)),
                str(len(d.changed_findings)),
                result,
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    for d in diffs:
        changed = _changed(d) if not d.added else []
        if (
            d.regressed
            or changed
            or d.notes
            or d.new_findings
            or d.fixed_findings
            or d.changed_findings
        ):
            out += _details(d, changed)
    return "\n".join(out).rstrip("\n") + "\n"


def _details(d: MenuDiff, changed: list[MetricChange]) -> list[str]:
    summary = f"<b>{html_text(display_path(d.file))}</b> ({html_text(d.name)}): {_score(d)}"
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    if d.reasons:
        out += ["**Regressed because:**", ""] + [f"- {md_text(r)}" for r in d.reasons] + [""]
    if d.notes:
        out += [f"- {md_text(n)}" for n in d.notes] + [""]
    calls = _calls(d) if not d.added else []
    shown = calls + [m for m in changed if m not in calls]
    if shown:
        out += ["| Figure | Before | After | Change |", "| --- | ---: | ---: | ---: |"]
        for m in shown:
            cells = [m.title, _shown(m, m.old), _shown(m, m.new), _delta(m.delta)]
            out.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
        out.append("")
    rows = [("new", f) for f in d.new_findings] + [("fixed", f) for f in d.fixed_findings]
    rows += [("changed", c.new) for c in d.changed_findings]
    if rows:
        out += ["| | Severity | Rule | Line | Message |", "| --- | --- | --- | ---: | --- |"]
        for what, f in rows:
            rule = md_cell(f"{f.rule} {f.name}")
            out.append(
                f"| {what} | {f.severity.value} | {rule} | {f.pos.line} | {md_cell(f.message)} |"
            )
        out.append("")
    out += ["</details>", ""]
    return out
