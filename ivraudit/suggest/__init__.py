"""Suggestions, stage 6 of the pipeline: take an `Audit` and give measured rewrites of its
menu, combined, and the best menu for its call mix.

The kinds are listed in `registry.py`, one module each under `kinds/`; `engine.py`
applies, measures and ranks them; `optimum.py` finds the best keypad tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ivraudit.suggest.engine import (
    Combined,
    Suggestion,
    Suggestions,
    menu_text,
    menu_with,
    ranked_suggestions,
    suggest_audit,
    suggest_menu,
)
from ivraudit.suggest.figures import Figures
from ivraudit.suggest.registry import KINDS

if TYPE_CHECKING:
    from ivraudit.suggest.optimum import Optimum

__all__ = [
    "KINDS",
    "Combined",
    "Figures",
    "Optimum",
    "Suggestion",
    "Suggestions",
    "menu_text",
    "menu_with",
    "ranked_suggestions",
    "suggest_audit",
    "suggest_menu",
]


def __getattr__(name: str) -> Any:
    # The optimum loads when asked for (`ivraudit suggest`), not with every report.
    if name == "Optimum":
        from ivraudit.suggest.optimum import Optimum

        return Optimum
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
