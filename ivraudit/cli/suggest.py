"""`ivraudit suggest`: measured changes to menus, and the changed menus written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ivraudit.cli.common import _audits, _collect, _text_width, _write
from ivraudit.cli.options import (
    _PATHS,
    _branding,
    _config_option,
    _jobs_option,
    _output_option,
    _path_given,
    _paths_options,
)
from ivraudit.cli.program import EXIT_INPUT, EXIT_OK, _report_bug
from ivraudit.format.errors import MenuError

if TYPE_CHECKING:
    from ivraudit.audit import Audit
    from ivraudit.format.files import Piped
    from ivraudit.suggest import Suggestions


@click.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
    help="json: the figures of the suggest contract; markdown: for a client or a pull request; "
    "html: one self-contained page of the menu beside its combined rewrite (one file only).",
)
@click.option(
    "--only",
    multiple=True,
    metavar="ID,...",
    help="Write only these suggestions (ids from the report) instead of the combined menu.",
)
@click.option(
    "--write",
    "write_path",
    metavar="OUT",
    callback=_path_given,
    help="Write the changed menu to OUT.",
)
@click.option(
    "--write-dir",
    metavar="DIR",
    callback=_path_given,
    help="Write each changed menu to DIR under its own file name (for several files).",
)
@_output_option("Write the report here.")
@_jobs_option
@_paths_options
def suggest(
    paths: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    fmt: str,
    only: tuple[str, ...],
    write_path: str | None,
    write_dir: str | None,
    output: str,
    jobs: int,
) -> None:
    """Suggest measured changes to menus, ranked by the seconds they save a typical call.

    Each suggestion is applied to a copy of the menu and measured by auditing it. The
    report ends with every non-conflicting suggestion combined, and the best keypad menu
    for the callers' mix of requests. --write writes the combined menu (or --only's).

    \b
    Examples:
      ivraudit suggest menus/telecom_hell.yaml
      ivraudit suggest menus/telecom_hell.yaml --write telecom_better.yaml
      ivraudit suggest menus/telecom_hell.yaml --only zero-out:main --write x.yaml
      ivraudit suggest menus/ --format markdown --write-dir suggested/
      ivraudit suggest menus/telecom_hell.yaml --format html -o suggestions.html
    """

    from ivraudit.cli import progress
    from ivraudit.format.files import STDIN_NAME
    from ivraudit.report.suggest_report import (
        render_suggest_json,
        render_suggest_markdown,
        render_suggest_text,
    )
    from ivraudit.suggest import menu_text, menu_with, suggest_audit

    ids = [part.strip() for value in only for part in value.split(",") if part.strip()]
    if only and not ids:  # `--only ''` or `--only ,,,` would write the combined menu
        raise click.BadParameter("names no suggestion", param_hint="'--only'")
    if ids and not (write_path or write_dir):
        raise click.UsageError("--only chooses what --write or --write-dir writes; give one")
    if write_path and write_dir:
        raise click.UsageError("give --write OUT for one menu or --write-dir DIR, not both")
    files, missing = _collect(paths, exclude=exclude, stdin_filename=stdin_filename)
    if fmt == "html" and len(files) + len(missing) != 1:
        raise click.UsageError("--format html writes one menu's page: give one menu file")
    if write_path and len(files) + len(missing) != 1:
        raise click.UsageError("--write takes one menu file; use --write-dir DIR for several")
    piped = next((p for p in files if not isinstance(p, Path)), None)  # '-' is given once
    names = [(p if isinstance(p, Path) else p.path).name for p in files]
    if write_dir and STDIN_NAME in names:
        raise click.UsageError("--write-dir names files after the menus: give --stdin-filename")
    if write_dir and len(set(names)) != len(names):
        raise click.UsageError("--write-dir: two menu files have the same name")
    progress.start(len(files))
    audits, bad = _audits(files, config_path, jobs=jobs)
    bad = bad or bool(missing)
    results, writes, pairs = [], [], []
    progress.task("suggesting", len(audits))
    for a in audits:
        try:
            result = suggest_audit(a)
        except Exception as exc:  # a bug: name the file, go on with the others
            _report_bug(a.file, exc)
            bad = True
            continue
        finally:
            progress.advance()
        results.append(result)
        pairs.append((a, result))
        if not (write_path or write_dir):
            continue
        try:
            menu = menu_with(result, ids, a.config) if ids else result.combined.menu
        except (KeyError, ValueError) as exc:
            progress.end()
            click.echo(f"{a.file}: error: --only: {exc.args[0]}", err=True)
            sys.exit(EXIT_INPUT)
        target = write_path or str(Path(write_dir or ".") / Path(a.file).name)
        writes.append((menu_text(menu, target, _header_of(a.file, piped)), target))
    progress.end()
    width = _text_width(None, output == "-")
    renderers = {
        "text": lambda rs: render_suggest_text(rs, width=width),
        "markdown": render_suggest_markdown,
        "json": lambda rs: render_suggest_json(rs, many=len(files) + len(missing) > 1),
        "html": lambda rs: _html_page(*pairs[0]),
    }
    if results:
        try:
            report = renderers[fmt](results)
        except MenuError as exc:  # the config's logo for the HTML page cannot be read
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INPUT)
        _write(report, output)
    for text, target in writes:
        _write(text, target, "the menu", in_folder=write_dir is not None)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)


def _html_page(a: Audit, result: Suggestions) -> str:
    """Return the HTML page of one menu's suggestions: the menu beside its combined rewrite
    (audited again under the same config for its map, queues and month)."""
    from ivraudit.audit import audit_menu
    from ivraudit.report.beforeafter import build_suggest_page
    from ivraudit.report.html import render_suggest_page

    combined = audit_menu(result.combined.menu, a.config)
    return render_suggest_page(build_suggest_page(a, combined, result, _branding(a.config, {})))


def _header_of(path: str, piped: Piped | None = None) -> str:
    """Return the leading comment block of a YAML menu file, or '' when there is none or
    it cannot be read again (the written menu then starts with ivraudit's line alone);
    the menu read from standard input, if any, is `piped`, with its bytes."""
    from ivraudit.format.files import json_named_or_shaped
    from ivraudit.format.writer import leading_comments

    try:
        if piped is not None and piped.name == path:
            if json_named_or_shaped(piped.name, piped.data):
                return ""
            return leading_comments(piped.data.decode("utf-8-sig"))
        if not path.lower().endswith((".yaml", ".yml")):
            return ""
        return leading_comments(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""
