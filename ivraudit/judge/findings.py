"""What an audit found: one Finding type, stamped by the engine, never by a rule."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from enum import Enum
from typing import Any

from ivraudit.format.model import Position
from ivraudit.frozen import frozen


class Severity(str, Enum):
    """How much a finding matters; `rank` orders them for --fail-on."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return 0 for info, 1 for warning, 2 for error."""
        return ("info", "warning", "error").index(self.value)


@frozen
class Problem:
    """What a rule's check yields: where, about which node, and what is wrong."""

    pos: Position
    message: str
    node: str | None = None


@frozen
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


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def same_problem_keys(f: Finding) -> tuple[tuple[str, str], tuple[str, str]]:
    """Return what identifies a finding across edits, in order of trust: its rule and
    node; then its rule and message with the node's id and every number blanked (the
    same problem moved to a new node, as when a prompt moves to a new first menu)."""
    text = f.message.replace(f"'{f.node}'", "'#'") if f.node else f.message
    return (f.rule, f.node or ""), (f.rule, _DIGITS.sub("#", text))


def new_problems(old: Iterable[Finding], new: Iterable[Finding]) -> list[Finding]:
    """Return the findings of `new` that are no finding of `old`, each old one matched at
    most once: first by rule and node, then by the problem moved to another node."""
    left_old, left_new = list(old), list(new)
    for level in (0, 1):
        pool: dict[tuple[str, str], int] = Counter(same_problem_keys(f)[level] for f in left_old)
        unmatched = []
        for f in left_new:
            k = same_problem_keys(f)[level]
            if pool.get(k, 0) > 0:
                pool[k] -= 1
            else:
                unmatched.append(f)
        matched_new = Counter(same_problem_keys(f)[level] for f in left_new) - Counter(
            same_problem_keys(f)[level] for f in unmatched
        )
        still_old = []
        for f in left_old:
            k = same_problem_keys(f)[level]
            if matched_new.get(k, 0) > 0:
                matched_new[k] -= 1
            else:
                still_old.append(f)
        left_old, left_new = still_old, unmatched
    return left_new
