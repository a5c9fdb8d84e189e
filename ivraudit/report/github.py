"""GitHub Actions workflow commands: an annotation per finding, a verdict per menu.

GitHub shows only about ten annotations of each type per step, so `job_summary` gives
the whole report as Markdown for $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.judge.findings import Severity
from ivraudit.judge.gate import Verdict
from ivraudit.report.location import display_path
from ivraudit.report.markdown import render_markdown
from ivraudit.report.safe import one_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command's property value, where ':' and ',' end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, message: str, **props: str | int) -> str:
    # Menu text shows control characters as escapes: the log would run ESC sequences,
    # and a line break from a label would split the annotation.
    given = ",".join(
        f"{key}={escape_property(one_line(str(value)))}" for key, value in props.items()
    )
    text = escape_data(one_line(message))
    return f"::{name} {given}::{text}" if given else f"::{name}::{text}"


def render_github(verdicts: Sequence[Verdict]) -> str:
    """Return a workflow command per finding, then one for the menu's verdict, menu by menu."""
    return "".join(verdict_commands(v) for v in verdicts)


def verdict_commands(v: Verdict) -> str:
    """Return one menu's commands: one per finding, then its verdict (each line ends)."""
    out = []
    a = v.audit
    for f in a.findings:
        out.append(
            _command(
                COMMANDS[f.severity],
                f.message,
                file=display_path(f.pos.file),
                line=f.pos.line,
                col=f.pos.column,
                endLine=f.pos.line,
                title=f"{f.rule} {f.name}",
            )
        )
    status = "pass" if v.passed else "FAIL: " + "; ".join(v.reasons)
    message = f"{a.menu.name}: score {a.score.value}/100 ({a.score.band}) — {status}"
    title = "ivraudit gate passed" if v.passed else "ivraudit gate failed"
    kind = "notice" if v.passed else "error"
    out.append(_command(kind, message, file=display_path(a.file), title=title))
    return "".join(line + "\n" for line in out)


def job_summary(verdicts: Sequence[Verdict]) -> str:
    """Return the Markdown report for the job summary ($GITHUB_STEP_SUMMARY)."""
    return render_markdown(verdicts)
