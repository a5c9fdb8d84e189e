"""A frequent request is read out after a much rarer one.

Each declared intent is followed along its route from the entry as its calls take it
(format 0.3, "Calls as they happen"): at each menu on the way it uses one option, which
gets the intent's share of calls times the probability that they get there, so a menu
behind a branch (opening hours) counts only the calls the branch sends. A menu is flagged
when an option read later carries at least `min_ratio` times the share of one read
earlier (and at least `min_share`); options no intent's route uses are not compared, as
their share is unknown (a store finder, a repeat) or they lead nowhere useful. The
failing menu makes the 80% who want a taxi now hear the 10% option first.

Fails:

    ivraudit: 1
    name: Rare first
    intents: {taxi_now: 0.8, lost_property: 0.1, other: 0.1}
    nodes:
      main:
        options:
          - {key: 1, label: lost property, goto: lost}
          - {key: 2, label: a taxi now, goto: dispatch}
          - {key: 0, label: anything else, goto: desk}
      lost: {type: self_service, prompt: "Nothing was handed in.", handles: [lost_property]}
      dispatch: {type: self_service, prompt: "A taxi is on its way.", handles: [taxi_now]}
      desk: {type: agent, handles: [other, lost_property, taxi_now]}

Passes:

    ivraudit: 1
    name: Frequent first
    intents: {taxi_now: 0.8, lost_property: 0.1, other: 0.1}
    nodes:
      main:
        options:
          - {key: 1, label: a taxi now, goto: dispatch}
          - {key: 2, label: lost property, goto: lost}
          - {key: 0, label: anything else, goto: desk}
      lost: {type: self_service, prompt: "Nothing was handed in.", handles: [lost_property]}
      dispatch: {type: self_service, prompt: "A taxi is on its way.", handles: [taxi_now]}
      desk: {type: agent, handles: [other, lost_property, taxi_now]}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.format.model import Node, Option
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR208"
NAME = "frequent-intent-late"
TITLE = "Frequent request offered after a rarer one"
CATEGORY = "navigation"
SEVERITY = "info"
RATIONALE = """Callers listen until they hear their option, so every option read before
theirs costs them time and attention. Reading the most frequent requests first lets most
callers stop listening early and saves the most caller-seconds in total; a rare option
read first makes the many wait for the few."""
SOURCE = """Avaya Interactive Response R2.0, "Designing voice response applications"
(2006): put the most likely choice first, then the next most likely; ISO/IEC 13714:1995
as commonly summarised: most commonly used function first."""
OPTIONS: dict[str, Any] = {"min_ratio": 2.0, "min_share": 0.1}

_EPS = 1e-9


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield one problem per menu where a later option carries far more calls than an earlier."""
    ratio, min_share = options["min_ratio"], options["min_share"]
    weights = _option_weights(ctx)
    for node in ctx.nodes("menu"):
        w = weights.get(node.id)
        if w is None:
            continue
        found = _worst_pair(w, ratio, min_share)
        if found is None:
            continue
        early, late = node.options[found[0]], node.options[found[1]]
        yield Problem(
            late.pos,
            f"'{node.id}' reads key {late.key} ({_name(late)}, {_pct(w[found[1]])} of calls) "
            f"after key {early.key} ({_name(early)}, {_pct(w[found[0]])}); offer the "
            "more frequent request first",
            node.id,
        )


def _option_weights(ctx: Context) -> dict[str, list[float]]:
    """Return, per menu, the share of all calls that take each option on their route,
    branches included: each intent's share times the probability that its calls pass
    there (`IntentCalls.edge_passes`, the route as the calls take it). Callers whose
    request nothing resolves still press the options meant for them: their journey
    (where they are trapped or lost) counts with their whole share."""
    calls = ctx.metrics.calls
    weights: dict[str, list[float]] = {}
    g = ctx.graph
    for intent, share in ctx.menu.intent_shares.items():
        if share <= 0:
            continue
        found = calls.intent(intent) if calls is not None and calls.declared else None
        if found is None or not found.resolvable:
            taken = [
                (step.node, _index(ctx.menu.node(step.node), step.key, step.to), 1.0)
                for step in ctx.intent_route(intent)
                if step.kind == "option"
            ]
        else:
            taken = [
                (u, g.edges[u, v, k]["order"], times)
                for (u, v, k), times in found.edge_passes.items()
                if times > 0 and g.edges[u, v, k]["kind"] == "option"
            ]
        for node_id, index, times in taken:
            node = ctx.menu.node(node_id)
            w = weights.setdefault(node.id, [0.0] * len(node.options))
            w[index] += share * times
    return weights


def _index(node: Node, key: str | None, goto: str) -> int:
    # With duplicate keys (IVR204) the first option with that key and target is taken.
    return next(i for i, o in enumerate(node.options) if o.key == key and o.goto == goto)


def _worst_pair(w: list[float], ratio: float, min_share: float) -> tuple[int, int] | None:
    """Return (earlier, later) option indexes for the heaviest later option out of place.

    Options no route uses are not compared: their share of calls is unknown.
    """
    best: tuple[int, int] | None = None
    lightest: int | None = None  # the lightest used option read before j (the first, on ties)
    for j in range(1, len(w)):
        if w[j - 1] > _EPS and (lightest is None or w[j - 1] < w[lightest] - _EPS):
            lightest = j - 1
        if lightest is None or w[j] + _EPS < min_share or w[j] + _EPS < ratio * w[lightest]:
            continue
        if best is None or w[j] > w[best[1]] + _EPS:
            best = (lightest, j)
    return best


def _name(option: Option) -> str:
    return option.label or option.goto


def _pct(share: float) -> str:
    return "under 1%" if share < 0.005 else f"{share:.0%}"
