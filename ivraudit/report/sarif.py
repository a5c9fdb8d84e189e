"""SARIF 2.1.0 for GitHub code scanning: every rule described, every finding a result."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import PureWindowsPath
from typing import Any
from urllib.parse import quote

from ivraudit import __version__
from ivraudit.diff import finding_key
from ivraudit.judge.findings import Finding, Severity
from ivraudit.judge.gate import Verdict
from ivraudit.judge.rules import REGISTRY, Rule
from ivraudit.report.location import display_path, is_absolute
from ivraudit.report.safe import json_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/ivraudit/"
SRCROOT = "%SRCROOT%"
# GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000
FINGERPRINT = "ivraudit/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(verdicts: Sequence[Verdict]) -> str:
    """Return one SARIF log with one run: the catalogue of rules and each finding."""
    rules = list(REGISTRY.values())
    index = {r.id: i for i, r in enumerate(rules)}
    findings = [f for v in verdicts for f in v.audit.findings]
    kept = _within_limit(findings)
    seen: Counter[tuple[str, ...]] = Counter()
    results = []
    relative = False
    for f in kept:
        identity = _identity(f)
        seen[identity] += 1
        results.append(_result(f, index.get(f.rule), _fingerprint(identity, seen[identity])))
        relative = relative or not is_absolute(f.pos.file)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if len(kept) < len(findings):
        invocation["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {
                    "text": f"{len(findings) - len(kept)} of {len(findings)} results left out: "
                    f"GitHub code scanning takes at most {MAX_RESULTS} per run "
                    "(the most severe were kept)"
                },
                "descriptor": {"id": "results-truncated"},
            }
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "ivraudit",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in rules],
            }
        },
        "invocations": [invocation],
        # Columns come from the YAML parser, which counts characters, not UTF-16 units.
        "columnKind": "unicodeCodePoints",
    }
    if relative:
        run["originalUriBaseIds"] = {
            SRCROOT: {"description": {"text": "The folder ivraudit was run from."}}
        }
    run["results"] = results
    run["properties"] = {"menus": [_menu(v) for v in verdicts]}
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text(log)


def _within_limit(findings: list[Finding]) -> list[Finding]:
    """Return the findings GitHub will take, most severe first, in their original order."""
    if len(findings) <= MAX_RESULTS:
        return findings
    order = sorted(range(len(findings)), key=lambda i: (-findings[i].severity.rank, i))
    keep = set(order[:MAX_RESULTS])
    return [f for i, f in enumerate(findings) if i in keep]


def _rule(r: Rule) -> dict[str, Any]:
    return {
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.rationale},
        "defaultConfiguration": {"level": LEVELS[r.severity]},
        "help": {"text": _help_text(r), "markdown": _help_markdown(r)},
        "properties": {"category": r.category, "tags": ["ivraudit", r.category]},
    }


def _examples(r: Rule) -> list[tuple[str, str]]:
    """Return the docstring's failing and passing menus that exist."""
    out = []
    for which in ("Fails", "Passes"):
        try:
            out.append((which, r.example(which)))
        except LookupError:
            continue
    return out


def _help_text(r: Rule) -> str:
    parts = [r.summary, f"Why: {r.rationale}", f"Source: {r.source}"]
    for which, menu in _examples(r):
        parts.append(f"{which}:\n\n" + "".join(f"    {ln}\n" for ln in menu.splitlines()))
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _help_markdown(r: Rule) -> str:
    parts = [f"**{r.summary}**", f"**Why:** {r.rationale}", f"**Source:** {r.source}"]
    for which, menu in _examples(r):
        parts.append(f"**{which}:**\n\n```yaml\n{menu}```")
    return "\n\n".join(parts) + "\n"


def _identity(f: Finding) -> tuple[str, str, str, str]:
    """Return what makes a result the same alert between runs: no line, no numbers."""
    rule, node, message = finding_key(f)
    return (rule, display_path(f.pos.file), node or "", message)


def _fingerprint(identity: tuple[str, ...], occurrence: int) -> str:
    digest = hashlib.sha256("\0".join(identity).encode("utf-8")).hexdigest()[:32]
    return f"{digest}:{occurrence}"


def _artifact(path: str) -> dict[str, str]:
    """Return the artifact location of a menu file: a relative URI under %SRCROOT%."""
    if not is_absolute(path):
        return {"uri": quote(display_path(path), safe="/"), "uriBaseId": SRCROOT}
    if PureWindowsPath(path).drive:
        return {"uri": PureWindowsPath(path).as_uri()}
    return {"uri": "file://" + quote(path, safe="/")}


def _result(f: Finding, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": f.rule}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = LEVELS[f.severity]
    result["message"] = {"text": f.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": _artifact(f.pos.file),
                "region": {
                    "startLine": max(f.pos.line, 1),
                    "startColumn": max(f.pos.column, 1),
                    "endLine": max(f.pos.line, 1),
                },
            },
            **({"logicalLocations": [{"name": f.node, "kind": "object"}]} if f.node else {}),
        }
    ]
    result["partialFingerprints"] = {FINGERPRINT: fingerprint}
    result["properties"] = {"category": f.category, "alias": f.name}
    return result


def _menu(v: Verdict) -> dict[str, Any]:
    """Return a menu's score and gate verdict, which no single result carries."""
    a = v.audit
    return {
        "file": display_path(a.file),
        "name": a.menu.name,
        "score": a.score.value,
        "band": a.score.band,
        "passed": v.passed,
        "reasons": list(v.reasons),
    }
