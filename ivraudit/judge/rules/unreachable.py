"""A node that no call can reach from the entry.

Usually a leftover of an edit or a typo in a `goto`: the work in the node is lost, and
whatever callers were meant to find there is missing. The passing menu links it.

Fails:

    ivraudit: 1
    name: Orphan
    nodes:
      main:
        options:
          - {key: 0, label: a person, goto: desk}
      desk: {type: agent}
      hours: {type: self_service, prompt: "We open at nine."}

Passes:

    ivraudit: 1
    name: Linked
    nodes:
      main:
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      desk: {type: agent}
      hours: {type: self_service, prompt: "We open at nine."}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR203"
NAME = "unreachable"
TITLE = "Node no call can reach"
CATEGORY = "navigation"
SEVERITY = "warning"
RATIONALE = """A node no route reaches is dead weight: usually it was meant to be
reachable, so a service callers need is missing from the line while the file suggests it
is there. It is typically left behind by an edit that re-pointed a `goto`, or by a typo
in one."""
SOURCE = """A structural design-correctness check (graph reachability from the entry), as
compilers and linters report unreachable code; no caller-experience study is needed for
it."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each defined node that no route from the entry reaches."""
    entry = ctx.menu.entry
    for node_id in ctx.metrics.unreachable_nodes:
        # Every predecessor of an unreachable node is itself unreachable.
        if any(u != node_id for u in ctx.graph.predecessors(node_id)):
            why = "only unreachable nodes lead to it"
        else:
            why = "no node leads to it"
        yield Problem(
            ctx.pos(node_id),
            f"'{node_id}' cannot be reached from the entry '{entry}': {why}",
            node_id,
        )
