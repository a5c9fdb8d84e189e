"""The terminal report, drawn with rich from the audit alone."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ivraudit.audit import Audit
from ivraudit.journeys import Journey
from ivraudit.metrics import Metrics
from ivraudit.outline import Line
from ivraudit.paths import Step

MAX_TREE_LINES = 300
_BAND_STYLE = {"good": "bold green", "needs work": "bold yellow", "poor": "bold red"}


def render_text(audits: Sequence[Audit], *, color: bool = False, width: int = 100) -> str:
    """Return the terminal report of every audit, one after the other."""
    console = Console(
        record=True,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        file=_Null(),
        highlight=False,
        emoji=False,
    )
    for i, a in enumerate(audits):
        if i:
            console.print()
        console.print(_audit(a))
    return console.export_text(styles=color)


class _Null:
    """A file that drops what is written: the console's record is what we return."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _presses_text(count: int) -> str:
    return f"{count} key press" if count == 1 else f"{count} key presses"


def _secs(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"


def _audit(a: Audit) -> Group:
    m = a.metrics
    title = Text.assemble((a.menu.name, "bold"), f"  {a.file}")
    score = Text.assemble(
        ("Score ", "bold"),
        (f"{a.score.value}/100", _BAND_STYLE[a.score.band]),
        f"  ({a.score.band})",
    )
    # Columns fold rather than elide: a narrow terminal must not lose a figure or a word.
    parts = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    parts.add_column("how the score was made", overflow="fold")
    parts.add_column("value", justify="right", overflow="fold")
    parts.add_column("score", justify="right", overflow="fold")
    parts.add_column("points", justify="right", overflow="fold")
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
            parts.add_row(f"  {p.title}", p.display, shown, points)
    parts.add_row(
        Text(
            "score = weighted mean of the categories; points add up to each category", style="dim"
        ),
        "",
        "",
        "",
    )
    if a.score.capped_by:
        parts.add_row(
            Text(
                f"capped at {a.score.value} (from {a.score.uncapped}) by error findings: "
                + ", ".join(a.score.capped_by),
                style="red",
            ),
            "",
            "",
            "",
        )

    figures = Table(box=None, show_header=False, pad_edge=False)
    figures.add_column(style="bold", overflow="fold")
    figures.add_column(overflow="fold")
    figures.add_row("Time to a person", _secs(m.time_to_human_seconds) + _presses(m))
    figures.add_row("Reaches a person", "yes" if m.human_reachable else "no")
    figures.add_row("Depth", _presses_text(m.depth))
    figures.add_row("Nodes / menus", f"{m.nodes} / {m.menus}")
    figures.add_row("Options per menu", f"max {m.max_options}, mean {m.mean_options:.1f}")
    figures.add_row("Menus without a working 0", _zero_text(m))
    if m.unreachable_nodes:
        figures.add_row("Unreachable nodes", ", ".join(m.unreachable_nodes))

    body: list = [title, score, Text(), parts, Text(), figures, Text(), _route(a), Text()]
    body.append(_tree(a.outline))
    body += [Text(), _findings(a)]
    if a.menu.assumptions:
        body += [Text(), _assumptions(a)]
    if m.intent_seconds:
        body += [Text(), _journeys(a)]
    return Group(Panel(Group(*body), expand=True, border_style="dim"))


def _zero_text(m: Metrics) -> str:
    offers = len(m.queue_offer_menus)
    if not offers:
        return str(m.menus_without_working_zero)
    noun = "offer" if offers == 1 else "offers"
    return f"{m.menus_without_working_zero} (not counting {offers} callback or wait {noun})"


def _presses(m: Metrics) -> str:
    if m.time_to_human_presses is None:
        return ""
    return f" (at least {_presses_text(m.time_to_human_presses)})"


def _route(a: Audit) -> Text:
    """Return the fastest route to a person by announced options, and on its own line a
    faster way by a wrong key or silence when there is one."""
    m = a.metrics
    if m.time_to_human_seconds is None:
        return Text("Fastest route to a person: none — no route reaches a person.", style="red")
    text = Text("Fastest route to a person: ", style="bold")
    if m.announced_time_to_human_seconds is None:
        text.append("no announced option reaches a person for sure", style="red")
    else:
        _steps_text(text, m.announced_route, a.menu.entry)
        arrive = m.announced_route[-1].at_seconds if m.announced_route else 0.0
        text.append(f"  {arrive:.1f} s + {m.announced_route_hold_seconds or 0:.0f} s hold")
        text.append(f"  (expected {m.announced_time_to_human_seconds:.1f} s)")
    errors = [s for s in m.best_route if s.kind in ("no_input", "no_match")]
    faster = m.announced_time_to_human_seconds is None or (
        m.time_to_human_seconds < m.announced_time_to_human_seconds - 1e-9
    )
    if errors and faster:
        way = "Saying nothing" if errors[0].kind == "no_input" else "A wrong key"
        text.append(f"\n{way} is faster: ", style="bold yellow")
        _steps_text(text, m.best_route, a.menu.entry)
        arrive = m.best_route[-1].at_seconds if m.best_route else 0.0
        text.append(f"  {arrive:.1f} s + {m.best_route_hold_seconds or 0:.0f} s hold")
        text.append(f"  (expected {m.time_to_human_seconds:.1f} s)")
    return text


def _steps_text(text: Text, steps: Sequence[Step], entry: str) -> None:
    """Append a route as `main ─2→ desk`, each step by its key, error path or share."""
    if not steps:
        text.append(entry, style="green")
    for i, step in enumerate(steps):
        if i == 0:
            text.append(step.node, style="green")
        via = step.key if step.kind == "option" else step.kind.replace("_", "-")
        if step.kind == "route":
            via = f"{step.probability:.0%}"
        text.append(f" ─{via}→ ", style="green")
        text.append(step.to, style="bold green")


def _tree(outline: Sequence[Line]) -> Tree:
    root_line = outline[0]
    tree = Tree(_node_text(root_line), guide_style="dim")
    parents = [tree]
    for line in outline[1 : MAX_TREE_LINES + 1]:
        del parents[line.level :]
        branch = parents[-1].add(_node_text(line))
        parents.append(branch)
    if len(outline) > MAX_TREE_LINES + 1:
        tree.add(Text(f"… {len(outline) - MAX_TREE_LINES - 1} more lines", style="dim"))
    return tree


def _node_text(line: Line) -> Text:
    style = "bold green" if line.best else ""
    text = Text()
    if line.via is not None:
        if line.via == "route":
            via = f"{line.probability:.0%} {line.label}".rstrip()
        elif line.via in ("no_input", "no_match"):
            via = line.via.replace("_", "-")
        elif line.via == "next":
            via = "then"
        else:
            via = f"{line.via}  {line.label}"
        text.append(f"{via} → ", style=style)
    node = "disconnect" if "#" in line.node else line.node
    text.append(node, style=style or "bold")
    text.append(f" ({line.type.replace('_', ' ')})", style="dim")
    text.append(f"  at {line.at_seconds:.1f} s")
    if line.type == "agent":
        text.append(f" + {line.own_seconds:.0f} s hold")
    if line.repeat:
        text.append("  ↺ see above", style="dim")
    if line.best:
        text.append("  ★", style="bold green")
    return text


_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _findings(a: Audit) -> Text:
    if not a.findings:
        return Text("No findings.", style="green")
    counts = {s: sum(1 for f in a.findings if f.severity.value == s) for s in _SEVERITY_STYLE}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    text = Text(f"Findings ({summary}):\n", style="bold")
    for f in a.findings:
        text.append(f"  {f.pos.line}:{f.pos.column}  ")
        text.append(f"{f.severity.value:<7}", style=_SEVERITY_STYLE[f.severity.value])
        text.append(f" {f.rule} ", style="bold")
        text.append(f"{f.message}  ")
        text.append(f"[{f.name}]\n", style="dim")
    text.rstrip()
    return text


def _assumptions(a: Audit) -> Text:
    from ivraudit.yamltree import visible

    text = Text("Assumptions (the export does not say; see docs/importers.md):\n", style="bold")
    for line in a.menu.assumptions:  # they quote names from the export: data, not control
        text.append(f"  - {visible(line)}\n")
    text.rstrip()
    return text


def _journeys(a: Audit) -> Group:
    """Return each intent's journey: its share, its time and the route its callers take."""
    m = a.metrics
    shares = a.menu.intent_shares
    head = Text("Journeys", style="bold")
    typical = (
        "no call can be resolved"
        if m.typical_call_seconds is None
        else (f"a typical call takes {m.typical_call_seconds:.1f} s")
    )
    head.append(f" ({m.resolved_share:.0%} of calls can be resolved; {typical})")
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("intent", overflow="fold")
    table.add_column("share", justify="right", overflow="fold")
    table.add_column("time", justify="right", no_wrap=True, overflow="fold")
    table.add_column("route", overflow="fold")
    seconds = dict(m.intent_seconds)
    for j in m.intent_routes:
        value = seconds.get(j.intent)
        table.add_row(
            j.intent,
            f"{shares[j.intent]:.0%}",
            Text(_secs(value), style="red" if value is None else ""),
            _journey_text(j, a.menu.entry, resolved=value is not None),
        )
    return Group(head, table)


def _journey_text(j: Journey, entry: str, *, resolved: bool) -> Text:
    """Return a journey as `main 2 → billing 3 → billing_agents  85.4 s + 600 s hold`."""
    if not j.handled:
        return Text("lost: no node handles these calls", style="red")
    text = Text()
    for step in j.steps:
        via = {"option": step.key, "no_input": "silence", "no_match": "wrong key"}.get(step.kind)
        if step.kind == "route" and resolved:  # else shares are of the calls that get through
            via = f"{step.probability:.0%}"
        text.append(step.node + (f" {via}" if via else "") + " → ")
    last = j.end or entry
    text.append(_shown(last), style="bold")
    if j.end_seconds is not None:
        arrive = j.steps[-1].at_seconds if j.steps else 0.0
        own = (
            f"{j.end_seconds:.0f} s hold"
            if j.end_kind == "agent"
            else f"{j.end_seconds:.1f} s self-service"
        )
        text.append(f"  {arrive:.1f} s + {own}")
        if not resolved:
            text.append("  only some calls: a branch turns the others away", style="red")
    elif resolved:  # a branch sent the call round again: the time is an expectation
        text.append("  ↺ and round again", style="dim")
    elif j.end_kind == "hangup":
        text.append("  cut off before their answer", style="red")
    else:
        text.append(f"  trapped: no choice from {_shown(last)} reaches their answer", style="red")
    return text


def _shown(node: str) -> str:
    return "disconnect" if "#" in node else node
