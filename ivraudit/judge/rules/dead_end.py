"""A dead end: the call is cut off although the caller did not ask to end it.

Two shapes: a menu without a `no_input` or `no_match` handler disconnects callers who
stay silent or press a wrong key after its retries; and a hang-up that the call reaches
by itself (after a message, an input or a branch, or on silence or a wrong key), not by
an option the caller chose, before any person or self-service has helped. A hang-up
chosen with an option ("to end this call, press 9") is not a dead end, even with goodbye
messages between the option and the hang-up, and neither is one that follows a
resolution. The passing menu sends silence and wrong keys to a person.

Fails:

    ivraudit: 1
    name: Cut off
    nodes:
      main:
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Caught
    nodes:
      main:
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
        no_input: {goto: desk}
        no_match: {retries: 1, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.analysis.timing import no_input_seconds, no_match_seconds
from ivraudit.format.model import Node
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR402"
NAME = "dead-end"
TITLE = "Dead end: the call is cut off without help"
CATEGORY = "robustness"
SEVERITY = "warning"
RATIONALE = """A caller who hesitates, mistypes or has a phone that sends no tones is
disconnected instead of helped, and must call again and start over; a line that hangs up
after a message or out of hours leaves the caller with nowhere to go. The caller who
struggles with the menu is exactly the one who most needs a person."""
SOURCE = """GetHuman Standard v1.0 (2007), point 8: do not disconnect callers for errors,
including pressing nothing at all; queue them for a person or offer a callback. Avaya
Interactive Response R2.0 design guidelines (2006): after the last try, transfer to an
attendant. Twilio TwiML <Gather>: with no input the flow falls through to the next
instruction, the common "Goodbye" hang-up."""
OPTIONS: dict[str, Any] = {}

# A caller past a person, a self-service or a callback offer (taken or declined) has been
# helped, or offered help.
_RESOLVED = ("agent", "self_service", "callback")
_WAYS = {
    "next": "after '{}'",
    "route": "when branch '{}' routes there",
    "no_input": "on silence at '{}'",
    "no_match": "on a wrong key at '{}'",
}
_MAX_LISTED = 3


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield unhandled silence and wrong keys at each menu, and unchosen hang-ups."""
    unhelped = _unhelped(ctx)
    for node in ctx.nodes("menu", "hangup"):
        if node.type == "menu":
            yield from _unhandled(ctx, node)
            continue
        ways = []
        for u, _, data in ctx.graph.in_edges(node.id, data=True):
            if data["kind"] == "option" or data["probability"] <= 0 or u not in unhelped:
                continue
            if data["kind"] == "next" and _chosen(ctx, u):
                continue
            way = _WAYS[data["kind"]].format(u)
            if way not in ways:
                ways.append(way)
        if not ways:
            continue
        if len(ways) > _MAX_LISTED:
            ways = [*ways[: _MAX_LISTED - 1], f"{len(ways) - _MAX_LISTED + 1} other ways"]
        yield Problem(
            node.pos,
            f"'{node.id}' ends the call {' or '.join(ways)}, which the caller did not choose, "
            "before any person or self-service has helped",
            node.id,
        )


def _unhandled(ctx: Context, node: Node) -> Iterator[Problem]:
    """Yield one problem per missing `no_input` / `no_match` handler of a menu."""
    tm = ctx.menu.timing
    plays = tm.retries + 1
    if node.no_input is None:
        yield Problem(
            node.pos,
            f"'{node.id}' has no no_input handler: a caller who presses nothing hears it "
            f"{plays} times and is disconnected after {seconds_text(no_input_seconds(node, tm))}",
            node.id,
        )
    if node.no_match is None:
        yield Problem(
            node.pos,
            f"'{node.id}' has no no_match handler: a caller who presses a wrong key "
            f"{plays} times is disconnected after {seconds_text(no_match_seconds(node, tm))}",
            node.id,
        )


# Words that show a message or an option is the caller's way out, not a request served.
_FAREWELL = re.compile(
    r"\b(good\s?-?bye|bye|thank(s| you) for calling"
    r"|end(ing)? (this|the|your) call|hang(ing)? up)\b",
    re.IGNORECASE,
)


def _chosen(ctx: Context, node_id: str) -> bool:
    """Return whether a goodbye message is only ever heard after the caller chose to end
    the call with a key, directly or through other such messages."""
    seen = {node_id}
    todo = [node_id]
    while todo:
        m = todo.pop()
        if ctx.type_of(m) != "message":
            return False
        farewell = bool(_FAREWELL.search(ctx.menu.node(m).prompt or ""))
        for u, _, data in ctx.graph.in_edges(m, data=True):
            kind = data["kind"]
            if kind == "option":
                if not (farewell or _FAREWELL.search(data["label"] or "")):
                    return False
                continue
            if kind != "next" or ctx.type_of(u) != "message":
                return False
            if u not in seen:
                seen.add(u)
                todo.append(u)
    return True


def _unhelped(ctx: Context) -> set[str]:
    """Return the nodes a call can reach before any person or self-service has helped.

    One search from the entry that stops at agents, self-service and callback offers (a
    caller past one of them has been helped, or offered help); routes with share 0 carry
    no calls.
    """
    succ = ctx.graph._succ  # networkx's own dicts: a view per node and edge costs more
    entry = ctx.menu.entry
    seen = {entry}
    todo = deque([entry])
    while todo:
        u = todo.popleft()
        if ctx.type_of(u) in _RESOLVED:
            continue
        for v, keyed in succ[u].items():
            if v not in seen and any(d["probability"] > 0 for d in keyed.values()):
                seen.add(v)
                todo.append(v)
    return {n for n in seen if ctx.type_of(n) not in _RESOLVED}
