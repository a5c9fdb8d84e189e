"""`check --statistics`: how many findings each rule made, most first (as ruff's)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ivraudit.judge.findings import Finding


def count_rules(findings: Iterable[Finding], counts: Counter[tuple[str, str]]) -> None:
    """Add the findings to `counts`, by rule id and alias."""
    counts.update((f.rule, f.name) for f in findings)


def render_statistics(counts: Counter[tuple[str, str]]) -> str:
    """Return one line per rule, `count<TAB>id<TAB>alias`, the most frequent first and
    ties by id; the counts are right-aligned."""
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}\t{rid}\t{name}\n" for (rid, name), n in rows)
