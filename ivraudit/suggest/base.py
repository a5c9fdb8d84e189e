"""What a suggestion kind sees (the audited menu) and what it proposes (a Change)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

import networkx as nx

from ivraudit.analysis.calls import Calls
from ivraudit.analysis.metrics import person_behind
from ivraudit.audit import Audit, audit_menu
from ivraudit.format.model import Menu, Node, Position
from ivraudit.format.units import message_seconds
from ivraudit.frozen import frozen
from ivraudit.judge.rules import REGISTRY
from ivraudit.judge.rules.context import Context


@frozen
class Change:
    """One proposed change: what, where and why, and the edit that makes it.

    `apply` takes a menu (the original, or one that earlier changes already edited)
    and returns the edited copy, or None when the change no longer applies; it is None
    for a change the format cannot express (listed, never applied)."""

    key: str  # the part of the suggestion id after the kind, usually a node id
    title: str
    why: str
    change: str
    nodes: tuple[str, ...]
    pos: Position
    apply: Callable[[Menu], Menu | None] | None
    decision: str | None = None  # what a person must decide before making the change


@frozen
class Site:
    """The audited menu a kind proposes changes for, with lookups shared by the kinds."""

    audit: Audit

    @property
    def menu(self) -> Menu:
        """Return the menu as loaded."""
        return self.audit.menu

    @cached_property
    def ctx(self) -> Context:
        """Return the rules' view of the menu, for the lookups rules already compute."""
        return Context(self.menu, self.audit.graph, self.audit.metrics)

    def option(self, rule_id: str, name: str) -> Any:
        """Return a rule option as the configuration sets it (else the rule's default)."""
        return {**REGISTRY[rule_id].options, **self.audit.config.options.get(rule_id, {})}[name]

    def reachable(self, node_id: str) -> bool:
        """Return whether a call can reach the node."""
        return node_id in self.ctx.presses

    def menus(self) -> list[Node]:
        """Return the reachable menus in file order."""
        return self.ctx.nodes("menu")

    def first_menus(self) -> list[Node]:
        """Return the menus a caller meets before pressing anything, in file order."""
        return [n for n in self.menus() if self.ctx.presses[n.id] == 0]

    @cached_property
    def human(self) -> frozenset[str]:
        """Return where a person answers directly (agents, and messages/branches to one)."""
        return person_behind(self.audit.graph)

    def agents(self) -> list[Node]:
        """Return the reachable agents, quickest first (file order on ties)."""
        order = self.ctx.file_order
        found = [n for n in self.ctx.nodes("agent")]
        return sorted(found, key=lambda n: (n.hold_seconds, order[n.id]))

    def passing(self, menu_id: str) -> dict[str, float]:
        """Return the intents whose callers' journey passes the menu, with their shares."""
        shares = self.menu.intent_shares
        return {
            i: share
            for i, share in shares.items()
            if share > 0 and any(step.node == menu_id for step in self.ctx.intent_route(i))
        }

    def suited_agent(self, menu_id: str) -> tuple[Node, str] | None:
        """Return the person to send callers of the menu to, and why: the agent handling
        the largest share of the calls that pass the menu (ties: shortest hold); else the
        quickest person the menu leads to; else the quickest person in the menu."""
        agents = self.agents()
        if not agents:
            return None
        passing = self.passing(menu_id)
        # Summed in a fixed order: a set of names iterates by hash, which differs between runs,
        # and float sums in another order can tip a near tie between two agents.
        served = [(sum(passing.get(i, 0.0) for i in sorted(set(a.handles))), a) for a in agents]
        share, best = max(served, key=lambda sa: sa[0])  # max keeps the quickest on ties
        hold = f"{message_seconds(best.hold_seconds)} hold"
        if share > 0:
            names = ", ".join(i.replace("_", " ") for i in passing if i in best.handles)
            return best, (
                f"'{best.id}' handles the largest share of the calls that pass '{menu_id}' "
                f"({share:.0%} of all calls: {names}; {hold})"
            )
        below = nx.descendants(self.audit.graph, menu_id)
        for a in agents:
            if a.id in below:
                held = f"{message_seconds(a.hold_seconds)} hold"
                return (
                    a,
                    f"'{a.id}' is the quickest person ({held}) among those '{menu_id}' leads to",
                )
        first = agents[0]
        return (
            first,
            f"'{first.id}' is the quickest person in the menu "
            f"({message_seconds(first.hold_seconds)} hold)",
        )

    def by_load(
        self, agents: list[Node], edit: Callable[[Menu, str], Menu | None]
    ) -> tuple[Node, str] | None:
        """Return which of `agents` (one per queue, in order of preference) to send
        callers to when the menu has traffic and queues, and why: the one whose edited
        menu (`edit(menu, agent_id)`) gives the shortest mean call, then the fewest
        hang-ups (`calls`), so that callers go where the load they add costs least (and
        never, if another will do, where it makes a regression);
        None without traffic and queues or with fewer than two to choose from."""
        if self.menu.traffic is None or not self.menu.queues or len(agents) < 2:
            return None
        listed = self.menu.queue_by_id
        if not any(a.queue in listed for a in agents):
            return None  # no staffed queue among them: the holds as stated decide
        from ivraudit.suggest.regression import calls_regressions

        before = self.audit.metrics.calls
        best: tuple[tuple[bool, float, float, int], Node, Any] | None = None
        for n, agent in enumerate(agents):
            edited = edit(self.menu, agent.id)
            if edited is None:
                continue
            calls = audit_menu(edited, self.audit.config).metrics.calls
            if calls is None:
                continue
            if n == 0 and before is not None and _arrivals(calls) == _arrivals(before):
                # No caller takes the new way (they choose by what they hear): no load
                # moves, so the first choice stands without trying the others.
                return None
            seconds = calls.seconds if calls.seconds is not None else float("inf")
            # A choice that makes the calls a regression (a flooded queue) comes last.
            worse = bool(calls_regressions(self.audit.metrics.calls, calls))
            key = (worse, round(seconds, 6), round(calls.abandon_share, 6), n)
            if best is None or key < best[0]:
                best = (key, agent, calls)
        if best is None:
            return None
        _, agent, calls = best
        mean = "without end" if calls.seconds is None else message_seconds(calls.seconds)
        rest = [f"'{a.id}'" for a in agents if a.id != agent.id]
        others = ", ".join(rest[:3]) + (f" and {len(rest) - 3} more" if len(rest) > 3 else "")
        return agent, (
            f"of the queues that handle these calls, '{agent.id}' (queue "
            f"'{agent.queue or agent.id}') keeps the mean call shortest with them added: "
            f"{mean}, {calls.abandon_share:.0%} of calls hang up (rather than {others})"
        )

    def same_calls(self, agent: Node, intents: Sequence[str] = ()) -> list[Node]:
        """Return `agent` and the reachable agents in other queues that handle the same
        calls (`intents`, else those it handles), the quickest of each queue, in order
        of preference (`agent` first, then hold and file order)."""
        wanted = set(intents) & set(agent.handles) or set(agent.handles)
        out, queues = [agent], {agent.queue or agent.id}
        for a in self.agents():
            queue = a.queue or a.id
            if queue in queues or not wanted & set(a.handles):
                continue
            queues.add(queue)
            out.append(a)
        return out

    def person_for(
        self, menu_id: str, edit: Callable[[Menu, str], Menu | None]
    ) -> tuple[Node, str] | None:
        """Return `suited_agent`, chosen by load (`by_load`) among the agents in other
        queues that handle the same calls, when the menu has traffic and queues."""
        found = self.suited_agent(menu_id)
        if found is None:
            return None
        return self.by_load(self.same_calls(found[0], list(self.passing(menu_id))), edit) or found


def _arrivals(calls: Calls) -> tuple[tuple[str, float], ...]:
    """Return the calls an hour at each staffed queue, rounded as reported."""
    return tuple((q.queue, round(q.figures.calls_per_hour, 2)) for q in calls.queues)
