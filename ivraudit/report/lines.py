"""One line per finding, as ruff and yamllint print them, then a verdict per menu."""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.gate import Verdict
from ivraudit.report.safe import one_line


def render_lines(verdicts: Sequence[Verdict]) -> str:
    """Return `file:line:col: severity RULE message [name]` lines and a summary."""
    out = []
    for v in verdicts:
        a = v.audit
        for f in a.findings:
            out.append(
                f"{one_line(f.pos.file)}:{f.pos.line}:{f.pos.column}: {f.severity.value} "
                f"{f.rule} {one_line(f.message)} [{f.name}]"
            )
        status = "pass" if v.passed else "FAIL: " + one_line("; ".join(v.reasons))
        out.append(f"{one_line(a.file)}: score {a.score.value}/100 ({a.score.band}) — {status}")
    failed = sum(1 for v in verdicts if not v.passed)
    noun = "menu" if len(verdicts) == 1 else "menus"
    out.append(f"{len(verdicts)} {noun} checked, {failed} failed")
    return "\n".join(out) + "\n"
