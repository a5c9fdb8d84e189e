"""What a rule's check sees: the menu, its graph and its metrics, with shared lookups."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

import networkx as nx

from ivraudit.analysis.metrics import Metrics, Step, person_behind
from ivraudit.analysis.paths import (
    INF,
    Edge,
    Net,
    compile_graph,
    press_tree,
    solve,
    walk,
)
from ivraudit.analysis.ssp import components
from ivraudit.format.model import Menu, Node, Position
from ivraudit.format.units import message_seconds
from ivraudit.frozen import frozen

# Where a call can end well or at least end: a person, a resolution, a hang-up.
EXITS = ("agent", "self_service", "hangup")


@frozen
class Context:
    """The inputs of every rule; the lookups are computed once, on first use."""

    menu: Menu
    graph: nx.MultiDiGraph
    metrics: Metrics
    # Filled for the rules that run after suppressions: how each suppression was used.
    suppressions: tuple[Any, ...] = ()

    @cached_property
    def net(self) -> Net:
        """Return the graph compiled once for the rules' repeated solves."""
        return compile_graph(self.graph)

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Return each reachable node's reachable successors (one per edge), as plain lists
        that walks over the whole graph iterate much faster than networkx views."""
        reach = self.presses
        adj = self.graph.adj
        return {u: [v for v, keys in adj[u].items() if v in reach for _ in keys] for u in reach}

    @cached_property
    def _press_tree(self) -> tuple[dict[str, int], dict[str, Edge]]:
        found = self.metrics.press_routes or press_tree(self.graph, self.menu.entry)
        return found  # type: ignore[return-value]

    def press_path(self, node_id: str) -> list[Step]:
        """Return the steps of a route with the fewest choices from the entry to a node."""
        steps: list[Step] = []
        parent = self._press_tree[1]
        node = node_id
        while node in parent and len(steps) <= len(parent):
            u, v, k = parent[node]
            data = self.graph.edges[u, v, k]
            steps.append(
                Step(u, data["kind"], data["dtmf"], data["label"], v, 0.0, data["probability"])
            )
            node = u
        return steps[::-1]

    @cached_property
    def presses(self) -> dict[str, int]:
        """Return the least number of menu choices from the entry to each reachable node."""
        return self._press_tree[0]

    def reachable(self, node_id: str) -> bool:
        """Return whether a call can reach the node."""
        return node_id in self.presses

    def nodes(self, *types: str) -> list[Node]:
        """Return the reachable defined nodes of these types (all types if none), in file order."""
        if not types:
            return list(self._reachable_nodes)
        return [n for n in self._reachable_nodes if n.type in types]

    @cached_property
    def _reachable_nodes(self) -> tuple[Node, ...]:
        return tuple(n for n in self.menu.nodes if n.id in self.presses)

    def type_of(self, node_id: str) -> str:
        """Return the type of a graph node (synthetic disconnects are hangups)."""
        return self._types[node_id]

    @cached_property
    def _types(self) -> dict[str, str]:
        # Rules ask for types tens of thousands of times: a dict, not a networkx view each.
        return {n: d["type"] for n, d in self.graph.nodes(data=True)}

    def is_synthetic(self, node_id: str) -> bool:
        """Return whether the node is the disconnect after a menu's last retry."""
        return bool(self.graph.nodes[node_id]["synthetic"])

    def pos(self, node_id: str) -> Position:
        """Return where a graph node is defined."""
        return self.graph.nodes[node_id]["pos"]

    @cached_property
    def file_order(self) -> dict[str, int]:
        """Return each defined node's index in file order, to break ties deterministically."""
        return {n.id: i for i, n in enumerate(self.menu.nodes)}

    @cached_property
    def human_nodes(self) -> frozenset[str]:
        """Return agents, and messages and branches from which some route reaches one freely."""
        return self.metrics.person or person_behind(self.graph)

    def leads_to_human(self, node_id: str) -> bool:
        """Return whether a person answers right after this node (messages and branches aside)."""
        return node_id in self.human_nodes

    @cached_property
    def can_exit(self) -> frozenset[str]:
        """Return the nodes from which some route reaches a person, a resolution or a hang-up."""
        done = {n for n in self.graph.nodes if self.type_of(n) in EXITS}
        todo = deque(done)
        while todo:
            v = todo.popleft()
            for u in self.graph.predecessors(v):
                if u not in done:
                    done.add(u)
                    todo.append(u)
        return frozenset(done)

    def fastest_route(self, goals: Iterable[str]) -> tuple[Step, ...]:
        """Return the quickest route from the entry until one of `goals` is reached.

        Menus take the choice of least expected time (the goals' own time, such as a hold,
        not counted); a branch takes its likeliest route. Empty when no goal is sure.
        """
        goals = frozenset(goals)
        sol = solve(self.graph, dict.fromkeys(goals, 0.0), self.net, self.menu.entry)
        if sol.value(self.menu.entry) == INF:
            return ()
        return walk(self.graph, sol, self.menu.entry, goals)

    def leads_back(self, menu_id: str, target: str) -> bool:
        """Return whether `target` returns the caller to `menu_id` or a menu no deeper than it.

        Messages on the way ("Back to the main menu.") are followed; depth is key presses
        from the entry, so a repeat of the same menu counts as going back.
        """
        node = self._after_messages(target)
        if self.type_of(node) != "menu" or node not in self.presses:
            return False
        return self.presses[node] <= self.presses.get(menu_id, -1)

    @cached_property
    def _message_ends(self) -> dict[str, str]:
        return {}

    def _after_messages(self, node_id: str) -> str:
        """Return where a chain of messages starting at `node_id` leads (itself if none)."""
        ends = self._message_ends
        chain: list[str] = []
        node = node_id
        while node not in ends and self.type_of(node) == "message" and node not in chain:
            chain.append(node)
            node = self.menu.node(node).next or node
        end = ends.get(node, node)
        ends.update(dict.fromkeys(chain, end))
        return end

    def intent_route(self, intent: str) -> tuple[Step, ...]:
        """Return the journey of callers with `intent` (see `journeys.journey`): the route
        from the entry towards a handler, or to where they are trapped; empty when no node
        handles the intent."""
        return self.metrics.intent_route(intent)


def strong_components(successors: dict[str, list[str]]) -> list[list[str]]:
    """Return the strongly connected components of a graph given by its successor lists,
    each emitted after every component it leads to (sinks first): the solver's Tarjan."""
    names = list(successors)
    at = {name: i for i, name in enumerate(names)}
    arcs = [[(at[v], 0.0) for v in successors[name] if v in at] for name in names]
    return [[names[i] for i in comp] for comp in components([True] * len(names), arcs)]


def seconds_text(value: float) -> str:
    """Return a duration as a message shows it, unit included: `55.4 s`, or `m:ss` beyond
    90 s, as every report shows times (`units.duration`)."""
    return message_seconds(value)


def route_text(steps: Sequence[Step], *, seconds: bool = True, limit: int = 8) -> str:
    """Return a route as `main (key 2, 6.6 s) → desk`, each step with the choice and its time.

    With `seconds`, each step shows what it costs (its node's own time and the choice);
    a route of more than `limit` steps keeps its first and last few.
    """
    parts, before = [], 0.0
    for step in steps:
        how = {
            "option": f"key {step.key}",
            "no_input": "no input",
            "no_match": "a wrong key",
            "route": f"{step.probability:.0%} route",
        }.get(step.kind)
        details = [how] if how else []
        if seconds and step.at_seconds - before > 0:
            details.append(seconds_text(step.at_seconds - before))
        before = step.at_seconds
        parts.append(f"{step.node} ({', '.join(details)})" if details else step.node)
    if steps:
        parts.append(steps[-1].to)
    if len(parts) > limit + 1:
        head, tail = limit // 2, limit - limit // 2
        parts = [*parts[:head], f"… {len(parts) - limit} more …", *parts[-tail:]]
    return " → ".join(parts)
