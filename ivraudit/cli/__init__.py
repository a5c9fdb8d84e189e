"""The `ivraudit` command: parse arguments, call the library, map results to exit codes."""

from __future__ import annotations

import contextlib
import gc
import math
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ivraudit import __version__
from ivraudit.errors import MenuError
from ivraudit.frozen import frozen

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ivraudit.audit import Audit
    from ivraudit.batch import Outcome, Rules
    from ivraudit.config import Config
    from ivraudit.files import Piped
    from ivraudit.importers.flow import Settings

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2
# The text report's width: narrower than 30 columns its tables and tree lose words, so a
# narrower terminal gets 30 columns and wraps them; files and pipes get 100 by default.
MIN_WIDTH, MAX_WIDTH, FILE_WIDTH = 30, 400, 100
# Where a pip-installed user reads the docs (also [project.urls] in pyproject.toml).
DOCS_URL = "https://github.com/ivraudit/ivraudit/tree/main/docs"


class _FiniteRange(click.FloatRange):
    """A number in a range; `nan` and `inf`, which click's FloatRange lets through, fail."""

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = float(super().convert(value, param, ctx))
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


class _Program(click.Group):
    """The command group: usage errors in one line, and a bug reported, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            # Click turns a closed pipe into exit code 1 before `main` sees it: catch it
            # first, here in the command's context and in the group's (make_context).
            with _reader_may_leave():
                return super().invoke(ctx)
        finally:
            from ivraudit import progress

            progress.end()  # however the command ends, before anything more is printed

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: object,
    ) -> object:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except _NO_ARGS as exc:  # `ivraudit` alone: the help, as click shows it
            exc.show()
            sys.exit(EXIT_INPUT)
        except click.ClickException as exc:
            click.echo(_usage_line(exc), err=True)
            sys.exit(EXIT_INPUT)
        except (click.Abort, KeyboardInterrupt):
            _interrupted()
        except MenuError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INPUT)
        except Exception as exc:
            _report_bug(None, exc, debug=_debug_flag(argv))
            sys.exit(EXIT_INPUT)
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _reader_may_leave():  # `ivraudit --help | head`
            return super().make_context(*args, **kwargs)


@contextlib.contextmanager
def _reader_may_leave() -> Iterator[None]:
    """End the run quietly with exit code 0 when the reader of standard output leaves
    (`ivraudit rules | head -1`): what is left to print is for no one."""
    try:
        yield
    except BrokenPipeError:
        _stdout_to_null()
        raise click.exceptions.Exit(EXIT_OK) from None


def _stdout_to_null() -> None:
    """Point standard output at the null device, so that what is still buffered, flushed
    at exit, goes nowhere instead of failing again (as the Python docs advise for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no file beneath it
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


def _interrupted() -> None:
    """Say that Ctrl-C stopped the run and exit 130; a second Ctrl-C cannot cut it short."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, ValueError):  # standard error closed
        click.echo("ivraudit: interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)


def _usage_line(exc: click.ClickException) -> str:
    """Return a usage error as one line: `ivraudit check: error: ... (see ... --help)`."""
    from ivraudit.report.safe import one_line

    message = one_line(" ".join(exc.format_message().split())).rstrip(".")
    message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "ivraudit"
    hint = (
        f" (see '{command} --help')"
        if isinstance(exc, click.UsageError) and "(see " not in message
        else ""
    )
    return f"{command}: error: {message}{hint}"


def _debug_flag(argv: list[str]) -> bool:
    """Return whether --debug comes before the command's name (it is the group's option)."""
    for arg in argv:
        if arg == "--debug":
            return True
        if not arg.startswith("-"):
            return False
    return False


def _debugging() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().params.get("debug"))


def _report_bug(where: str | None, exc: BaseException, *, debug: bool | None = None) -> None:
    """Say in one line that ivraudit failed on `where` through a bug of its own; --debug
    adds the traceback. The exit code stays 2, so CI never reads a crash as findings."""
    import traceback

    from ivraudit import progress
    from ivraudit.files import shown
    from ivraudit.report.safe import one_line

    detail = one_line(" ".join(str(exc).split()))[:200]
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    prefix = f"{shown(where)}:1:1: error" if where is not None else "ivraudit: error"
    with progress.quiet():
        if debug if debug is not None else _debugging():
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        click.echo(
            f"{prefix}: internal error ({what}); this is a bug in ivraudit {__version__}: "
            "please report it with the file (--debug shows the traceback)",
            err=True,
        )


@click.group(
    "ivraudit",
    cls=_Program,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=f"Documentation (menu format, rules, score, configuration, CI): {DOCS_URL}",
)
@click.version_option(__version__, prog_name="ivraudit")
@click.option(
    "--debug", is_flag=True, help="Show the traceback of an internal error, for a bug report."
)
def main(debug: bool) -> None:
    """Audit IVR phone menus for telephone hell.

    A menu is a YAML file (see `ivraudit schema` and the menu format in the docs), or
    a platform export: Amazon Connect, Twilio Studio, VoiceXML, Asterisk, FreeSWITCH,
    Genesys Archy or Webex (`ivraudit import --list`). Start with:

        ivraudit score menus/city_cabs.yaml

    Exit codes: 0 fine, 1 the audit failed what you asked it to check, 2 bad input
    or usage (one line naming file, line and column).
    """


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
    from ivraudit import progress
    from ivraudit.batch import Outcome, Rules, audit_files
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


_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Audit the files in this many processes, at most one per available CPU and one "
    "per file (0: one per CPU); the output is the same.",
)


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


@frozen
class Importing:
    """How to read platform exports: the --from, --prompt-seconds, --hold-seconds and
    --calls options."""

    fmt: str | None = None
    prompt_seconds: float | None = None
    holds: tuple[str, ...] = ()
    calls: str | None = None

    def settings(self, config: Config | None = None) -> Settings:
        """Return the importers' settings: these options over the config's `import:`
        table; raise MenuError for a bad --calls file."""
        from ivraudit.importers.flow import read_calls, settings_from

        return settings_from(
            config.imports if config is not None else {},
            prompt_seconds=self.prompt_seconds,
            holds=self.holds,
            calls=read_calls(Path(self.calls)) if self.calls is not None else (),
        )


def _hold_value(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]):  # type: ignore[no-untyped-def]
    for value in values:
        seconds = value.rpartition("=")[2]
        try:
            ok = 0 <= float(seconds) <= 86_400  # nan and inf fail too
        except ValueError:
            ok = False
        if not ok:
            raise click.BadParameter(
                f"'{value}': give QUEUE=SECONDS or SECONDS (a number from 0 to 86400)"
            )
    return values


def _format_value(ctx: click.Context, param: click.Parameter, value: str | None):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    from ivraudit.importers import FORMAT_NAMES  # only when asked: --help stays light

    if value not in FORMAT_NAMES:
        raise click.BadParameter(f"'{value}' is not one of {', '.join(FORMAT_NAMES)}")
    return value


def _import_options(f: Callable) -> Callable:  # type: ignore[type-arg]
    """Add the options that say how to read platform exports."""
    options = [
        click.option(
            "--from",
            "from_format",
            default=None,
            callback=_format_value,
            metavar="FORMAT",
            help="Read the files as this format (default: detected from their content; "
            "`ivraudit import --list` names the formats).",
        ),
        click.option(
            "--prompt-seconds",
            type=_FiniteRange(0, 86_400),
            default=None,
            help="Seconds counted for an audio prompt that has no text (default 4).",
        ),
        click.option(
            "--hold-seconds",
            "hold_seconds",
            multiple=True,
            callback=_hold_value,
            metavar="[QUEUE=]SECONDS",
            help="Expected hold of a queue in an export (repeatable; SECONDS alone: all "
            "others; default 60).",
        ),
        click.option(
            "--calls",
            type=click.Path(exists=True, dir_okay=False),
            default=None,
            help="CSV of call counts per key path or node (path,calls): intents and shares.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


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
    from ivraudit.files import STDIN

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


def _path_given(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an empty path: `-o ''` would write into the current folder, `--write ''`
    nothing at all."""
    if value == "":
        raise click.BadParameter("an empty path names no file or folder")
    return value


def _output_option(text: str) -> Callable:  # type: ignore[type-arg]
    """Return the `-o/--output` option, helped by `text`, of a command that writes one
    file (or '-': standard output)."""
    return click.option(
        "-o", "--output", default="-", show_default=True, callback=_path_given, help=text
    )


def _rule_ids(values: tuple[str, ...], flag: str) -> frozenset[str]:
    from ivraudit.rules import rule_id

    out = set()
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    out.add(rule_id(part.strip()))
                except KeyError as exc:
                    raise click.BadParameter(exc.args[0], param_hint=flag) from None
    return frozenset(out)


def _check_accent(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return value  # click calls this for every run: the branding module only when given
    from ivraudit.report.branding import accent_problem

    if problem := accent_problem(value):
        raise click.BadParameter(problem)
    return value


def _check_logo(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return value
    from ivraudit.report.branding import logo_problem

    # By its name only: the file is read where a report is made (`_branding`), so a named
    # pipe given to `score` for a text report cannot make it wait.
    if problem := logo_problem(Path(value)):
        raise click.BadParameter(problem)
    return value


def _branding_options(command: Callable) -> Callable:
    """Add the HTML report's branding flags, which override the config's `report:`."""
    for option in reversed(
        [
            click.option("--title", help="HTML report: the title in the header."),
            click.option("--client", help="HTML report: the client it is prepared for."),
            click.option(
                "--logo",
                metavar="FILE",
                callback=_check_logo,
                help="HTML report: a logo (PNG, JPEG, GIF, WebP or SVG, up to 256 KB), embedded.",
            ),
            click.option(
                "--accent", callback=_check_accent, help="HTML report: header colour, #rrggbb."
            ),
            click.option("--footer", help="HTML report: a line of footer text."),
        ]
    ):
        command = option(command)
    return command


def _branding(config: Config, flags: dict[str, str | None]):  # type: ignore[no-untyped-def]
    """Return the branding of a report: the flags given, else the config's `report:`;
    a logo that cannot be read is a usage error (--logo) or blamed on the config's line."""
    from ivraudit.report.branding import LogoError, make_branding

    try:
        return make_branding({**config.report, **{k: v for k, v in flags.items() if v is not None}})
    except LogoError as exc:
        if flags.get("logo") is not None:
            raise click.BadParameter(str(exc), param_hint="'--logo'") from None
        at = config.report_at.get("logo", (config.source or "<config>", 1, 1))
        raise MenuError(*at, str(exc)) from None


# Paths are checked by the command, not by click: a file that cannot be read is one
# located line and the other paths still run, where click would stop the whole run.
_PATHS = click.Path(readable=False)

_stdin_filename_option = click.option(
    "--stdin-filename",
    metavar="NAME",
    help="The name of standard input ('-' among PATHS) in messages and reports; its "
    "extension chooses YAML or JSON, and its folder the config.",
)
_exclude_option = click.option(
    "--exclude",
    multiple=True,
    metavar="PATTERN",
    help="Leave out files and folders matching this glob (repeatable): a name at any depth "
    "('drafts', '*.json') or a path from here ('menus/old/*.yaml').",
)


_show_settings_option = click.option(
    "--show-settings",
    is_flag=True,
    help="Print the configuration that applies to the first PATH (config file, rules, "
    "severities, options, gate) and exit.",
)


def _show_settings(
    paths: tuple[str, ...],
    config_path: str | None,
    stdin_filename: str | None,
    rules: Rules | None = None,
    gate: tuple[str | None, float | None, float | None] = (None, None, None),
) -> None:
    """Print the resolved settings for the first of `paths` (with check's `rules` and
    `gate` flags: --fail-on, --fail-under, --max-time-to-human) and exit 0."""
    from ivraudit.config import find_config, load_config
    from ivraudit.files import STDIN, STDIN_NAME, shown
    from ivraudit.findings import Severity
    from ivraudit.gate import Thresholds
    from ivraudit.settings import render_settings

    first = paths[0]
    if first == STDIN:
        first = stdin_filename or STDIN_NAME
    where = config_path if config_path is not None else find_config(Path(first))
    config = load_config(where)  # a bad config: one located line, exit 2 (_Program)
    if rules is not None:
        config = rules.apply(config)
    fail_on, fail_under, max_time = gate
    thresholds = Thresholds(
        fail_on=Severity(fail_on) if fail_on else config.fail_on,
        fail_under=fail_under if fail_under is not None else config.fail_under,
        max_time_to_human=max_time if max_time is not None else config.max_time_to_human,
    )
    _write(render_settings(config, shown(first), thresholds), "-", "the settings")
    sys.exit(EXIT_OK)


def _paths_options(command: Callable) -> Callable:  # type: ignore[type-arg]
    """Add --exclude and --stdin-filename, which say how PATHS are read."""
    return _exclude_option(_stdin_filename_option(command))


_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file (default: the nearest .ivraudit.yaml or pyproject.toml [tool.ivraudit]).",
)


@main.command()
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

    The text report puts first what matters most: the score, what to fix first,
    key figures, the route to a person, each intent's journey, findings folded by
    rule (--verbose lists each), how the score was made and the menu as a tree.
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
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls)
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


@main.command()
@_output_option("Write the schema here.")
def schema(output: str) -> None:
    """Print the JSON Schema of the menu format, for editors and validators.

    \b
    Example, for VS Code's YAML extension, at the top of a menu file:
      # yaml-language-server: $schema=./menu.schema.json
    after `ivraudit schema -o menu.schema.json`.
    """
    import json

    from ivraudit.schema import json_schema

    _write(json.dumps(json_schema(), indent=2) + "\n", output)


@main.command()
@click.argument("rule", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown writes the rules reference (docs/rules.md).",
)
def rules(rule: str | None, fmt: str) -> None:
    """List the rules, or explain one (by id or alias).

    \b
    Examples:
      ivraudit rules
      ivraudit rules IVR104
      ivraudit rules max-depth
    """
    import json

    from ivraudit.rules import REGISTRY, get_rule

    if fmt == "markdown":
        from ivraudit.rulesdoc import rule_markdown, rules_markdown

        if rule is None:
            click.echo(rules_markdown(), nl=False)
            return
        try:
            click.echo(rule_markdown(get_rule(rule)))
        except KeyError as exc:
            click.echo(f"error: {exc.args[0]}", err=True)
            sys.exit(EXIT_INPUT)
        return
    if rule is None:
        if fmt == "json":
            items = [_rule_dict(r) for r in REGISTRY.values()]
            click.echo(json.dumps(items, indent=2))
            return
        for r in REGISTRY.values():
            click.echo(f"{r.id}  {r.name:<22} {r.severity.value:<8} {r.category:<11} {r.title}")
        return
    try:
        r = get_rule(rule)
    except KeyError as exc:
        click.echo(f"error: {exc.args[0]}", err=True)
        sys.exit(EXIT_INPUT)
    if fmt == "json":
        click.echo(json.dumps(_rule_dict(r), indent=2))
        return
    click.echo(f"{r.id} ({r.name}): {r.title}")
    click.echo(f"category: {r.category}   default severity: {r.severity.value}")
    if r.options:
        click.echo("options (set under `rules:` in .ivraudit.yaml):")
        for name, value in r.options.items():
            if isinstance(value, list) and value:
                click.echo(f"  {name}:")
                for item in value:
                    click.echo(f"    - {item}")
            else:
                click.echo(f"  {name}: {value!r}")
    click.echo(f"\nWhy: {r.rationale}\nSource: {r.source}\n")
    click.echo(r.doc.strip())


def _rule_dict(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": r.id,
        "name": r.name,
        "title": r.title,
        "category": r.category,
        "severity": r.severity.value,
        "options": dict(r.options),
        "rationale": r.rationale,
        "source": r.source,
    }


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "text", "json", "sarif", "junit", "github", "markdown"]),
    default="auto",
    show_default=True,
    help="auto is github under GitHub Actions (GITHUB_ACTIONS=true), else text.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Fail on findings at or above this severity (default: the config's, else error).",
)
@click.option(
    "--fail-under",
    type=_FiniteRange(0, 100),
    default=None,
    help="Fail below this score (0 to 100).",
)
@click.option(
    "--max-time-to-human",
    type=_FiniteRange(0, 31_536_000),
    default=None,
    metavar="SECONDS",
    help="Fail when a person takes longer than this (hold included) or cannot be reached.",
)
@click.option(
    "--select", multiple=True, help="Run only these rules (ids or aliases, comma-separated)."
)
@click.option("--extend-select", multiple=True, help="Run these rules as well.")
@click.option("--ignore", multiple=True, help="Do not run these rules.")
@click.option(
    "--base",
    metavar="GITREF",
    help="Also fail a menu that regressed since this git revision (as diff --fail-on-regression).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when the gate fails (report only).")
@_output_option("Write the report here.")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print no report (with -o, still write it) and no notes: the exit code is the "
    "verdict; bad input is still reported on standard error.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Instead of the report, count the findings of each rule: count, id, alias, most first.",
)
@_jobs_option
@_import_options
@_paths_options
@_show_settings_option
def check(
    paths: tuple[str, ...],
    config_path: str | None,
    quiet: bool,
    statistics: bool,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    show_settings: bool,
    fmt: str,
    fail_on: str | None,
    fail_under: float | None,
    max_time_to_human: float | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    base: str | None,
    exit_zero: bool,
    output: str,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    jobs: int,
) -> None:
    """Check menus in CI: exit 1 when one fails the gate.

    A menu fails on findings at or above --fail-on (errors by default), a score under
    --fail-under (50 by default: the poor band), or a time to a person over
    --max-time-to-human. Thresholds not given here come from the config file
    (fail-on, fail-under, max-time-to-human).

    \b
    Examples:
      ivraudit check menus/
      ivraudit check menus/ --fail-on warning --fail-under 70
      ivraudit check menus/ --format sarif -o ivraudit.sarif
      ivraudit check menus/ --base origin/main
      ivraudit check menus/ -j 0        # audit in one process per core
      ivraudit check . --exclude drafts  # a repository's menus, what git ignores left out
      cat menu.yaml | ivraudit check - --stdin-filename menus/menu.yaml
    Exit codes: 0 pass, 1 fail, 2 bad input or usage.
    """
    import os
    from collections import Counter

    from ivraudit import progress
    from ivraudit.batch import Rules
    from ivraudit.findings import Severity
    from ivraudit.gate import Thresholds, Verdict, judge
    from ivraudit.report import Format, render_check
    from ivraudit.report.statistics import count_rules, render_statistics
    from ivraudit.report.stream import STREAMED, Spool

    chosen = _rule_ids(select, "--select") if select else None
    if chosen is not None and not chosen:  # `--select ,,,` would run no rule and pass
        raise click.BadParameter("names no rule", param_hint="'--select'")
    extra = _rule_ids(extend_select, "--extend-select")
    ignored = _rule_ids(ignore, "--ignore")
    for flag, values, ids in (
        ("--extend-select", extend_select, extra),
        ("--ignore", ignore, ignored),
    ):
        if values and not ids:
            raise click.BadParameter("names no rule", param_hint=f"'{flag}'")
    rules = Rules(select=chosen, extend_select=extra, ignore=ignored)
    if show_settings:
        gate = (fail_on, fail_under, max_time_to_human)
        _show_settings(paths, config_path, stdin_filename, rules, gate)
    if statistics and fmt not in ("auto", "text"):
        raise click.UsageError("--statistics prints text: leave out --format")
    if fmt == "auto" or statistics:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    # --statistics and --quiet replace the report: nothing else is rendered.
    counts: Counter[tuple[str, str]] | None = Counter() if statistics else None
    silent = statistics or (quiet and output == "-")
    form = Format(fmt)
    files, missing = _collect(
        paths,
        exclude=exclude,
        stdin_filename=stdin_filename,
        # pre-commit names every YAML file; a file given with --from is meant as a menu
        skip_named=from_format is None,
        notes=not quiet,
    )
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls)
    bad = bool(missing)
    # Every format but SARIF is rendered menu by menu as they come and spooled; SARIF keeps
    # the most severe results of all the menus, and each menu's summary (batch.summary)
    # until the end.
    # The reports that name what to do first get each menu's top suggestions from the
    # audit step (in the workers with -j N), which suggests before slimming the audit.
    # On standard output, text and GitHub lines go out as each menu is checked (issue 16:
    # 210 menus printed nothing for 27-47 s); a file is written whole at the end.
    sink = _print_now if output == "-" else None
    spool = Spool(form, sink) if form in STREAMED and not silent else None
    verdicts: list[Verdict] = []
    later: list[tuple[str, str | Exception]] = []  # comparison problems, after load errors
    failed = False
    top = fmt in ("text", "json", "markdown") and not silent
    outcomes = _outcomes(files, config_path, rules, importing, jobs, base=base, top=top)
    try:
        progress.start(len(files))
        for o in outcomes:
            a = o.audit
            if a is None:
                bad = True
                continue
            if counts is not None:
                count_rules(a.findings, counts)
            cfg = a.config
            thresholds = Thresholds(
                fail_on=Severity(fail_on) if fail_on else cfg.fail_on,
                fail_under=fail_under if fail_under is not None else cfg.fail_under,
                max_time_to_human=max_time_to_human
                if max_time_to_human is not None
                else cfg.max_time_to_human,
            )
            if o.base_error is not None:
                later.append((a.file, o.base_error))
            if o.base_bug is not None:
                later.append((a.file, o.base_bug))
            verdict = judge(a, thresholds, o.regressions)
            if o.top_bug is not None:  # named on stderr; the menu is judged without them
                _report_bug(a.file, o.top_bug)
            if top:  # the reports that name what to do first
                verdict = replace(verdict, top_suggestions=o.top)
            if silent:
                failed = failed or not verdict.passed
                continue
            if spool is None:
                verdicts.append(verdict)
                continue
            try:
                spool.add_verdict(verdict)
            except Exception as exc:  # a bug: name the file, go on with the others
                later.append((a.file, exc))
        progress.end()  # erased before the report's end is written
        for file, problem in later:
            if isinstance(problem, str):
                click.echo(problem, err=True)
            else:
                _report_bug(file, problem)
            bad = True
        if counts is not None:
            _write(render_statistics(counts), output)
        elif silent:
            pass
        elif spool is not None:
            if spool.count or fmt in ("json", "junit"):  # a document even of no menu
                _write(spool.parts(), output)
            failed = spool.failed > 0
        else:
            if verdicts or fmt in ("sarif", "junit"):
                text, broken = _render_each(
                    verdicts, lambda items: render_check(items, form), lambda v: v.audit.file
                )
                bad = bad or broken
                if text is None and fmt in ("sarif", "junit"):
                    text = render_check([], form)
                if text is not None:
                    _write(text, output)
            failed = any(not v.passed for v in verdicts)
    finally:
        outcomes.close()  # Ctrl-C or a bug: the workers end now
        if spool is not None:
            spool.close()
    if bad:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FAIL if failed and not exit_zero else EXIT_OK)


def _print_now(text: str) -> None:
    """Write one menu's part of a report to standard output now, around the bar."""
    from ivraudit import progress

    with progress.quiet():
        _write(text, "-")


def _header_of(path: str, inputs: Iterable[Path | Piped] = ()) -> str:
    """Return the leading comment block of a YAML menu file, or '' when there is none or
    it cannot be read again (the written menu then starts with ivraudit's line alone);
    a menu from standard input is among `inputs`, with its bytes."""
    from ivraudit.files import json_named_or_shaped
    from ivraudit.writer import leading_comments

    piped = next((i for i in inputs if not isinstance(i, Path) and i.name == path), None)
    try:
        if piped is not None:
            if json_named_or_shaped(piped.name, piped.data):
                return ""
            return leading_comments(piped.data.decode("utf-8-sig"))
        if not path.lower().endswith((".yaml", ".yml")):
            return ""
        return leading_comments(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return ""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_config_option
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    callback=_path_given,
    help="Folder to write index.html and one page per menu into (created if missing).",
)
@_jobs_option
@_import_options
@_branding_options
@_paths_options
def report(
    paths: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    out_dir: str,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    jobs: int,
    **brand: str | None,
) -> None:
    """Write an HTML portfolio: menus ranked by score, and one page per menu.

    \b
    Examples:
      ivraudit report menus -o reports/html
      ivraudit report menus -o out --client "Nimbus Telecom" --accent "#6a4c93"

    Each page is one self-contained file (no network, no scripts needed to read it):
    the score and how it was made, what to fix first, key figures, a map of the menu,
    time per intent, findings and suggestions. Branding flags override the `report:`
    section of the config file.
    """
    from ivraudit import progress
    from ivraudit.report.fixes import suggestions_for
    from ivraudit.report.html import build_site

    files, missing = _collect(paths, exclude=exclude, stdin_filename=stdin_filename)
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls)
    progress.start(len(files))
    audits, bad = _audits(files, config_path, importing=importing, jobs=jobs)
    bad = bad or bool(missing)
    fixes = []
    progress.task("suggesting", len(audits))
    for a in audits:
        fixes.append(suggestions_for(a))
        progress.advance()
    progress.end()
    if audits:
        site = build_site(audits, _branding(audits[0].config, brand), fixes)
        # The pages first, the index that links to them last: a page that cannot be
        # written stops the run before an index links to it.
        for name in sorted(site, key=lambda name: name == "index.html"):
            _write(site[name], str(Path(out_dir) / name), in_folder=True)
        click.echo(f"wrote {len(site)} files to {out_dir}", err=True)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)


@main.command()
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
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
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
) -> None:
    """Compare menus: OLD NEW, or each PATH at --base GITREF against the working tree.

    \b
    Examples:
      ivraudit diff menus/old.yaml menus/new.yaml
      ivraudit diff --base origin/main menus/ --fail-on-regression
    Shows the score and figures before and after, new and fixed findings.
    """
    from ivraudit.audit import audit_menu
    from ivraudit.config import find_config, load_config
    from ivraudit.diff import diff_audits, diff_file
    from ivraudit.importers import import_file
    from ivraudit.report.diff_report import (
        render_diff_json,
        render_diff_markdown,
        render_diff_text,
    )

    def config_of(path: Path) -> Config:
        return load_config(config_path if config_path is not None else find_config(path))

    diffs, bad = [], False
    if base is None:
        if len(paths) != 2:
            raise click.UsageError("give OLD and NEW menu files, or --base GITREF with PATHS")
        old_path, new_path = (Path(p) for p in paths)
        importing = Importing(from_format, prompt_seconds, hold_seconds, calls)
        current = new_path  # the file being read, for a bug report
        try:
            config = config_of(new_path)
            settings = importing.settings(config)
            old, new = [], []
            for current, into in ((old_path, old), (new_path, new)):
                menu = import_file(current, importing.fmt, settings, config.base_timing())
                into.append(audit_menu(menu, config))
            diffs.append(diff_audits(old[0], new[0]))
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
    renderers = {
        "text": render_diff_text,
        "json": render_diff_json,
        "markdown": render_diff_markdown,
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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="json: the figures of the suggest contract; markdown: for a client or a pull request.",
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
    """

    from ivraudit import progress
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
    if write_path and len(files) + len(missing) != 1:
        raise click.UsageError("--write takes one menu file; use --write-dir DIR for several")
    names = [(p if isinstance(p, Path) else p.path).name for p in files]
    if write_dir and "<stdin>" in names:
        raise click.UsageError("--write-dir names files after the menus: give --stdin-filename")
    if write_dir and len(set(names)) != len(names):
        raise click.UsageError("--write-dir: two menu files have the same name")
    progress.start(len(files))
    audits, bad = _audits(files, config_path, jobs=jobs)
    bad = bad or bool(missing)
    results, writes = [], []
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
        if not (write_path or write_dir):
            continue
        try:
            menu = menu_with(result, ids, a.config) if ids else result.combined.menu
        except (KeyError, ValueError) as exc:
            progress.end()
            click.echo(f"{a.file}: error: --only: {exc.args[0]}", err=True)
            sys.exit(EXIT_INPUT)
        target = write_path or str(Path(write_dir or ".") / Path(a.file).name)
        writes.append((menu_text(menu, target, _header_of(a.file, files)), target))
    progress.end()
    width = _text_width(None, output == "-")
    renderers = {
        "text": lambda rs: render_suggest_text(rs, width=width),
        "markdown": render_suggest_markdown,
        "json": lambda rs: render_suggest_json(rs, many=len(files) + len(missing) > 1),
    }
    if results:
        _write(renderers[fmt](results), output)
    for text, target in writes:
        _write(text, target, "the menu", in_folder=write_dir is not None)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)


@main.command(name="import")
@click.argument("paths", nargs=-1, type=click.Path())
@_output_option("Write the menu file here.")
@_config_option
@click.option("--list", "list_formats", is_flag=True, help="List the formats that can be read.")
@_import_options
@_stdin_filename_option
def import_(
    paths: tuple[str, ...],
    output: str,
    config_path: str | None,
    stdin_filename: str | None,
    list_formats: bool,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
) -> None:
    """Write a platform export as a menu file that scores exactly as the export does.

    \b
    Examples:
      ivraudit import flow.json -o menu.yaml
      ivraudit import extensions.conf queues.conf -o menu.yaml
      ivraudit import --list
    Give one export and the companion files that complete it. The menu file starts
    with a comment naming the source and what was assumed (docs/importers.md).
    """
    from ivraudit.config import find_config, load_config
    from ivraudit.importers import REGISTRY, Source, import_header, load_source, sources
    from ivraudit.writer import dump_menu

    if list_formats:
        click.echo("ivraudit                 ivraudit's own menu format (YAML or JSON)")
        for importer in REGISTRY.values():
            click.echo(f"{importer.name:<24} {importer.title}")
        return
    if not paths:
        raise click.UsageError("give the export to import (or --list)")
    files, missing = _collect(paths, stdin_filename=stdin_filename)
    if missing:
        sys.exit(EXIT_INPUT)
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls)
    try:
        grouped = sources(files, importing.fmt)
        for item in grouped:
            if isinstance(item, MenuError):
                raise item
        if len(grouped) != 1:
            raise click.UsageError(
                "give one export (and the companion files that complete it) per import"
            )
        source = grouped[0]
        assert isinstance(source, Source)
        where = config_path if config_path is not None else find_config(source.path)
        config = load_config(where)
        menu = load_source(source, importing.settings(config), config.base_timing())
    except MenuError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INPUT)
    body = dump_menu(menu).split("\n", 1)[1]
    _write(import_header(menu, source.companions) + body, output)


def run() -> None:
    """Run the command as a program (the console script and `python -m ivraudit`)."""
    # A run is short and builds millions of long-lived objects (tree, model, graph):
    # the cyclic collector's full passes over them cost a third of the time and free
    # nothing, so the program, which owns its process, switches them off.
    gc.disable()
    status = EXIT_INTERRUPTED
    try:
        status = _status()
    except KeyboardInterrupt:  # Ctrl-C where click does not see it (one more, at worst)
        with contextlib.suppress(SystemExit, KeyboardInterrupt):
            _interrupted()
    # Everything is written: leave without freeing the audit's objects one by one, which
    # takes a quarter of a second on a large menu and gains nothing (as mypy does).
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`)
            pass
        except KeyboardInterrupt:
            status = EXIT_INTERRUPTED
    os._exit(status)


def _status() -> int:
    """Run the command and return its exit status."""
    try:
        main()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
        return 1 if isinstance(exc.code, str) else exc.code or 0
    return 0
