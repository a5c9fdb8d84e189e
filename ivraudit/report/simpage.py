"""The day of a simulation as a page: charts hour by hour (inline SVG: no script, no
network) of calls, hang-ups and each queue's wait, the simulated mean with its 95% band
beside Erlang A's figure of the hour, and a table of the same numbers.

Every number is read from `Simulation.to_dict()`, the JSON result, so the page shows
exactly what `--format json` says; the SVG is built here as markup of numbers only, and
menu text reaches the page through the templates' autoescaping alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import markupsafe

from ivraudit.frozen import frozen

if TYPE_CHECKING:
    from ivraudit.audit import Audit
    from ivraudit.report.branding import Branding
    from ivraudit.simulate.result import Simulation
    from ivraudit.simulate.whatif import WhatIf

# The chart's drawing box (SVG user units; the SVG scales to the page's width).
_W, _H = 480.0, 230.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 48.0, 10.0, 12.0, 30.0


@frozen
class Point:
    """One hour of a chart: the simulated mean and its 95% interval, and Erlang A's."""

    mean: float | None
    low: float | None
    high: float | None
    erlang: float | None


@frozen
class Chart:
    """One figure hour by hour: its title, the inline SVG, and the points it draws."""

    title: str
    svg: markupsafe.Markup
    points: tuple[Point, ...]


@frozen
class DayView:
    """The day hour by hour as a page shows it: charts, then a table of the same numbers."""

    run: str  # what was simulated, in words
    labels: tuple[str, ...]  # each hour's name ("08:00")
    charts: tuple[Chart, ...]
    groups: tuple[str, ...]  # the table's figures: each a simulated and an Erlang A column
    rows: tuple[tuple[str, ...], ...]


def _label(start: str | None, hour: int) -> str:
    return start if start is not None else f"hour {hour + 1}"


def _pair(ci: Any) -> tuple[float | None, float | None]:
    return (ci[0], ci[1]) if ci else (None, None)


def _shown(value: float | None, percent: bool) -> str:
    if value is None:
        return "-"
    return f"{value * 100:.1f}%" if percent else f"{value:,.1f}"


def _interval(p: Point, percent: bool) -> str:
    if p.mean is None:
        return "-"
    if p.low is None or p.high is None:
        return _shown(p.mean, percent)
    half = (p.high - p.low) / 2
    return (
        f"{_shown(p.mean, percent)} ± {half * 100:.1f}"
        if percent
        else f"{p.mean:,.1f} ± {half:,.1f}"
    )


def day_view(sim: Simulation, run: str = "") -> DayView | None:
    """Return the day of a simulation with a profile as charts and a table (None for a
    steady run: one hour has no day to draw)."""
    if sim.settings.day_hours <= 1 or not sim.hours:
        return None
    data = sim.to_dict()
    hours = data["hours"]
    labels = tuple(_label(h["starts"], h["hour"]) for h in hours)
    erlang_calls = [
        round(sim.analytic_hours[h["hour"]].calls_per_hour, 2)
        if sim.analytic_hours is not None and h["hour"] < len(sim.analytic_hours)
        else None
        for h in hours
    ]

    def line(figure: str, erlang: Sequence[float | None] | None = None) -> tuple[Point, ...]:
        out = []
        for i, h in enumerate(hours):
            low, high = _pair(h["ci95"].get(figure))
            e = erlang[i] if erlang is not None else (h["analytic"] or {}).get(figure)
            out.append(Point(h[figure], low, high, e))
        return tuple(out)

    def queue(name: str, figure: str) -> tuple[Point, ...]:
        out = []
        for h in hours:
            low, high = _pair(h["ci95"]["queues"][name].get(figure))
            e = ((h["analytic"] or {}).get("queues") or {}).get(name, {}).get(figure)
            out.append(Point(h["queues"][name][figure], low, high, e))
        return tuple(out)

    series: list[tuple[str, tuple[Point, ...], bool]] = [
        ("Calls an hour", line("calls_per_hour", erlang_calls), False),
        ("Hung up waiting, share of calls", line("abandon_share"), True),
    ]
    for q in sim.queues:
        series.append((f"Queue {q.name}: wait, seconds", queue(q.name, "wait_seconds"), False))
    charts = tuple(Chart(t, _svg(t, labels, pts, pct), pts) for t, pts, pct in series)
    rows = []
    for i, label in enumerate(labels):
        row = [label]
        for _, pts, pct in series:
            row += [_interval(pts[i], pct), _shown(pts[i].erlang, pct)]
        rows.append(tuple(row))
    return DayView(run, labels, charts, tuple(t for t, _, _ in series), tuple(rows))


def _nice_top(value: float) -> tuple[float, float]:
    """Return a round top for the axis at or above `value`, and the step of its ticks."""
    if value <= 0 or not math.isfinite(value):
        return 1.0, 0.25
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step - 1e-9), step


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _svg(
    title: str, labels: Sequence[str], points: Sequence[Point], percent: bool
) -> markupsafe.Markup:
    """Return the chart as inline SVG: the band, the simulated means (circles) and Erlang
    A's figures (squares, dashed), with axes; every mark carries its number."""
    values = [v for p in points for v in (p.mean, p.high, p.erlang) if v is not None]
    top, step = _nice_top(max(values, default=0.0) * 1.04)
    n = len(points)
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(i: int) -> float:
        return _LEFT + (i + 0.5) * plot_w / n

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - min(max(v, 0.0), top) / top)

    parts = [
        f'<svg class="daychart" viewBox="0 0 {_fmt(_W)} {_fmt(_H)}" role="img" '
        f'aria-label="{markupsafe.escape(title)}, hour by hour: the table below gives '
        'the numbers">'
    ]
    ticks = round(top / step)
    for k in range(ticks + 1):
        v = k * step
        tick = f"{v * 100:g}%" if percent else f"{v:,.6g}"
        parts.append(
            f'<line class="grid" x1="{_fmt(_LEFT)}" x2="{_fmt(_W - _RIGHT)}" '
            f'y1="{_fmt(y(v))}" y2="{_fmt(y(v))}"/>'
            f'<text class="tick" x="{_fmt(_LEFT - 4)}" y="{_fmt(y(v) + 4)}" '
            f'text-anchor="end">{tick}</text>'
        )
    every = max(1, math.ceil(n / 10))
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text class="tick" x="{_fmt(x(i))}" y="{_fmt(_H - _BOTTOM + 16)}" '
                f'text-anchor="middle">{markupsafe.escape(label)}</text>'
            )
    band = [(i, p) for i, p in enumerate(points) if p.low is not None and p.high is not None]
    if band:
        upper = " ".join(f"{_fmt(x(i))},{_fmt(y(p.high))}" for i, p in band)  # type: ignore[arg-type]
        lower = " ".join(f"{_fmt(x(i))},{_fmt(y(p.low))}" for i, p in reversed(band))  # type: ignore[arg-type]
        parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
    # Erlang A dashed with square marks, then the simulated mean with round ones on top.
    for cls, values, mark in (
        (
            "erl",
            [(i, p.erlang) for i, p in enumerate(points) if p.erlang is not None],
            lambda i, v: (
                f'<rect class="erl" x="{_fmt(x(i) - 3.5)}" y="{_fmt(y(v) - 3.5)}" width="7" '
                f'height="7" data-hour="{i}" data-erlang="{v!r}"/>'
            ),
        ),
        (
            "sim",
            [(i, p.mean) for i, p in enumerate(points) if p.mean is not None],
            lambda i, v: (
                f'<circle class="sim" cx="{_fmt(x(i))}" cy="{_fmt(y(v))}" r="4" '
                f'data-hour="{i}" data-value="{v!r}"/>'
            ),
        ),
    ):
        if values:
            path = " ".join(f"{_fmt(x(i))},{_fmt(y(v))}" for i, v in values)
            parts.append(f'<polyline class="{cls}" points="{path}"/>')
            parts += [mark(i, v) for i, v in values]
    parts.append(
        f'<line class="axis" x1="{_fmt(_LEFT)}" x2="{_fmt(_W - _RIGHT)}" '
        f'y1="{_fmt(_H - _BOTTOM)}" y2="{_fmt(_H - _BOTTOM)}"/></svg>'
    )
    return markupsafe.Markup("".join(parts))


def run_text(sim: Simulation) -> str:
    """Return what was simulated, in words ("10 replications of its day, seed 2021")."""
    s = sim.settings
    reps = f"{s.replications} replication{'s' if s.replications != 1 else ''}"
    if s.day_hours > 1:
        what = f"its day ({s.day_hours} hours" + (f" from {s.opens_at}" if s.opens_at else "")
        what += ")" if s.hours == s.day_hours else f"), {s.hours:g} hours in all"
    else:
        what = f"{s.hours:g} hours at the audited hour's traffic after a warm-up"
    return f"{reps} of {what}, seed {s.seed}, on the {s.engine.capitalize()} engine"


@frozen
class ScenarioTable:
    """The table of scenarios: a column each, a row per figure."""

    names: tuple[str, ...]
    changes: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


def scenario_table(what_if: WhatIf) -> ScenarioTable:
    """Return the scenarios side by side, as the text report's table."""
    from ivraudit.report.simulation import scenario_cell, scenario_rows

    first = what_if.results[0]
    return ScenarioTable(
        tuple(s.name for s in what_if.scenarios),
        tuple(s.text() for s in what_if.scenarios),
        tuple(
            (row.label, tuple(scenario_cell(r, row) for r in what_if.results))
            for row in scenario_rows(first)
        ),
    )


def render_simulation_page(
    sim: Simulation, what_if: WhatIf | None = None, branding: Branding | None = None
) -> str:
    """Return `ivraudit simulate --format html`: the run, the scenarios side by side, the
    line's figures, and the day as charts and a table."""
    from ivraudit.report.branding import Branding
    from ivraudit.report.html import _render
    from ivraudit.report.simulation import figure_rows

    return _render(
        "simulation.html.j2",
        branding or Branding(),
        sim=sim,
        run=run_text(sim),
        figures=figure_rows(sim),
        day=day_view(sim),
        scenarios=scenario_table(what_if) if what_if is not None else None,
    )


def day_for_report(audit: Audit) -> DayView | None:
    """Return the "A day of calls" section of `report`'s page for a menu with
    `traffic.profile` (simulated with the default seed and replications), else None."""
    traffic = audit.menu.traffic
    if traffic is None or not traffic.profile:
        return None
    from ivraudit.format.errors import MenuError
    from ivraudit.simulate import TooLong, simulate

    try:
        sim = simulate(audit)
    except (MenuError, TooLong, ValueError) as exc:
        message = exc.message if isinstance(exc, MenuError) else str(exc)
        return DayView(f"The day could not be simulated: {message}", (), (), (), ())
    run = run_text(sim) + ", as ivraudit simulate runs it without options"
    return day_view(sim, run)
