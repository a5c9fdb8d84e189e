"""The terminal report, drawn with rich from the audit alone, most important first.

Text from the menu goes through `visible` (a control character would drive the terminal).

One menu reads: the score, the three things to fix first (when suggestions are given),
key figures, the route to a person, each intent's journey, findings folded by rule, how
the score was made, then the tree and a short legend. Menu text goes in as rich `Text`,
so it is never read as markup; a number and its unit are glued so they never wrap apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ivraudit.analysis.journeys import Journey
from ivraudit.analysis.outline import Line
from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, duration
from ivraudit.format.yamltree import visible
from ivraudit.report.callsview import (
    ANSWER_NOTE,
    OVERLOADED,
    TITLE,
    CallsView,
    calls_view,
)
from ivraudit.report.grouping import finding_summary, group_findings
from ivraudit.report.headline import (
    GOOD,
    NEEDS_WORK,
    POOR,
    Headline,
    JourneyTime,
    faster_way,
    headline,
    journey_times,
    route_end,
    route_notes,
    score_part_title,
    staffed_waits,
)
from ivraudit.report.menuname import intent_label, shown_name
from ivraudit.report.wording import client_text

MAX_TREE_LINES = 300
_BAND_STYLE = {"good": "bold green", "needs work": "bold yellow", "poor": "bold red"}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
# Rich wraps at any space, a no-break space too; this blank is not a space to rich, so a
# number keeps its unit. It becomes a plain space in the text returned.
_GLUE = "\u2800"
LEGEND = (
    "★ on the fastest route to a person · ↺ shown in full above · \u00d7N a rule's N "
    "findings on one line · points: what a part adds to its category's 0-100 score · "
    "durations over 90 s read as minutes:seconds"
)


def render_text(
    audits: Sequence[Audit],
    *,
    color: bool = False,
    width: int = 100,
    verbose: bool = False,
    suggestions: Sequence[Mapping[str, Any] | None] | None = None,
) -> str:
    """Return the terminal report of every audit, one after the other; `suggestions`
    (one per audit: the suggest contract's object, or its `before` and `suggestions`
    alone, as `fixes.ranked_for` gives) add the things to fix first."""
    console = recording_console(width=width, color=color)
    found = list(suggestions) if suggestions is not None else [None] * len(audits)
    for i, (a, sug) in enumerate(zip(audits, found, strict=True)):
        if i:
            console.print()
        console.print(_audit(a, sug, verbose=verbose))
    return console.export_text(styles=color).replace(_GLUE, " ")


def recording_console(*, width: int, color: bool) -> Console:
    """Return a console that records what it prints (menu text never read as markup or
    emoji), for a report to export as text."""
    return Console(
        record=True,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        file=_Null(),
        highlight=False,
        emoji=False,
    )


class _Null:
    """A file that drops what is written: the console's record is what we return."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _secs(value: float | None) -> str:
    """Return a duration as the report shows it, its number glued to its unit."""
    return duration(value).replace(NBSP, _GLUE)


def _glued(text: str) -> str:
    return text.replace(NBSP, _GLUE)


_UNIT = re.compile(
    r"(\d) (s|%|words?|times?|options?|seconds?|minutes?|key press(?:es)?|levels?|calls?)\b"
)


def _units_glued(message: str) -> Text:
    """Return a rule's message as Text, each number glued to the unit after it."""
    return Text(_UNIT.sub(lambda m: f"{m.group(1)}{_GLUE}{m.group(2)}", message))


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n}{_GLUE}{noun if n == 1 else plural or noun + 's'}"


def _grid() -> Table:
    """Return a two-column grid: a label, then text that wraps under itself."""
    grid = Table.grid(padding=(0, 2))
    # In a narrow terminal the label wraps too, so that no value is squeezed out.
    grid.add_column(style="bold", overflow="fold", max_width=28)
    grid.add_column(overflow="fold", ratio=1)
    return grid


def _audit(a: Audit, suggestions: Mapping[str, Any] | None, *, verbose: bool) -> Panel:
    title = Text.assemble((visible(shown_name(a.menu)), "bold"), "  ", (visible(a.file), "dim"))
    score = Text.assemble(
        ("Score ", "bold"),
        (f"{a.score.value}/100", _BAND_STYLE[a.score.band]),
        f"  ({a.score.band})",
    )
    if a.score.capped_by:
        score.append(
            f"  held at {a.score.value} (from {a.score.uncapped}) by error findings: "
            + ", ".join(a.score.capped_by),
            style="red",
        )
    top = headline(a, suggestions)
    # The order every report keeps (docs/reports.md): the headline, what to fix first,
    # key figures, the calls' queues and month, journeys, the map, findings, the score.
    body: list = [title, score, Text(), _headline(top)]
    fixes = _fix_first(top)
    if fixes is not None:
        body += [Text(), fixes]
    view = calls_view(a)
    body += [Text(), _figures(a, top), _route(a)]
    if view is not None and (view.queues or view.month is not None):
        body += [Text(), _calls(view)]
    if a.metrics.intent_seconds:
        body += [Text(), _journeys(a, view)]
    waits = {n: visible(_glued(w)) for n, w in staffed_waits(a).items()}
    body += [Text(), _tree(a.outline, waits), Text(), _findings(a, verbose=verbose)]
    if a.menu.assumptions:
        body += [Text(), _assumptions(a)]
    body += [Text(), _parts(a), Text(), Text(LEGEND, style="dim")]
    return Panel(Group(*body), expand=True, border_style="dim")


def _headline(top: Headline) -> Text:
    """Return the headline: its sentences, menu text made visible."""
    return Text(visible(_glued(" ".join(top.sentences))), style="bold")


def _fix_first(top: Headline) -> Group | None:
    """Return the top suggestions with what each saves, or None when there are none."""
    if not top.fixes:  # nothing to fix first: the report goes straight to the figures
        return None
    head = Text("Fix these first", style="bold")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, overflow="fold")
    grid.add_column(overflow="fold", ratio=1)
    for i, f in enumerate(top.fixes, start=1):
        text = Text(visible(f.title), style="bold")
        gain = f.gain.replace(" ", _GLUE, 1) if f.gain.startswith("saves") else f.gain
        text.append(f" — {_glued(gain) or 'no time saved'}")
        if f.gain.startswith("saves"):
            text.append(" per typical call")
        if f.score_after and f.score_after != f.score_before and not f.gain.startswith("score"):
            text.append(f", score {f.score_before} → {f.score_after}")
        if f.month:
            text.append(f"; {visible(_glued(f.month))}")
        if f.where:
            text.append(f" ({f.where.replace(' ', _GLUE)})", style="dim")
        grid.add_row(f"  {i}.", text)
    return Group(head, grid)


_MARK = {GOOD: ("good", "green"), NEEDS_WORK: ("needs work", "yellow"), POOR: ("poor", "red")}


def _calls(view: CallsView) -> Group:
    """Return what callers live through beyond the key figures: each queue, the month."""
    head = Text(TITLE, style="bold")
    if view.per_hour:
        head.append(f" (at {_glued(view.per_hour)})")
    out: list = [head]
    if view.queues:
        out += [_queues(view)]
    if view.month is not None:
        mo = view.month
        month = _grid()
        month.add_row("A month", _glued(f"{mo.calls} over {mo.hours} like this one"))
        endless = f": {OVERLOADED}" if mo.endless else ""
        month.add_row("Callers on the line", _glued(mo.caller_hours) + endless)
        month.add_row("Agents", _glued(f"{mo.agent_hours} talking, of {mo.staffed_hours} staffed"))
        if mo.cost:
            # The currency is menu text: made visible, then glued to its amount.
            cost = visible(mo.cost.replace(NBSP, " ")).replace(" ", _GLUE)
            month.add_row("Cost a month", Text(cost + endless))
        out += [Text(), month]
    return Group(*out)


def _queues(view: CallsView) -> Group:
    notes: list = []
    for q in view.queues:
        if q.note:
            notes.append(Text(f"{visible(q.name)} is {q.note}", style="bold red"))
    legend = Text(_glued(f"{ANSWER_NOTE} · {view.needed_note}"), style="dim")
    return Group(_QueueTable(view), *notes, legend)


class _QueueTable:
    """The queues as a table where it fits, else one line each (a narrow terminal would
    crop the table's columns)."""

    NARROW = 56

    def __init__(self, view: CallsView) -> None:
        self.view = view

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.NARROW:
            yield self._table()
            return
        # The table's header once, then each queue's figures in the same order.
        yield Text("queue: load, answered in, hang up, agents, needed", style="bold")
        for q in self.view.queues:
            line = Text(visible(q.name), style="red" if q.overloaded else "")
            line.append(f": {q.load}, {_glued(q.answer)}, {q.hang_up}, {q.agents}, {q.needed}")
            yield line

    def _table(self) -> Table:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("queue", overflow="fold", max_width=26)
        for name in ("load", "answered in", "hang up", "agents", "needed"):
            table.add_column(name, justify="right", no_wrap=True, overflow="fold")
        for q in self.view.queues:
            style = "red" if q.overloaded else ""
            table.add_row(
                Text(visible(q.name), style=style),
                q.load,
                _glued(q.answer),
                q.hang_up,
                q.agents,
                q.needed,
            )
        return table


def _figures(a: Audit, top: Headline) -> Group:
    """Return the key figures, each with its mark against its target."""
    grid = _grid()
    for f in top.figures:
        value = Text(visible(_glued(f.value)))
        if f.status:
            label, style = _MARK[f.status]
            value.append(f"  {label.replace(' ', _GLUE)}", style=style)
        if f.note:
            value.append(f"  {visible(_glued(f.note))}", style="dim")
        grid.add_row(f.label, value)
    grid.add_row("Nodes / menus", f"{a.metrics.nodes} / {a.metrics.menus}")
    if a.metrics.unreachable_nodes:
        grid.add_row("Unreachable nodes", Text(visible(", ".join(a.metrics.unreachable_nodes))))
    return Group(Text("Key figures", style="bold"), grid)


def _route(a: Audit) -> Table:
    """Return the fastest route to a person by announced options, and on its own line a
    faster way by a wrong key or silence when there is one; each ends with what the
    time to a person rests on (`routes.route_notes`)."""
    m = a.metrics
    grid = _grid()
    if m.time_to_human_seconds is None:
        grid.add_row("Route to a person", Text("none: no route reaches a person", style="red"))
        return grid
    if m.announced_time_to_human_seconds is None:
        text = Text("no announced option reaches a person for sure", style="red")
    else:
        text = _route_text(
            a, m.announced_route, m.announced_route_hold_seconds, m.announced_time_to_human_seconds
        )
    grid.add_row("Route to a person", text)
    way = faster_way(a)
    if way:
        text = _route_text(a, m.best_route, m.best_route_hold_seconds, m.time_to_human_seconds)
        grid.add_row(Text(f"{way} is faster", style="bold yellow"), text)
    return grid


def _route_text(
    a: Audit, steps: Sequence[Step], hold: float | None, expected: float | None
) -> Text:
    text = _steps_text(steps, a.menu.entry)
    arrive = steps[-1].at_seconds if steps else 0.0
    text.append(f"  at{_GLUE}{_secs(arrive)} + {visible(_glued(route_end(a, steps, hold)))}")
    notes = route_notes(a, steps, hold, expected)
    if notes:
        text.append(f"  ({visible(_glued(notes))})", style="dim")
    return text


_VIA = {"no_input": "silence", "no_match": "wrong key", "next": "then"}


def _steps_text(steps: Sequence[Step], entry: str) -> Text:
    """Return a route as `main ─2→ desk`, each step by its key, error path or share."""
    text = Text()
    if not steps:
        text.append(entry, style="green")
    for i, step in enumerate(steps):
        if i == 0:
            text.append(_shown(str(step.node)), style="green")
        via = step.key if step.kind == "option" else _VIA.get(step.kind, step.kind)
        if step.kind == "route":
            via = f"{step.probability:.0%}"
        text.append(f" ─{str(via).replace(' ', _GLUE)}→ ", style="green")
        text.append(_shown(str(step.to)), style="bold green")
    return text


def _journeys(a: Audit, view: CallsView | None = None) -> Group:
    """Return each intent's journey: its share, its time and the route its callers take,
    with the share resolved where some of its calls are not."""
    m = a.metrics
    head = Text("Journeys", style="bold")
    typical = (
        "no call can be resolved"
        if m.typical_call_seconds is None
        else f"a typical call takes {_secs(m.typical_call_seconds)}"
    )
    if view is None:
        head.append(f" ({m.resolved_share:.0%} of calls can be resolved; {typical})")
    else:
        head.append(" (the route each kind of call takes, and its time along it)")
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("intent", overflow="fold", max_width=24)
    table.add_column("share", justify="right", no_wrap=True, overflow="fold")
    table.add_column("time", justify="right", no_wrap=True, overflow="fold")
    table.add_column("route", overflow="fold", ratio=1)
    times = {t.intent: t for t in journey_times(a)}
    for j in m.intent_routes:
        t = times[j.intent]
        route = _journey_text(j, t, a.menu.entry)
        if t.resolved:
            route.append(f"  {_glued(t.resolved)}", style="yellow")
        table.add_row(
            Text(visible(intent_label(j.intent))),
            t.share,
            Text(_glued(t.total), style="red" if t.seconds is None else ""),
            route,
        )
    return Group(head, table)


def _journey_text(j: Journey, t: JourneyTime, entry: str) -> Text:
    """Return a journey as `main 2 → billing 3 → billing_agents  1:36 + queue billing,
    answered in 7:19`: the parts add up to the time beside it, or a note says why not."""
    if not j.handled:
        return Text("lost: no node handles these calls", style="red")
    resolved = t.seconds is not None
    text = Text()
    for step in j.steps:
        via = {"option": step.key, "no_input": "silence", "no_match": f"wrong{_GLUE}key"}.get(
            step.kind
        )
        if step.kind == "route" and resolved:  # else shares are of the calls that get through
            via = f"{step.probability:.0%}"
        text.append(_shown(str(step.node)) + (f" {via}" if via else "") + " → ")
    last = j.end or entry
    text.append(_shown(str(last)), style="bold")
    if t.arrive is not None:
        text.append(f"  {_secs(t.arrive)} + {visible(_glued(t.end))}")
        if t.note:
            text.append(f"  ({_glued(t.note)})", style="dim")
        if not resolved and t.total != "without end":
            text.append("  only some calls: a branch turns the others away", style="red")
    elif resolved:  # a branch sent the call round again: the time is an expectation
        text.append("  ↺ and round again", style="dim")
    elif j.end_kind == "hangup":
        text.append("  cut off before their answer", style="red")
    else:
        text.append(
            f"  trapped: no choice from {_shown(str(last))} reaches their answer", style="red"
        )
    return text


def _findings(a: Audit, *, verbose: bool) -> Group:
    """Return the findings by severity, then rule; a rule's repeats fold into one line
    (`IVR301 key-first` with its count) unless `verbose`."""
    if not a.findings:
        return Group(Text("No findings.", style="green"))
    out: list = [Text(f"Findings ({_glued(finding_summary(a.findings))})", style="bold")]
    # One grid for every severity, so that all findings read in one column.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(overflow="fold", max_width=34)
    grid.add_column(no_wrap=True, overflow="fold")
    grid.add_column(overflow="fold", ratio=1)
    out.append(grid)
    for group in group_findings(a.findings):
        style = _SEVERITY_STYLE[group.severity]
        grid.add_row(Text(f"  {group.severity}s ({group.count})", style=style), "", "")
        for rule in group.rules:
            mine = sorted(
                (
                    f
                    for f in a.findings
                    if f.rule == rule.rule and f.severity.value == group.severity
                ),
                key=lambda f: f.sort_key,
            )
            label = Text.assemble(("    " + rule.rule, "bold"), f" {rule.name}")
            if verbose or rule.count == 1:
                for i, f in enumerate(mine):
                    grid.add_row(
                        label if i == 0 else "",
                        Text(f"{f.pos.line}:{f.pos.column}", style="dim"),
                        _units_glued(visible(client_text(f.message))),
                    )
            else:
                first = mine[0]
                lines = sorted({f.pos.line for f in mine})
                shown = ", ".join(str(n) for n in lines[:8]) + (", …" if len(lines) > 8 else "")
                text = _units_glued(visible(client_text(first.message)))
                text.append(
                    f"; and {rule.count - 1}{_GLUE}more like it (lines {shown})", style="dim"
                )
                label.append(f" \u00d7{rule.count}", style="bold")
                grid.add_row(label, Text(f"{first.pos.line}:{first.pos.column}", style="dim"), text)
            if rule.why:
                grid.add_row("", "", Text(f"why: {rule.why} ({rule.cite})", style="dim"))
    if not verbose and any(r.count > 1 for g in group_findings(a.findings) for r in g.rules):
        out.append(Text("  --verbose lists every finding", style="dim"))
    return Group(*out)


def _assumptions(a: Audit) -> Text:
    text = Text("Assumptions (the export does not say; see docs/importers.md):\n", style="bold")
    for line in a.menu.assumptions:  # they quote names from the export: data, not control
        text.append(f"  - {visible(line)}\n")
    text.rstrip()
    return text


def _parts(a: Audit) -> Table:
    parts = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    parts.add_column("how the score was made", overflow="fold")
    parts.add_column("value", justify="right", overflow="fold")
    # Numbers never wrap: rich then skips wrapping them to measure and draw.
    parts.add_column("score", justify="right", overflow="fold", no_wrap=True)
    parts.add_column("points", justify="right", overflow="fold", no_wrap=True)
    for c in a.score.categories:
        parts.add_row(
            Text(f"{c.title} ({c.weight:.0%} of the score)", style="bold"),
            "",
            Text(str(c.value), style="bold"),
            "",
        )
        for p in c.parts:
            shown = "n/a" if p.score is None else f"{p.score * 100:.0f}"
            points = "" if p.score is None else f"{c.contribution(p):.1f}"
            title = score_part_title(a, p.metric, p.title)
            parts.add_row(f"  {title}", p.display.replace(" s", f"{_GLUE}s"), shown, points)
    return parts


def _tree(outline: Sequence[Line], waits: Mapping[str, str] | None = None) -> Tree:
    root_line = outline[0]
    waits = waits or {}
    tree = Tree(_node_text(root_line, waits), guide_style="dim")
    parents = [tree]
    for line in outline[1 : MAX_TREE_LINES + 1]:
        del parents[line.level :]
        branch = parents[-1].add(_node_text(line, waits))
        parents.append(branch)
    if len(outline) > MAX_TREE_LINES + 1:
        tree.add(Text(f"… {len(outline) - MAX_TREE_LINES - 1} more lines", style="dim"))
    return tree


def _node_text(line: Line, waits: Mapping[str, str]) -> Text:
    style = "bold green" if line.best else ""
    text = Text()
    if line.via is not None:
        if line.via == "route":
            via = f"{line.probability:.0%} {visible(line.label)}".rstrip()
        elif line.via in _VIA:
            via = _VIA[line.via]
        else:
            via = f"{line.via}  {visible(line.label)}"
        text.append(f"{via} → ", style=style)
    text.append(_shown(line.node), style=style or "bold")
    text.append(f" ({line.type.replace('_', '-')})", style="dim")
    text.append(f"  at{_GLUE}{_secs(line.at_seconds)}")
    if line.type == "agent" and line.node in waits:
        text.append(f" + {waits[line.node]}")
    elif line.type == "agent":
        text.append(f" + {_secs(line.own_seconds)}{_GLUE}hold")
    if line.repeat:
        # Glued to what comes before it: a lone ↺ on a line of its own says nothing.
        text.append(f"{_GLUE}{_GLUE}↺", style="dim")
    if line.best:
        text.append(f"{_GLUE}{_GLUE}★", style="bold green")
    return text


def _shown(node: str) -> str:
    return "disconnect" if "#" in node else node
