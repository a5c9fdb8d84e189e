"""Run one rule over a menu, as yamllint's tests do with `check(conf, source, problem)`."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import yaml

from ivraudit import build_graph, compute_metrics, loads_menu
from ivraudit.judge.config import Config
from ivraudit.judge.findings import Finding
from ivraudit.judge.lint import run_rules
from ivraudit.judge.rules import get_rule

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*(\d+):(\d+)")
_OPTIONS = re.compile(r"^#\s*options:\s*(.*)$", re.MULTILINE)


def findings(text: str, rule: str, options: dict[str, Any] | None = None) -> list[Finding]:
    """Return the findings of `rule` alone on the menu `text`."""
    menu = loads_menu(textwrap.dedent(text), "m.yaml")
    g = build_graph(menu)
    rule_ = get_rule(rule)
    rid = rule_.id
    # A rule that judges suppressions needs every other rule to have run.
    select = None if rule_.after_suppression else frozenset({rid})
    config = Config(select=select, options={rid: options or {}})
    return [f for f in run_rules(menu, g, compute_metrics(menu, g), config) if f.rule == rid]


def positions(text: str, rule: str, options: dict[str, Any] | None = None) -> list[tuple[int, int]]:
    """Return the (line, column) of each finding of `rule` on `text`, in order."""
    return [(f.pos.line, f.pos.column) for f in findings(text, rule, options)]


def expected(text: str) -> list[tuple[int, int]]:
    """Return the places a fixture marks with `# expect: LINE:COL` comments, sorted."""
    return sorted((int(a), int(b)) for a, b in _EXPECT.findall(text))


def fixture_options(text: str) -> dict[str, Any]:
    """Return the rule options a fixture sets in a `# options: {...}` comment."""
    match = _OPTIONS.search(text)
    return yaml.safe_load(match.group(1)) if match else {}
