"""What a suggestion kind sees (the audited menu) and what it proposes (a Change)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from ivraudit.audit import Audit
from ivraudit.metrics import person_behind
from ivraudit.model import Menu, Node, Position
from ivraudit.rules import REGISTRY
from ivraudit.rules.context import Context
from ivraudit.units import message_seconds


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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

    def suited_agent(self, menu_id: str) -> tuple[Node, bool] | None:
        """Return the quickest person among those the menu leads to, or else the quickest
        reachable person, and whether it is one the menu leads to."""
        below = nx.descendants(self.audit.graph, menu_id)
        agents = self.agents()
        for a in agents:
            if a.id in below:
                return a, True
        return (agents[0], False) if agents else None

    def agent_reason(self, menu_id: str, agent: Node, below: bool) -> str:
        """Return why `agent` is the person to send callers of `menu_id` to."""
        hold = f"{message_seconds(agent.hold_seconds)} hold"
        if below:
            return f"'{agent.id}' is the quickest person ({hold}) among those '{menu_id}' leads to"
        return f"'{agent.id}' is the quickest person in the menu ({hold})"
