"""What an audit found: one Finding type, stamped by the engine, never by a rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from ivraudit.model import Position


class Severity(str, Enum):
    """How much a finding matters; `rank` orders them for --fail-on."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return 0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)


@dataclass(frozen=True)
class Problem:
    """What a rule's check yields: where, about which node, and what is wrong."""

    pos: Position
    message: str
    node: str | None = None


@dataclass(frozen=True)
class Finding:
    """A problem with its rule, severity and category applied."""

    rule: str
    name: str
    severity: Severity
    category: str
    pos: Position
    message: str
    node: str | None = None

    @property
    def sort_key(self) -> tuple:
        """Order findings by place, then rule, so reports are stable."""
        return (self.pos.file, self.pos.line, self.pos.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's finding object, with the rule's alias and category."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "node": self.node,
            "line": self.pos.line,
            "column": self.pos.column,
            "message": self.message,
            "name": self.name,
            "category": self.category,
        }
