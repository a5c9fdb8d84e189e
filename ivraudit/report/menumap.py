"""The menu map of an HTML page: the call tree laid out as placed nodes and edges, with
the routes a reader may highlight on it."""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.analysis.graph import DISCONNECT
from ivraudit.analysis.outline import Line
from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import count
from ivraudit.frozen import frozen
from ivraudit.report.menuname import shown_name
from ivraudit.report.routes import (
    journey_text,
    line_at,
    line_via,
    node_name,
    person_route,
    via_text,
)
from ivraudit.report.tidy import tidy_layout

MAX_MAP_LINES = 400  # beyond this the map is cut (the text tree below it says how much)
TRAP, DEAD_END = "IVR401", "IVR402"
_COLUMN, _ROW, _PAD = 200.0, 40.0, 24.0
_BACK_LEVELS = 3  # jumps back drawn as dashed lines: to a menu at most this many levels up
_CENTRED_ROWS = 40  # up to this many rows a parent sits midway between its children
_LABEL_CHARS = 24


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


def _journeys(a: Audit) -> tuple[tuple[str, tuple[Step, ...]], ...]:
    """Return each intent's journey that goes somewhere: the route its callers take."""
    return tuple((j.intent, j.steps) for j in a.metrics.intent_routes if j.steps)


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[: _LABEL_CHARS - 1] + "…"


def _text_width(name: str, at: str) -> float:
    """Return about how wide a node's two label lines are drawn (12 px and 11 px type)."""
    return max(len(name) * 7.0, len(at) * 6.3)


def menu_map(a: Audit) -> MenuMap:
    """Return the map of an audited menu: its call tree (or the top levels of a large
    one) placed in columns by level, and the routes a reader may highlight."""
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
                (str(s.node), via_text(s.kind, s.key, s.probability), str(s.to)), []
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
        at = line_at(line)
        label = node_name(line.node)
        shown = ("↺ " if line.repeat else "") + _short(label)
        ends.append(x + 12 + _text_width(shown, at + " ⚠ ".join(("", *node_marks))) + 4)
        nodes.append(
            MapNode(
                label=shown,
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
        via = line_via(line)
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
                title=f"{node_name(lines[p].node)} ─ {via}"
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
    route = person_route(a)
    choices = tuple(
        # The route to a person and each journey read as the figures beside the map do.
        Highlight(css, label, route if css == "h" else journey_text(a, label, steps))
        for css, label, steps in journeys
    )
    description = (
        f"Menu map of {shown_name(a.menu)}: {count(len(lines), 'line')} of the call tree from "
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
