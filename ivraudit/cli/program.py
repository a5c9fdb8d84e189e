"""The `ivraudit` group and the program around it: a usage error, a bug or Ctrl-C in one
line, a closed pipe, and the exit status."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from ivraudit import __version__
from ivraudit.format.errors import MenuError

if TYPE_CHECKING:
    from collections.abc import Iterator


EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2


# Where a pip-installed user reads the docs (also [project.urls] in pyproject.toml).
DOCS_URL = "https://github.com/ivraudit/ivraudit/tree/main/docs"


class _Program(click.Group):
    """The command group: usage errors in one line, and a bug reported, never a traceback.

    A command added with `add_lazy` is imported when it is run or listed (`--help`), so
    that a run pays for its own command's module alone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}  # a command's name: "module:attribute"

    def add_lazy(self, name: str, target: str) -> None:
        """Register the command `name`, the click command at `target` ("module:attribute")."""
        self.lazy[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            # Click turns a closed pipe into exit code 1 before `main` sees it: catch it
            # first, here in the command's context and in the group's (make_context).
            with _reader_may_leave():
                return super().invoke(ctx)
        finally:
            from ivraudit.cli import progress

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

    from ivraudit.cli import progress
    from ivraudit.format.files import shown
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
