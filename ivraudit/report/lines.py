"""One line per finding, as ruff and yamllint print them, then a verdict per menu."""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.judge.gate import Verdict
from ivraudit.report.safe import one_line


def render_lines(verdicts: Sequence[Verdict]) -> str:
    """Return `file:line:col: severity RULE message [name]` lines and a summary."""
    failed = sum(1 for v in verdicts if not v.passed)
    return "".join(verdict_lines(v) for v in verdicts) + checked_line(len(verdicts), failed) + "\n"


def verdict_lines(v: Verdict) -> str:
    """Return one menu's lines: a line per finding, then its verdict (each line ends)."""
    a = v.audit
    out = [
        f"{one_line(f.pos.file)}:{f.pos.line}:{f.pos.column}: {f.severity.value} "
        f"{f.rule} {one_line(f.message)} [{f.name}]\n"
        for f in a.findings
    ]
    status = "pass" if v.passed else "FAIL: " + one_line("; ".join(v.reasons))
    out.append(f"{one_line(a.file)}: score {a.score.value}/100 ({a.score.band}) — {status}\n")
    out += [f"  suggest: {one_line(t.text)}\n" for t in v.top_suggestions or ()]
    return "".join(out)


def checked_line(count: int, failed: int) -> str:
    """Return the closing line: how many menus were checked and how many failed."""
    return f"{count} {'menu' if count == 1 else 'menus'} checked, {failed} failed"
