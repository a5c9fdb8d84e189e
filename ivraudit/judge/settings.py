"""The resolved configuration of a run, as `--show-settings` prints it (as ruff's does):
where it came from, the rules that run with their severity and options, and the gate."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ivraudit.judge.config import Config
from ivraudit.judge.gate import Thresholds


def render_settings(config: Config, menu_file: str, thresholds: Thresholds | None = None) -> str:
    """Return the settings that apply to `menu_file` under `config` (with the gate's
    `thresholds` when the command line sets them), as YAML-like text, keys sorted."""
    from ivraudit.judge.rules import REGISTRY

    gate = thresholds or Thresholds.of(config)
    enabled = config.enabled(list(REGISTRY), menu_file)
    lines = [
        f"# Resolved settings for: {_text(menu_file)}",
        f"config: {_text(config.source) if config.source else 'built-in defaults'}",
        "gate:",
        f"  fail-on: {gate.fail_on.value}",
        f"  fail-under: {_value(gate.fail_under)}",
        f"  max-time-to-human: {_value(gate.max_time_to_human)}",
        f"  min-resolved-share: {_value(gate.min_resolved_share)}",
        f"  max-typical-call: {_value(gate.max_typical_call)}",
        "service-level:",
        f"  answer-target: {_value(config.answer_target)}",
        f"  abandon-target: {_value(config.abandon_target)}",
        f"select: {_ids(config.select) if config.select is not None else 'all'}",
        f"extend-select: {_ids(config.extend_select)}",
        f"ignore: {_ids(config.ignore)}",
        "per-file-ignores:" + ("" if config.per_file_ignores else " {}"),
    ]
    lines += [f"  {_text(p)}: {_ids(ids)}" for p, ids in config.per_file_ignores]
    lines.append(f"rules:  # {len(enabled)} of {len(REGISTRY)} run on this file")
    for rid in enabled:
        rule = REGISTRY[rid]
        severity = config.severity.get(rid, rule.severity).value
        options = {**rule.options, **config.options.get(rid, {})}
        lines.append(f"  {rid}:  # {rule.name}")
        lines.append(f"    severity: {severity}")
        for name in sorted(options):
            lines.append(f"    {name}: {_value(options[name])}")
    off = [rid for rid in REGISTRY if rid not in enabled]
    lines.append(f"not run: {_ids(off)}")
    for key, table in (("timing", config.timing), ("import", config.imports)):
        lines.append(f"{key}:" + _table(table))
    lines.append("report:" + _table(config.report))
    return "\n".join(lines) + "\n"


def _table(table: Mapping[str, Any]) -> str:
    if not table:
        return " {}"
    return "".join(f"\n  {name}: {_value(table[name])}" for name in sorted(table))


def _ids(ids: Any) -> str:
    return "[" + ", ".join(sorted(ids)) + "]"


def _value(value: Any) -> str:
    """Return a value as JSON, which YAML reads back (None as null)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _text(value: str) -> str:
    from ivraudit.format.text import one_line

    return json.dumps(one_line(value), ensure_ascii=False) if _needs_quotes(value) else value


def _needs_quotes(value: str) -> bool:
    return not value or any(c in value for c in ":#{}[],&*!|>'\"%@`") or value != value.strip()
