"""How an HTML page writes a route and a line of the call tree as text, with the
terminal's arrows: `main ─1→ desk, at 3.8 s + 0:30 hold`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from ivraudit.analysis.graph import DISCONNECT
from ivraudit.analysis.outline import Line
from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, duration
from ivraudit.report.headline import faster_way, journey_times, route_end, route_notes

if TYPE_CHECKING:
    from ivraudit.report.mapscene import Scene


def via_text(kind: str, key: str | None, probability: float = 1.0) -> str:
    """Return how a step is taken: its key, a route's share, `silence` or `wrong key`."""
    if kind == "option":
        return str(key)
    if kind == "route":
        return f"{probability:.0%}"
    return {"next": "then", "no_input": "silence", "no_match": "wrong key"}.get(kind, kind)


def node_name(node: object) -> str:
    """Return a node's name as a page shows it (`disconnect` for a hang-up after it)."""
    text = str(node)
    return "disconnect" if DISCONNECT in text else text


# Names a route's node; given the step that reaches it, as that step's option says.
Namer = Callable[[object, "Step | None"], str]


def node_id(node: object, step: Step | None = None) -> str:
    """Return a node as the terminal and the text tree name it: its id."""
    return node_name(node)


def callers_words(a: Audit, scene: Scene | None = None) -> Namer:
    """Return how a client's page names the nodes of a route: as the map does
    (`Scene.route_name`), an id only where the map has no box."""
    if scene is None:
        from ivraudit.report.mapscene import Scene  # the map's reading of the menu

        scene = Scene(a)

    def name(node: object, step: Step | None = None) -> str:
        text = str(node)
        if DISCONNECT in text or text not in scene.layer:
            return node_name(node)
        return scene.route_name(text, step)

    return name


def route_text(entry: str, steps: Sequence[Step], hold: float | None, name: Namer = node_id) -> str:
    """Return a route as `main ─1→ desk, at 3.8 s + 0:30 hold` (the terminal's arrows),
    each node named by `name` (its id unless told otherwise)."""
    if not steps and hold is None:
        return ""
    text = name(steps[0].node if steps else entry, None)
    for s in steps:
        text += f" ─{via_text(s.kind, s.key, s.probability)}→ {name(s.to, s)}"
    arrive = steps[-1].at_seconds if steps else 0.0
    text += f", at {duration(arrive)}"
    if hold:
        text += f" + {duration(hold)} hold"
    return text


def person_route(a: Audit, name: Namer = node_id) -> str:
    """Return the fastest route to a person by announced options ('' when none)."""
    m = a.metrics
    if m.announced_time_to_human_seconds is None:
        return ""
    hold = m.announced_route_hold_seconds
    text = _person_text(a, m.announced_route, hold, name)
    notes = route_notes(a, m.announced_route, hold, m.announced_time_to_human_seconds)
    return f"{text} ({notes})" if notes else text


def _person_text(a: Audit, steps: Sequence[Step], hold: float | None, name: Namer = node_id) -> str:
    """Return a route to a person as `main ─1→ desk, at 3.8 s + 0:30 hold`, or, where its
    queue is staffed, `+ queue desk, answered in 7.4 s` (as the key figures read it)."""
    return f"{route_text(a.menu.entry, steps, 0.0, name)} + {route_end(a, steps, hold)}"


def journey_text(a: Audit, intent: str, steps: Sequence[Step], name: Namer = node_id) -> str:
    """Return an intent's journey as the map writes it, ending as the journeys and bars
    do (`headline.journey_times`): `main ─2→ billing_agents, at 1:36 + queue billing,
    answered in 7:19 — 8:55 in all`."""
    t = next((t for t in journey_times(a) if t.intent == intent), None)
    if t is None or t.arrive is None or not steps:
        return route_text(a.menu.entry, steps, None, name)
    text = route_text(a.menu.entry, steps, 0.0, name) + (f" + {t.end}" if t.end else "")
    return f"{text} — {t.total} in all" + (f" ({t.note})" if t.note else "")


def error_route(a: Audit, name: Namer = node_id) -> str:
    """Return a faster route to a person by silence or a wrong key, with how to take it."""
    m = a.metrics
    way = faster_way(a)
    if not way:
        return ""
    text = _person_text(a, m.best_route, m.best_route_hold_seconds, name)
    notes = route_notes(a, m.best_route, m.best_route_hold_seconds, m.time_to_human_seconds)
    return f"{way} is faster: {text}" + (f" ({notes})" if notes else "")


def line_via(line: Line) -> str:
    """Return how a line of the call tree is reached from the line above it."""
    if line.via == "route":
        return f"{line.probability:.0%}"
    return via_text(line.via or "", line.via)


def line_at(line: Line, waits: Mapping[str, str] | None = None) -> str:
    """Return when a line of the call tree is reached: `at 3.8 s`, with an agent's hold,
    or its staffed queue's wait from `waits` (`headline.staffed_waits`)."""
    at = f"at {duration(line.at_seconds)}"
    if line.type == "agent" and waits and str(line.node) in waits:
        at += f" + {waits[str(line.node)]}"
    elif line.type == "agent":
        at += f" + {duration(line.own_seconds)} hold"
    return at


def tree_line(line: Line, waits: Mapping[str, str] | None = None) -> str:
    """Return one line of the call tree as plain text, indented by its level (a staffed
    queue's wait from `waits` in place of the hold the file states)."""
    via = (
        ""
        if line.via is None
        else f"{line_via(line)}"
        + (
            f" {line.label}"
            if line.via not in ("next", "no_input", "no_match") and line.label
            else ""
        )
    )
    at = line_at(line, waits)
    text = f"{via} → " if via else ""
    text += f"{node_name(line.node)} ({line.type.replace('_', ' ')}) {at}"
    if line.repeat:
        text += " ↺"
    if line.best:
        text += " ★"
    return NBSP * 2 * line.level + text
