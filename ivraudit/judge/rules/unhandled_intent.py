"""A declared reason for calling that no route is sure to resolve.

An intent is resolved when the call reaches a node that lists it under `handles`. The
failing menu declares lost property but no node handles it; the passing one routes it
to the desk. Reported where the intent is declared under `intents`.

Fails:

    ivraudit: 1
    name: Forgotten request
    intents: {taxi_now: 0.9, lost_property: 0.1}
    nodes:
      main:
        options:
          - {key: 1, label: a taxi now, goto: dispatch}
          - {key: 0, label: a person, goto: desk}
      dispatch: {type: self_service, prompt: "A taxi is on its way.", handles: [taxi_now]}
      desk: {type: agent, handles: [taxi_now]}

Passes:

    ivraudit: 1
    name: Every request
    intents: {taxi_now: 0.9, lost_property: 0.1}
    nodes:
      main:
        options:
          - {key: 1, label: a taxi now, goto: dispatch}
          - {key: 0, label: a person, goto: desk}
      dispatch: {type: self_service, prompt: "A taxi is on its way.", handles: [taxi_now]}
      desk: {type: agent, handles: [taxi_now, lost_property]}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR209"
NAME = "unhandled-intent"
TITLE = "Declared intent no route handles"
CATEGORY = "navigation"
SEVERITY = "warning"
RATIONALE = """Every frequent reason for calling needs a way through the menu, even if
only a person can deal with it: callers whose reason is not on offer guess an option,
go round the menus or give up. An intent that only some calls can get resolved (a
branch on the way may send the call elsewhere) is not assured either."""
SOURCE = """ACIxD wiki, "What to include and how to order": include every frequent call
driver on the menu, even ones only an agent can handle; Vonage consumer survey (as
reported by Chain Store Age): "reason for calling not listed" was the top IVR complaint
(65%)."""
OPTIONS: dict[str, Any] = {}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each intent's declaration when no route is sure to resolve it."""
    entry = ctx.menu.node(ctx.menu.entry)
    shares = ctx.menu.intent_shares
    handlers: dict[str, list[str]] = {}
    for node in ctx.menu.nodes:
        for intent in node.handles:
            handlers.setdefault(intent, []).append(node.id)
    for intent, seconds in ctx.metrics.intent_seconds:
        if seconds is not None:
            continue
        found = handlers.get(intent, [])
        reached = [n for n in found if ctx.reachable(n)]
        share = f"{shares.get(intent, 0.0):.0%} of calls"
        if not found:
            message = f"intent '{intent}' ({share}) is handled by no node"
        elif not reached:
            message = f"intent '{intent}' ({share}) is handled only by unreachable {_names(found)}"
        elif (stuck := _trapped_at(ctx, intent, found)) is not None:
            where = (
                f"are cut off after '{stuck.split('#')[0]}'"
                if ctx.is_synthetic(stuck) or ctx.type_of(stuck) == "hangup"
                else f"are trapped at '{stuck}', from where no choice leads to {_names(reached)}"
            )
            message = (
                f"intent '{intent}' ({share}): callers who follow the options meant for them "
                + where
            )
        else:
            message = (
                f"intent '{intent}' ({share}) has no sure route: every way to {_names(reached)} "
                "passes a branch that may send the call elsewhere"
            )
        yield Problem(ctx.menu.intent_pos.get(intent, entry.pos), message)


def _trapped_at(ctx: Context, intent: str, handlers: list[str]) -> str | None:
    """Return where the callers' journey stops short of every handler (None if it gets there)."""
    steps = ctx.intent_route(intent)
    end = steps[-1].to if steps else ctx.menu.entry
    return None if end in handlers else str(end)


def _names(ids: list[str], limit: int = 3) -> str:
    """Return `'a', 'b' and 2 more`: node ids for a message."""
    shown = [f"'{i}'" for i in ids[:limit]]
    if len(ids) > limit:
        shown.append(f"{len(ids) - limit} more")
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
