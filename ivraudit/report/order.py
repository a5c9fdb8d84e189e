"""The one order in which reports rank menus: best score first, then by name and file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ivraudit.audit import Audit


def rank_key(audit: Audit) -> tuple[int, str, str]:
    """Return the sort key of an audit in every ranking: highest score first."""
    return (-audit.score.value, audit.menu.name, audit.file)
