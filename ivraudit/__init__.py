"""ivraudit: audit IVR phone menus for telephone hell.

The library's public API; the `ivraudit` command is a thin layer over it. Names are
imported on first use, so `ivraudit --help` does not pay for networkx and rich. The
packages are the stages of one pipeline (docs/architecture.md): `format` and
`importers` -> `analysis` -> `judge` -> `suggest` -> `report`, with `cli` on top.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "Audit": "audit",
    "audit_file": "audit",
    "audit_menu": "audit",
    "Config": "judge.config",
    "load_config": "judge.config",
    "MenuError": "format.errors",
    "Finding": "judge.findings",
    "Severity": "judge.findings",
    "build_graph": "analysis.graph",
    "load_menu": "format.loader",
    "loads_menu": "format.loader",
    "Metrics": "analysis.metrics",
    "compute_metrics": "analysis.metrics",
    "Step": "analysis.paths",
    "Handler": "format.model",
    "Menu": "format.model",
    "Node": "format.model",
    "Option": "format.model",
    "Position": "format.model",
    "Route": "format.model",
    "Timing": "format.model",
    "Score": "judge.score",
    "score_audit": "judge.score",
    "dump_menu": "format.writer",
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


# Modules that 0.3 moved into the stage packages, by their 0.2 names: importing an old
# name still works, for one release, and warns (DeprecationWarning).
_MOVED = {
    "errors": "format.errors",
    "files": "format.files",
    "model": "format.model",
    "loader": "format.loader",
    "yamltree": "format.yamltree",
    "schema": "format.schema",
    "writer": "format.writer",
    "numbers": "format.numbers",
    "text": "format.text",
    "units": "format.units",
    "graph": "analysis.graph",
    "timing": "analysis.timing",
    "paths": "analysis.paths",
    "choices": "analysis.choices",
    "journeys": "analysis.journeys",
    "offers": "analysis.offers",
    "metrics": "analysis.metrics",
    "outline": "analysis.outline",
    "findings": "judge.findings",
    "lint": "judge.lint",
    "gate": "judge.gate",
    "score": "judge.score",
    "config": "judge.config",
    "rulesdoc": "judge.rulesdoc",
    "rules": "judge.rules",
}


class _MovedModules:
    """Import `ivraudit.loader` and its like as the module that now holds it."""

    @staticmethod
    def _new_name(name: str) -> str | None:
        old, _, rest = name.removeprefix("ivraudit.").partition(".")
        if not name.startswith("ivraudit.") or old not in _MOVED:
            return None
        return f"ivraudit.{_MOVED[old]}" + (f".{rest}" if rest else "")

    @classmethod
    def find_spec(cls, name: str, path: object = None, target: object = None) -> Any:
        # Every import of the program asks, networkx's hundreds too: answer them at once.
        if not name.startswith("ivraudit.") or cls._new_name(name) is None:
            return None
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, cls())

    def create_module(self, spec: Any) -> Any:
        import warnings

        new = self._new_name(spec.name)
        warnings.warn(
            f"{spec.name} is now {new}; the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(new)  # type: ignore[arg-type]

    def exec_module(self, module: Any) -> None:
        """The module was run under its new name."""


# First, so that `ivraudit.rules.dead_end` is not found again beside its new name.
sys.meta_path.insert(0, _MovedModules)  # type: ignore[arg-type]


if TYPE_CHECKING:  # for type checkers and editors: the same names, eagerly
    from ivraudit.analysis.graph import build_graph
    from ivraudit.analysis.metrics import Metrics, compute_metrics
    from ivraudit.analysis.paths import Step
    from ivraudit.audit import Audit, audit_file, audit_menu
    from ivraudit.format.errors import MenuError
    from ivraudit.format.loader import load_menu, loads_menu
    from ivraudit.format.model import Handler, Menu, Node, Option, Position, Route, Timing
    from ivraudit.format.writer import dump_menu
    from ivraudit.judge.config import Config, load_config
    from ivraudit.judge.findings import Finding, Severity
    from ivraudit.judge.score import Score, score_audit
    from ivraudit.suggest import Suggestion, Suggestions, suggest_audit, suggest_menu
