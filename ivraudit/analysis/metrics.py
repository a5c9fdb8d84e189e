"""The figures of a menu, exactly as the format contract defines them."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Hashable, Mapping
from dataclasses import field
from typing import Any

import networkx as nx

from ivraudit.analysis.callchain import CallerClass
from ivraudit.analysis.calls import PERSON, Calls, compute_calls, has_calls
from ivraudit.analysis.choices import choosers, error_edges, intent_view, restrict_net
from ivraudit.analysis.journeys import Journey, all_intent_goals, intent_journey
from ivraudit.analysis.likeliest import Likeliest, solve_likeliest
from ivraudit.analysis.offers import queue_offer_menus
from ivraudit.analysis.paths import (
    INF,
    Edge,
    Net,
    Solution,
    Step,
    compile_graph,
    press_tree,
    solve,
    walk,
)
from ivraudit.analysis.queues import DEFAULT_TARGETS, Targets
from ivraudit.analysis.timing import menu_seconds, prompt_seconds
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen

_LEAVES = ("agent", "self_service", "hangup")
_NOWHERE = Likeliest(Solution({}, {}), 0.0)


@frozen
class Metrics:
    """The contract's figures plus the best route to a person; seconds are unrounded."""

    nodes: int
    menus: int
    depth: int
    max_options: int
    mean_options: float
    human_reachable: bool
    time_to_human_seconds: float | None
    # The greatest probability that a caller who wants a person reaches one (format 0.3).
    human_share: float
    time_to_human_presses: int | None
    menus_without_zero_out: int
    unreachable_nodes: tuple[str, ...]
    intent_seconds: tuple[tuple[str, float | None], ...]
    # The call mix (suggest contract): the share of calls whose intent can be resolved,
    # and the expected seconds of a resolvable call.
    resolved_share: float = 1.0
    typical_call_seconds: float | None = None
    # Beyond the contract: how many menus a call can reach, the least expected seconds
    # until a queue is reached (hold excluded), and the fastest route to a person.
    reachable_menus: int = 0
    preamble_seconds: float | None = None
    mean_menu_seconds: float = 0.0
    time_to_queue_seconds: float | None = None
    best_route: tuple[Step, ...] = ()
    best_route_hold_seconds: float | None = None
    queue_route: tuple[Step, ...] = ()  # the fastest route to a queue (hold not counted)
    # Each intent's journey: the route its callers take (see journeys.journey).
    intent_routes: tuple[Journey, ...] = ()
    # Menus in front of a queue that only offer a callback or the wait (offers.py), and the
    # menus without a working 0 once those are taken for the person behind them.
    queue_offer_menus: tuple[str, ...] = ()
    menus_without_working_zero: int = 0
    # The fastest route to a person by announced options only (no silence, no wrong key).
    announced_route: tuple[Step, ...] = ()
    announced_route_hold_seconds: float | None = None
    announced_time_to_human_seconds: float | None = None
    # What the rules would work out again: the fewest choices to each node (with the edge
    # arriving there) and where a person answers directly (person_behind).
    press_routes: tuple[Mapping[Hashable, int], Mapping[Hashable, Edge]] | None = field(
        default=None, compare=False, repr=False
    )
    person: frozenset[Hashable] | None = field(default=None, compare=False, repr=False)
    # What callers live through on the line as it is (format 0.3); None when the menu
    # declares no intents, traffic or `resolves`.
    calls: Calls | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the figures as JSON-ready data, seconds rounded to 2 decimals."""
        return {
            "nodes": self.nodes,
            "menus": self.menus,
            "depth": self.depth,
            "max_options": self.max_options,
            "mean_options": round(self.mean_options, 2),
            "human_reachable": self.human_reachable,
            "time_to_human_seconds": _round(self.time_to_human_seconds),
            "human_share": round(self.human_share, 4),
            "time_to_human_presses": self.time_to_human_presses,
            "menus_without_zero_out": self.menus_without_zero_out,
            "unreachable_nodes": list(self.unreachable_nodes),
            "intent_seconds": {name: _round(s) for name, s in self.intent_seconds},
            "resolved_share": round(self.resolved_share, 4),
            "typical_call_seconds": _round(self.typical_call_seconds),
            "reachable_menus": self.reachable_menus,
            "menus_without_working_zero": self.menus_without_working_zero,
            "preamble_seconds": _round(self.preamble_seconds),
            "mean_menu_seconds": round(self.mean_menu_seconds, 2),
            "time_to_queue_seconds": _round(self.time_to_queue_seconds),
            "best_route_to_human": _steps(self.best_route),
            "intent_routes": {j.intent: _steps(j.steps) for j in self.intent_routes},
        }

    def intent_route(self, intent: str) -> tuple[Step, ...]:
        """Return the journey of callers with `intent` (empty when no node handles it)."""
        return next((j.steps for j in self.intent_routes if j.intent == intent), ())


def _steps(route: tuple[Step, ...]) -> list[dict[str, Any]]:
    return [
        {
            "from": s.node,
            "via": s.key if s.kind == "option" else s.kind,
            "to": s.to,
            "at_seconds": _round(s.at_seconds),
            **({"share": round(s.probability, 4)} if s.kind == "route" else {}),
        }
        for s in route
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _finite(value: float) -> float | None:
    return None if math.isinf(value) else value


def call_mix(
    shares: Mapping[str, float],
    intent_seconds: Mapping[str, float | None],
    time_to_human: float | None,
) -> tuple[float, float | None]:
    """Return the resolved share and the typical call's seconds, as the suggest contract
    defines them; a menu without intents is one typical call to a person."""
    if not shares:
        return 1.0, time_to_human
    resolved = {i: s for i, s in shares.items() if intent_seconds.get(i) is not None}
    weight = sum(resolved.values())
    if not resolved or weight <= 0:
        return weight, None
    typical = sum(share * intent_seconds[i] for i, share in resolved.items()) / weight  # type: ignore[operator]
    return weight, typical


def compute_metrics(menu: Menu, g: nx.MultiDiGraph, targets: Targets = DEFAULT_TARGETS) -> Metrics:
    """Return the figures of `menu` computed from its graph `g`; `targets` is the service
    level a staffed queue's `agents_needed` aims at."""
    entry = menu.entry
    tree = press_tree(g, entry)
    presses = tree[0]
    reachable = set(presses)
    defined = [n.id for n in menu.nodes]
    menus = [n for n in menu.nodes if n.type == "menu"]
    reachable_menus = [n for n in menus if n.id in reachable]
    option_counts = [len(n.options) for n in reachable_menus]
    leaves = [presses[n] for n in reachable if g.nodes[n]["type"] in _LEAVES]
    agents = [n for n in g.nodes if g.nodes[n]["type"] == "agent"]
    agent_presses = [presses[a] for a in agents if a in presses]

    net = compile_graph(g)
    # The same goals (hold counted or not): one analysis of the graph for both.
    likely_human, likely_queue = solve_likeliest(
        net, [{a: g.nodes[a]["seconds"] for a in agents}, dict.fromkeys(agents, 0.0)], entry
    )
    to_human, to_queue = likely_human.solution, likely_queue.solution
    seconds = to_human.value(entry)
    route, hold = _route(g, entry, to_human) if seconds < INF else ((), None)
    agent_set = frozenset(agents)
    queue_route = walk(g, to_queue, entry, agent_set) if to_queue.value(entry) < INF else ()

    intent_seconds = []
    routes = []
    classes: list[CallerClass] = []
    shares = menu.intent_shares
    labelled = choosers(g)  # gathered once: each menu's choices, and who handles what
    handlers = all_intent_goals(g)
    for intent, _ in menu.intents:
        c, walked = _intent_class(g, net, labelled, handlers, intent, shares[intent], entry)
        sol = c.route.solution
        intent_seconds.append((intent, _finite(sol.value(entry))))
        classes.append(c)
        routes.append(intent_journey(walked, intent, sol, entry, c.goals))
    menu_ids = [n.id for n in reachable_menus]
    human = person_behind(g)
    offers = queue_offer_menus(menu, g, menu_ids, human)
    zeros = {m: [v for _, v, k in g.out_edges(m, data="dtmf") if k == "0"] for m in menu_ids}
    errors = error_edges(g)
    announced = nx.restricted_view(g, [], errors) if errors else g
    # Without silence or wrong-key paths to drop, the announced route is the fastest one.
    by_options = (
        to_human
        if announced is g
        else solve_likeliest(
            restrict_net(net, errors), [{a: g.nodes[a]["seconds"] for a in agents}], entry
        )[0].solution
    )
    announced_route, announced_hold = (
        _route(announced, entry, by_options) if by_options.value(entry) < INF else ((), None)
    )
    resolved_share, typical = call_mix(menu.intent_shares, dict(intent_seconds), _finite(seconds))
    calls = None
    if has_calls(menu):
        # Callers who want a person, routed as to_human is: the one class of a menu
        # without intents, and otherwise the route `calls.person_seconds` follows.
        person = _person_class(g, net, agents, likely_human)
        if not menu.intents:
            classes = [person]
        calls = compute_calls(menu, g, classes, entry, targets, person=person)
        resolved_share, typical = calls.resolved_share, calls.seconds

    return Metrics(
        nodes=len(defined),
        menus=len(menus),
        depth=max(leaves, default=0),
        max_options=max(option_counts, default=0),
        mean_options=sum(option_counts) / len(option_counts) if option_counts else 0.0,
        human_reachable=any(a in reachable for a in agents),
        time_to_human_seconds=_finite(seconds),
        human_share=likely_human.share,
        time_to_human_presses=min(agent_presses, default=None),
        menus_without_zero_out=_menus_without_zero_out(zeros, human),
        unreachable_nodes=tuple(n for n in defined if n not in reachable),
        intent_seconds=tuple(intent_seconds),
        resolved_share=resolved_share,
        typical_call_seconds=typical,
        reachable_menus=len(reachable_menus),
        preamble_seconds=_preamble(g, menu, presses, net),
        mean_menu_seconds=(
            sum(menu_seconds(n, menu.timing) for n in reachable_menus) / len(reachable_menus)
            if reachable_menus
            else 0.0
        ),
        time_to_queue_seconds=_finite(to_queue.value(entry)),
        best_route=route,
        best_route_hold_seconds=hold,
        queue_route=queue_route,
        intent_routes=tuple(routes),
        queue_offer_menus=tuple(sorted(offers)),
        menus_without_working_zero=_menus_without_zero_out(zeros, human, offers),
        announced_route=announced_route,
        announced_route_hold_seconds=announced_hold,
        announced_time_to_human_seconds=_finite(by_options.value(entry)),
        press_routes=tree,
        person=human,
        calls=calls,
    )


def _intent_class(
    g: nx.MultiDiGraph,
    net: Net,
    labelled: Any,
    handlers: Mapping[str, Mapping[Hashable, float]],
    intent: str,
    share: float,
    entry: Hashable,
) -> tuple[CallerClass, nx.MultiDiGraph]:
    """Return the callers of `intent` with their route (step 1), and the graph they walk."""
    goals = handlers.get(intent, {})
    # Each intent's callers have their own graph (labels they follow, no wrong keys),
    # solved on the compiled graph less the closed choices (no second compile).
    closed, own_net = intent_view(net, labelled, intent)
    walked = nx.restricted_view(g, [], closed) if closed else g
    found = solve_likeliest(own_net, [goals], entry)[0] if goals else _NOWHERE
    return CallerClass(intent, share, goals, found, _again(own_net, goals)), walked


def _person_class(
    g: nx.MultiDiGraph, net: Net, agents: list[Hashable], route: Likeliest
) -> CallerClass:
    """Return the callers who want a person, routed as `time_to_human_seconds` is."""
    to_agents = {a: g.nodes[a]["seconds"] for a in agents}
    return CallerClass(PERSON, 1.0, to_agents, route, _again(net, to_agents))


def caller_classes(menu: Menu, g: nx.MultiDiGraph) -> tuple[tuple[CallerClass, ...], CallerClass]:
    """Return the classes of callers with their routes (step 1 of "Calls as they happen",
    as `compute_metrics` finds them), and the callers who want a person: what
    `compute_calls` takes. Routes do not depend on traffic or staffing."""
    net = compile_graph(g)
    agents = [n for n in g.nodes if g.nodes[n]["type"] == "agent"]
    human = solve_likeliest(net, [{a: g.nodes[a]["seconds"] for a in agents}], menu.entry)[0]
    person = _person_class(g, net, agents, human)
    if not menu.intents:
        return (person,), person
    labelled = choosers(g)
    handlers = all_intent_goals(g)
    shares = menu.intent_shares
    classes = tuple(
        _intent_class(g, net, labelled, handlers, intent, shares[intent], menu.entry)[0]
        for intent, _ in menu.intents
    )
    return classes, person


def _again(net: Net, goals: Mapping[Hashable, float]) -> Callable[[Hashable], Likeliest]:
    """Return how to find a class's route from another node (after a failed self-service)."""

    def route_from(node: Hashable) -> Likeliest:
        return solve_likeliest(net, [goals], node)[0]

    return route_from


def _preamble(g: nx.MultiDiGraph, menu: Menu, presses: dict[str, int], net: Net) -> float | None:
    """Return the expected seconds until the first option of the first menu is spoken."""
    first = {
        n.id: prompt_seconds(n, menu.timing)
        for n in menu.nodes
        if n.type == "menu" and presses.get(n.id) == 0
    }
    return _finite(solve(g, first, net, menu.entry).value(menu.entry)) if first else None


def person_behind(g: nx.MultiDiGraph) -> frozenset[str]:
    """Return agents, and the messages, branches and callback offers from which some route
    reaches one with nothing else between: where a person answers "directly" (as for key 0;
    a callback offer on the way is a person too, now or calling back)."""
    human = {n for n, d in g.nodes(data=True) if d["type"] == "agent"}
    todo = deque(human)
    while todo:
        v = todo.popleft()
        for u in g.predecessors(v):
            if u not in human and g.nodes[u]["type"] in ("message", "branch", "callback"):
                human.add(u)
                todo.append(u)
    return frozenset(human)


def _menus_without_zero_out(
    zeros: Mapping[str, list[Hashable]],
    person: frozenset[Hashable],
    offers: frozenset[str] = frozenset(),
) -> int:
    """Return the menus (of `zeros`: where each one's 0 leads) whose 0 reaches no person
    (`person_behind`: the contract's figure); with `offers`, a callback or wait offer needs
    no 0 and a 0 that leads to one works."""
    human = person | offers
    return sum(
        1
        for m, targets in zeros.items()
        if m not in offers and not any(v in human for v in targets)
    )


def _route(g: nx.MultiDiGraph, entry: str, sol: Solution) -> tuple[tuple[Step, ...], float | None]:
    """Return the best route from the entry to a person, and that person's hold."""
    agents = [n for n, t in g.nodes(data="type") if t == "agent"]
    steps = walk(g, sol, entry, agents)
    last = steps[-1].to if steps else entry
    hold = g.nodes[last]["seconds"] if g.nodes[last]["type"] == "agent" else None
    return steps, hold
