"""The two-option entry menu: 1 for the request most callers have, then everything else."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ivraudit.format.model import Handler, Menu, Node, Option
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import add_node, free_id, redirect

KIND = "taxi-model"
TITLE = "Taxi model"
FIXES = ("IVR208",)
RATIONALE = """When one request (or two) carries most calls, a short first menu that
offers it at once, then everything else, and 0 for a person, serves most callers in
one press: the Singapore taxi line that answers "1 for a taxi now" before anything else.
The rest hear one short option more before the menu they know."""
SOURCE = """ivraudit's yardstick (README, menus/city_cabs.yaml); Avaya Interactive
Response R2.0 (2006): most likely choice first."""

MOST = 0.5  # the top requests must carry at least this share of calls
TOP = 2  # and be at most this many


def propose(site: Site) -> Iterator[Change]:
    """Yield the taxi-model entry menu when a few resolvable requests carry most calls."""
    firsts = site.first_menus()
    if not firsts:
        return
    first = firsts[0]
    top = _top(site)
    if not top:
        return
    targets = []
    for intent in top:
        target = _target(site, intent, first)
        if target is None:
            return
        targets.append((intent, *target))
    if all(
        i < len(first.options) and first.options[i].goto == goto
        for i, (_, goto, _) in enumerate(targets)
    ):
        return  # the first menu already reads them first
    found = site.suited_agent(first.id)
    agent = found[0].id if found else None
    names = " and ".join(label for _, _, label in targets)
    share = sum(site.menu.intent_shares[i] for i in top)
    yield Change(
        key=first.id,
        title=f"Offer {names} first, in a short menu before '{first.id}'",
        why=(
            f"{share:.0%} of calls want {names}, yet hear the menu '{first.id}' "
            f"({len(first.options)} options) first"
        ),
        change=(
            "add a menu before '"
            + first.id
            + "': "
            + ", ".join(f"{n + 1} for {label}" for n, (_, _, label) in enumerate(targets))
            + f", {len(targets) + 1} for everything else ('{first.id}')"
            + (f", 0 for a person ('{agent}')" if agent else "")
        ),
        nodes=(first.id, *(goto for _, goto, _ in targets)),
        pos=first.pos,
        apply=lambda menu, f=first.id, t=tuple(targets), a=agent: _apply(menu, f, t, a),
        decision="wording of the new menu",
    )


def _top(site: Site) -> list[str]:
    """Return the fewest most frequent resolvable intents that carry most calls."""
    seconds = dict(site.audit.metrics.intent_seconds)
    ranked = sorted(site.menu.intent_shares.items(), key=lambda kv: -kv[1])
    out, total = [], 0.0
    for intent, share in ranked[:TOP]:
        if share <= 0 or seconds.get(intent) is None:
            return []
        out.append(intent)
        total += share
        if total >= MOST:
            return out
    return []


def _target(site: Site, intent: str, first: Node) -> tuple[str, str] | None:
    """Return where the intent's quickest route goes after its last menu choice, and the
    words of that choice."""
    steps = site.ctx.intent_route(intent)
    chosen = [s for s in steps if s.kind == "option"]
    if not chosen or not any(s.node == first.id for s in steps):
        return None
    last = chosen[-1]
    node = site.menu.node(str(last.node))
    option = next((o for o in node.options if o.key == last.key and o.goto == last.to), None)
    label = option.label if option and option.label else intent.replace("_", " ")
    return str(last.to), label


def _apply(
    menu: Menu, first_id: str, targets: tuple[tuple[str, str, str], ...], agent: str | None
) -> Menu | None:
    first = menu.by_id.get(first_id)
    if first is None or any(goto not in menu.by_id for _, goto, _ in targets):
        return None
    declared = any(o.intents for o in first.options)
    new_id = free_id(menu, "top_requests")
    options = [
        Option(
            key=str(n + 1),
            goto=goto,
            pos=first.pos,
            label=label,
            intents=(intent,) if declared else (),
        )
        for n, (intent, goto, label) in enumerate(targets)
    ]
    options.append(
        Option(key=str(len(targets) + 1), goto=first_id, pos=first.pos, label="everything else")
    )
    if agent is not None and agent in menu.by_id:
        options.append(Option(key="0", goto=agent, pos=first.pos, label="a person"))
    node = Node(
        id=new_id,
        type="menu",
        pos=first.pos,
        prompt=first.prompt,
        options=tuple(options),
        no_input=Handler(goto=first_id, pos=first.pos, retries=0),
        no_match=Handler(goto=first_id, pos=first.pos, retries=0),
    )
    out = add_node(menu, node, before=first_id)
    # Callers arrive at the new menu instead of the old one; the old menu's prompt moves.
    out = redirect(out, first_id, new_id, lambda n: n.id != new_id and n.type != "menu")
    return replace(
        out, nodes=tuple(replace(n, prompt="") if n.id == first_id else n for n in out.nodes)
    )
