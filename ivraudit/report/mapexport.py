"""The menu as a standalone picture: an SVG, a Mermaid flowchart or a Graphviz DOT graph.

For slides and docs (the SVG opens anywhere; Mermaid renders on GitHub and GitLab; DOT
goes to Graphviz). The SVG is the page's map of the whole menu, from the same layout. Nodes
say what callers hear, not ids; options carry their key and label, branches their share.
Menu text is data: every label is escaped for the target syntax, never passed through.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

from ivraudit.audit import Audit
from ivraudit.format.units import duration
from ivraudit.report.menuname import shown_name

FORMATS = ("svg", "mermaid", "dot")
_WORDS = 8  # a prompt is shown by its first words: the picture is an outline, not a script
# What Mermaid may show as typed; everything else becomes an entity code (#35;).
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 _.,!?'()/%:+-]")


def render_map(a: Audit, fmt: str) -> str:
    """Return the menu of `a` as a picture in `fmt` ("svg", "mermaid" or "dot")."""
    if fmt == "svg":
        return _svg(a)
    nodes, edges = _outline(a)
    if fmt == "mermaid":
        return _mermaid(shown_name(a.menu), nodes, edges)
    if fmt == "dot":
        return _dot(shown_name(a.menu), nodes, edges)
    raise ValueError(f"no map format {fmt!r}; one of {', '.join(FORMATS)}")


def _svg(a: Audit) -> str:
    """Return the whole menu as one standalone SVG, laid out as on the page."""
    from ivraudit.report.maplayout import place, svg
    from ivraudit.report.mapscene import pictures

    (picture,), _ = pictures(a, limit=None, most=1)
    name = shown_name(a.menu)
    desc = (
        f"Menu map of {name}: {len(picture.boxes)} steps, top to bottom by key presses from "
        "the start. Each box says what callers hear; keys are on the lines."
    )
    return svg(place(picture, full=True), f"Menu map of {name}", desc, standalone=True)


def _outline(a: Audit) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str]]]:
    """Return the nodes callers can reach (short name, label, kind) and the ways between
    them (from, to, label, kind), in the graph's order."""
    g = a.graph
    gone = set(a.metrics.unreachable_nodes)
    names: dict[Hashable, str] = {}
    nodes = []
    for n, d in g.nodes(data=True):
        if n in gone:
            continue
        names[n] = f"n{len(names)}"
        nodes.append((names[n], _label(a, n, d), d["type"]))
    edges = []
    for u, v, d in g.edges(data=True):
        if u in names and v in names:
            label = _edge_label(d)
            if d["kind"] == "next" and g.nodes[u]["type"] == "callback":
                label = "declines"  # those who take the call back hang up here
            edges.append((names[u], names[v], label, d["kind"]))
    return nodes, edges


def _label(a: Audit, node: Hashable, d: dict) -> str:
    kind = d["type"]
    if d.get("synthetic"):
        return "The call ends"
    source = a.menu.by_id.get(str(node))
    prompt = _excerpt(source.prompt if source is not None else None)
    if kind == "agent":
        queue = source.queue if source is not None else None
        hold = source.hold_seconds if source is not None else 0.0
        who = f"A person ({queue})" if queue else "A person"
        calls = a.metrics.calls
        staffed = calls.queue_at(node) if calls is not None else None
        if staffed is not None:  # the queue's wait as the calls come
            figures = staffed.figures
            if figures.answer_seconds is None:
                return f"{who}, overloaded: no end to the wait"
            return f"{who}, answered in {duration(figures.answer_seconds, space=' ')}"
        return f"{who}, {duration(hold, space=' ')} hold" if hold else who
    if kind == "callback":
        queue = source.queue if source is not None else None
        return prompt or (f"A call back ({queue})" if queue else "A call back")
    if kind == "branch":
        return "The line decides"
    if kind == "hangup":
        return prompt or "The call ends"
    return prompt or {"menu": "A menu", "input": "Keys in a number"}.get(kind, kind)


def _excerpt(text: str | None) -> str:
    words = (text or "").split()
    return " ".join(words[:_WORDS]) + (" …" if len(words) > _WORDS else "")


def _edge_label(d: dict) -> str:
    kind = d["kind"]
    if kind == "option":
        return f"{d['dtmf']}: {d['label']}"
    if kind == "route":
        when = d["label"]
        return f"{d['probability']:.0%} {when}".strip()
    return {"no_input": "silence", "no_match": "wrong key"}.get(kind, "")


def _mermaid(name: str, nodes: list, edges: list) -> str:
    shapes = {"branch": ("{{", "}}"), "agent": ("([", "])"), "hangup": ("[/", "/]")}
    lines = [f"%% {_mermaid_text(name)}", "flowchart TD"]
    for short, label, kind in nodes:
        start, end = shapes.get(kind, ("[", "]"))
        lines.append(f'  {short}{start}"{_mermaid_text(label)}"{end}')
    for u, v, label, kind in edges:
        arrow = "-.->" if kind in ("no_input", "no_match") else "-->"
        text = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"  {u} {arrow}{text} {v}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Return `text` with every character Mermaid might read as syntax as an entity code."""
    return "".join(c if _MERMAID_SAFE.fullmatch(c) else f"#{ord(c)};" for c in text)


def _dot(name: str, nodes: list, edges: list) -> str:
    shapes = {"branch": "diamond", "agent": "ellipse", "hangup": "note"}
    lines = [
        "digraph menu {",
        f"  label={_dot_text(name)};",
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for short, label, kind in nodes:
        shape = shapes.get(kind)
        extra = f", shape={shape}" if shape else ""
        lines.append(f"  {short} [label={_dot_text(label)}{extra}];")
    for u, v, label, kind in edges:
        style = ", style=dashed" if kind in ("no_input", "no_match") else ""
        lines.append(f"  {u} -> {v} [label={_dot_text(label)}{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    """Return `text` as a DOT quoted string: backslashes and quotes escaped, one line."""
    clean = "".join(c if c.isprintable() else " " for c in text)
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'
