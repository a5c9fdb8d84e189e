"""What-if scenarios: the menu's day with more or fewer calls, or more or fewer agents.

A scenario is a change to the menu's `traffic` and `queues` (a new menu; the file's is
never touched), simulated with the same seed as the file itself, so that the same
callers arrive in both runs as far as the change allows (common random numbers) and a
difference between them is the change's, not the draw's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen
from ivraudit.simulate.result import Simulation

if TYPE_CHECKING:
    from ivraudit.audit import Audit

# The name of the run of the file as it is, first in every table of scenarios.
BASELINE = "as the file says"

# Calls scaled by more than this are no longer a what-if of this line.
MAX_FACTOR = 100.0

# Scenarios in one file at most: each is a whole simulation, and a table of more columns
# than this is read by no one.
MAX_SCENARIOS = 20

_PERCENT = re.compile(r"([+-])\s*(\d+(?:\.\d+)?)\s*%")
_TIMES = re.compile(r"[xX*]\s*(\d+(?:\.\d+)?|\.\d+)")
_AGENTS = re.compile(r"([+-]?)(\d+)")


class BadChange(ValueError):
    """A what-if value that cannot be read; the message says what is wrong (and `queue`
    which queue, for a change of agents)."""

    def __init__(self, message: str, queue: str | None = None) -> None:
        super().__init__(message)
        self.queue = queue


def parse_calls(text: str) -> float:
    """Return the factor a change of calls means: "+20%" 1.2, "-10%" 0.9, "x1.2" 1.2."""
    t = text.strip()
    m = _PERCENT.fullmatch(t)
    if m:
        factor = 1.0 + (1 if m.group(1) == "+" else -1) * float(m.group(2)) / 100.0
    else:
        m = _TIMES.fullmatch(t)
        if not m:
            raise BadChange(f"'{text}' is not a change of calls: write +20%, -10% or x1.2")
        factor = float(m.group(1))
    if not (math.isfinite(factor) and 0 < factor <= MAX_FACTOR):
        raise BadChange(
            f"'{text}' would leave {factor:g} times the calls: a change of calls must leave "
            f"more than none and at most {MAX_FACTOR:g} times as many"
        )
    return factor


@frozen
class AgentChange:
    """A change of one queue's agents: `number` more (or fewer, negative) in every hour,
    or exactly `number` in every hour (`absolute`)."""

    queue: str
    number: int
    absolute: bool = False

    def text(self) -> str:
        """Return the change as written ("care=+2", "care=8")."""
        if self.absolute:
            return f"{self.queue}={self.number}"
        return f"{self.queue}={self.number:+d}"


def parse_agents(text: str) -> AgentChange:
    """Return the change "QUEUE=+2", "QUEUE=-1" or "QUEUE=8" (8 agents every hour)."""
    queue, sep, value = text.rpartition("=")
    if not sep or not queue.strip():
        raise BadChange(f"'{text}' is not QUEUE=+N, QUEUE=-N or QUEUE=N")
    return agent_change(queue.strip(), value)


def agent_change(queue: str, value: str) -> AgentChange:
    """Return the change of `queue`'s agents that `value` ("+2", "-1", "8") says."""
    m = _AGENTS.fullmatch(value.strip())
    if not m or len(m.group(2)) > 6:
        raise BadChange(
            f"'{value}' is not a number of agents: write +2 (two more), -1 (one fewer) or 8 "
            "(eight in every hour)"
        )
    number = int(m.group(2))
    sign = m.group(1)
    if sign:
        return AgentChange(queue, number if sign == "+" else -number)
    return AgentChange(queue, number, absolute=True)


@frozen
class Scenario:
    """One what-if: calls times `calls`, and the queues' agents changed."""

    name: str
    calls: float = 1.0
    agents: tuple[AgentChange, ...] = ()

    def text(self) -> str:
        """Return the changes in words ("calls +20%, care=+2"); "" for none."""
        parts = []
        if self.calls != 1.0:
            percent = (self.calls - 1.0) * 100.0
            parts.append(f"calls {percent:+.4g}%")
        parts += [a.text() for a in self.agents]
        return ", ".join(parts)


def apply(menu: Menu, scenario: Scenario) -> Menu:
    """Return the menu as the scenario changes it; raise BadChange for a queue the menu
    has not, or fewer than no agents in an hour."""
    traffic = menu.traffic
    if traffic is not None and scenario.calls != 1.0:
        f = scenario.calls
        traffic = replace(
            traffic,
            calls_per_hour=traffic.calls_per_hour * f,
            profile=tuple(c * f for c in traffic.profile),
        )
    queues = dict(menu.queues)
    for change in scenario.agents:
        q = queues.get(change.queue)
        if q is None:
            known = ", ".join(f"'{name}'" for name, _ in menu.queues) or "none"
            raise BadChange(
                f"the menu has no queue '{change.queue}' to change the agents of "
                f"(its queues: {known})",
                change.queue,
            )
        if change.absolute:
            agents, schedule = change.number, tuple(change.number for _ in q.schedule)
        else:
            agents = q.agents + change.number
            schedule = tuple(a + change.number for a in q.schedule)
        if min((agents, *schedule)) < 0:
            raise BadChange(
                f"{change.text()} leaves queue '{change.queue}' fewer than no agents "
                f"in some hour (it has {min((q.agents, *q.schedule))})",
                change.queue,
            )
        queues[change.queue] = replace(q, agents=agents, schedule=schedule)
    return replace(menu, traffic=traffic, queues=tuple(queues.items()))


def load_scenarios(path: str | Path, menu: Menu | None = None) -> tuple[Scenario, ...]:
    """Return the scenarios of a scenario file (docs/simulate.md); raise MenuError,
    located, for a file that cannot be read or a value that is wrong (with `menu`, also
    a queue it has not, or fewer than no agents)."""
    from ivraudit.format.yamltree import decode, parse

    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise MenuError(source, 1, 1, f"cannot read the scenario file: {exc.strerror}") from None
    root = parse(decode(data, source), source)

    def fail(node: object, message: str) -> MenuError:
        return MenuError(source, getattr(node, "line", 1), getattr(node, "column", 1), message)

    if root is None or root.kind != "map":
        raise fail(root, "a scenario file is a mapping with 'scenarios' at the top")
    for key, (knode, _) in root.items.items():
        if key != "scenarios":
            raise fail(knode, f"unknown key '{key}': a scenario file has only 'scenarios'")
    if "scenarios" not in root.items:
        raise fail(root, "a scenario file needs 'scenarios': a name for each what-if")
    scenarios_node = root.items["scenarios"][1]
    if scenarios_node.kind != "map" or not scenarios_node.items:
        raise fail(
            scenarios_node,
            "'scenarios' maps each scenario's name to its changes ('calls', 'agents')",
        )
    out = []
    for name, (name_node, body) in scenarios_node.items.items():
        if len(out) == MAX_SCENARIOS:
            raise fail(
                name_node,
                f"more than {MAX_SCENARIOS} scenarios: each is a whole simulation; "
                "keep the ones to compare",
            )
        if not name.strip() or name == BASELINE:
            raise fail(name_node, f"a scenario needs a name other than '{BASELINE}'")
        if body.kind != "map" or not body.items:
            raise fail(body, f"scenario '{name}' needs 'calls' or 'agents' (or both)")
        calls, agents = 1.0, []
        agents_nodes: dict = {}
        for key, (knode, value) in body.items.items():
            if key == "calls":
                if value.kind != "scalar":
                    raise fail(value, "'calls' is a change of calls: +20%, -10% or x1.2")
                try:
                    calls = parse_calls(value.raw)
                except BadChange as exc:
                    raise fail(value, str(exc)) from None
            elif key == "agents":
                if value.kind != "map" or not value.items:
                    raise fail(value, "'agents' maps a queue to +N, -N or N: {care: +2}")
                agents_nodes = value.items
                for queue, (_, number) in value.items.items():
                    if number.kind != "scalar":
                        raise fail(number, f"agents of '{queue}': write +2, -1 or 8")
                    try:
                        agents.append(agent_change(queue, number.raw))
                    except BadChange as exc:
                        raise fail(number, str(exc)) from None
            else:
                raise fail(knode, f"unknown key '{key}' in scenario '{name}': 'calls' or 'agents'")
        scenario = Scenario(name, calls, tuple(agents))
        if menu is not None:
            try:
                apply(menu, scenario)
            except BadChange as exc:
                at = next((v for q, (_, v) in agents_nodes.items() if q == exc.queue), name_node)
                raise fail(at, f"scenario '{name}': {exc}") from None
        out.append(scenario)
    return tuple(out)


@frozen
class WhatIf:
    """The file's run and each scenario's, in order, the file's first (`BASELINE`)."""

    scenarios: tuple[Scenario, ...]
    results: tuple[Simulation, ...]

    def to_dict(self) -> list[dict[str, Any]]:
        """Return the scenarios as JSON: each one's changes, then its `calls` (means) and
        `ci95`, shaped as the simulation's own."""
        out = []
        for s, r in zip(self.scenarios, self.results, strict=True):
            whole = r.to_dict()
            out.append(
                {
                    "name": s.name,
                    "changes": {
                        "calls": s.calls,
                        "agents": {a.queue: a.text().split("=", 1)[1] for a in s.agents},
                    },
                    "calls": whole["calls"],
                    "ci95": whole["ci95"],
                }
            )
        return out


def simulate_what_if(
    audit: Audit,
    scenarios: Sequence[Scenario],
    done: Callable[[], None] | None = None,
    **options: Any,
) -> WhatIf:
    """Return the file's simulation and each scenario's, all with the same seed and
    options (`run.simulate`'s). Raise MenuError naming the scenario for a change the
    simulation refuses (no agents in an hour when calls reach the queue)."""
    from ivraudit.audit import audit_menu
    from ivraudit.simulate.build import plan_for
    from ivraudit.simulate.run import simulate

    runs = (Scenario(BASELINE), *scenarios)
    results = []
    for s in runs:
        try:
            changed = audit
            if s.calls != 1.0 or s.agents:
                menu = apply(audit.menu, s)
                # The plan refuses, located, a queue left without agents when calls reach
                # it, which the audit's Erlang A cannot compute.
                plan_for(menu, audit.graph, options.get("hours"))
                changed = audit_menu(menu, audit.config)
            results.append(simulate(changed, done=done, **options))
        except MenuError as exc:
            if s.name == BASELINE:
                raise
            raise MenuError(
                exc.file, exc.line, exc.column, f"in scenario '{s.name}': {exc.message}"
            ) from None
    return WhatIf(runs, tuple(results))
