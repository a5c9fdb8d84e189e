"""Add 0 for a person to menus without one."""

from __future__ import annotations

from collections.abc import Iterator

from ivraudit.format.model import Menu, Option
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.edit import insert_option, with_node

KIND = "zero-out"
TITLE = "0 for a person"
FIXES = ("IVR104", "IVR105")
RATIONALE = """Callers expect 0 to reach a person; a menu without it makes those who do
not fit its options guess, wait or hang up. The person chosen handles most of the calls
that pass the menu, so the queue suits the menu's callers; where agents in several
queues handle them (and the file gives traffic and queues), the one whose queue takes
the new callers with the shortest mean call."""
SOURCE = """GetHuman Standard v1.0, point 1 (0 or "operator" always reaches a person);
rule IVR104."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each reachable menu where 0 does not reach a person."""
    for node in site.menus():
        zero = [o for o in node.options if o.key == "0"]
        if zero:
            continue  # 0 is taken by something else: moving it is a wording decision
        found = site.person_for(node.id, lambda m, a, nid=node.id: _apply(m, nid, a))
        if found is None:
            return
        agent, reason = found
        yield Change(
            key=node.id,
            title=f"Add 0 for a person to '{node.id}'",
            why=(
                f"'{node.id}' offers no 0, so callers whose request is not listed must "
                f"guess; {reason}"
            ),
            change=(
                f"offer 0 for a person, read after the other options, going to '{agent.id}' "
                f"(in the menu file: {{key: 0, label: a person, goto: {agent.id}}})"
            ),
            nodes=(node.id, agent.id),
            pos=node.where("options"),
            apply=lambda menu, nid=node.id, aid=agent.id: _apply(menu, nid, aid),
        )


def _apply(menu: Menu, node_id: str, agent_id: str) -> Menu | None:
    node = menu.by_id.get(node_id)
    if node is None or agent_id not in menu.by_id or any(o.key == "0" for o in node.options):
        return None
    zero = Option(key="0", goto=agent_id, pos=node.pos, label="a person")
    return with_node(menu, insert_option(node, zero))
