"""Send silence and wrong keys to a person instead of a disconnect or a loop."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ivraudit.format.model import Menu
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import person_handler, with_node

KIND = "dead-ends"
TITLE = "No dead ends or traps"
FIXES = ("IVR402", "IVR401", "IVR404")
RATIONALE = """A caller who says nothing or presses a wrong key is usually lost, not
leaving: a disconnect after the last repeat, or a handler that leads back into a loop,
strands them. One repeat, then a person, serves them and ends the loop."""
SOURCE = """GetHuman Standard v1.0, point 8 (never disconnect or strand a caller for
silence or errors; queue them for a person); rules IVR402 and IVR401."""


# What a caller does to reach each handler, in words for the change a suggestion names.
_WHO = {"no_input": "press nothing", "no_match": "press a wrong key"}


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each reachable menu whose silence or wrong key ends badly."""
    trapped = {n for n in site.ctx.presses if n not in site.ctx.can_exit}
    for node in site.menus():
        trap = node.id in trapped
        missing = [
            name
            for name in ("no_input", "no_match")
            if getattr(node, name) is None or (trap and name == "no_input")
        ]
        if not missing:
            continue
        found = site.person_for(
            node.id, lambda m, a, nid=node.id, ms=tuple(missing): _apply(m, nid, a, ms)
        )
        if found is None:
            return
        agent, reason = found
        what = " and ".join(m.replace("_", "-") for m in missing)
        ends = "can never leave it" if trap else "is disconnected after the last repeat"
        yield Change(
            key=node.id,
            title=f"Send {what} at '{node.id}' to a person",
            why=(
                f"a caller who {'stays silent' if 'no_input' in missing else 'presses a wrong key'}"
                f" at '{node.id}' {ends}; {reason}"
            ),
            change=(
                f"send callers who {' or '.join(_WHO[m] for m in missing)} to '{agent.id}' "
                "after one repeat (in the menu file: "
                + "; ".join(f"{m}: {{retries: 1, goto: {agent.id}}}" for m in missing)
                + ")"
            ),
            nodes=(node.id, agent.id),
            pos=node.pos,
            apply=lambda menu, nid=node.id, aid=agent.id, ms=tuple(missing): _apply(
                menu, nid, aid, ms
            ),
        )


def _apply(menu: Menu, node_id: str, agent_id: str, missing: tuple[str, ...]) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or node.type != "menu" or agent_id not in menu.by_id:
        return None
    changes = {m: person_handler(agent_id, node) for m in missing}
    if all(getattr(node, m) == h for m, h in changes.items()):
        return None
    return with_node(menu, replace(node, **changes))
