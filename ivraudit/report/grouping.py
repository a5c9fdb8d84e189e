"""Findings folded for reading, as the text report and the HTML page both show them: by
severity, errors first, then by rule, a repeated finding folded into a count."""

from __future__ import annotations

from collections.abc import Sequence

from ivraudit.format.units import NBSP, count
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Finding, Severity
from ivraudit.judge.rules import REGISTRY

MAX_LISTED = 100  # findings listed per rule; a page of a huge menu stays small


@frozen
class FindingItem:
    """One finding, where it is and what it says."""

    where: str
    message: str


@frozen
class RuleGroup:
    """The findings of one rule at one severity: folded into a count when repeated."""

    rule: str
    name: str
    count: int
    items: tuple[FindingItem, ...]  # the first MAX_LISTED; `count` says how many in all
    lines: str = ""  # the lines of the repeats after the first, as the folded text names them
    # What the rule checks, why it matters (one sentence) and its source in brief, for
    # readers who do not know the rule ids; empty for a rule not built in.
    title: str = ""
    why: str = ""
    cite: str = ""

    @property
    def folded(self) -> str:
        """Return what a folded group says after its first finding, as the terminal does."""
        if self.count < 2:
            return ""
        return f"and {self.count - 1}{NBSP}more like it (lines {self.lines})"


@frozen
class SeverityGroup:
    """The findings of one severity, by rule."""

    severity: str
    count: int
    rules: tuple[RuleGroup, ...]


_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def group_findings(findings: Sequence[Finding]) -> tuple[SeverityGroup, ...]:
    """Return findings by severity (errors first), then by rule, in rule-id order."""
    out = []
    for sev in _SEVERITIES:
        mine = [f for f in findings if f.severity is sev]
        if not mine:
            continue
        rules: dict[str, list[Finding]] = {}
        for f in sorted(mine, key=lambda f: f.sort_key):
            rules.setdefault(f.rule, []).append(f)
        out.append(
            SeverityGroup(
                sev.value,
                len(mine),
                tuple(
                    RuleGroup(
                        rule,
                        fs[0].name,
                        len(fs),
                        tuple(
                            FindingItem(f"line {f.pos.line}:{f.pos.column}", f.message)
                            for f in fs[:MAX_LISTED]
                        ),
                        _lines(fs[1:]),
                        *_about(rule),
                    )
                    for rule, fs in sorted(rules.items())
                ),
            )
        )
    return tuple(out)


def _about(rule: str) -> tuple[str, str, str]:
    """Return a rule's title, why it matters and its source in brief ('' if unknown)."""
    r = REGISTRY.get(rule)
    return (r.title, r.why, r.cite) if r is not None else ("", "", "")


def _lines(findings: Sequence[Finding], limit: int = 8) -> str:
    lines = sorted({f.pos.line for f in findings})
    return ", ".join(str(n) for n in lines[:limit]) + (", …" if len(lines) > limit else "")


def finding_summary(findings: Sequence[Finding]) -> str:
    """Return `2 errors, 34 warnings, 27 infos` (or `no findings`)."""
    parts = [
        count(sum(1 for f in findings if f.severity is sev), sev.value)
        for sev in _SEVERITIES
        if any(f.severity is sev for f in findings)
    ]
    return ", ".join(parts) or "no findings"


def worst_finding(findings: Sequence[Finding]) -> Finding | None:
    """Return the most severe finding; among equals, the one whose rule fires most often."""
    if not findings:
        return None
    freq: dict[str, int] = {}
    for f in findings:
        freq[f.rule] = freq.get(f.rule, 0) + 1
    return min(findings, key=lambda f: (-f.severity.rank, -freq[f.rule], f.sort_key))
