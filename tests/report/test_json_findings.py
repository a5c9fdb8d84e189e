"""The JSON report writes findings from a template: the same text as encoding their dicts."""

from __future__ import annotations

import json
import math

import pytest

from ivraudit.audit import audit_file
from ivraudit.format.model import Position
from ivraudit.judge.findings import Finding, Severity
from ivraudit.report import Format, render
from ivraudit.report.json_report import _value, audit_to_dict, findings_json
from ivraudit.report.safe import Encoded, json_text
from tests.conftest import ROOT

ODD_TEXT = [
    "plain",
    'quotes " and \\ backslash',
    "line\nbreak\ttab\r",
    "\x1b[31mred\x07",
    "caf\u00e9 \u2603 \U0001f600",
    "\u2028\u2029\x85\x9b",
    "",
]


def _findings() -> list[Finding]:
    out = []
    for i, text in enumerate(ODD_TEXT):
        out.append(
            Finding(
                f"IVR{100 + i}",
                f"name-{text}",
                list(Severity)[i % len(Severity)],
                "prompts",
                Position("m.yaml", i + 1, 10**i),
                f"message {text}",
                None if i % 3 == 0 else f"node {text}",
            )
        )
    return out


@pytest.mark.parametrize("count", [0, 1, len(ODD_TEXT)])
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_template_matches_the_encoder(level: int, count: int) -> None:
    findings = _findings()[:count]
    expected = [f.to_dict() for f in findings]
    # The list nested `level` deep in dicts, as the encoder writes it there.
    data: object = expected
    encoded: object = Encoded(lambda lv: findings_json(findings, lv), level)
    for _ in range(level):
        data, encoded = {"x": 1, "findings": data}, {"x": 1, "findings": encoded}
    assert json_text(encoded) == json_text(data)
    assert json.loads(json_text(encoded)) == json.loads(json.dumps(data))


def test_a_value_of_another_type_is_still_json() -> None:
    assert _value(2.5) == "2.5" and _value(True) == "true" and _value(None) == "null"
    with pytest.raises(ValueError):
        _value(math.nan)


def test_the_score_report_is_unchanged() -> None:
    audits = [audit_file(ROOT / "menus" / name) for name in ("telecom_hell.yaml", "trattoria.yaml")]
    assert render(audits[:1], Format.JSON) == json_text(audit_to_dict(audits[0]))
    assert render(audits, Format.JSON) == json_text([audit_to_dict(a) for a in audits])
