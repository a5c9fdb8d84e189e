"""Suggestions, stage 6 of the pipeline: take an `Audit` and give measured rewrites of its
menu, combined, and the best menu for its call mix.

The kinds are listed in `registry.py`, one module each under `kinds/`; `engine.py`
applies, measures and ranks them; `optimum.py` finds the best keypad tree.
"""

from __future__ import annotations

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
from ivraudit.suggest.optimum import Optimum
from ivraudit.suggest.registry import KINDS

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
