"""What a map shows, before it is placed: boxes in callers' words and the lines between
them, cut into pictures of about 40 boxes for a large menu.

Layers are key presses from the start (breadth first, options in spoken order), so a
line always joins two neighbouring layers. Every other way on (a jump back to a menu
above, silence, a wrong key) is a short note in the box it leaves, not a line across the
map. Ids appear only in tooltips.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Hashable, Mapping

from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import duration
from ivraudit.frozen import frozen
from ivraudit.report.headline import staffed_waits
from ivraudit.report.menuname import shown_name

ERRORS = ("no_input", "no_match")
PICTURE_BOXES = 40  # a picture of a large menu holds about this many boxes
_SAID_WORDS = 14  # a prompt is shown by its first words: the rest is in the tooltip
# A queue named in words ("billing"), not by an id ("queue_79505c19-1de2-…").
_WORDY = re.compile(r"(?=.{1,24}$)(?!.*\d{3})[A-Za-z][\w .&'-]*")
_KINDS = {"menu", "agent", "self-service", "hangup"}
_FALLBACK = {
    "menu": "A menu",
    "agent": "A person",
    "self_service": "Self-service",
    "callback": "A call back",
    "hangup": "The call ends",
    "branch": "The line decides",
    "input": "Keys in a number",
    "message": "A message",
}


@frozen
class Box:
    """A node as a map draws it: callers' words, when it is reached, and its notes."""

    node: str
    shape: str  # menu, agent, self-service, hangup or other
    title: str
    said: str
    at: str
    marks: tuple[str, ...]
    notes: tuple[str, ...]  # ways on not drawn as lines: jumps, far options
    errors: tuple[str, ...]  # what silence and a wrong key do: a badge each
    tooltip: str
    classes: str  # the journeys that pass it
    layer: int = 0
    more: str = ""  # "▾ 23 more steps below" where a picture is cut
    more_href: str = ""
    also: tuple[str, ...] = ()  # the words of other options drawn into it


@frozen
class Link:
    """A line from box `u` to box `v` of a picture, with its key ("1", "60%")."""

    u: int
    v: int
    key: str
    title: str
    classes: str
    dashed: bool
    tree: bool  # the line by which the map first reaches `v`
    note: str = ""  # the note box `u` shows instead, where the layout leaves it undrawn
    label: str = ""  # an option's words


@frozen
class Picture:
    """Boxes and lines to lay out together: a whole menu, or one part of a large one."""

    anchor: str
    title: str
    boxes: tuple[Box, ...]
    links: tuple[Link, ...]


@frozen
class _Way:
    """An edge of the call graph as the map reads it."""

    u: str
    v: str
    kind: str
    key: str
    label: str
    order: int


class Scene:
    """The call graph read for drawing: layers, tree parents, boxes and the ways on."""

    def __init__(self, a: Audit, journeys: Mapping[str, tuple[str, ...]] | None = None):
        self.a = a
        g = a.graph
        self.on = journeys or {}
        self.waits = staffed_waits(a)
        entry = a.menu.entry
        ways: dict[str, list[_Way]] = {}
        for u, v, d in g.edges(data=True):
            key = {"option": str(d["dtmf"]), "route": _share(d)}.get(d["kind"], "")
            way = _Way(str(u), str(v), d["kind"], key, d["label"] or "", d["order"])
            ways.setdefault(str(u), []).append(way)
        for w in ways.values():
            w.sort(key=lambda x: x.order)  # spoken order, then silence and wrong key
        self.ways = ways
        self.layer: dict[str, int] = {entry: 0}
        self.parent: dict[str, _Way] = {}
        self.kids: dict[str, list[str]] = {}
        self._bfs(entry)
        self.at = self._times(entry)
        self.order = list(self.layer)

    def _bfs(self, entry: str) -> None:
        """Layer the nodes by key presses; a node reached only by silence or a wrong key
        joins after the others, by the first error path that reaches it."""
        g = self.a.graph
        queue = deque([entry])
        errors: deque[_Way] = deque()  # each error path once, in the order it was met
        while queue or errors:
            while queue:
                u = queue.popleft()
                for w in self.ways.get(u, ()):
                    if w.kind in ERRORS:
                        errors.append(w)
                    elif w.v not in self.layer:
                        self._join(w, queue)
            while errors and not queue:
                w = errors.popleft()
                if w.v not in self.layer and not _synthetic(g, w.v):
                    self._join(w, queue)

    def _join(self, w: _Way, queue: deque[str]) -> None:
        self.layer[w.v] = self.layer[w.u] + 1
        self.parent[w.v] = w
        self.kids.setdefault(w.u, []).append(w.v)
        queue.append(w.v)

    def _times(self, entry: str) -> dict[str, float]:
        """Return when a caller reaches each node along the lines drawn to it."""
        g = self.a.graph
        at = {entry: 0.0}
        for n in self.layer:
            w = self.parent.get(n)
            if w is None:
                continue
            cost = min(
                (d["seconds"] for d in g.get_edge_data(w.u, w.v).values() if d["kind"] == w.kind),
                default=0.0,
            )
            at[n] = at[w.u] + g.nodes[w.u]["seconds"] + cost
        return at

    def title(self, n: str) -> str:
        """Return what a node is called in callers' words: the option that leads to it."""
        a = self.a
        if n == a.menu.entry:
            return shown_name(a.menu)
        data = a.graph.nodes[n]
        w = self.parent.get(n)
        if w is not None and w.kind == "option" and w.label:
            return w.label
        if w is not None and w.kind == "route" and len(w.label.split()) > 1:
            return w.label  # a condition in words ("caller ID matches"), not "true"
        if data["type"] == "menu" and self._first_menu(n):
            return "Main menu"
        return self.kind_title(n)

    def kind_title(self, n: str) -> str:
        """Return what a node is, in words, whatever leads to it: `A person (billing)`."""
        data = self.a.graph.nodes[n]
        fallback = _FALLBACK.get(data["type"], data["type"].replace("_", " "))
        queue = data.get("queue")
        if data["type"] in ("agent", "callback") and queue and _WORDY.fullmatch(queue):
            return f"{fallback} ({queue})"
        return fallback

    def _first_menu(self, n: str) -> bool:
        """Return whether `n` is the first menu a caller meets: no key pressed and no
        other menu heard on the way there."""
        w = self.parent.get(n)
        while w is not None:
            if w.kind == "option" or self.a.graph.nodes[w.u]["type"] == "menu":
                return False
            w = self.parent.get(w.u)
        return True

    def first_words(self, n: str) -> str:
        """Return a node's first five words, quoted ('' where it says nothing)."""
        source = self.a.menu.by_id.get(n)
        words = (source.prompt or "").split() if source is not None else []
        if not words:
            return ""
        return "“" + " ".join(words[:5]) + ("…”" if len(words) > 5 else "”")

    def name(self, n: str) -> str:
        """Return a node's title, or where that is only its kind, its first words."""
        title = self.title(n)
        w = self.parent.get(n)
        if title not in _FALLBACK.values() and (w is None or w.kind != "route"):
            return title  # a branch's condition names no place: its first words do
        return self.first_words(n) or title

    def route_name(self, n: str, step: Step | None = None) -> str:
        """Return how a route names node `n`, reached by `step` (None: where it starts):
        by the words of the option taken to it, else as its box is named, unless that
        name is another option's; the route's first node by its first words."""
        if step is not None and step.kind == "option":
            for w in self.ways.get(str(step.node), ()):
                if w.kind == "option" and w.key == str(step.key) and w.v == n and w.label:
                    return w.label.rstrip(".")
        elif step is not None and n in self.parent and self.parent[n].kind == "option":
            # Reached by silence, a wrong key or a message, not by the option that names
            # its box: by what it is, or what it says.
            own = self.kind_title(n)
            return own if own.startswith("A person") else self.first_words(n) or own
        if n == self.a.menu.entry:
            return self.first_words(n) or "the start"
        return self.name(n).rstrip(".")

    def box(
        self, n: str, marks: tuple[str, ...], notes: tuple[str, ...], errors: tuple[str, ...]
    ) -> Box:
        """Return the box of node `n`."""
        a = self.a
        data = a.graph.nodes[n]
        kind = data["type"]
        source = a.menu.by_id.get(n)
        prompt = " ".join((source.prompt or "").split()) if source is not None else ""
        words = prompt.split()
        said = " ".join(words[:_SAID_WORDS]) + (" …" if len(words) > _SAID_WORDS else "")
        at = f"at {duration(self.at.get(n, 0.0))}"
        if kind == "agent":
            # A staffed queue waits as it answers under load, as every figure says.
            staffed = self.waits.get(n)
            at += f" + {staffed}" if staffed else f" + {duration(data['seconds'])} hold"
        elif kind == "callback":
            at += f", {data['takes']:.0%} take the call back"
        tip = f"{n} ({kind.replace('_', ' ')}), {at}"
        if prompt:
            tip += f". It says: “{prompt if len(prompt) <= 300 else prompt[:299] + '…'}”"
        tip += "".join(f"; {x}" for x in (*marks, *notes, *errors))
        return Box(
            node=n,
            shape=kind.replace("_", "-") if kind.replace("_", "-") in _KINDS else "other",
            title=self.title(n),
            said=said,
            at=at,
            marks=marks,
            notes=notes,
            errors=errors,
            tooltip=tip,
            classes=" ".join(self.on.get(n, ())),
        )

    def way_note(self, w: _Way) -> str:
        """Return a way on that is not drawn as a short note, its direction first:
        `↩ 9: Press 9 to hear these options again. (“Please choose…”)`."""
        back = "↩ " if self.layer.get(w.v, 0) <= self.layer[w.u] else "→ "
        key = f"{w.key}: " if w.key else ""
        name = self.name(w.v)
        if w.kind == "option" and w.label and w.label != self.title(w.v):
            return f"{back}{key}{w.label} ({name})"
        return f"{back}{key}{name}"

    def notes(self, n: str, drawn: set[_Way]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return the ways on from `n` that are not drawn as lines, as short notes: the
        options and other ways, then what silence and a wrong key do."""
        g = self.a.graph
        errors: dict[str, list[str]] = {}
        out: list[str] = []
        for w in self.ways.get(n, ()):
            if w in drawn:
                continue
            if w.kind in ERRORS:
                if _synthetic(g, w.v):
                    where = "call ends"
                elif w.v == n:
                    where = "repeat"
                else:
                    where = "→ " + self.name(w.v)
                errors.setdefault(where, []).append(
                    "silence" if w.kind == "no_input" else "wrong key"
                )
                continue
            out.append(self.way_note(w))
        said = []
        for where, what in errors.items():
            sep = ":" if not where.startswith("→") else ""
            said.append(f"{', '.join(what)}{sep} {where}")
        return tuple(out), tuple(said)


def _share(d: Mapping[str, object]) -> str:
    """Return a route's pill: its share, and a one-word condition ("50% true")."""
    when = str(d["label"] or "")
    share = f"{d['probability']:.0%}"
    return f"{share} {when}" if when and len(when.split()) == 1 and len(when) <= 10 else share


def _synthetic(g: object, n: Hashable) -> bool:
    return bool(g.nodes[n].get("synthetic"))  # type: ignore[attr-defined]


def pictures(
    a: Audit,
    journeys: Mapping[str, tuple[str, ...]] | None = None,
    edges_on: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
    marks: Mapping[str, tuple[str, ...]] | None = None,
    limit: int | None = PICTURE_BOXES,
    most: int = 60,
    prefix: str = "map",
) -> tuple[tuple[Picture, ...], int]:
    """Return the pictures of `a`'s map: one of the whole menu when it has at most `limit`
    boxes (or `limit` is None), else its top and then each part below a cut, each about
    `limit` boxes; and how many boxes were left off beyond `most` pictures."""
    s = Scene(a, journeys)
    edges_on = edges_on or {}
    marks = marks or {}
    roots = deque([a.menu.entry])
    out: list[Picture] = []
    anchors: dict[str, str] = {}
    placed: set[str] = set()
    size = _sizes(s)
    while roots and len(out) < most:
        root = roots.popleft()
        members = _take(s, root, size, limit)
        inside = set(members)
        placed |= inside
        cut = [n for n in members if n != root and s.kids.get(n) and s.kids[n][0] not in inside]
        for n in cut:
            anchors[n] = f"{prefix}-{len(anchors) + 1}"
            roots.append(n)
        out.append(_picture(s, root, members, inside, cut, anchors, edges_on, marks, prefix))
    left = len(s.layer) - len(placed)
    return tuple(out), left


def _picture(
    s: Scene,
    root: str,
    members: list[str],
    inside: set[str],
    cut: list[str],
    anchors: Mapping[str, str],
    edges_on: Mapping[tuple[str, str], tuple[str, ...]],
    marks: Mapping[str, tuple[str, ...]],
    prefix: str,
) -> Picture:
    index = {n: i for i, n in enumerate(members)}
    base = s.layer[root]
    links: list[Link] = []
    pairs: set[tuple[str, str]] = set()
    drawn: set[_Way] = set()
    for n in members:
        for w in s.ways.get(n, ()):
            if w.v not in inside or s.layer[w.v] != s.layer[n] + 1 or (n, w.v) in pairs:
                continue
            if w.kind in ERRORS and s.parent.get(w.v) != w:
                continue
            if n in cut:  # its part is its own picture
                continue
            pairs.add((n, w.v))
            drawn.add(w)
            how = {"no_input": "silence", "no_match": "wrong key"}.get(w.kind, w.key)
            links.append(
                Link(
                    index[n],
                    index[w.v],
                    how,
                    _link_title(s, w),
                    " ".join(edges_on.get((n, w.v), ())),
                    w.kind in ERRORS,
                    s.parent.get(w.v) == w,
                    s.way_note(w),
                    w.label if w.kind == "option" else "",
                )
            )
    boxes = []
    for n in members:
        notes, errors = ((), ()) if n in cut else s.notes(n, drawn)
        b = s.box(n, tuple(marks.get(n, ())), notes, errors)
        extra: dict[str, object] = {"layer": s.layer[n] - base}
        if n in cut:
            below = _count_below(s, n)
            extra["more"] = f"▾ {below} more step{'s' if below != 1 else ''} below"
            extra["more_href"] = anchors[n]
        boxes.append(_replace(b, **extra))
    title = s.title(root).rstrip(".")
    above = s.parent.get(root)
    if root != s.a.menu.entry and above is not None:
        title += f", below {s.name(above.u)}"
    anchor = anchors.get(root, f"{prefix}-0")
    return Picture(anchor, title, tuple(boxes), tuple(links))


def _link_title(s: Scene, w: _Way) -> str:
    how = {
        "option": f"press {w.key}",
        "route": f"{w.key} of calls: {w.label}",
        "no_input": "silence",
        "no_match": "a wrong key",
    }.get(w.kind, "then")
    return f"{s.name(w.u)} → {s.name(w.v)} ({how})"


def _sizes(s: Scene) -> dict[str, int]:
    """Return how many boxes each node's part of the tree holds, itself included."""
    size: dict[str, int] = {}
    for n in reversed(s.order):  # breadth first: every child comes after its parent
        size[n] = 1 + sum(size[k] for k in s.kids.get(n, ()))
    return size


def _take(s: Scene, root: str, size: Mapping[str, int], limit: int | None) -> list[str]:
    """Return the boxes of the picture from `root`, breadth first: each node's children
    while they fit in `limit` (the root's always), and a child's whole part where it
    fits; a node whose children do not fit is cut (it gets a picture of its own)."""
    members = [root]
    budget = limit - 1 if limit is not None else len(s.layer)
    frontier = deque([root])
    while frontier:
        n = frontier.popleft()
        kids = s.kids.get(n, [])
        if not kids or (len(kids) > budget and n != root):
            continue
        members.extend(kids)
        budget -= len(kids)
        for k in kids:
            if size[k] - 1 <= budget:
                budget -= size[k] - 1
                _whole(s, k, members)
            else:
                frontier.append(k)
    return members


def _whole(s: Scene, n: str, members: list[str]) -> None:
    """Add the boxes below `n` to `members`, breadth first."""
    i = len(members)
    members.extend(s.kids.get(n, ()))
    while i < len(members):
        members.extend(s.kids.get(members[i], ()))
        i += 1


def _count_below(s: Scene, n: str) -> int:
    count, stack = 0, list(s.kids.get(n, ()))
    while stack:
        k = stack.pop()
        count += 1
        stack.extend(s.kids.get(k, ()))
    return count


def _replace(b: Box, **changes: object) -> Box:
    from dataclasses import replace

    return replace(b, **changes)
