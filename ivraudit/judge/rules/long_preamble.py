"""Callers wait too long before the first menu's first option is spoken.

The failing line plays a greeting and a notice before its menu prompt, so the first
option starts 10 seconds into the call; the passing line keeps only a short welcome.
Each menu a call reaches without a key press is checked on its own, with the least time
along messages, inputs, branches and self-service nodes that lead to it (a branch takes
no time; a route with share 0 carries no calls), plus its own prompt.

Fails:

    ivraudit: 1
    name: Long welcome
    nodes:
      welcome:
        type: message
        prompt: >-
          Welcome to the Bloom florist order line. Calls may be recorded for
          training and quality purposes.
        next: main
      main:
        prompt: "Thanks for calling Bloom, the florist for every occasion."
        options:
          - {key: 0, label: our florists, goto: florist}
      florist: {type: agent}

Passes:

    ivraudit: 1
    name: Short welcome
    nodes:
      main:
        prompt: "Thanks for calling Bloom."
        options:
          - {key: 0, label: our florists, goto: florist}
      florist: {type: agent}
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.analysis.timing import prompt_seconds
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR302"
NAME = "long-preamble"
TITLE = "Long preamble before the first option"
CATEGORY = "prompts"
SEVERITY = "warning"
RATIONALE = """Every caller sits through the introduction before hearing a single option,
so each of its seconds is paid on every call; greetings, branding, notices and web
advertising before the menu delay everyone, including callers who know their key."""
SOURCE = """Software Advice (2014), "IVR Design Lessons From the Fortune 500": keep the
introduction under about 8 seconds, as commonly summarised; Lewis (2011), "Practical
Speech User Interface Design", the introduction must be as concise as possible (each
second of extraneous speech reportedly cost AT&T about $1 million a year); GetHuman
Standard v1.0 (2007), point 6: no long or verbose prompts."""
OPTIONS: dict[str, Any] = {"max_seconds": 8}

_MAX_LISTED = 4


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each menu reached without a key press whose first option starts late."""
    limit = options["max_seconds"]
    before, parent = _preamble(ctx)
    for node in ctx.nodes("menu"):
        if ctx.presses[node.id] != 0 or node.id not in before:
            continue
        own = prompt_seconds(node, ctx.menu.timing)
        total = before[node.id] + own
        if total <= limit:
            continue
        heard = [v for v in _route(parent, node.id) if ctx.graph.nodes[v]["seconds"] > 0]
        parts = [f"'{v}' {seconds_text(ctx.graph.nodes[v]['seconds'])}" for v in heard]
        if len(parts) > _MAX_LISTED:
            parts = [*parts[: _MAX_LISTED - 1], f"{len(parts) - _MAX_LISTED + 1} more steps"]
        if own > 0:
            parts.append(f"its prompt {seconds_text(own)}")
        yield Problem(
            node.pos,
            f"the first option of '{node.id}' starts {seconds_text(total)} into the call "
            f"({', '.join(parts)}), more than {limit} s",
            node.id,
        )


def _preamble(ctx: Context) -> tuple[dict[str, float], dict[str, str]]:
    """Return the least seconds from the start of the call to each node, without key presses.

    Dijkstra along `next` and `route` edges only (a menu has none, so it ends a route),
    counting each node's own seconds; a route with share 0 carries no calls and is skipped.
    """
    g = ctx.graph
    entry = ctx.menu.entry
    order = ctx.file_order
    before: dict[str, float] = {entry: 0.0}
    parent: dict[str, str] = {}
    heap = [(0.0, order.get(entry, 0), entry)]
    done: set[str] = set()
    while heap:
        d, _, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        after = d + g.nodes[u]["seconds"]
        for _, v, data in g.out_edges(u, data=True):
            if data["press"] or data["probability"] <= 0:
                continue
            if after < before.get(v, float("inf")):
                before[v] = after
                parent[v] = u
                heapq.heappush(heap, (after, order.get(v, len(order)), v))
    return before, parent


def _route(parent: Mapping[str, str], node_id: str) -> list[str]:
    """Return the nodes heard before `node_id`, from the entry on."""
    route = []
    while node_id in parent:
        node_id = parent[node_id]
        route.append(node_id)
    return route[::-1]
