"""The pipeline in one call: file -> model -> graph -> metrics -> score."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ivraudit.graph import build_graph
from ivraudit.loader import load_menu
from ivraudit.metrics import Metrics, compute_metrics
from ivraudit.model import Menu
from ivraudit.outline import Line, build_outline
from ivraudit.score import Score, score_metrics


@dataclass(frozen=True)
class Audit:
    """Everything known about one menu; reports render this and compute nothing."""

    menu: Menu
    graph: nx.MultiDiGraph
    metrics: Metrics
    score: Score
    outline: tuple[Line, ...]

    @property
    def file(self) -> str:
        """Return the file the menu came from, as the user named it."""
        return self.menu.source


def audit_menu(menu: Menu) -> Audit:
    """Return the audit of a loaded menu."""
    g = build_graph(menu)
    metrics = compute_metrics(menu, g)
    outline = build_outline(g, menu.entry, metrics.best_route)
    return Audit(menu, g, metrics, score_metrics(metrics), outline)


def audit_file(path: str | Path) -> Audit:
    """Return the audit of the menu file at `path`; raise MenuError on bad input."""
    return audit_menu(load_menu(path))
