"""Verdicts to render: a failing deep menu and a clean one, audited by implemented rules."""

from __future__ import annotations

import textwrap
from dataclasses import replace

from ivraudit import Audit, audit_menu, loads_menu
from ivraudit.format.model import Position
from ivraudit.judge.config import Config
from ivraudit.judge.findings import Finding, Severity
from ivraudit.judge.gate import Thresholds, Verdict, judge
from tests.conftest import FIXTURES

SELECT = frozenset({"IVR101", "IVR201", "IVR901"})

# IVR101 (error) at 4:6, IVR901 (warning) at 5:3, IVR201 (warning) at 9:9.
DEEP = textwrap.dedent(
    """\
    ivraudit: 1
    name: Deep
    nodes:
      a: {options: [{key: 1, label: more, goto: b}, {key: 2, label: hours, goto: h}]}
      # ivraudit: ignore[IVR105] old
      b: {options: [{key: 1, label: more, goto: c}]}
      c: {options: [{key: 1, label: more, goto: d}]}
      d: {options: [{key: 1, label: the news, goto: news}, {key: 2, label: other, goto: h}]}
      news: {type: self_service, prompt: "No news."}
      h: {type: self_service, prompt: "Open at 9."}
    """
)
# One level deeper: IVR201's message changes only in a number, and moves a line down.
DEEPER = DEEP.replace(
    "d: {options: [{key: 1, label: the news, goto: news}",
    "d: {options: [{key: 1, label: more, goto: e}]}\n"
    "  e: {options: [{key: 1, label: the news, goto: news}",
)
CABS = (FIXTURES / "city_cabs_contract.yaml").read_text(encoding="utf-8")


def audit(text: str, source: str, **config: object) -> Audit:
    """Audit menu `text` named `source` with the implemented rules only."""
    return audit_menu(loads_menu(text, source), Config(select=SELECT, **config))  # type: ignore[arg-type]


def verdicts(**thresholds: object) -> list[Verdict]:
    """Return the deep menu judged by `thresholds`, then the clean menu judged by defaults."""
    deep = judge(audit(DEEP, "menus/deep.yaml"), Thresholds(**thresholds))  # type: ignore[arg-type]
    return [deep, judge(audit(CABS, "menus/cabs.yaml"), Thresholds())]


def with_finding(message: str, file: str = "menus/odd.yaml", **fields: object) -> Verdict:
    """Return a failing verdict on the clean menu with one made-up finding added."""
    base = audit(CABS, file)
    finding = Finding(
        rule=str(fields.get("rule", "IVR101")),
        name=str(fields.get("name", "no-human")),
        severity=fields.get("severity", Severity.ERROR),  # type: ignore[arg-type]
        category="reach",
        pos=Position(file, int(fields.get("line", 3)), int(fields.get("column", 5))),  # type: ignore[arg-type]
        message=message,
        node="main",
    )
    return judge(replace(base, findings=(finding,)), Thresholds())
