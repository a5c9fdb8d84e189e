"""Run the rules over an analysed menu, then apply configuration and suppressions."""

from __future__ import annotations

import networkx as nx

from ivraudit.analysis.metrics import Metrics
from ivraudit.format.model import Menu, Suppression
from ivraudit.frozen import frozen
from ivraudit.judge.config import Config
from ivraudit.judge.findings import Finding, Problem, Severity
from ivraudit.judge.rules import REGISTRY, Rule, rule_id
from ivraudit.judge.rules.context import Context


@frozen
class SuppressionUse:
    """One rule named by a suppression, and whether it silenced anything."""

    suppression: Suppression
    rule: str  # as written
    rule_id: str | None  # None when no rule has that id or alias
    used: bool


def run_rules(
    menu: Menu, graph: nx.MultiDiGraph, metrics: Metrics, config: Config | None = None
) -> tuple[Finding, ...]:
    """Return the findings of every enabled rule, suppressions applied, sorted by place."""
    config = config or Config()
    enabled = [REGISTRY[r] for r in config.enabled(list(REGISTRY), menu.source)]
    ctx = Context(menu, graph, metrics)
    findings = [
        f for rule in enabled if not rule.after_suppression for f in _run(rule, ctx, config)
    ]
    kept, uses = _suppress(menu, findings)
    ctx = Context(menu, graph, metrics, suppressions=tuple(uses))
    for rule in enabled:
        if rule.after_suppression:
            kept.extend(_run(rule, ctx, config))
    return tuple(sorted(kept, key=lambda f: f.sort_key))


def _run(rule: Rule, ctx: Context, config: Config) -> list[Finding]:
    options = {**rule.options, **config.options.get(rule.id, {})}
    severity = config.severity.get(rule.id, rule.severity)
    return [_stamp(rule, severity, p) for p in rule.check(ctx, options)]


def _stamp(rule: Rule, severity: Severity, p: Problem) -> Finding:
    return Finding(rule.id, rule.name, severity, rule.category, p.pos, p.message, p.node)


def _suppress(menu: Menu, findings: list[Finding]) -> tuple[list[Finding], list[SuppressionUse]]:
    key_lines = {n.key_pos.line: n.id for n in menu.nodes if n.key_pos is not None}
    sups = [s for n in menu.nodes for s in n.ignore] + list(menu.suppressions)
    resolved = []
    for sup in sups:
        for written in sup.rules:
            try:
                resolved.append((sup, written, rule_id(written)))
            except KeyError:
                resolved.append((sup, written, None))
    # Each finding looks only at the suppressions of its rule: a large menu has tens of
    # thousands of findings and may have hundreds of suppressions.
    by_rule: dict[str | None, list[int]] = {}
    for i, (_, _, rid) in enumerate(resolved):
        by_rule.setdefault(rid, []).append(i)
    used: set[int] = set()
    kept = []
    for f in findings:
        hit = None
        for i in by_rule.get(f.rule, ()):
            sup = resolved[i][0]
            if sup.node is not None:
                covers = f.node == sup.node
            else:
                covers = f.pos.line == sup.pos.line or key_lines.get(sup.pos.line) == f.node
            if covers:
                hit = i
                used.add(i)
        if hit is None:
            kept.append(f)
    uses = [
        SuppressionUse(sup, written, rid, i in used)
        for i, (sup, written, rid) in enumerate(resolved)
    ]
    return kept, uses
