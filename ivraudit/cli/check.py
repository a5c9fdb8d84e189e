"""`ivraudit check`: the CI gate, with its report in the format CI reads."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from ivraudit.cli.common import Importing, _collect, _outcomes, _render_each, _write
from ivraudit.cli.options import (
    _PATHS,
    _config_option,
    _FiniteRange,
    _import_options,
    _jobs_option,
    _output_option,
    _paths_options,
    _show_settings,
    _show_settings_option,
)
from ivraudit.cli.program import EXIT_FAIL, EXIT_INPUT, EXIT_OK, _report_bug


@click.command()
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
    "--min-resolved-share",
    type=_FiniteRange(0, 1),
    default=None,
    metavar="SHARE",
    help="Where a menu has calls (intents, traffic): fail when fewer of them are resolved "
    "(default 0.8).",
)
@click.option(
    "--max-typical-call",
    type=_FiniteRange(0, 31_536_000),
    default=None,
    metavar="SECONDS",
    help="Where a menu has calls: fail when a typical call takes longer, hold included "
    "(default 300).",
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
    min_resolved_share: float | None,
    max_typical_call: float | None,
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
    open_share: float | None,
    jobs: int,
) -> None:
    """Check menus in CI: exit 1 when one fails the gate.

    A menu fails on findings at or above --fail-on (errors by default), a score under
    --fail-under (50 by default: the poor band), or a time to a person over
    --max-time-to-human. Where it has calls (it declares intents or traffic), it also
    fails when under --min-resolved-share of them are resolved (0.8) or a typical call
    takes over --max-typical-call seconds, hold included (300). Thresholds not given
    here come from the config file (fail-on, fail-under, max-time-to-human,
    min-resolved-share, max-typical-call).

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

    from ivraudit.batch import Rules
    from ivraudit.cli import progress
    from ivraudit.judge.gate import Thresholds, Verdict, judge
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
        gate = (fail_on, fail_under, max_time_to_human, min_resolved_share, max_typical_call)
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
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
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
            thresholds = Thresholds.of(
                a.config,
                fail_on,
                fail_under,
                max_time_to_human,
                min_resolved_share,
                max_typical_call,
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
        else:  # SARIF, the one format not streamed: a document even of no menu
            text, broken = _render_each(
                verdicts, lambda items: render_check(items, form), lambda v: v.audit.file
            )
            bad = bad or broken
            _write(text if text is not None else render_check([], form), output)
            failed = any(not v.passed for v in verdicts)
    finally:
        outcomes.close()  # Ctrl-C or a bug: the workers end now
        if spool is not None:
            spool.close()
    if bad:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FAIL if failed and not exit_zero else EXIT_OK)


def _rule_ids(values: tuple[str, ...], flag: str) -> frozenset[str]:
    from ivraudit.judge.rules import rule_id

    out = set()
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    out.add(rule_id(part.strip()))
                except KeyError as exc:
                    raise click.BadParameter(exc.args[0], param_hint=flag) from None
    return frozenset(out)


def _print_now(text: str) -> None:
    """Write one menu's part of a report to standard output now, around the bar."""
    from ivraudit.cli import progress

    with progress.quiet():
        _write(text, "-")
