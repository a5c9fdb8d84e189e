"""Every report Format is rendered by `render_check`; `render` (score) takes text and json."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from ivraudit import Audit, audit_menu, loads_menu
from ivraudit.judge.findings import Severity
from ivraudit.judge.gate import Thresholds, Verdict, judge
from ivraudit.report import Format, render, render_check
from tests.report.common import CABS, DEEP


def _audits() -> list[Audit]:
    """Return a failing deep menu and the clean one, audited with every rule."""
    return [
        audit_menu(loads_menu(DEEP, "menus/deep.yaml")),
        audit_menu(loads_menu(CABS, "menus/cabs.yaml")),
    ]


def _verdicts(**thresholds: object) -> list[Verdict]:
    """Return both audits judged by `thresholds`."""
    return [judge(a, Thresholds(**thresholds)) for a in _audits()]  # type: ignore[arg-type]


def _text(out: str) -> None:
    assert out.splitlines()[-1] == "2 menus checked, 1 failed"


def _json(out: str) -> None:
    data = json.loads(out)
    assert data["passed"] is False
    assert [m["passed"] for m in data["menus"]] == [False, True]


def _sarif(out: str) -> None:
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]


def _junit(out: str) -> None:
    root = ET.fromstring(out)
    assert root.tag == "testsuites" and len(root.findall("testsuite")) == 2


def _github(out: str) -> None:
    assert all(line.startswith("::") for line in out.splitlines())


def _markdown(out: str) -> None:
    assert out.startswith("## ivraudit: 1 of 2 menus failed\n")


CHECKS: dict[Format, Callable[[str], None]] = {
    Format.TEXT: _text,
    Format.JSON: _json,
    Format.SARIF: _sarif,
    Format.JUNIT: _junit,
    Format.GITHUB: _github,
    Format.MARKDOWN: _markdown,
}


def test_every_format_has_a_check_here() -> None:
    """A new Format member must be added to this module's table."""
    assert set(CHECKS) == set(EMPTY) == set(Format)


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_render_check_handles_every_format(fmt: Format) -> None:
    """Each member renders a well-formed, newline-terminated, deterministic report."""
    out = render_check(_verdicts(), fmt)
    assert out.endswith("\n")
    CHECKS[fmt](out)
    assert render_check(_verdicts(), fmt) == out


EMPTY: dict[Format, Callable[[str], object]] = {
    Format.TEXT: lambda out: out == "0 menus checked, 0 failed\n",
    Format.JSON: lambda out: json.loads(out) == {"passed": True, "menus": []},
    Format.SARIF: lambda out: json.loads(out)["runs"][0]["results"] == [],
    Format.JUNIT: lambda out: ET.fromstring(out).get("tests") == "0",
    Format.GITHUB: lambda out: out == "",
    Format.MARKDOWN: lambda out: out.startswith("## ivraudit: 0 menus checked"),
}


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_render_check_of_no_menus(fmt: Format) -> None:
    """No verdicts (every file was bad) still gives a valid, empty report."""
    assert EMPTY[fmt](render_check([], fmt))


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
def test_format_is_the_value_the_cli_passes(fmt: Format) -> None:
    """The CLI builds the enum from its --format string."""
    assert Format(fmt.value) is fmt and fmt == fmt.value


def test_verdicts_change_with_the_thresholds() -> None:
    """The same audits fail more under stricter thresholds, in every format."""
    strict = _verdicts(fail_on=Severity.INFO, fail_under=99.0)
    assert [v.passed for v in strict] == [False, False]
    assert json.loads(render_check(strict, Format.JSON))["passed"] is False
    assert render_check(strict, Format.TEXT).endswith("2 menus checked, 2 failed\n")


@pytest.mark.parametrize(
    ("fmt", "check"),
    [(Format.TEXT, lambda out: "City Cabs booking line" in out), (Format.JSON, json.loads)],
    ids=["text", "json"],
)
def test_render_score_text_and_json(fmt: Format, check: Callable[[str], object]) -> None:
    """`render` writes the score report as text or JSON."""
    out = render(_audits(), fmt, many=True)
    assert check(out)
    if fmt is Format.JSON:
        assert [d["file"] for d in json.loads(out)] == ["menus/deep.yaml", "menus/cabs.yaml"]
        assert isinstance(json.loads(render(_audits()[:1], fmt, many=False)), dict)


@pytest.mark.parametrize(
    "fmt", [f for f in Format if f not in (Format.TEXT, Format.JSON)], ids=lambda f: f.value
)
def test_render_score_refuses_check_only_formats(fmt: Format) -> None:
    """`render` raises ValueError naming the format it cannot write."""
    with pytest.raises(ValueError, match=rf"text or json, not {fmt.value}$"):
        render(_audits(), fmt)
