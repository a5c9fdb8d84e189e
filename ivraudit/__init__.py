"""ivraudit: audit IVR phone menus for telephone hell.

The library's public API; the `ivraudit` command is a thin layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ivraudit.audit import Audit, audit_file, audit_menu
from ivraudit.config import Config, load_config
from ivraudit.errors import MenuError
from ivraudit.findings import Finding, Severity
from ivraudit.graph import build_graph
from ivraudit.loader import load_menu, loads_menu
from ivraudit.metrics import Metrics, Step, compute_metrics
from ivraudit.model import Handler, Menu, Node, Option, Position, Route, Timing
from ivraudit.score import Score, score_audit
from ivraudit.writer import dump_menu

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
]
