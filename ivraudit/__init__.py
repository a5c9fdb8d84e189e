"""ivraudit: audit IVR phone menus for telephone hell.

The library's public API; the `ivraudit` command is a thin layer over it. Names are
imported on first use, so `ivraudit --help` does not pay for networkx and rich.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "Audit": "audit",
    "audit_file": "audit",
    "audit_menu": "audit",
    "Config": "config",
    "load_config": "config",
    "MenuError": "errors",
    "Finding": "findings",
    "Severity": "findings",
    "build_graph": "graph",
    "load_menu": "loader",
    "loads_menu": "loader",
    "Metrics": "metrics",
    "compute_metrics": "metrics",
    "Step": "paths",
    "Handler": "model",
    "Menu": "model",
    "Node": "model",
    "Option": "model",
    "Position": "model",
    "Route": "model",
    "Timing": "model",
    "Score": "score",
    "score_audit": "score",
    "dump_menu": "writer",
    "Suggestion": "suggest",
    "Suggestions": "suggest",
    "suggest_menu": "suggest",
    "suggest_audit": "suggest",
}

__all__ = [
    "Audit",
    "Config",
    "Finding",
    "Handler",
    "Menu",
    "MenuError",
    "Metrics",
    "Node",
    "Option",
    "Position",
    "Route",
    "Score",
    "Severity",
    "Step",
    "Suggestion",
    "Suggestions",
    "Timing",
    "__version__",
    "audit_file",
    "audit_menu",
    "build_graph",
    "compute_metrics",
    "dump_menu",
    "load_config",
    "load_menu",
    "loads_menu",
    "score_audit",
    "suggest_audit",
    "suggest_menu",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"ivraudit.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ivraudit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # for type checkers and editors: the same names, eagerly
    from ivraudit.audit import Audit, audit_file, audit_menu
    from ivraudit.config import Config, load_config
    from ivraudit.errors import MenuError
    from ivraudit.findings import Finding, Severity
    from ivraudit.graph import build_graph
    from ivraudit.loader import load_menu, loads_menu
    from ivraudit.metrics import Metrics, compute_metrics
    from ivraudit.model import Handler, Menu, Node, Option, Position, Route, Timing
    from ivraudit.paths import Step
    from ivraudit.score import Score, score_audit
    from ivraudit.suggest import Suggestion, Suggestions, suggest_audit, suggest_menu
    from ivraudit.writer import dump_menu
