"""Remove menus that make callers choose for nothing, and lift tiny submenus up a level."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ivraudit.format.model import Handler, Menu, Node, Option
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import DIGITS, drop_node, rekey, with_node

KIND = "flatten"
TITLE = "Flatten"
FIXES = ("IVR201", "IVR205")
RATIONALE = """Each menu level costs a prompt, a wait and a choice. A menu whose options
all lead to the same place asks a question whose answer changes nothing; a submenu of one
or two options can be read in its parent when the parent stays within the options limit;
two menus that differ only in wording are one menu. Broad menus beat deep ones."""
SOURCE = """Commarford, Lewis, Al-Awar Smither & Gentzler (2008), "A comparison of broad
versus deep auditory menu structures", Human Factors 50(1); rules IVR201, IVR205."""

TINY = 2  # options a submenu may have to be lifted into its parent


def propose(site: Site) -> Iterator[Change]:
    """Yield the flattening changes for the reachable menus, in file order."""
    limit = site.option("IVR202", "max_options")
    menus = site.menus()
    twins = {}
    for node in menus:
        twin = next((m for m in menus if m.id != node.id and _same(m, node)), None)
        if twin is not None and site.ctx.file_order[twin.id] < site.ctx.file_order[node.id]:
            twins[node.id] = twin.id
    for node in menus:
        targets = {o.goto for o in node.options}
        handlers = {h.goto for h in (node.no_input, node.no_match) if h is not None}
        if len(targets) == 1 and node.id not in targets and handlers <= targets:
            (target,) = targets
            yield Change(
                key=node.id,
                title=f"Skip '{node.id}': every option leads to '{target}'",
                why=(
                    f"callers choose at '{node.id}' for nothing: all of its options go to "
                    f"'{target}'"
                ),
                change=f"remove '{node.id}' and send its callers straight to '{target}'",
                nodes=(node.id,),
                pos=node.pos,
                apply=lambda menu, nid=node.id, t=target: _skip(menu, nid, t),
            )
        elif node.id in twins:
            twin = twins[node.id]
            yield Change(
                key=node.id,
                title=f"Merge '{node.id}' into '{twin}'",
                why=f"'{node.id}' offers the same keys to the same places as '{twin}'",
                change=f"remove '{node.id}' and send its callers to '{twin}'",
                nodes=(node.id, twin),
                pos=node.pos,
                apply=lambda menu, nid=node.id, t=twin: _merge(menu, nid, t),
                decision="wording: which menu's prompt to keep",
            )
        else:
            parent = _lift_site(site, node)
            if parent is None or _lifted(site.menu, parent, node.id, limit) is None:
                continue
            yield Change(
                key=node.id,
                title=f"Read the options of '{node.id}' in '{parent}'",
                why=(
                    f"'{node.id}' offers only {len(node.options)} "
                    f"{'option' if len(node.options) == 1 else 'options'}; '{parent}' can "
                    f"offer them itself and stay within {limit} options"
                ),
                change=f"replace the option of '{parent}' that leads to '{node.id}' by its options",
                nodes=(parent, node.id),
                pos=node.pos,
                apply=lambda menu, p=parent, nid=node.id, k=limit: _lifted(menu, p, nid, k),
                decision="wording: the lifted options must make sense on their own",
            )


def _same(a: Node, b: Node) -> bool:
    def shape(n: Node) -> tuple[object, ...]:
        handlers = tuple(
            None if h is None else (h.goto, h.retries) for h in (n.no_input, n.no_match)
        )
        return (tuple((o.key, o.goto, o.intents) for o in n.options), handlers, n.barge_in)

    return a.id not in {o.goto for o in b.options} and shape(a) == shape(b)


def _lift_site(site: Site, node: Node) -> str | None:
    """Return the parent menu whose single option is the only way into a tiny `node`."""
    if len(node.options) > TINY or node.id == site.menu.entry:
        return None
    g = site.audit.graph
    into = list(g.in_edges(node.id, data=True))
    if len(into) != 1:
        return None
    parent, _, data = into[0]
    if data["kind"] != "option" or g.nodes[parent]["type"] != "menu" or parent == node.id:
        return None
    return str(parent)


def _skip(menu: Menu, node_id: str, target: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or target not in menu.by_id or {o.goto for o in node.options} != {target}:
        return None
    return drop_node(menu, node_id, target)


def _merge(menu: Menu, node_id: str, twin: str) -> Menu | None:
    a, b = menu.by_id.get(twin), menu.by_id.get(node_id)
    if a is None or b is None or not _same(a, b):
        return None
    return drop_node(menu, node_id, twin)


def _lifted(menu: Menu, parent_id: str, node_id: str, limit: int) -> Menu | None:
    parent, node = menu.by_id.get(parent_id), menu.by_id.get(node_id)
    if parent is None or node is None or node.type != "menu" or parent.type != "menu":
        return None
    at = [i for i, o in enumerate(parent.options) if o.goto == node_id]
    if len(at) != 1 or len(parent.options) - 1 + len(node.options) > limit:
        return None
    if any(h is not None and h != p for h, p in _handlers(node, parent)):
        return None  # the submenu handles silence differently: lifting would change that
    into = parent.options[at[0]]
    free = [d for d in DIGITS if d not in {o.key for o in parent.options}]
    keys = [into.key, *free]
    lifted: list[Option] = []
    for sub, key in zip(node.options, keys, strict=False):
        if sub.say is None and sub.label is None:
            return None  # "Press 1." means nothing once read in the parent
        intents = _intents(into.intents, sub.intents)
        moved = rekey(sub, key)
        if intents is None or moved is None:
            return None
        lifted.append(replace(moved, intents=intents))
    if len(lifted) != len(node.options):
        return None
    options = (*parent.options[: at[0]], *lifted, *parent.options[at[0] + 1 :])
    out = with_node(menu, replace(parent, options=options))
    return drop_node(out, node_id, parent_id)


def _handlers(node: Node, parent: Node) -> list[tuple[object, object]]:
    def plain(h: Handler | None) -> tuple[str, int | None] | None:
        return None if h is None else (h.goto, h.retries)

    return [
        (plain(node.no_input), plain(parent.no_input)),
        (plain(node.no_match), plain(parent.no_match)),
    ]


def _intents(above: tuple[str, ...], below: tuple[str, ...]) -> tuple[str, ...] | None:
    """Return who chooses a lifted option: those who chose the way in and then it."""
    if not above:
        return below
    if not below:
        return above
    both = tuple(i for i in below if i in above)
    return both or None
