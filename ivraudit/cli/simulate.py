"""`ivraudit simulate`: a day of calls through the menu and its queues, on a
discrete-event engine, with each figure's 95% interval over replications."""

from __future__ import annotations

import re
import sys
from functools import partial
from typing import TYPE_CHECKING, Any

import click

from ivraudit.cli.common import Importing, _audits, _collect, _write
from ivraudit.cli.options import (
    _PATHS,
    _branding,
    _config_option,
    _FiniteRange,
    _import_options,
    _output_option,
)
from ivraudit.cli.program import EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:
    from ivraudit.simulate.whatif import AgentChange

# Kept here rather than imported from ivraudit.simulate, which imports the engine: the
# command's --help should not pay for it.
DEFAULT_SEED = 2021
DEFAULT_REPLICATIONS = 10


# A value of --calls written as a change of calls, which `whatif.parse_calls` reads (the
# pattern is here, not there, so that --help does not import the engine).
_CHANGE = re.compile(r".*%\s*|\s*[xX*]\s*[\d.]+\s*")


class _CallsOrChange(click.ParamType):
    """--calls on `simulate`: a change of calls (+20%, -10%, x1.2: a float factor), or
    else the import option's CSV file (a path that must exist)."""

    name = "CHANGE|CSV"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float):
            return value
        text = str(value)
        if _CHANGE.fullmatch(text):
            from ivraudit.simulate.whatif import BadChange, parse_calls

            try:
                return parse_calls(text)
            except BadChange as exc:
                self.fail(str(exc), param, ctx)
        return click.Path(exists=True, dir_okay=False).convert(text, param, ctx)


def _agents_value(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[AgentChange, ...]:
    """Read each --agents QUEUE=+N; a bad one is a usage error (exit 2)."""
    from ivraudit.simulate.whatif import BadChange, parse_agents

    try:
        return tuple(parse_agents(v) for v in value)
    except BadChange as exc:
        raise click.BadParameter(str(exc)) from None


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
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text: a readable report with an hour-by-hour table; json: the figures of "
    "`score`'s `calls` (means), `ci95` beside them, and the hours as a list; html: a "
    "page with the day as a chart and tables.",
)
@click.option(
    "--agents",
    "agent_changes",
    multiple=True,
    metavar="QUEUE=[+|-]N",
    callback=_agents_value,
    help="What if: QUEUE=+2 two more agents in every hour, QUEUE=-1 one fewer, QUEUE=8 "
    "eight in every hour (repeatable; one scenario with --calls).",
)
@click.option(
    "--scenario",
    "scenario_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A YAML file of named what-ifs (docs/simulate.md), each set beside the file's run.",
)
@_output_option("Write the report to this file ('-' for standard output).")
@partial(
    _import_options,
    calls_type=_CallsOrChange(),
    calls_help="What if: +20%, -10% or x1.2 scales the calls of every hour; anything else is "
    "the import option, a CSV of call counts per key path or node (path,calls).",
)
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
    calls: str | float | None,
    open_share: float | None,
    agent_changes: tuple[AgentChange, ...],
    scenario_file: str | None,
) -> None:
    """Simulate calls through a menu and its staffed queues, call by call.

    Calls arrive at random (Poisson) at traffic.calls_per_hour, or hour by hour
    as traffic.profile says, each with an intent drawn by its share. Each walks
    its intent's route (the one `score` uses), branches and self-service drawn at
    random, and waits at a staffed queue for the queue's agents (by the hour with
    a schedule), hanging up after its patience. The figures are `score`'s `calls`
    figures, each the mean of the replications with a 95% interval, and hour by
    hour for a day beside Erlang A's figures of each hour. With --calls +20%,
    --agents QUEUE=+2 or --scenario FILE, each what-if runs with the same seed
    beside the file as it is, in a table side by side. See docs/simulate.md.

    \b
    Examples:
      ivraudit simulate menus/energy_day.yaml             # a day, hour by hour
      ivraudit simulate menus/telecom_hell.yaml --hours 200 --format json -o sim.json
      ivraudit simulate menus/energy_day.yaml -r 20 -j 2  # 20 replications, 2 processes
      ivraudit simulate menus/energy_day.yaml --seed 7    # another draw of the same day
      ivraudit simulate menus/energy_day.yaml --calls +20% --agents accounts=+2
      ivraudit simulate menus/energy_day.yaml --scenario whatif.yaml --format html -o day.html
    """
    from ivraudit.cli import progress
    from ivraudit.format.errors import MenuError
    from ivraudit.simulate import TooLong
    from ivraudit.simulate import simulate as run
    from ivraudit.simulate.whatif import BadChange, Scenario, apply, load_scenarios

    factor = calls if isinstance(calls, float) else None
    csv = calls if isinstance(calls, str) else None
    files, missing = _collect((path,))
    importing = Importing(from_format, prompt_seconds, hold_seconds, csv, open_share)
    audits, bad = _audits(files, config_path, importing=importing)
    if bad or missing or not audits:
        sys.exit(EXIT_INPUT)
    audit = audits[0]
    scenarios: list[Scenario] = []
    if factor is not None or agent_changes:
        asked = Scenario(_asked(factor, agent_changes), factor or 1.0, agent_changes)
        try:
            apply(audit.menu, asked)
        except BadChange as exc:
            option = "--agents" if exc.queue is not None else "--calls"
            raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None
        scenarios.append(asked)
    if scenario_file is not None:
        try:
            scenarios += load_scenarios(scenario_file, audit.menu)
        except MenuError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_INPUT)
    from ivraudit.simulate.engine import STEPS

    # The bar counts the steps of every replication, so one long replication shows one.
    steps = replications * (1 + len(scenarios)) * STEPS
    progress.start(steps, "simulating")
    progress.task("simulating", steps)
    what_if = None
    try:
        if scenarios:
            from ivraudit.simulate.whatif import simulate_what_if

            what_if = simulate_what_if(
                audit,
                scenarios,
                done=progress.advance,
                hours=hours,
                seed=seed,
                replications=replications,
                jobs=jobs,
            )
            result = what_if.results[0]
        else:
            result = run(
                audit,
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

    if fmt == "html":
        from ivraudit.report.simpage import render_simulation_page

        text = render_simulation_page(result, what_if, _branding(audit.config, {}))
    elif fmt == "json":
        text = render_json(result, what_if)
    else:
        text = render_text(result, what_if)
    _write(text, output)
    sys.exit(EXIT_OK)


def _asked(factor: float | None, agents: tuple[AgentChange, ...]) -> str:
    """Return the name of the scenario the options ask for ("calls +20%, care=+2")."""
    from ivraudit.simulate.whatif import Scenario

    return Scenario("", factor or 1.0, agents).text()


def _fewer(hours: float) -> str:
    """Return a number of hours to suggest, rounded down to a readable figure."""
    if hours >= 10:
        return f"{int(hours):,}"
    return f"{max(hours, 0.01):.2g}"
