"""What the commands share once their options are read: the menu files found, audited
and imported as the options say, and what the commands write."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ivraudit.cli.program import EXIT_INPUT, _report_bug, _stdout_to_null
from ivraudit.format.errors import MenuError
from ivraudit.frozen import frozen

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ivraudit.audit import Audit
    from ivraudit.batch import Outcome, Rules
    from ivraudit.format.files import Piped
    from ivraudit.importers.flow import Settings
    from ivraudit.judge.config import Config


# The text report's width: narrower than 30 columns its tables and tree lose words, so a
# narrower terminal gets 30 columns and wraps them; files and pipes get 100 by default.
MIN_WIDTH, MAX_WIDTH, FILE_WIDTH = 30, 400, 100


@frozen
class Importing:
    """How to read platform exports: the --from, --prompt-seconds, --hold-seconds,
    --calls and --open-share options."""

    fmt: str | None = None
    prompt_seconds: float | None = None
    holds: tuple[str, ...] = ()
    calls: str | None = None
    open_share: float | None = None

    def settings(self, config: Config | None = None) -> Settings:
        """Return the importers' settings: these options over the config's `import:`
        table; raise MenuError for a bad --calls file."""
        from ivraudit.importers.call_counts import read_calls
        from ivraudit.importers.flow import settings_from

        return settings_from(
            config.imports if config is not None else {},
            prompt_seconds=self.prompt_seconds,
            holds=self.holds,
            calls=read_calls(Path(self.calls)) if self.calls is not None else (),
            open_share=self.open_share,
        )


def _audits(
    files: list[Path],
    config_path: str | None,
    rules: Rules | None = None,
    importing: Importing | None = None,
    jobs: int = 1,
) -> tuple[list[Audit], bool]:
    """Audit each file under its configuration (with `rules` applied), in `jobs` processes;
    report bad input on stderr as it comes. Platform exports are imported (`importing`),
    companion files joining the file they complete."""
    audits, bad = [], False
    with contextlib.closing(
        _outcomes(files, config_path, rules, importing, jobs, slim=False)
    ) as each:
        for o in each:
            if o.audit is None:
                bad = True
            else:
                audits.append(o.audit)
    return audits, bad


def _outcomes(
    files: list[Path],
    config_path: str | None,
    rules: Rules | None = None,
    importing: Importing | None = None,
    jobs: int = 1,
    *,
    base: str | None = None,
    slim: bool = True,
    top: bool = False,
) -> Iterator[Outcome]:
    """Yield each menu's outcome in file order (`batch.audit_files`), with its top
    suggestions if `top`; bad input and bugs are reported on stderr as they come, and
    their outcome has no audit. Close it when stopping early: that ends the workers."""
    from ivraudit.batch import Outcome, Rules, audit_files
    from ivraudit.cli import progress
    from ivraudit.importers import sources

    importing = importing or Importing()
    try:
        # A bad --calls file, the one setting that can be bad, is reported once, before any
        # menu; without one, a menu in our own format needs no importer at all.
        if importing.calls is not None:
            importing.settings()
    except MenuError as exc:
        with progress.quiet():
            click.echo(str(exc), err=True)
        yield Outcome(Path(exc.file), error=str(exc))
        return
    found = sources(files, importing.fmt)
    progress.task("auditing", len(found))
    each = audit_files(
        found,
        config_path,
        rules or Rules(),
        settings=importing.settings,
        jobs=jobs,
        base=base,
        slim=slim,
        top=top,
    )
    with contextlib.closing(each):  # Ctrl-C or an early stop: the workers end now
        for outcome in each:
            progress.advance()
            if outcome.error is not None:
                with progress.quiet():
                    click.echo(outcome.error, err=True)
            if outcome.bug is not None:  # a bug: name the file, go on with the others
                _report_bug(str(outcome.path), outcome.bug)
            yield outcome


def _text_width(width: int | None, to_stdout: bool) -> int:
    """Return the width of the text report: --width, else $COLUMNS, else the terminal's."""
    if width is not None:
        return width
    if not to_stdout:
        return FILE_WIDTH
    columns = os.environ.get("COLUMNS", "").strip()
    # $COLUMNS first, as shutil.get_terminal_size and rich read it; junk in it is ignored.
    found = int(columns) if columns.isdecimal() and len(columns) < 6 else 0
    if not found and sys.stdout.isatty():
        try:
            found = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):  # a terminal that cannot say its size
            found = 0
    return min(max(found or FILE_WIDTH, MIN_WIDTH), MAX_WIDTH)


def _render_each(
    items: list, render: Callable[[list], str], file_of: Callable[[Any], str]
) -> tuple[str | None, bool]:
    """Return `render(items)` and False; if that fails through a bug, report each item it
    fails on and return the report of the others (None if none is left) and True, so one
    menu never costs the others their reports."""
    try:
        return render(items), False
    except Exception:
        kept = []
        for item in items:
            try:
                render([item])
                kept.append(item)
            except Exception as exc:
                _report_bug(file_of(item), exc)
        return (render(kept) if kept else None), True


def _collect(
    paths: tuple[str, ...],
    *,
    exclude: tuple[str, ...] = (),
    stdin_filename: str | None = None,
    skip_named: bool = False,
    notes: bool = True,
) -> tuple[list[Path | Piped], list[str]]:
    """Return the menu files `paths` name (`-`: standard input, as `stdin_filename`),
    reporting on stderr each path or folder that cannot be read, and what was skipped
    unless `notes` is off (discovery.find_menus)."""
    from ivraudit.discovery import find_menus
    from ivraudit.format.files import STDIN

    if paths.count(STDIN) > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    if stdin_filename is not None and STDIN not in paths:
        raise click.UsageError("--stdin-filename names standard input: give '-' as a path")
    found = find_menus(paths, exclude=exclude, stdin_name=stdin_filename, skip_named=skip_named)
    for line in (*found.problems, *(found.notes if notes else ())):
        click.echo(line, err=True)
    return list(found.inputs), list(found.problems)


def _write(
    text: str | Iterable[str], output: str, what: str = "the report", *, in_folder: bool = False
) -> None:
    """Write a report (or `what`), turning a path that cannot be written into a usage
    error (exit 2); `in_folder`: a file of an output folder, never written through a link."""
    from ivraudit.report import write_output

    try:
        write_output(text, output, in_folder=in_folder)
    except BrokenPipeError:  # the reader left (`| head`): the rest is for no one
        if output == "-":
            _stdout_to_null()
        return
    except OSError as exc:
        click.echo(f"{output}: error: cannot write {what}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
