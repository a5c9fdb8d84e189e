"""What an HTML report shows, built once from an audit (and its suggestions): plain
frozen data with every figure already formatted, so that templates only lay it out."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ivraudit.audit import Audit
from ivraudit.findings import Finding
from ivraudit.frozen import frozen
from ivraudit.graph import DISCONNECT
from ivraudit.outline import Line
from ivraudit.paths import Step
from ivraudit.report.branding import Branding
from ivraudit.report.fixes import Fix, fix_first, fix_view, seconds_text
from ivraudit.report.grouping import SeverityGroup, finding_summary, group_findings, worst_finding
from ivraudit.report.order import rank_key
from ivraudit.report.tidy import tidy_layout
from ivraudit.units import NBSP, count, duration, share

MAX_MAP_LINES = 400  # beyond this the map is cut (the text tree below it says how much)
TRAP, DEAD_END = "IVR401", "IVR402"
_COLUMN, _ROW, _PAD = 200.0, 40.0, 24.0
_BACK_LEVELS = 3  # jumps back drawn as dashed lines: to a menu at most this many levels up
_CENTRED_ROWS = 40  # up to this many rows a parent sits midway between its children
_LABEL_CHARS = 24


@frozen
class Gauge:
    """The score as a half-circle gauge: the arc's end point on a 200 by 110 drawing."""

    value: int
    band: str
    band_class: str
    end_x: float
    end_y: float


@frozen
class ScorePart:
    """One line of how the score was made."""

    title: str
    value: str
    score: str
    points: str


@frozen
class ScoreCategory:
    """One category of the score with its parts."""

    title: str
    weight: str
    value: int
    parts: tuple[ScorePart, ...]


@frozen
class Figure:
    """A key figure: what it is, its value and a short note."""

    label: str
    value: str
    note: str = ""


@frozen
class MapNode:
    """A node on the menu map, placed; `classes` name the journeys that pass it."""

    label: str
    full: str
    type: str
    x: float
    y: float
    at: str
    marks: tuple[str, ...]
    classes: str
    repeat: bool


@frozen
class MapEdge:
    """A line on the map: a tree edge, or a dashed cross-link for a jump back."""

    path: str
    label: str
    label_x: float
    label_y: float
    title: str
    classes: str
    cross: bool


@frozen
class Highlight:
    """A route that can be highlighted on the map: to a person, or an intent's."""

    css: str
    label: str
    text: str


@frozen
class MenuMap:
    """The menu map: size, nodes, edges and the routes a reader may highlight."""

    width: float
    height: float
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    journeys: tuple[Highlight, ...]
    description: str
    cut: int  # lines of the tree left off the map


@frozen
class IntentBar:
    """One intent in the chart of time per intent: menus and prompts, then hold."""

    name: str
    share: str
    total: str
    menu_pct: float
    hold_pct: float
    menu: str
    hold: str
    resolved: bool


@frozen
class Combined:
    """Every compatible suggestion applied together, and the best menu for the call mix."""

    applied: int
    typical_before: str
    typical_after: str
    score_before: str
    score_after: str
    optimum: str
    distance_before: str
    distance_after: str
    optimum_lines: tuple[tuple[int, str], ...]


@frozen
class Page:
    """Everything one menu's page shows, in the order it shows it."""

    slug: str
    name: str
    file: str
    description: str
    gauge: Gauge
    categories: tuple[ScoreCategory, ...]
    capped: str
    fix_first: tuple[Fix, ...]
    figures: tuple[Figure, ...]
    route: str
    error_route: str  # a faster way to a person by silence or a wrong key, if any
    map: MenuMap
    bars: tuple[IntentBar, ...]
    findings: tuple[SeverityGroup, ...]
    finding_summary: str
    fixes: tuple[Fix, ...]
    combined: Combined | None
    tree: tuple[str, ...]
    suggestions_known: bool
    branding: Branding
    # What an imported export did not say and the import assumed (docs/importers.md).
    assumptions: tuple[str, ...] = ()
    # Suggestions the model finds saving no time and gaining no score: listed in brief.
    minor_fixes: tuple[Fix, ...] = ()


@frozen
class Row:
    """One menu in the portfolio, with the numbers its columns sort by."""

    rank: int
    name: str
    href: str
    score: int
    band: str
    band_class: str
    to_person: str
    to_person_sort: float
    typical: str
    typical_sort: float
    resolved: str
    resolved_sort: float
    worst: str
    worst_detail: str
    top_fix: str


@frozen
class Portfolio:
    """The index page: every menu ranked by score."""

    rows: tuple[Row, ...]
    branding: Branding
    summary: str


def build_page(
    audit: Audit,
    slug: str,
    suggestions: Mapping[str, Any] | None = None,
    branding: Branding | None = None,
) -> Page:
    """Return the page of one audited menu; `suggestions` is the suggest contract's object."""
    a = audit
    before = (suggestions or {}).get("before") or {}
    fixes = tuple(fix_view(s, before) for s in (suggestions or {}).get("suggestions", ()))
    return Page(
        slug=slug,
        name=a.menu.name,
        file=a.file,
        description=a.menu.description or "",
        gauge=_gauge(a.score.value, a.score.band),
        categories=tuple(
            ScoreCategory(
                c.title,
                f"{c.weight:.0%}",
                c.value,
                tuple(
                    ScorePart(
                        p.title,
                        p.display,
                        "n/a" if p.score is None else f"{p.score * 100:.0f}",
                        "" if p.score is None else f"{c.contribution(p):.1f}",
                    )
                    for p in c.parts
                ),
            )
            for c in a.score.categories
        ),
        capped=(
            f"Held at {a.score.value} (from {a.score.uncapped}) by error findings: "
            + ", ".join(a.score.capped_by)
            if a.score.capped_by
            else ""
        ),
        fix_first=fix_first(fixes),
        figures=_figures(a),
        route=_person_route(a),
        error_route=_error_route(a),
        map=_map(a),
        bars=_bars(a),
        findings=group_findings(a.findings),
        finding_summary=finding_summary(a.findings),
        fixes=tuple(f for f in fixes if not f.minor),
        minor_fixes=tuple(f for f in fixes if f.minor),
        combined=_combined(suggestions) if suggestions else None,
        tree=tuple(_tree_line(line) for line in map_lines(a.outline)),
        suggestions_known=suggestions is not None,
        branding=branding or Branding(),
        assumptions=tuple(a.menu.assumptions),
    )


def build_portfolio(
    pages: Sequence[tuple[Audit, Page]], branding: Branding | None = None
) -> Portfolio:
    """Return the index: menus by score (best first, then by name), each linking its page."""
    ranked = sorted(pages, key=lambda ap: rank_key(ap[0]))
    rows = []
    for rank, (a, page) in enumerate(ranked, start=1):
        m = a.metrics
        worst = worst_finding(a.findings)
        rows.append(
            Row(
                rank=rank,
                name=a.menu.name,
                href=f"{page.slug}.html",
                score=a.score.value,
                band=a.score.band,
                band_class=a.score.band.replace(" ", "-"),
                to_person=duration(m.time_to_human_seconds),
                to_person_sort=_sortable(m.time_to_human_seconds),
                typical=duration(m.typical_call_seconds),
                typical_sort=_sortable(m.typical_call_seconds),
                resolved=share(m.resolved_share),
                resolved_sort=round(m.resolved_share, 4),
                worst=_worst_title(worst, a.findings) if worst else "none",
                worst_detail=worst.message if worst else "",
                top_fix=_top_fix(page),
            )
        )
    n = len(rows)
    poor = sum(1 for r in rows if r.band == "poor")
    summary = f"{count(n, 'menu')} ranked by score, best first; {poor} in the poor band."
    return Portfolio(tuple(rows), branding or Branding(), summary)


def _worst_title(worst: Finding, findings: Sequence[Finding]) -> str:
    """Return `error IVR401 trap`, with a count when the rule fires more than once."""
    n = sum(1 for f in findings if f.rule == worst.rule)
    return f"{worst.severity.value} {worst.rule} {worst.name}" + (
        f"\u00a0\u00d7\u00a0{n}" if n > 1 else ""
    )


def _top_fix(page: Page) -> str:
    if not page.fixes:
        return "none found" if page.suggestions_known else "—"
    top = next((f for f in page.fixes if f.first), page.fixes[0])
    if not top.measured:
        return f"{top.title} (not measured)"
    # Always the seconds saved, then any score gained, so that rows compare at a glance.
    what = f"saves {top.saves}" if top.gain.startswith("saves") else "no time saved"
    if top.score_after.isdigit() and top.score_before.isdigit():
        gain = int(top.score_after) - int(top.score_before)
        what += f", score +{gain}" if gain > 0 else ""
    return f"{top.title} ({what})"


def _sortable(seconds: float | None) -> float:
    return 1e9 if seconds is None else round(seconds, 2)


def _gauge(value: int, band: str) -> Gauge:
    angle = math.pi * (1 - value / 100)  # 180° at 0, 0° at 100
    return Gauge(
        value,
        band,
        band.replace(" ", "-"),
        round(100 + 80 * math.cos(angle), 2),
        round(100 - 80 * math.sin(angle), 2),
    )


def _figures(a: Audit) -> tuple[Figure, ...]:
    m = a.metrics
    worst = max(
        ((name, s) for name, s in m.intent_seconds if s is not None),
        key=lambda item: item[1],
        default=None,
    )
    unresolved = [name for name, s in m.intent_seconds if s is None]
    presses = m.time_to_human_presses
    figures = [
        Figure(
            "Time to a person",
            duration(m.time_to_human_seconds),
            "hold included"
            + (f", at least {count(presses, 'key press', 'key presses')}" if presses else ""),
        ),
        Figure(
            "Typical call",
            duration(m.typical_call_seconds),
            "expected time of a call, weighted by the call mix",
        ),
        Figure(
            "Calls that can be resolved",
            share(m.resolved_share),
            ("never resolved: " + ", ".join(unresolved)) if unresolved else "every intent",
        ),
    ]
    if worst:
        figures.append(Figure("Worst journey", duration(worst[1]), worst[0]))
    figures += [
        Figure("Time before the first option", duration(m.preamble_seconds)),
        Figure("Depth", count(m.depth, "key press", "key presses")),
        Figure(
            "Options per menu",
            f"max {m.max_options}",
            f"mean {m.mean_options:.1f} over {count(m.menus, 'menu')}",
        ),
        Figure(
            "Menus without a working 0",
            str(m.menus_without_working_zero),
            f"not counting {count(len(m.queue_offer_menus), 'callback or wait offer')}"
            if m.queue_offer_menus
            else "",
        ),
    ]
    return tuple(figures)


def _via(kind: str, key: str | None, probability: float = 1.0) -> str:
    if kind == "option":
        return str(key)
    if kind == "route":
        return f"{probability:.0%}"
    return {"next": "then", "no_input": "silence", "no_match": "wrong key"}.get(kind, kind)


def _name(node: object) -> str:
    text = str(node)
    return "disconnect" if DISCONNECT in text else text


def _route_text(entry: str, steps: Sequence[Step], hold: float | None) -> str:
    """Return a route as `main ─1→ desk, at 3.8 s + 0:30 hold` (the terminal's arrows)."""
    if not steps and hold is None:
        return ""
    text = _name(steps[0].node if steps else entry)
    for s in steps:
        text += f" ─{_via(s.kind, s.key, s.probability)}→ {_name(s.to)}"
    arrive = steps[-1].at_seconds if steps else 0.0
    text += f", at {duration(arrive)}"
    if hold:
        text += f" + {duration(hold)} hold"
    return text


def _person_route(a: Audit) -> str:
    """Return the fastest route to a person by announced options ('' when none)."""
    m = a.metrics
    if m.announced_time_to_human_seconds is None:
        return ""
    return _route_text(a.menu.entry, m.announced_route, m.announced_route_hold_seconds)


def _error_route(a: Audit) -> str:
    """Return a faster route to a person by silence or a wrong key, with how to take it."""
    m = a.metrics
    errors = [s for s in m.best_route if s.kind in ("no_input", "no_match")]
    if m.time_to_human_seconds is None or not errors:
        return ""
    if m.announced_time_to_human_seconds is not None and (
        m.time_to_human_seconds >= m.announced_time_to_human_seconds - 1e-9
    ):
        return ""
    way = "Saying nothing" if errors[0].kind == "no_input" else "A wrong key"
    return f"{way} is faster: " + _route_text(a.menu.entry, m.best_route, m.best_route_hold_seconds)


def _journeys(a: Audit) -> tuple[tuple[str, tuple[Step, ...]], ...]:
    """Return each intent's journey that goes somewhere: the route its callers take."""
    return tuple((j.intent, j.steps) for j in a.metrics.intent_routes if j.steps)


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _text_width(name: str, at: str) -> float:
    """Return about how wide a node's two label lines are drawn (12 px and 11 px type)."""
    return max(len(name) * 7.0, len(at) * 6.3)


def _map(a: Audit) -> MenuMap:
    lines = map_lines(a.outline)
    parents: list[int | None] = []
    stack: list[int] = []
    for i, line in enumerate(lines):
        del stack[line.level :]
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    ys = tidy_layout(parents)
    if max(ys, default=0.0) > _CENTRED_ROWS:  # a tall map starts with its root in view
        ys = tidy_layout(parents, centre=False)
    first = {}
    for i, line in enumerate(lines):
        if not line.repeat:
            first.setdefault(line.node, i)

    journeys = [("h", "Route to a person", a.metrics.announced_route)]
    journeys += [(f"j{i}", name, steps) for i, (name, steps) in enumerate(_journeys(a))]
    on_edge: dict[tuple[str, str, str], list[str]] = {}
    on_node: dict[str, list[str]] = {}
    for css, _, steps in journeys:
        for s in steps:
            on_edge.setdefault(
                (str(s.node), _via(s.kind, s.key, s.probability), str(s.to)), []
            ).append(css)
            on_node.setdefault(str(s.node), []).append(css)
            on_node.setdefault(str(s.to), []).append(css)
        if not steps:
            on_node.setdefault(a.menu.entry, []).append(css)

    marks: dict[str, list[str]] = {}
    for f in a.findings:
        if f.node is None:
            continue
        if f.rule == TRAP:
            marks.setdefault(f.node, []).append("trap")
        elif f.rule == DEAD_END:
            node_type = a.graph.nodes[f.node]["type"] if f.node in a.graph else ""
            target = f.node if node_type == "hangup" else f.node + DISCONNECT
            marks.setdefault(target, []).append("dead end")

    def xy(i: int) -> tuple[float, float]:
        return _PAD + lines[i].level * _COLUMN, _PAD + ys[i] * _ROW

    nodes, edges = [], []
    ends: list[float] = []
    for i, line in enumerate(lines):
        x, y = xy(i)
        node_marks = tuple(dict.fromkeys(marks.get(line.node, ())))
        classes = " ".join(dict.fromkeys(on_node.get(line.node, ())))
        at = f"at {duration(line.at_seconds)}"
        if line.type == "agent":
            at += f" + {duration(line.own_seconds)} hold"
        label = _name(line.node)
        shown = ("↺ " if line.repeat else "") + _short(label)
        ends.append(x + 12 + _text_width(shown, at + " ⚠ ".join(("", *node_marks))) + 4)
        nodes.append(
            MapNode(
                label=("↺ " if line.repeat else "") + _short(label),
                full=f"{label} ({line.type.replace('_', ' ')}), {at}"
                + ("; shown in full elsewhere" if line.repeat else "")
                + "".join(f"; {mk}" for mk in node_marks)
                + _said(a, line.node),
                type=line.type.replace("_", "-"),
                x=x,
                y=y,
                at=at,
                marks=node_marks if not line.repeat else (),
                classes=classes if not line.repeat else "",
                repeat=line.repeat,
            )
        )
        p = parents[i]
        if p is None:
            continue
        px, py = xy(p)
        # Edges leave a node after its label, not through it.
        px = min(ends[p], x - 40) - 9
        via = _via_line(line)
        key = (lines[p].node, via, line.node)
        cls = " ".join(on_edge.get(key, ()))
        mid = (px + x) / 2
        edges.append(
            MapEdge(
                path=f"M{px + 9:.1f} {py:.1f}C{mid:.1f} {py:.1f} "
                f"{mid:.1f} {y:.1f} {x - 9:.1f} {y:.1f}",
                label=_short(via),
                label_x=x - 14,
                label_y=y - 6,
                title=f"{_name(lines[p].node)} ─ {via}"
                + (f" ({line.label})" if line.label and line.via not in ("next",) else "")
                + f" → {label}",
                classes=cls,
                cross=False,
            )
        )
        target = first.get(line.node)
        # A jump back to a menu close above is drawn; longer ones (a large menu's many
        # "9 for the main menu") would cover the map, and the ↺ names where they go.
        near = target is not None and line.level - lines[target].level <= _BACK_LEVELS
        if line.repeat and near and _is_ancestor(parents, target, i):
            tx, ty = xy(target)
            edges.append(
                MapEdge(
                    # From under the jump's marker, left of its label, up into the bottom
                    # of the menu it returns to: clear of both labels.
                    path=f"M{x:.1f} {y + 9:.1f}C{x - 50:.1f} {y + 40:.1f} "
                    f"{tx:.1f} {ty + 70:.1f} {tx:.1f} {ty + 9:.1f}",
                    label="",
                    label_x=0,
                    label_y=0,
                    title=f"back to {label}",
                    classes=cls,
                    cross=True,
                )
            )
    depth = max((line.level for line in lines), default=0)
    # As wide as the longest label reaches, so that a scaled map is as large as it can be.
    width = max((*ends, 2 * _PAD + depth * _COLUMN), default=0.0) + _PAD
    height = 2 * _PAD + (max(ys, default=0.0)) * _ROW + 20
    route = _person_route(a)
    choices = tuple(
        Highlight(css, label, _route_text(a.menu.entry, steps, _hold_at_end(a, steps)))
        for css, label, steps in journeys
    )
    description = (
        f"Menu map of {a.menu.name}: {count(len(lines), 'line')} of the call tree from "
        f"'{a.menu.entry}'. "
        + (f"Fastest route to a person: {route}." if route else "No route reaches a person.")
    )
    return MenuMap(
        round(width, 1),
        round(height, 1),
        tuple(nodes),
        tuple(edges),
        choices,
        description,
        max(0, len(a.outline) - len(lines)),
    )


def _said(a: Audit, node: str) -> str:
    """Return what a node says, for its tooltip on the map (long prompts shortened)."""
    found = a.menu.by_id.get(node)
    if found is None or not found.prompt:
        return ""
    words = found.prompt if len(found.prompt) <= 300 else found.prompt[:299] + "…"
    return f". It says: “{words}”"


def _hold_at_end(a: Audit, steps: Sequence[Step]) -> float | None:
    """Return the hold of the person a route ends with (None when it ends elsewhere)."""
    last = steps[-1].to if steps else a.menu.entry
    data = a.graph.nodes[last]
    return data["seconds"] if data["type"] == "agent" else None


def map_lines(outline: Sequence[Line], limit: int = MAX_MAP_LINES) -> tuple[Line, ...]:
    """Return the lines of the tree the map draws: all of them, or for a large menu its
    top levels (as many whole levels as fit in `limit`), so the map shows an overview."""
    if len(outline) <= limit:
        return tuple(outline)
    per_level: dict[int, int] = {}
    for line in outline:
        per_level[line.level] = per_level.get(line.level, 0) + 1
    depth, total = 0, 0
    for level in sorted(per_level):
        if total + per_level[level] > limit:
            break
        total += per_level[level]
        depth = level
    shown = tuple(line for line in outline if line.level <= depth)
    return shown if len(shown) > 1 else tuple(outline[:limit])


def _is_ancestor(parents: Sequence[int | None], a: int, i: int) -> bool:
    p = parents[i]
    while p is not None:
        if p == a:
            return True
        p = parents[p]
    return False


def _via_line(line: Line) -> str:
    if line.via == "route":
        return f"{line.probability:.0%}"
    return _via(line.via or "", line.via)


def _tree_line(line: Line) -> str:
    """Return one line of the call tree as plain text, indented by its level."""
    via = (
        ""
        if line.via is None
        else f"{_via_line(line)}"
        + (
            f" {line.label}"
            if line.via not in ("next", "no_input", "no_match") and line.label
            else ""
        )
    )
    at = f"at {duration(line.at_seconds)}"
    if line.type == "agent":
        at += f" + {duration(line.own_seconds)} hold"
    text = f"{via} → " if via else ""
    text += f"{_name(line.node)} ({line.type.replace('_', ' ')}) {at}"
    if line.repeat:
        text += " ↺"
    if line.best:
        text += " ★"
    return NBSP * 2 * line.level + text


def _bars(a: Audit) -> tuple[IntentBar, ...]:
    shares = a.menu.intent_shares
    routes = {j.intent: j for j in a.metrics.intent_routes}
    totals = [s for _, s in a.metrics.intent_seconds if s is not None]
    top = max(totals, default=0.0) or 1.0
    bars = []
    for name, seconds in a.metrics.intent_seconds:
        j = routes.get(name)
        if seconds is None:
            why = (
                "lost: no node handles these calls"
                if j is None or not j.handled
                else "cut off before their answer"
                if j.end_kind == "hangup" and j.end_seconds is None
                else f"trapped: no choice from {_name(j.end or a.menu.entry)} reaches their answer"
            )
            bars.append(IntentBar(name, share(shares[name]), "never", 0, 0, why, "", False))
            continue
        hold = 0.0
        if j is not None and j.end_kind == "agent" and j.end_seconds is not None:
            hold = min(j.end_seconds, seconds)
        bars.append(
            IntentBar(
                name,
                share(shares[name]),
                duration(seconds),
                round(100 * (seconds - hold) / top, 2),
                round(100 * hold / top, 2),
                duration(seconds - hold),
                duration(hold) if hold else "",
                True,
            )
        )
    return tuple(bars)


def _combined(sug: Mapping[str, Any]) -> Combined | None:
    before = sug.get("before") or {}
    combined = sug.get("combined") or {}
    after = combined.get("after") or {}
    optimum = sug.get("optimum") or {}
    best = optimum.get("typical_call_seconds")

    def distance(value: Any) -> str:
        if not isinstance(value, (int, float)) or not isinstance(best, (int, float)):
            return "—"
        return duration(max(0.0, value - best))

    return Combined(
        applied=len(combined.get("applied", ())),
        typical_before=seconds_text(before.get("typical_call_seconds")),
        typical_after=seconds_text(after.get("typical_call_seconds")),
        score_before=str(before.get("score", "—")),
        score_after=str(after.get("score", "—")),
        optimum=seconds_text(best),
        distance_before=distance(before.get("typical_call_seconds")),
        distance_after=distance(after.get("typical_call_seconds")),
        optimum_lines=tuple(_optimum_lines(optimum.get("menu") or [], 0)),
    )


def _optimum_lines(menu: Sequence[Any], level: int) -> list[tuple[int, str]]:
    """Return the best menu as indented lines: `1 → billing_query, pay_bill`."""
    out: list[tuple[int, str]] = []
    for key, option in enumerate(menu, start=1):
        if option and all(isinstance(x, str) for x in option):
            out.append((level, f"{key} → {', '.join(option)}"))
        else:
            out.append((level, f"{key} → a menu of"))
            out.extend(_optimum_lines(option, level + 1))
    return out


# The longest page name kept as it is. A file name holds at most 255 bytes, and a page is
# written as `.NAME.html.XXXXXXXX.tmp` first: longer names end in a hash of the file name.
MAX_SLUG = 100
_HASH_CHARS = 12


def slugs(files: Sequence[str]) -> tuple[str, ...]:
    """Return a distinct, file-name-safe page name for each menu file, in order; a name
    too long to be a file's is cut and ends in a hash of the menu's file name."""
    out: list[str] = []
    taken: set[str] = {"index"}
    for f in files:
        base = f.replace("\\", "/").rsplit("/", 1)[-1]
        stem = re.sub(r"[^a-z0-9_-]+", "-", base.lower())
        stem = re.sub(r"-(ya?ml|json)$", "", stem) or "menu"
        if len(stem) > MAX_SLUG:
            import hashlib  # only for names this long

            digest = hashlib.sha256(base.encode("utf-8", "surrogatepass")).hexdigest()
            stem = f"{stem[: MAX_SLUG - _HASH_CHARS - 1]}-{digest[:_HASH_CHARS]}"
        name, n = stem, 2
        while name in taken:
            name, n = f"{stem}-{n}", n + 1
        taken.add(name)
        out.append(name)
    return tuple(out)
