"""A trap: callers can enter a part of the menu but never leave it.

In the failing menu every option, silence and wrong key of the outage section leads
back into it, so a caller there never reaches a person, a resolution or even the end of
the call; the passing menu lets key 0 out to a person.

Fails:

    ivraudit: 1
    name: Trap
    nodes:
      main:
        options:
          - {key: 1, label: the outage, goto: outage}
          - {key: 0, label: a person, goto: desk}
        no_input: {goto: desk}
        no_match: {goto: desk}
      outage:
        prompt: "Supplies return by 6 pm."
        options:
          - {key: 1, label: the update again, goto: outage}
        no_input: {goto: outage}
        no_match: {goto: outage}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Way out
    nodes:
      main:
        options:
          - {key: 1, label: the outage, goto: outage}
          - {key: 0, label: a person, goto: desk}
        no_input: {goto: desk}
        no_match: {goto: desk}
      outage:
        prompt: "Supplies return by 6 pm."
        options:
          - {key: 1, label: the update again, goto: outage}
          - {key: 0, label: a person, goto: desk}
        no_input: {goto: outage}
        no_match: {goto: outage}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR401"
NAME = "trap"
TITLE = "Trap: a part of the menu callers cannot leave"
CATEGORY = "robustness"
SEVERITY = "error"
RATIONALE = """A caller who enters a trap can only go round in it: no key, silence or
wrong key leads to a person, a resolution or even the end of the call, so they must hang
up unhelped. A trap is usually a forgotten way out (a missing 0 or a handler pointing
back into the loop) and is invisible until a caller falls into it."""
SOURCE = """GetHuman Standard v1.0 (2007), point 1 (callers must always be able to reach
a person with 0 or "operator") and point 8 (never strand or disconnect a caller for
errors or silence; queue them for a person instead)."""
OPTIONS: dict[str, Any] = {}

_MAX_LISTED = 6


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield one problem per trapped region, at the node through which callers first enter it."""
    trapped = [n for n in ctx.presses if n not in ctx.can_exit]
    if not trapped:
        return
    order = ctx.file_order
    g = ctx.graph
    # Everything after a trapped node is trapped too, so a region is closed under routes;
    # weak components keep a loop and the nodes hanging off it together.
    regions = []
    for region in nx.weakly_connected_components(g.subgraph(trapped)):
        members = sorted(region, key=lambda n: order.get(n, len(order)))
        # Among the nodes with the fewest presses, one is always entered from outside
        # (or is the entry): prefer it, so the finding names the way in.
        door = min(
            members,
            key=lambda n: (
                ctx.presses[n],
                n != ctx.menu.entry
                and all(u in region or u not in ctx.presses for u in g.predecessors(n)),
                order.get(n, len(order)),
            ),
        )
        regions.append((order.get(door, len(order)), door, members))
    for _, door, members in sorted(regions):
        listed = ", ".join(f"'{n}'" for n in members[:_MAX_LISTED])
        if len(members) > _MAX_LISTED:
            listed += f" and {len(members) - _MAX_LISTED} more"
        yield Problem(
            ctx.pos(door),
            f"callers who reach '{door}' can never get to a person, a resolution or the end "
            f"of the call (trapped: {listed})",
            door,
        )
