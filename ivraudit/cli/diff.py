"""`ivraudit diff`: two menus, or each menu then and now, compared."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ivraudit.cli.common import Importing, _collect, _render_each, _write
from ivraudit.cli.options import (
    _PATHS,
    _branding,
    _config_option,
    _import_options,
    _output_option,
)
from ivraudit.cli.program import EXIT_FAIL, EXIT_INPUT, EXIT_OK, _report_bug
from ivraudit.format.errors import MenuError

if TYPE_CHECKING:
    from ivraudit.audit import Audit
    from ivraudit.diff import MenuDiff
    from ivraudit.judge.config import Config


@click.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@click.option(
    "--base",
    metavar="GITREF",
    help="Compare each menu at this git revision with the working tree (PATHS: files or folders).",
)
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="html: one self-contained page of OLD NEW side by side (scores, each intent, "
    "queues and money, findings, both maps); write it with -o FILE.",
)
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 1 when a menu got worse: lower score, new warning or error, a slower typical "
    "call or intent, an intent or a person lost.",
)
@_output_option("Write the report here.")
@_import_options
def diff(
    paths: tuple[str, ...],
    base: str | None,
    config_path: str | None,
    fmt: str,
    fail_on_regression: bool,
    output: str,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    open_share: float | None,
) -> None:
    """Compare menus: OLD NEW, or each PATH at --base GITREF against the working tree.

    \b
    Examples:
      ivraudit diff menus/old.yaml menus/new.yaml
      ivraudit diff --base origin/main menus/ --fail-on-regression
      ivraudit diff menus/old.yaml menus/new.yaml --format html -o before-after.html
    Shows the score and figures before and after, new and fixed findings.
    """
    from ivraudit.audit import audit_menu
    from ivraudit.diff import diff_audits, diff_file
    from ivraudit.importers import import_file
    from ivraudit.judge.config import find_config, load_config
    from ivraudit.report.diff_report import (
        render_diff_json,
        render_diff_markdown,
        render_diff_text,
    )

    def config_of(path: Path) -> Config:
        return load_config(config_path if config_path is not None else find_config(path))

    if fmt == "html" and base is not None:
        raise click.UsageError("--format html compares two files: give OLD NEW, not --base")
    diffs, bad = [], False
    pairs: list[tuple[Audit, Audit]] = []  # the audits compared, for the HTML page
    branding = None
    if base is None:
        if len(paths) != 2:
            raise click.UsageError("give OLD and NEW menu files, or --base GITREF with PATHS")
        old_path, new_path = (Path(p) for p in paths)
        importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
        current = new_path  # the file being read, for a bug report
        try:
            config = config_of(new_path)
            settings = importing.settings(config)
            old, new = [], []
            for current, into in ((old_path, old), (new_path, new)):
                menu = import_file(current, importing.fmt, settings, config.base_timing())
                into.append(audit_menu(menu, config))
            diffs.append(diff_audits(old[0], new[0]))
            pairs.append((old[0], new[0]))
            if fmt == "html":
                branding = _branding(config, {})
        except MenuError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INPUT)
        except Exception as exc:
            _report_bug(str(current), exc)
            sys.exit(EXIT_INPUT)
    else:
        files, missing = _collect(paths)
        bad = bool(missing)
        for path in files:
            try:
                diffs.append(diff_file(path, base, config_of(path)))
            except MenuError as exc:
                click.echo(str(exc), err=True)
                bad = True
            except Exception as exc:  # a bug: name the file, go on with the others
                _report_bug(str(path), exc)
                bad = True

    def render_html(ds: list[MenuDiff]) -> str:
        from ivraudit.report.beforeafter import build_diff_page
        from ivraudit.report.html import render_diff_page

        (old, new), d = pairs[0], ds[0]
        return render_diff_page(build_diff_page(old, new, d, branding))

    renderers = {
        "text": render_diff_text,
        "json": render_diff_json,
        "markdown": render_diff_markdown,
        "html": render_html,
    }
    if diffs:
        text, failed = _render_each(diffs, renderers[fmt], lambda d: d.file)
        bad = bad or failed
        if text is not None:
            _write(text, output)
    if bad:
        sys.exit(EXIT_INPUT)
    regressed = any(d.regressed for d in diffs)
    sys.exit(EXIT_FAIL if regressed and fail_on_regression else EXIT_OK)
