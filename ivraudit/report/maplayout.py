"""Place a map picture top to bottom and draw it as SVG.

The layout engine is igraph (a C core with binary wheels, offline): its Reingold-Tilford
tree layout places the tree of first-reaching lines, brothers in spoken order. Rows are
key presses from the start, so every drawn line joins two neighbouring rows and no line
runs under a box or a label. docs/map.md says why igraph and this layout, and what it
costs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from markupsafe import escape

from ivraudit.format.text import one_line
from ivraudit.frozen import frozen
from ivraudit.report.mapscene import Box, Link, Picture

BOX_W = 208.0  # a box's width: 23 characters of bold 13 px type and a margin
_GAP_X, _GAP_Y, _PAD = 28.0, 46.0, 16.0
_TITLE, _SMALL = 16.0, 14.0  # line heights: the title (13 px) and the rest (11-12 px)
_BADGE = 17.0  # a badge's line: 11 px type on a tinted pill
_TITLE_CHARS, _SMALL_CHARS = 23, 29
_LEAN = 1000.0  # px: a picture wider than this opens at its top left (see _lean)
_NEAR = 2.0  # a second line into a box is drawn when its ends are this many columns apart
_KEY_W = 7.5  # the width of a character of a key's pill (11 px, bold)


@frozen
class Line:
    """A line of text in a box: its words, its CSS class and its baseline from the top."""

    text: str
    css: str
    y: float
    part: int  # the lines of one part (a title, a note) are one <text>


@frozen
class Placed:
    """A box on the picture: its top left corner, size and the lines it shows."""

    box: Box
    x: float
    y: float
    h: float
    lines: tuple[Line, ...]


@frozen
class Drawn:
    """A line between two boxes: its SVG path, its key's pill and its tooltip."""

    path: str
    key: str
    key_x: float
    key_y: float
    key_w: float
    title: str
    classes: str
    dashed: bool


@frozen
class Drawing:
    """A placed picture: size, boxes and lines, ready to draw."""

    width: float
    height: float
    boxes: tuple[Placed, ...]
    lines: tuple[Drawn, ...]


def wrap(text: str, width: int, most: int) -> tuple[str, ...]:
    """Return `text` in lines of at most `width` characters, at most `most` of them; the
    last line ends with … where words are left off."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if not current:
            current = word if len(word) <= width else word[: width - 1] + "…"
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        elif len(lines) + 1 == most:  # the last line: as much of the word as fits
            room = width - len(current) - 2
            cut = f"{current} {word[:room]}" if room >= 3 else current
            return (*lines, cut.rstrip("…")[: width - 1] + "…")
        else:
            lines.append(current)
            current = word if len(word) <= width else word[: width - 1] + "…"
    if current:
        lines.append(current)
    return tuple(lines)


def box_lines(box: Box, full: bool = False) -> tuple[Line, ...]:
    """Return the lines a box shows, top to bottom: callers' words first. A `full` box
    (the standalone picture) wraps every text whole; the page's keeps to a few lines."""
    out: list[Line] = []
    y = 8.0
    part = 0

    def add(rows: Sequence[str], css: str, step: float) -> None:
        nonlocal y, part
        for text in rows:
            y += step
            out.append(Line(text, css, y, part))
        part += 1

    add(wrap(box.title, _TITLE_CHARS, 6 if full else 2), "nm", _TITLE)
    said = wrap(box.said, _SMALL_CHARS, 3 if full else 2) if box.said else ()
    add(
        [
            ("“" if i == 0 else "") + t + ("”" if i == len(said) - 1 else "")
            for i, t in enumerate(said)
        ],
        "said",
        _SMALL,
    )
    for words in box.also:
        add(wrap(f"also “{words}”", _SMALL_CHARS, 4 if full else 1), "note", _SMALL)
    if box.at:  # "at 55.4 s + queue sales, answered in 7.4 s" takes two lines
        add(wrap(box.at, _SMALL_CHARS, 2), "at", _SMALL)
    for mark in box.marks:
        add([f"⚠ {mark}"], "mark", _SMALL)
    notes = box.notes
    if not full and len(notes) > 3:
        notes = (*notes[:2], f"+ {len(notes) - 2} more ways on")
    for note in notes:
        add(wrap(note, _SMALL_CHARS, 4 if full else 1), "note", _SMALL)
    for error in box.errors:
        add(wrap(error, _SMALL_CHARS, 3 if full else 1), "err", _BADGE)
    if box.more:
        add([box.more], "more", _SMALL)
    return tuple(out)


def place(picture: Picture, full: bool = False) -> Drawing:
    """Return `picture` laid out top to bottom: a layer per key press from its root. A
    `full` picture (standalone, seen whole) shows every text whole and centres each parent
    over its children; the page's pictures open on their top left when they scroll."""
    if not picture.boxes:
        return Drawing(0.0, 0.0, (), ())
    # The engine places the tree the map reads (each box under the line that first
    # reaches it), brothers in spoken order. A second line into a box is drawn where its
    # two ends are near; a far one would cross the map, so it is a note in its box.
    n = len(picture.boxes)
    tree = [(lk.u, lk.v) for lk in picture.links if lk.tree]
    xs = _columns(n, tree)
    if not full and (max(xs) - min(xs) + 1) * (BOX_W + _GAP_X) > _LEAN:
        xs = _lean(xs, tree, [b.layer for b in picture.boxes])
    kept: list[Link] = []
    far: dict[int, list[str]] = {}
    also: dict[int, list[str]] = {}
    for lk in picture.links:
        if lk.tree or abs(xs[lk.u] - xs[lk.v]) <= _NEAR:
            kept.append(lk)
            words = lk.label
            if not lk.tree and words and words != picture.boxes[lk.v].title:
                also.setdefault(lk.v, []).append(words)  # another option's words for it
        else:
            far.setdefault(lk.u, []).append(lk.note)
    boxes = tuple(
        replace(b, notes=(*far.get(i, ()), *b.notes), also=tuple(dict.fromkeys(also.get(i, ()))))
        for i, b in enumerate(picture.boxes)
    )
    picture = replace(picture, boxes=boxes, links=tuple(kept))
    lines = [box_lines(b, full) for b in boxes]
    heights = [ln[-1].y + 10.0 if ln else 30.0 for ln in lines]
    layer = [b.layer for b in boxes]
    low = min(xs)
    depth = max(layer) + 1
    tall = [0.0] * depth
    for i, h in enumerate(heights):
        tall[layer[i]] = max(tall[layer[i]], h)
    tops = [_PAD]
    for t in tall[:-1]:
        tops.append(tops[-1] + t + _GAP_Y)
    placed = tuple(
        Placed(
            b,
            round(_PAD + (xs[i] - low) * (BOX_W + _GAP_X), 1),
            round(tops[layer[i]], 1),
            round(tall[layer[i]], 1),  # a row of equal boxes: lines leave below them all
            lines[i],
        )
        for i, b in enumerate(boxes)
    )
    width = max(p.x for p in placed) + BOX_W + _PAD
    height = tops[-1] + tall[-1] + _PAD
    return Drawing(round(width, 1), round(height, 1), placed, _links(picture, placed))


def _columns(n: int, tree: Sequence[tuple[int, int]]) -> list[float]:
    """Return each box's column: igraph's Reingold-Tilford layout of the tree, box 0 its
    root, brothers left to right in the order of their indices (spoken order)."""
    # Imported here: the page and `ivraudit map` need it, `ivraudit score` does not.
    import igraph

    if n == 1:
        return [0.0]
    g = igraph.Graph(n=n, edges=list(tree), directed=True)
    layout = g.layout_reingold_tilford(mode="out", root=[0])
    return [float(c[0]) for c in layout.coords]


def _lean(
    xs: Sequence[float], tree: Sequence[tuple[int, int]], layers: Sequence[int]
) -> list[float]:
    """Return the columns with each parent above its first child, not centred: a wide
    picture then starts at its top left, where a scrolled box opens."""
    out = list(xs)
    first: dict[int, int] = {}
    for u, v in tree:
        first.setdefault(u, v)
    for i in sorted(range(len(out)), key=lambda i: -layers[i]):  # bottom up
        if i in first:
            out[i] = out[first[i]]
    # Keep a column between neighbours of a layer (a childless box may stand in the way).
    by_layer: dict[int, list[int]] = {}
    for i in sorted(range(len(out)), key=lambda i: (xs[i], i)):
        by_layer.setdefault(layers[i], []).append(i)
    for members in by_layer.values():
        for a, b in itertools.pairwise(members):
            out[b] = max(out[b], out[a] + 1)
    return out


def _links(picture: Picture, placed: Sequence[Placed]) -> tuple[Drawn, ...]:
    """Return the lines between boxes: each leaves its box's bottom and enters the next
    box's top at a port of its own, ordered so that the lines of one box do not cross."""
    outs: dict[int, list[int]] = {}
    ins: dict[int, list[int]] = {}
    for i, lk in enumerate(picture.links):
        outs.setdefault(lk.u, []).append(i)
        ins.setdefault(lk.v, []).append(i)

    def centre(k: int) -> float:
        return placed[k].x + BOX_W / 2

    def ports(group: dict[int, list[int]], other: str) -> dict[int, float]:
        at: dict[int, float] = {}
        for k, members in group.items():
            members.sort(key=lambda i: (centre(getattr(picture.links[i], other)), i))
            step = min(26.0, (BOX_W - 24) / max(1, len(members)))
            for j, i in enumerate(members):
                at[i] = centre(k) + (j - (len(members) - 1) / 2) * step
        return at

    start, end = ports(outs, "v"), ports(ins, "u")
    drawn = []
    for i, lk in enumerate(picture.links):
        a, b = placed[lk.u], placed[lk.v]
        x1, y1 = start[i], a.y + a.h
        x2, y2 = end[i], b.y
        bend = (y2 - y1) / 2
        path = (
            f"M{x1:.1f} {y1:.1f}C{x1:.1f} {y1 + bend:.1f} {x2:.1f} {y2 - bend:.1f} "
            f"{x2:.1f} {y2 - 3:.1f}"
        )
        drawn.append(
            Drawn(
                path,
                lk.key,
                round(x2, 1),
                round(y2 - 12, 1),
                round(len(lk.key) * _KEY_W + 9, 1),
                lk.title,
                lk.classes,
                lk.dashed,
            )
        )
    return tuple(drawn)


def _x(text: str) -> str:
    """Return menu text as SVG text: control characters shown as escapes (XML forbids
    most of them, and a terminal would obey them), then markup escaped."""
    return str(escape(one_line(text)))


def _text(p: Placed, rows: Sequence[Line], href: str) -> str:
    """Return one part of a box (a title, a note) as one <text>, a <tspan> per line, so
    that its words read whole (each line but the last ends with a space)."""
    x = f"{p.x + 10:.1f}"
    first = rows[0]
    if len(rows) == 1:
        body = str(_x(first.text))
    else:
        last = len(rows) - 1
        body = "".join(
            f'<tspan x="{x}" y="{p.y + r.y:.1f}">{_x(r.text)}{" " if i < last else ""}</tspan>'
            for i, r in enumerate(rows)
        )
    text = f'<text class="{first.css}" x="{x}" y="{p.y + first.y:.1f}">{body}</text>'
    if first.css == "err":  # a badge: the longest line's width on a tinted pill
        wide = min(max(len(r.text) for r in rows) * 6.1 + 10, BOX_W - 12)
        top = p.y + first.y - 12
        tall = rows[-1].y - first.y + 16
        text = (
            f'<rect class="badge" x="{p.x + 6:.1f}" y="{top:.1f}" width="{wide:.1f}" '
            f'height="{tall:.1f}" rx="7"/>' + text
        )
    if first.css == "more" and href:
        # The whole line is the link, not only its glyphs.
        hit = (
            f'<rect class="hit" x="{p.x:.1f}" y="{p.y + first.y - 12:.1f}" width="{BOX_W}" '
            'height="16" fill="transparent"/>'
        )
        return f'<a href="#{_x(href)}">{hit}{text}</a>'
    return text


SHAPES = ("menu", "agent", "self-service", "hangup", "other")

# The standalone picture's own styles: it is opened outside the page (slides, docs).
STANDALONE_STYLE = (
    "svg{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}"
    ".bx{fill:#fff;stroke:#8a8f98;stroke-width:1.2}"
    ".menu .bx{fill:#e8f0fe;stroke:#1a56c4}.agent .bx{fill:#e6f4ea;stroke:#1e7d3a}"
    ".self-service .bx{fill:#fef7e0;stroke:#9a6700}.hangup .bx{fill:#fce8e6;stroke:#b3261e}"
    ".nm{font-size:13px;font-weight:700;fill:#111}"
    ".said{font-size:12px;font-style:italic;fill:#333}"
    ".at,.note{font-size:11px;fill:#555}.err{font-size:11px;fill:#7a2e00}"
    ".badge{fill:#fdf0e6;stroke:#e0b48f}"
    ".mark{font-size:11px;font-weight:700;fill:#b3261e}"
    ".more{font-size:11px;fill:#1a56c4}"
    ".e{fill:none;stroke:#6b7280;stroke-width:1.5}.e.dash{stroke-dasharray:5 4}"
    ".key rect{fill:#fff;stroke:#6b7280}.key text{font-size:11px;font-weight:700;fill:#111}"
)


def svg(drawing: Drawing, title: str, desc: str, *, standalone: bool, ident: str = "m") -> str:
    """Return `drawing` as SVG markup, every word of the menu escaped: for the page
    (styled by its stylesheet) or standalone (its own styles, a white background)."""
    w, h = drawing.width, drawing.height
    # On the page a picture holds links (to its parts) and words to read: a group, whose
    # contents stay readable; standalone, it is one image.
    role = "img" if standalone else "group"
    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="{role}" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{_x(title)}</title>',
        f'<desc id="{ident}-d">{_x(desc)}</desc>',
    ]
    if standalone:
        out.append(f"<style>{STANDALONE_STYLE}</style>")
        out.append(f'<rect width="{w}" height="{h}" fill="#fff"/>')
    out.append('<g class="edges">')
    for d in drawing.lines:
        css = " ".join(c for c in ("e", "dash" if d.dashed else "", d.classes) if c)
        out.append(f'<path class="{css}" d="{d.path}"><title>{_x(d.title)}</title></path>')
    out.append("</g>")
    for p in drawing.boxes:
        b = p.box
        css = " ".join(c for c in ("nd", b.shape, b.classes) if c)
        rx = {"agent": 18, "hangup": 2}.get(b.shape, 8)
        out.append(f'<g class="{css}"><title>{_x(b.tooltip)}</title>')
        out.append(
            f'<rect class="bx" x="{p.x}" y="{p.y}" width="{BOX_W}" height="{p.h}" rx="{rx}"/>'
        )
        for _, rows in itertools.groupby(p.lines, key=lambda ln: ln.part):
            out.append(_text(p, list(rows), b.more_href))
        out.append("</g>")
    for d in drawing.lines:
        if not d.key:
            continue
        css = " ".join(c for c in ("key", d.classes) if c)
        out.append(
            f'<g class="{css}"><rect x="{d.key_x - d.key_w / 2:.1f}" y="{d.key_y - 8:.1f}" '
            f'width="{d.key_w}" height="15" rx="7"/>'
            f'<text x="{d.key_x}" y="{d.key_y + 4:.1f}" text-anchor="middle">'
            f"{_x(d.key)}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
