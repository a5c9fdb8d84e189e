"""The caller is asked twice for the same information on one route.

Two `input` nodes collect the same datum and one can be reached from the other, so a
caller who typed it in once is asked for it again; the passing menu asks only once.

Fails:

    ivraudit: 1
    name: Asked twice
    nodes:
      account:
        type: input
        prompt: "Key in your account number."
        collects: account_number
        next: main
      main:
        options:
          - {key: 1, label: billing, goto: again}
      again:
        type: input
        prompt: "Key in your account number again."
        collects: account_number
        next: desk
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Asked once
    nodes:
      account:
        type: input
        prompt: "Key in your account number."
        collects: account_number
        next: main
      main:
        options:
          - {key: 1, label: billing, goto: desk}
      desk: {type: agent}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.format.model import Node
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, strong_components

ID = "IVR403"
NAME = "repeat-question"
TITLE = "Caller asked for the same information twice"
CATEGORY = "robustness"
SEVERITY = "warning"
RATIONALE = """Keying in an account number or a date of birth is slow and error-prone;
being asked for it a second time in the same call wastes the caller's time, doubles the
chance of a typing error and tells the caller their first answer was ignored."""
SOURCE = """GetHuman Standard v1.0 (2007), point 3: callers should never be asked to
repeat information they have already given during the call; ISO 9241-154:2013,
Interactive voice response applications, section 6.3 "Non-duplication of information
input" (cited by its heading)."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each input that asks again for a datum collected earlier on a route."""
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in ctx.nodes("input"):
        if node.collects:
            groups[node.collects].append(node)
    inputs = [n for group in groups.values() if len(group) > 1 for n in group]
    if not inputs:
        return
    earlier = _asked_before(ctx, inputs)
    for node in ctx.nodes("input"):
        first = earlier.get(node.id)
        if first is not None:
            yield Problem(
                node.where("collects"),
                f"'{node.id}' asks again for {node.collects}, which the caller already "
                f"keyed in at '{first}' on the way here",
                node.id,
            )


def _asked_before(ctx: Context, inputs: list[Node]) -> dict[str, str]:
    """Return, for each input reached after another input of its datum, the first such input.

    One pass over the condensation (strongly connected components in topological order)
    carries a bitset of the inputs each component can be reached from, so the cost is
    O((V + E) * k / 64) for the k inputs that share a datum with another, instead of one
    search per input. Inside a cycle the inputs reach each other; the one reached with
    more presses (then later in the file) counts as the repeat.
    """
    rank = ctx.file_order
    inputs = sorted(inputs, key=lambda n: rank[n.id])  # bit i is the i-th input in the file
    bit = {n.id: 1 << i for i, n in enumerate(inputs)}
    same: dict[str | None, int] = defaultdict(int)
    for n in inputs:
        same[n.collects] |= bit[n.id]
    succ = ctx.successors
    comps = strong_components(succ)[::-1]  # sources first: a topological order
    comp_of = {node: c for c, members in enumerate(comps) for node in members}
    own = [0] * len(comps)
    for node_id, b in bit.items():
        own[comp_of[node_id]] |= b
    above = [0] * len(comps)  # the inputs strictly upstream of each component
    for c, members in enumerate(comps):
        down = above[c] | own[c]
        if not down:
            continue
        for u in members:
            for v in succ[u]:
                d = comp_of[v]
                if d != c:
                    above[d] |= down
    # Within one cycle, an input repeats those of its datum placed before it.
    before: dict[str, int] = {}
    running: dict[tuple[int, str | None], int] = defaultdict(int)
    for n in sorted(inputs, key=lambda n: (ctx.presses[n.id], rank[n.id])):
        c = comp_of[n.id]
        if len(comps[c]) > 1:
            before[n.id] = running[c, n.collects]
            running[c, n.collects] |= bit[n.id]
    out: dict[str, str] = {}
    for n in inputs:
        mask = (above[comp_of[n.id]] | before.get(n.id, 0)) & same[n.collects]
        if mask:
            out[n.id] = inputs[(mask & -mask).bit_length() - 1].id  # the first in the file
    return out
