"""`ivraudit simulate`: a day of calls through the menu and its queues, on a
discrete-event engine, with each figure's 95% interval over replications."""

from __future__ import annotations

import sys

import click

from ivraudit.cli.common import Importing, _audits, _collect, _write
from ivraudit.cli.options import (
    _PATHS,
    _config_option,
    _FiniteRange,
    _import_options,
    _output_option,
)
from ivraudit.cli.program import EXIT_INPUT, EXIT_OK

# Kept here rather than imported from ivraudit.simulate, which imports the engine: the
# command's --help should not pay for it.
DEFAULT_SEED = 2021
DEFAULT_REPLICATIONS = 10


@click.command()
@click.argument("path", type=_PATHS)
@_config_option
@click.option(
    "--hours",
    # At most about eleven years: hours are walked one by one to draw the calls.
    type=_FiniteRange(min=0, min_open=True, max=100_000),
    default=None,
    help="Hours of calls to simulate in each replication (default: one day of "
    "traffic.profile, else 8 hours of the audited hour; more than a day repeats the day).",
)
@click.option(
    "--seed",
    type=click.IntRange(0),
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the random draws: the same seed gives the same output.",
)
@click.option(
    "--replications",
    "-r",
    type=click.IntRange(1, 10_000),
    default=DEFAULT_REPLICATIONS,
    show_default=True,
    help="Independent runs; the 95% intervals come from their spread.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Run the replications in this many processes (0: one per CPU); the output is the same.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a readable report with an hour-by-hour table; json: the figures of "
    "`score`'s `calls` (means), `ci95` beside them, and the hours as a list.",
)
@_output_option("Write the report to this file ('-' for standard output).")
@_import_options
def simulate(
    path: str,
    config_path: str | None,
    hours: float | None,
    seed: int,
    replications: int,
    jobs: int,
    fmt: str,
    output: str,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    open_share: float | None,
) -> None:
    """Simulate calls through a menu and its staffed queues, call by call.

    Calls arrive at random (Poisson) at traffic.calls_per_hour, or hour by hour
    as traffic.profile says, each with an intent drawn by its share. Each walks
    its intent's route (the one `score` uses), branches and self-service drawn at
    random, and waits at a staffed queue for the queue's agents (by the hour with
    a schedule), hanging up after its patience. The figures are `score`'s `calls`
    figures, each the mean of the replications with a 95% interval, and hour by
    hour for a day beside Erlang A's figures of each hour. See docs/simulate.md.

    \b
    Examples:
      ivraudit simulate menus/energy_day.yaml             # a day, hour by hour
      ivraudit simulate menus/telecom_hell.yaml --hours 200 --format json -o sim.json
      ivraudit simulate menus/energy_day.yaml -r 20 -j 2  # 20 replications, 2 processes
      ivraudit simulate menus/energy_day.yaml --seed 7    # another draw of the same day
    """
    from ivraudit.cli import progress
    from ivraudit.format.errors import MenuError
    from ivraudit.simulate import TooLong
    from ivraudit.simulate import simulate as run

    files, missing = _collect((path,))
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
    audits, bad = _audits(files, config_path, importing=importing)
    if bad or missing or not audits:
        sys.exit(EXIT_INPUT)
    progress.start(replications, "simulating")
    progress.task("simulating", replications)
    try:
        result = run(
            audits[0],
            hours=hours,
            seed=seed,
            replications=replications,
            jobs=jobs,
            done=progress.advance,
        )
    except MenuError as exc:
        progress.end()
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INPUT)
    except TooLong as exc:
        progress.end()
        raise click.UsageError(
            f"this run would take about {exc.calls:,.0f} calls, more than 10,000,000: "
            f"give --hours {_fewer(exc.hours_allowed)} or fewer (or fewer --replications)"
        ) from None
    progress.end()
    from ivraudit.report.simulation import render_json, render_text

    _write(render_json(result) if fmt == "json" else render_text(result), output)
    sys.exit(EXIT_OK)


def _fewer(hours: float) -> str:
    """Return a number of hours to suggest, rounded down to a readable figure."""
    if hours >= 10:
        return f"{int(hours):,}"
    return f"{max(hours, 0.01):.2g}"
