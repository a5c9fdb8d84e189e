"""The options several commands share, with the checks click runs on their values."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ivraudit.cli.common import _write
from ivraudit.cli.program import EXIT_OK
from ivraudit.format.errors import MenuError

if TYPE_CHECKING:
    from ivraudit.batch import Rules
    from ivraudit.judge.config import Config


class _FiniteRange(click.FloatRange):
    """A number in a range; `nan` and `inf`, which click's FloatRange lets through, fail."""

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number = float(super().convert(value, param, ctx))
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


_jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Audit the files in this many processes, at most one per available CPU and one "
    "per file (0: one per CPU); the output is the same.",
)


class _Share(click.ParamType):
    """A share of calls: 0.85 or 85%."""

    name = "share"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        text = str(value).strip()
        try:
            share = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
        except ValueError:
            share = math.nan
        if not 0.0 <= share <= 1.0:  # nan fails too
            self.fail(f"{value!r}: give a share from 0 to 1, or a percentage (85%)", param, ctx)
        return share


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


def _import_options(
    f: Callable,  # type: ignore[type-arg]
    *,
    calls_type: click.ParamType | None = None,
    calls_help: str | None = None,
) -> Callable:  # type: ignore[type-arg]
    """Add the options that say how to read platform exports (`simulate` gives --calls a
    type and help of its own: there it is also a what-if)."""
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
            "--open-share",
            type=_Share(),
            default=None,
            metavar="SHARE",
            help="Share of calls an hours check finds the line open (0.85 or 85%); "
            "default: every call, as in an open hour.",
        ),
        click.option(
            "--calls",
            type=calls_type or click.Path(exists=True, dir_okay=False),
            default=None,
            help=calls_help
            or "CSV of call counts per key path or node (path,calls): intents and shares.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


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


def _check_accent(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return value  # click calls this for every run: the branding module only when given
    from ivraudit.judge.config import accent_problem

    if problem := accent_problem(value):
        raise click.BadParameter(problem)
    return value


def _check_logo(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return value
    from ivraudit.judge.config import logo_problem

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
            click.option(
                "--date",
                metavar="TEXT",
                help="HTML report: the date on the printed cover, as written (none by default).",
            ),
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
    gate: tuple[Any, ...] = (),
) -> None:
    """Print the resolved settings for the first of `paths` (with check's `rules` and
    `gate` flags: --fail-on, --fail-under, --max-time-to-human, --min-resolved-share,
    --max-typical-call) and exit 0."""
    from ivraudit.format.files import STDIN, STDIN_NAME, shown
    from ivraudit.judge.config import find_config, load_config
    from ivraudit.judge.gate import Thresholds
    from ivraudit.judge.settings import render_settings

    first = paths[0]
    if first == STDIN:
        first = stdin_filename or STDIN_NAME
    where = config_path if config_path is not None else find_config(Path(first))
    config = load_config(where)  # a bad config: one located line, exit 2 (_Program)
    if rules is not None:
        config = rules.apply(config)
    thresholds = Thresholds.of(config, *gate)
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
