"""The pipeline in one call: file -> model -> graph -> metrics -> findings -> score."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from ivraudit.analysis.graph import build_graph
from ivraudit.analysis.metrics import Metrics, compute_metrics
from ivraudit.analysis.ssp import Unbounded
from ivraudit.format.errors import MenuError
from ivraudit.format.loader import load_menu
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen
from ivraudit.judge.config import Config, find_config, load_config
from ivraudit.judge.findings import Finding
from ivraudit.judge.lint import run_rules
from ivraudit.judge.score import Score, score_audit

if TYPE_CHECKING:  # named in annotations only
    from ivraudit.analysis.outline import Line


@frozen
class Audit:
    """Everything known about one menu; reports render this and compute nothing."""

    menu: Menu
    graph: nx.MultiDiGraph
    metrics: Metrics
    findings: tuple[Finding, ...]
    score: Score
    config: Config

    @property
    def file(self) -> str:
        """Return the file the menu came from, as the user named it."""
        return self.menu.source

    @cached_property
    def outline(self) -> tuple[Line, ...]:
        """Return the menu as a tree from the entry, built when a report first draws it."""
        # Only the terminal, HTML and map reports draw it: `score --format json` never
        # pays for building it, nor for importing its module.
        from ivraudit.analysis.outline import build_outline

        return build_outline(self.graph, self.menu.entry, self.metrics.best_route)


def audit_menu(menu: Menu, config: Config | None = None) -> Audit:
    """Return the audit of a loaded menu under `config` (default: the built-in defaults)."""
    config = config or Config()
    g = build_graph(menu)
    try:
        metrics = compute_metrics(menu, g, config.targets())
        findings = run_rules(menu, g, metrics, config)
    except Unbounded:
        # Each number is bounded where it is read, but shares as small as 1e-300 can
        # still make a loop so rarely left that its expected time exceeds any float.
        raise MenuError(
            menu.source,
            menu.pos.line,
            menu.pos.column,
            "an expected time is too large to compute: a branch sends all but a vanishing "
            "share of calls round a loop (make the way out's share larger)",
        ) from None
    score = score_audit(metrics, findings, menu.intent_shares)
    return Audit(menu, g, metrics, findings, score, config)


def config_for(path: str | Path) -> Config:
    """Return the configuration that applies to a menu file: the nearest config file's."""
    return load_config(find_config(Path(path)))


def audit_file(path: str | Path, config: Config | None = None) -> Audit:
    """Return the audit of the menu file at `path`; raise MenuError on bad input.

    Without `config`, the nearest `.ivraudit.yaml` or `pyproject.toml` applies."""
    config = config if config is not None else config_for(path)
    return audit_menu(load_menu(path, timing=config.base_timing()), config)
