"""The menu map of an HTML page: the call graph in callers' words, laid out top to bottom
(`maplayout`), as one picture or, for a large menu, a picture per part; with the routes
a reader may highlight on it."""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.analysis.outline import Line
from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import count
from ivraudit.frozen import frozen
from ivraudit.report.menuname import intent_label, shown_name
from ivraudit.report.routes import Namer, callers_words, journey_text, person_route

MAX_MAP_LINES = 400  # the text tree under the map is cut here (it says how much)
TRAP, DEAD_END = "IVR401", "IVR402"


@frozen
class Highlight:
    """A route that can be highlighted on the map: to a person, or an intent's."""

    css: str
    label: str
    text: str


@frozen
class MapPart:
    """One picture of the map: the whole menu, or a part of a large one below a cut."""

    anchor: str
    title: str
    steps: int
    svg: str  # SVG markup, every word of the menu escaped (maplayout.svg)
    width: float  # px: where the screen is narrower, its box scrolls sideways
    height: float = 0.0  # px


@frozen
class MenuMap:
    """The menu map: its pictures, the routes a reader may highlight, and a description."""

    parts: tuple[MapPart, ...]
    journeys: tuple[Highlight, ...]
    description: str
    cut: int  # steps left off the map (a huge menu's parts beyond the last picture)
    steps: int


def _journeys(a: Audit) -> tuple[tuple[str, tuple[Step, ...]], ...]:
    """Return each intent's journey that goes somewhere: the intent and its callers' route."""
    return tuple((j.intent, j.steps) for j in a.metrics.intent_routes if j.steps)


def menu_map(a: Audit, ident: str = "m", words: Namer | None = None) -> MenuMap:
    """Return the map of an audited menu: a picture of the whole menu, or for a large one
    its top and a picture per part below, and the routes a reader may highlight. `ident`
    prefixes the SVG's ids and the parts' anchors, so that two maps can share a page;
    `words` names a route's steps (`routes.callers_words`, made here unless given)."""
    from ivraudit.report.maplayout import place, svg
    from ivraudit.report.mapscene import pictures

    journeys = [("h", "", a.metrics.announced_route)]
    journeys += [(f"j{i}", intent, steps) for i, (intent, steps) in enumerate(_journeys(a))]
    on_edge: dict[tuple[str, str], list[str]] = {}
    on_node: dict[str, list[str]] = {}
    for css, _, steps in journeys:
        for s in steps:
            on_edge.setdefault((str(s.node), str(s.to)), []).append(css)
            on_node.setdefault(str(s.node), []).append(css)
            on_node.setdefault(str(s.to), []).append(css)
        if not steps:
            on_node.setdefault(a.menu.entry, []).append(css)

    marks: dict[str, list[str]] = {}
    for f in a.findings:
        if f.node is None:
            continue
        if f.rule == TRAP:
            marks.setdefault(f.node, []).append("trap: no way out")
        elif f.rule == DEAD_END:
            marks.setdefault(f.node, []).append("dead end")
    parts, left = pictures(
        a,
        {n: tuple(dict.fromkeys(c)) for n, c in on_node.items()},
        {e: tuple(dict.fromkeys(c)) for e, c in on_edge.items()},
        {n: tuple(dict.fromkeys(m)) for n, m in marks.items()},
        prefix="map" if ident == "m" else f"{ident}-map",
    )
    name = shown_name(a.menu)
    shown = []
    steps = 0
    for i, p in enumerate(parts):
        steps += len(p.boxes) - (i > 0)  # a part's top is also in the picture above it
        what = "Menu map of " + name + ("" if i == 0 else f": {p.title}")
        desc = (
            f"{count(len(p.boxes), 'step')}, top to bottom by key presses"
            + (" from the start." if i == 0 else f" from {p.title}.")
            + " Each box says what callers hear and when they get there."
        )
        drawing = place(p)
        picture = svg(drawing, what, desc, standalone=False, ident=f"{ident}{i}")
        shown.append(
            MapPart(p.anchor, p.title, len(p.boxes), picture, drawing.width, drawing.height)
        )
    words = words or callers_words(a)
    route = person_route(a, words)
    choices = tuple(
        # The route to a person and each journey read as the figures beside the map do.
        Highlight(css, "Route to a person", route)
        if css == "h"
        else Highlight(css, intent_label(intent), journey_text(a, intent, steps, words))
        for css, intent, steps in journeys
    )
    description = (
        f"Menu map of {name}: {count(steps, 'step')} a caller can reach"
        + (f", in {len(shown)} pictures" if len(shown) > 1 else "")
        + ". "
        + (f"Fastest route to a person: {route}." if route else "No route reaches a person.")
    )
    return MenuMap(tuple(shown), choices, description, left, steps)


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
