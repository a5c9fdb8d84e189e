"""`ivraudit score`: a readable, JSON or HTML report of each menu's figures."""

from __future__ import annotations

import sys

import click

from ivraudit.cli.common import (
    MAX_WIDTH,
    MIN_WIDTH,
    Importing,
    _audits,
    _collect,
    _text_width,
    _write,
)
from ivraudit.cli.options import (
    _PATHS,
    _branding,
    _branding_options,
    _config_option,
    _import_options,
    _jobs_option,
    _output_option,
    _paths_options,
    _show_settings,
    _show_settings_option,
)
from ivraudit.cli.program import EXIT_INPUT, EXIT_OK


@click.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: a readable report; json: the figures of the menu-format contract; "
    "html: one self-contained page (one file only).",
)
@_output_option("Write the report to this file ('-' for standard output).")
@click.option(
    "--width",
    type=click.IntRange(MIN_WIDTH, MAX_WIDTH),
    default=None,
    help="Text report width (default: $COLUMNS, else the terminal's, else 100; with -o, 100).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the text report (default: on a terminal, unless NO_COLOR or TERM=dumb; "
    "FORCE_COLOR colours a pipe).",
)
@click.option(
    "--summary",
    is_flag=True,
    help="Text: only the ranked table of the menus (it follows the reports of several).",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Text: list every finding, not one line per rule."
)
@_jobs_option
@_import_options
@_branding_options
@_paths_options
@_show_settings_option
def score(
    paths: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    show_settings: bool,
    fmt: str,
    output: str,
    width: int | None,
    color: bool | None,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    open_share: float | None,
    summary: bool,
    verbose: bool,
    jobs: int,
    **brand: str | None,
) -> None:
    """Score menu files (or folders of them) and report their figures.

    \b
    Examples:
      ivraudit score menus/city_cabs.yaml
      ivraudit score menus/ --summary
      ivraudit score menus/ --format json -o reports/menus.json
      ivraudit score menus/telecom_hell.yaml --format html -o telecom.html
      ivraudit score menus/ -j 0        # audit in one process per core

    The text report puts first what matters most: the score and a headline, what
    to fix first, key figures marked good, needs work or poor, the queues and the
    month, each intent's journey, the menu as a tree, findings folded by rule
    (--verbose lists each), and how the score was made.
    Several menus end with a table ranking them by score, best first. Bad files
    are reported on standard error (exit code 2) and the others are still scored.
    """
    from ivraudit.report import Format, render_parts

    if show_settings:
        _show_settings(paths, config_path, stdin_filename)
    files, missing = _collect(paths, exclude=exclude, stdin_filename=stdin_filename)
    if summary and fmt != "text":
        raise click.UsageError("--summary goes with --format text")
    if fmt == "html" and len(files) + len(missing) != 1:
        raise click.UsageError("--format html writes one menu's page; use `ivraudit report`")
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
    audits, bad = _audits(files, config_path, importing=importing, jobs=jobs)
    bad = bad or bool(missing)
    if audits and fmt == "html":
        from ivraudit.report.fixes import suggestions_for
        from ivraudit.report.html import render_one

        a = audits[0]
        _write(render_one(a, _branding(a.config, brand), suggestions_for(a)), output)
    elif audits:
        from ivraudit.report.colour import use_colour

        many = len(files) + len(missing) > 1
        # A file never gets colour unless asked; standard output as the environment says.
        color = use_colour(color) if output == "-" else bool(color)
        width = _text_width(width, to_stdout=output == "-")
        parts: list[str] = []
        if not summary:
            sugg = top = None
            if fmt == "text":
                from ivraudit.report.fixes import ranked_for

                sugg = [ranked_for(a) for a in audits]
            elif fmt == "json":
                from ivraudit.suggest.top import top_suggestions

                top = [top_suggestions(a) for a in audits]
            parts = render_parts(
                audits,
                Format(fmt),
                many=many,
                color=color,
                width=width,
                verbose=verbose,
                suggestions=sugg,
                top=top,
            )
        if fmt == "text" and (summary or len(audits) > 1):
            from ivraudit.report.ranking import render_ranking

            parts += ["\n"] if any(parts) else []
            parts.append(render_ranking(audits, color=color, width=width))
        _write(parts, output)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)
