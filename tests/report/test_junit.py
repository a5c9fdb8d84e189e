"""The JUnit report: parsed back, its counts, failures and details are right."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ivraudit.judge.findings import Severity
from ivraudit.report.junit import render_junit
from tests.report.common import verdicts, with_finding


def _root(vs=None) -> ET.Element:
    return ET.fromstring(render_junit(verdicts() if vs is None else vs))


def test_counts_at_the_default_fail_on() -> None:
    root = _root()
    assert root.tag == "testsuites" and root.get("name") == "ivraudit"
    # Deep: three findings and a gate; cabs: a gate only.
    assert (root.get("tests"), root.get("failures")) == ("5", "2")
    deep, cabs = root.findall("testsuite")
    assert (deep.get("name"), deep.get("tests"), deep.get("failures")) == (
        "menus/deep.yaml",
        "4",
        "2",
    )
    assert (cabs.get("name"), cabs.get("tests"), cabs.get("failures")) == (
        "menus/cabs.yaml",
        "1",
        "0",
    )


def test_warnings_fail_when_fail_on_is_warning() -> None:
    root = _root(verdicts(fail_on=Severity.WARNING))
    assert root.get("failures") == "4"


def test_failing_finding_has_its_details_in_the_body() -> None:
    deep = _root().find("testsuite")
    assert deep is not None
    case = deep.findall("testcase")[0]
    assert case.get("classname") == "menus/deep.yaml"
    assert (
        case.get("name") == "IVR101 no route from the entry reaches a person (an agent node) (4:6)"
    )
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "IVR101"
    assert failure.get("message") == "no route from the entry reaches a person (an agent node)"
    body = failure.text or ""
    assert body.startswith("menus/deep.yaml:4:6\n")
    assert "severity: error" in body
    assert "No route to a person" in body  # the rule's title
    assert "no route from the entry reaches a person" in body


def test_finding_below_the_bar_passes_and_keeps_its_details() -> None:
    deep = _root().find("testsuite")
    assert deep is not None
    case = deep.findall("testcase")[2]
    assert case.get("name", "").startswith("IVR201 ")
    assert case.find("failure") is None and case.find("skipped") is None
    assert "severity: warning" in (case.findtext("system-out") or "")


def test_gate_fails_with_the_verdicts_reasons() -> None:
    vs = verdicts(fail_under=100)
    deep, cabs = _root(vs).findall("testsuite")
    gate = deep.findall("testcase")[-1]
    assert gate.get("name") == "gate"
    failure = gate.find("failure")
    assert failure is not None and failure.get("type") == "gate"
    assert failure.get("message") == "; ".join(vs[0].reasons)
    assert vs[0].reasons[0] == "1 finding at or above error"
    body = failure.text or ""
    assert f"- {vs[0].reasons[1]}" in body and "time to a person: never" in body
    passing = cabs.findall("testcase")
    assert [c.get("name") for c in passing] == ["gate"] and len(passing[0]) == 0


def test_markup_and_control_characters_are_escaped() -> None:
    text = render_junit([with_finding('a <b> & "c"\nnext\x01line')])
    case = ET.fromstring(text).find("testsuite/testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    # Control characters and line breaks show as escapes: a finding stays one line.
    assert failure.get("message") == 'a <b> & "c"\\nnext\\x01line'
    assert 'message: a <b> & "c"\\nnext\\x01line\n' in (failure.text or "")


def test_deterministic_and_declared_utf8() -> None:
    text = render_junit(verdicts())
    assert text == render_junit(verdicts())
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert ET.fromstring(render_junit([])).get("tests") == "0"
