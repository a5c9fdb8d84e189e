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
    targets: list[Target] = []
    for intent in top:
        target = _target(site, intent, first)
        if target is None:
            return
        targets.append(target)
    if all(
        i < len(first.options) and first.options[i].goto == goto and not inputs
        for i, (_, goto, _, inputs) in enumerate(targets)
    ):
        return  # the first menu already reads them first
    targets = _by_load(site, first.id, targets)
    found = site.person_for(first.id, lambda m, a: _apply(m, first.id, tuple(targets), a))
    agent = found[0].id if found else None
    names = " and ".join(label for _, _, label, _ in targets)
    share = sum(site.menu.intent_shares[i] for i in top)
    asked = [
        f"{label} first asks for {', '.join(_collects(site, inputs))}"
        for _, _, label, inputs in targets
        if inputs
    ]
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
            + ", ".join(f"{n + 1} for {label}" for n, (_, _, label, _) in enumerate(targets))
            + f", {len(targets) + 1} for everything else ('{first.id}')"
            + (f", 0 for a person ('{agent}')" if agent else "")
            + ("; " + "; ".join(asked) + " as today" if asked else "")
        ),
        nodes=(first.id, *(goto for _, goto, _, _ in targets)),
        pos=first.pos,
        apply=lambda menu, f=first.id, t=tuple(targets), a=agent: _apply(menu, f, t, a),
        decision="wording of the new menu",
    )


# An offered request: intent, where its option goes, the option's words, and the inputs
# its route passes on the way there today (kept in front: identification stays).
Target = tuple[str, str, str, tuple[str, ...]]


def _collects(site: Site, inputs: tuple[str, ...]) -> list[str]:
    return [(site.menu.node(i).collects or i).replace("_", " ") for i in inputs]


def _by_load(site: Site, first_id: str, targets: list[Target]) -> list[Target]:
    """Return the targets with each one that is a person replaced, where agents in other
    queues handle the same intent, by the one whose queue takes the calls at least cost
    in load (with traffic and queues)."""
    out = list(targets)
    for n, (intent, goto, label, inputs) in enumerate(targets):
        node = site.menu.node(goto)
        if node.type != "agent":
            continue

        def edit(menu: Menu, agent: str, n: int = n) -> Menu | None:
            trial = list(out)
            trial[n] = (trial[n][0], agent, trial[n][2], trial[n][3])
            return _apply(menu, first_id, tuple(trial), None)

        found = site.by_load(site.same_calls(node, [intent]), edit)
        if found is not None:
            out[n] = (intent, found[0].id, label, inputs)
    return out


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


def _target(site: Site, intent: str, first: Node) -> Target | None:
    """Return where the intent's route goes after its last menu choice, the words of that
    choice, and the inputs the route passes from the first menu up to that choice."""
    steps = site.ctx.intent_route(intent)
    chosen = [s for s in steps if s.kind == "option"]
    at = next((n for n, s in enumerate(steps) if s.node == first.id), None)
    if not chosen or at is None:
        return None
    last = chosen[-1]
    node = site.menu.node(str(last.node))
    option = next((o for o in node.options if o.key == last.key and o.goto == last.to), None)
    label = option.label if option and option.label else intent.replace("_", " ")
    upto = steps.index(last)
    inputs = tuple(
        dict.fromkeys(
            str(s.node)
            for s in steps[at:upto]
            if isinstance(s.node, str) and site.menu.by_id.get(s.node, first).type == "input"
        )
    )
    return intent, str(last.to), label, inputs


def _apply(
    menu: Menu, first_id: str, targets: tuple[Target, ...], agent: str | None
) -> Menu | None:
    first = menu.by_id.get(first_id)
    wanted = [goto for _, goto, _, _ in targets] + [i for *_, ins in targets for i in ins]
    if first is None or any(n not in menu.by_id for n in wanted):
        return None
    declared = any(o.intents for o in first.options)
    new_id = free_id(menu, "top_requests")
    options = []
    for n, (intent, goto, label, inputs) in enumerate(targets):
        # The inputs the route passed stay in front of the request, as copies that lead
        # straight to it: identification and the data a handler needs are kept.
        for input_id in reversed(inputs):
            copy = replace(menu.node(input_id), id=free_id(menu, f"{input_id}_{intent}"), next=goto)
            menu = add_node(menu, copy, before=input_id)
            goto = copy.id
        options.append(
            Option(
                key=str(n + 1),
                goto=goto,
                pos=first.pos,
                label=label,
                intents=(intent,) if declared else (),
            )
        )
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
