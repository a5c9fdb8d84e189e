"""How an HTML page writes a route and a line of the call tree as text, with the
terminal's arrows: `main ─1→ desk, at 3.8 s + 0:30 hold`."""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.analysis.graph import DISCONNECT
from ivraudit.analysis.outline import Line
from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, duration


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


def route_text(entry: str, steps: Sequence[Step], hold: float | None) -> str:
    """Return a route as `main ─1→ desk, at 3.8 s + 0:30 hold` (the terminal's arrows)."""
    if not steps and hold is None:
        return ""
    text = node_name(steps[0].node if steps else entry)
    for s in steps:
        text += f" ─{via_text(s.kind, s.key, s.probability)}→ {node_name(s.to)}"
    arrive = steps[-1].at_seconds if steps else 0.0
    text += f", at {duration(arrive)}"
    if hold:
        text += f" + {duration(hold)} hold"
    return text


def person_route(a: Audit) -> str:
    """Return the fastest route to a person by announced options ('' when none)."""
    m = a.metrics
    if m.announced_time_to_human_seconds is None:
        return ""
    hold = m.announced_route_hold_seconds
    text = route_text(a.menu.entry, m.announced_route, hold)
    notes = route_notes(a, m.announced_route, hold, m.announced_time_to_human_seconds)
    return f"{text} ({notes})" if notes else text


def faster_way(a: Audit) -> str:
    """Return "Saying nothing" or "A wrong key" when that reaches a person sooner than
    any announced option, else ''."""
    m = a.metrics
    errors = [s for s in m.best_route if s.kind in ("no_input", "no_match")]
    if m.time_to_human_seconds is None or not errors:
        return ""
    if m.announced_time_to_human_seconds is not None and (
        m.time_to_human_seconds >= m.announced_time_to_human_seconds - 1e-9
    ):
        return ""
    return "Saying nothing" if errors[0].kind == "no_input" else "A wrong key"


def error_route(a: Audit) -> str:
    """Return a faster route to a person by silence or a wrong key, with how to take it."""
    m = a.metrics
    way = faster_way(a)
    if not way:
        return ""
    text = route_text(a.menu.entry, m.best_route, m.best_route_hold_seconds)
    notes = route_notes(a, m.best_route, m.best_route_hold_seconds, m.time_to_human_seconds)
    return f"{way} is faster: {text}" + (f" ({notes})" if notes else "")


def route_notes(a: Audit, steps: Sequence[Step], hold: float | None, expected: float | None) -> str:
    """Return what a route to a person leaves unsaid, so that it agrees with the time to a
    person beside it: the expected time where a branch splits the calls (the route shows
    the likeliest side), and what a staffed queue at its end really does."""
    notes = []
    arrive = steps[-1].at_seconds if steps else 0.0
    if expected is not None and abs(arrive + (hold or 0.0) - expected) >= 0.05:
        notes.append(f"{duration(expected)} on average over a branch's routes")
    queue = queue_note(a, steps[-1].to if steps else a.menu.entry)
    if queue:
        notes.append(f"the hold as stated; {queue}")
    return "; ".join(notes)


def queue_note(a: Audit, node: object) -> str:
    """Return what the staffed queue behind an agent node does at the audited hour
    ("the queue sales answers in 7.4 s at 400 calls an hour"), or "" when not staffed."""
    c = a.metrics.calls
    q = None if c is None else c.queue_at(node)  # type: ignore[arg-type]
    if q is None or a.menu.traffic is None:
        return ""
    rate = a.menu.traffic.calls_per_hour
    shown = f"{rate:,.0f}" if rate >= 100 or float(rate).is_integer() else f"{rate:,.1f}"
    hour = f"at {shown}{NBSP}calls an hour"
    if q.overloaded:
        return f"the queue {q.queue} is overloaded {hour}: its calls wait without end"
    return f"the queue {q.queue} answers in {duration(q.figures.answer_seconds)} {hour}"


def line_via(line: Line) -> str:
    """Return how a line of the call tree is reached from the line above it."""
    if line.via == "route":
        return f"{line.probability:.0%}"
    return via_text(line.via or "", line.via)


def line_at(line: Line) -> str:
    """Return when a line of the call tree is reached: `at 3.8 s`, with an agent's hold."""
    at = f"at {duration(line.at_seconds)}"
    if line.type == "agent":
        at += f" + {duration(line.own_seconds)} hold"
    return at


def tree_line(line: Line) -> str:
    """Return one line of the call tree as plain text, indented by its level."""
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
    at = line_at(line)
    text = f"{via} → " if via else ""
    text += f"{node_name(line.node)} ({line.type.replace('_', ' ')}) {at}"
    if line.repeat:
        text += " ↺"
    if line.best:
        text += " ★"
    return NBSP * 2 * line.level + text
