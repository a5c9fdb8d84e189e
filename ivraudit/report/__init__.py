"""Report formats, the pipeline's stage 9: each takes audits, verdicts, suggestions or
diffs and gives text, JSON, SARIF, JUnit, GitHub annotations, Markdown or HTML, rendering
what it is given and computing nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from ivraudit.report.output import write_output

if TYPE_CHECKING:  # only named in annotations: `score` never needs the gate
    from ivraudit.audit import Audit
    from ivraudit.judge.gate import Verdict

__all__ = ["Format", "render", "render_check", "render_parts", "write_output"]


class Format(str, Enum):
    """The output formats: `score` takes text and json, `check` takes them all."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    MARKDOWN = "markdown"


def render(audits: Sequence[Audit], fmt: Format, **options: Any) -> str:
    """Return the report of `audits` in format `fmt`, as `render_parts` gives it in pieces
    (`many` makes JSON a list even of one; text takes `color`, `width`, `verbose` and
    `suggestions`, one per audit; JSON takes `top`, each menu's top suggestions)."""
    return "".join(render_parts(audits, fmt, **options))


def render_parts(
    audits: Sequence[Audit],
    fmt: Format,
    *,
    many: bool | None = None,
    color: bool = False,
    width: int = 100,
    verbose: bool = False,
    suggestions: Sequence[Mapping[str, Any] | None] | None = None,
    top: Sequence[Sequence[Any] | None] | None = None,
) -> list[str]:
    """Return `render` in pieces, for `write_output`: a large menu's JSON report is then
    never held whole twice, as pieces and as one text."""
    if fmt is Format.TEXT:
        from ivraudit.report.terminal import render_text

        return [
            render_text(audits, color=color, width=width, verbose=verbose, suggestions=suggestions)
        ]
    if fmt is Format.JSON:
        from ivraudit.report.json_report import render_json_parts

        return render_json_parts(audits, as_list=many, top=top)
    raise ValueError(f"`score` writes text or json, not {fmt.value}")


def render_check(verdicts: Sequence[Verdict], fmt: Format) -> str:
    """Return the `check` report of `verdicts` in format `fmt`."""
    if fmt is Format.TEXT:
        from ivraudit.report.lines import render_lines

        return render_lines(verdicts)
    if fmt is Format.JSON:
        from ivraudit.report.json_report import render_check_json

        return render_check_json(verdicts)
    if fmt is Format.SARIF:
        from ivraudit.report.sarif import render_sarif

        return render_sarif(verdicts)
    if fmt is Format.JUNIT:
        from ivraudit.report.junit import render_junit

        return render_junit(verdicts)
    if fmt is Format.GITHUB:
        from ivraudit.report.github import render_github

        return render_github(verdicts)
    if fmt is Format.MARKDOWN:
        from ivraudit.report.markdown import render_markdown

        return render_markdown(verdicts)
    raise ValueError(f"unknown format {fmt!r}")  # pragma: no cover - the Enum is closed
