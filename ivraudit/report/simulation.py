"""`ivraudit simulate`'s reports: the figures with their 95% intervals as text, and the
JSON result (`Simulation.to_dict`, the single source the text is a view of)."""

from __future__ import annotations

from collections.abc import Callable

from ivraudit.analysis.calls import Calls
from ivraudit.frozen import frozen
from ivraudit.report.safe import json_text, one_line
from ivraudit.simulate.result import Figures, Part, Simulation, clock
from ivraudit.simulate.stats import Estimate
from ivraudit.simulate.whatif import BASELINE, WhatIf


def render_json(sim: Simulation, what_if: WhatIf | None = None) -> str:
    """Return the simulation as indented JSON (with `what_if`, its scenarios under
    "scenarios", the file's first)."""
    data = sim.to_dict()
    if what_if is not None:
        data["scenarios"] = what_if.to_dict()
    return json_text(data) + "\n"


@frozen
class Row:
    """One row of the table of scenarios: a figure of a part of the line."""

    label: str
    part: str  # "calls", "queues" or "month" (Simulation.figure's)
    name: str  # the queue, or ""
    figure: str


def scenario_rows(sim: Simulation) -> tuple[Row, ...]:
    """Return the rows of the table of scenarios: what a manager weighs, staffing
    against waiting and hang-ups, and the month's cost."""
    rows = [
        Row("resolved", "calls", "", "resolved_share"),
        Row("hung up waiting", "calls", "", "abandon_share"),
        Row("seconds on the phone", "calls", "", "seconds"),
    ]
    for q in sim.queues:
        rows += [
            Row(f"{q.name}: agents", "queues", q.name, "agents"),
            Row(f"{q.name}: agents busy", "queues", q.name, "occupancy"),
            Row(f"{q.name}: wait, seconds", "queues", q.name, "wait_seconds"),
            Row(f"{q.name}: hung up waiting", "queues", q.name, "abandon_share"),
        ]
    if sim.month["cost"].mean is not None:
        cost = "month cost" + (f" ({sim.currency})" if sim.currency else "")
        rows.append(Row(cost, "month", "", "cost"))
    return (Row("calls an hour", "calls", "", "calls_per_hour"), *rows)


def scenario_cell(sim: Simulation, row: Row) -> str:
    """Return one cell of the table of scenarios: "mean ± half" in the figure's unit."""
    return _with_interval(row.figure, sim.figure(row.part, row.name, row.figure))


def _what_if_table(what_if: WhatIf) -> list[str]:
    first = what_if.results[0]
    rows = [["", *(one_line(s.name) for s in what_if.scenarios)]]
    if any(s.name != s.text() for s in what_if.scenarios[1:]):
        rows.append(["changes", "", *(one_line(s.text()) for s in what_if.scenarios[1:])])
    for row in scenario_rows(first):
        rows.append([one_line(row.label), *(scenario_cell(r, row) for r in what_if.results)])
    return _table(rows)


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


# How each figure reads: its label, and how to write a value of it.
_SHOWN: dict[str, tuple[str, Callable[[float | None], str]]] = {
    "calls_per_hour": ("calls an hour", _number),
    "resolved_share": ("resolved", _percent),
    "abandon_share": ("hung up waiting", _percent),
    "seconds": ("seconds on the phone", _number),
    "seconds_resolved": ("seconds, resolved calls", _number),
    "retrial_share": ("calls that are retrials", _percent),
    "agents": ("agents", _number),
    "answer_seconds": ("answer, seconds", _number),
    "wait_seconds": ("wait, seconds", _number),
    "occupancy": ("agents busy", _percent),
    "callbacks_per_hour": ("callbacks an hour", _number),
    "callback_seconds": ("callback delay, seconds", _number),
    "calls": ("calls", lambda v: _number(v, 0)),
    "caller_hours": ("caller hours", _number),
    "agent_hours": ("agent hours talking", _number),
    "staffed_agent_hours": ("agent hours staffed", _number),
    "cost": ("cost", lambda v: _number(v, 2)),
}


def _with_interval(name: str, e: Estimate) -> str:
    """Return "mean ± half" in the figure's unit ("98.3% ± 0.4")."""
    show = _SHOWN[name][1]
    if e.mean is None:
        return "-"
    half = e.half_width
    if half is None:
        return show(e.mean)
    if show is _percent:
        return f"{show(e.mean)} ± {half * 100:.1f}"
    digits = 2 if name == "cost" else (0 if name == "calls" else 1)
    return f"{show(e.mean)} ± {half:,.{digits}f}"


def _table(rows: list[list[str]], right_from: int = 1) -> list[str]:
    """Return rows as aligned columns: the first columns left, the rest right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [
            c.ljust(w) if i < right_from else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def _analytic(calls: Calls | None, part: str, name: str, figure: str) -> str:
    """Return `score`'s figure for comparison ("" when it has none)."""
    if calls is None:
        return ""
    data = calls.to_dict()
    if part == "calls":
        value = data.get(figure)
    elif part == "month":
        value = (data.get("month") or {}).get(figure)
    else:
        value = data.get(part, {}).get(name, {}).get(figure)
    if value is None or figure not in _SHOWN:
        return ""
    return _SHOWN[figure][1](value)


def _figure_rows(
    sim: Simulation, figures: Figures, part: str, name: str = ""
) -> list[tuple[str, str, str]]:
    """Return (label, simulated ± half-width, analytic) for each figure shown."""
    rows = []
    for figure, e in figures.items():
        if (figure.startswith("callback") or figure == "retrial_share") and not e.mean:
            continue
        rows.append(
            (
                _SHOWN[figure][0],
                _with_interval(figure, e),
                _analytic(sim.analytic, part, name, figure),
            )
        )
    return rows


def figure_rows(sim: Simulation) -> tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...]:
    """Return the figures as the text report's blocks: (title, rows of label, simulated,
    analytic), for the line, each queue and the month."""
    out = [("Calls", tuple(_figure_rows(sim, sim.calls, "calls")))]
    for q in sim.queues:
        out.append((f"Queue {q.name}", tuple(_figure_rows(sim, q.figures, "queues", q.name))))
    month = "Month" + (f" ({sim.currency})" if sim.currency else "")
    out.append((month, tuple(_figure_rows(sim, sim.month, "month"))))
    return tuple(out)


def _block(sim: Simulation, title: str, figures: Figures, part: str, name: str = "") -> list[str]:
    compare = sim.analytic is not None
    head = ["", "simulated (95% interval)"] + (["analytic"] if compare else [])
    rows = [head]
    for label, simulated, analytic in _figure_rows(sim, figures, part, name):
        rows.append([label, simulated] + ([analytic] if compare else []))
    return [title, *_table(rows)]


def _parts_table(parts: tuple[Part, ...], first: str, shown: tuple[str, ...]) -> list[str]:
    rows = [[first] + [_SHOWN[f][0] for f in shown]]
    for p in parts:
        rows.append([one_line(p.name)] + [_with_interval(f, p.figures[f]) for f in shown])
    return _table(rows)


def render_text(sim: Simulation, what_if: WhatIf | None = None) -> str:
    """Return the simulation as a readable report (with `what_if`, the table of its
    scenarios side by side first)."""
    s = sim.settings
    lines = [f"{one_line(sim.name)} ({one_line(sim.file)}): simulated"]
    span = _hours_text(s.hours)
    if s.day_hours > 1:
        day = f"{s.day_hours} hours" + (f" from {s.opens_at}" if s.opens_at else "")
        what = f"its day ({day})"
        if s.hours != s.day_hours:
            what = f"{span}: {what} repeated"
    else:
        warm = _hours_text(s.warmup_hours).replace(" hour", "-hour")
        what = f"{span} at the audited hour's traffic, after a {warm} warm-up"
    lines.append(
        f"{s.replications} replication{'s' if s.replications != 1 else ''} of {what}, "
        f"seed {s.seed}, on the {s.engine.capitalize()} engine."
    )
    lines.append(
        "Each figure is the mean over the replications ± the half-width of its 95% "
        "interval (Student's t)."
    )
    if sim.analytic is not None:
        lines.append("Analytic: `score`'s Erlang A figures of the same hour.")
    lines.append("")
    if what_if is not None:
        lines.append(
            "What if: every scenario with the same seed, so the same callers as far as the "
            "change allows"
        )
        lines += _what_if_table(what_if)
        lines += ["", f"In full, {BASELINE}:", ""]
    lines += _block(sim, "Calls", sim.calls, "calls")
    if sim.declared and sim.intents:
        lines += ["", "Intents"]
        lines += _parts_table(
            sim.intents,
            "intent",
            ("calls_per_hour", "resolved_share", "abandon_share", "seconds"),
        )
    for q in sim.queues:
        lines += ["", *_block(sim, f"Queue {one_line(q.name)}", q.figures, "queues", q.name)]
    month = "Month" + (f" ({one_line(sim.currency)})" if sim.currency else "")
    lines += ["", *_block(sim, month, sim.month, "month")]
    if sim.hours and s.day_hours > 1:
        lines += ["", "Hour by hour"]
        lines += _hour_table(sim)
    return "\n".join(lines) + "\n"


def _hours_text(hours: float) -> str:
    text = f"{hours:g}"
    return f"{text} hour" if text == "1" else f"{text} hours"


def _hour_label(sim: Simulation, hour: Part) -> str:
    start = clock(sim.settings.opens_at, int(hour.name))
    return start if start is not None else str(int(hour.name) + 1)


def _erlang(sim: Simulation, hour: Part, queue: str | None, figure: str) -> str:
    """Return Erlang A's figure for this hour (of the line, or of `queue`), "" without."""
    calls = sim.analytic_hour(int(hour.name))
    if calls is None:
        return ""
    data = calls.to_dict()
    value = data.get(figure) if queue is None else data["queues"].get(queue, {}).get(figure)
    return "" if value is None else _SHOWN[figure][1](value)


def _hour_table(sim: Simulation) -> list[str]:
    """Return the calls hour by hour, then each queue's hours, Erlang A's figures of the
    hour (each hour in steady state on its own) beside the simulated ones."""
    erlang = sim.analytic_hours is not None
    shown = ("calls_per_hour", "resolved_share", "abandon_share", "seconds")
    head = ["hour"] + [_SHOWN[f][0] for f in shown]
    rows = [head + (["hung up, Erlang A"] if erlang else [])]
    for h in sim.hours:
        row = [_hour_label(sim, h)] + [_with_interval(f, h.figures[f]) for f in shown]
        rows.append(row + ([_erlang(sim, h, None, "abandon_share")] if erlang else []))
    lines = _table(rows)
    queued = ("agents", "calls_per_hour", "wait_seconds", "abandon_share")
    for i, q in enumerate(sim.queues):
        lines += ["", f"Queue {one_line(q.name)} hour by hour"]
        head = ["hour"] + [_SHOWN[f][0] for f in queued]
        rows = [head + (["wait, Erlang A", "hung up, Erlang A"] if erlang else [])]
        for h in sim.hours:
            f = h.queues[i].figures
            row = [_hour_label(sim, h), _number(f["agents"].mean, 0)]
            row += [_with_interval(name, f[name]) for name in queued[1:]]
            if erlang:
                row += [
                    _erlang(sim, h, q.name, "wait_seconds"),
                    _erlang(sim, h, q.name, "abandon_share"),
                ]
            rows.append(row)
        lines += _table(rows)
    return lines
