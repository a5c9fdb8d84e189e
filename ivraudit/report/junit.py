"""JUnit XML for CI test reports: a suite per menu, a test case per finding and a gate.

A finding at or above the verdict's `fail_on` severity is a failed test case; one below
it is a passing test case whose details are in `<system-out>`, so it is still listed
(a `<skipped>` would claim the check did not run). Each menu also has a test case
named `gate`, failing with the verdict's reasons. Details go in element bodies, since
GitLab ignores the `message` attribute.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ivraudit.judge.findings import Finding
from ivraudit.judge.gate import Verdict
from ivraudit.judge.rules import REGISTRY
from ivraudit.report.location import display_path
from ivraudit.report.safe import one_line

# Characters XML 1.0 cannot hold at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# What sits between two menus' suites in the document, as ElementTree indents it.
SUITE_SEPARATOR = "\n  "


def render_junit(verdicts: Sequence[Verdict]) -> str:
    """Return a `<testsuites>` document with one `<testsuite>` per menu."""
    suites = [suite_xml(v) for v in verdicts]
    tests = sum(t for _, t, _ in suites)
    failures = sum(f for _, _, f in suites)
    body = SUITE_SEPARATOR.join(text for text, _, _ in suites)
    return junit_open(tests, failures, len(suites)) + body + junit_close(len(suites))


def suite_xml(v: Verdict) -> tuple[str, int, int]:
    """Return one menu's `<testsuite>` as it sits in the document (indented one level),
    with its numbers of tests and failures, so that a report can be written menu by menu."""
    suite = _suite(v)
    ET.indent(suite, level=1)
    tests, failures = int(suite.get("tests", "0")), int(suite.get("failures", "0"))
    return ET.tostring(suite, "unicode"), tests, failures


def junit_open(tests: int, failures: int, count: int) -> str:
    """Return the document up to its first suite, or the whole of it when `count` is 0."""
    root = ET.Element("testsuites", name="ivraudit")
    _counts(root, tests, failures)
    empty = ET.tostring(root, "unicode")  # `<testsuites ... />`
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not count:
        return head + empty + "\n"
    return head + empty.removesuffix(" />") + ">" + SUITE_SEPARATOR


def junit_close(count: int) -> str:
    """Return the document after its last suite."""
    return "\n</testsuites>\n" if count else ""


def _counts(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")


def _clean(text: str) -> str:
    """Return `text` as one line XML can hold: control characters shown as escapes."""
    return _NOT_XML.sub("\ufffd", one_line(text))


def _body(text: str) -> str:
    """Return lines of details for an element body, each made safe on its own."""
    return "\n".join(_clean(line) for line in text.split("\n"))


def _suite(v: Verdict) -> ET.Element:
    a = v.audit
    file = _clean(display_path(a.file))
    suite = ET.Element("testsuite", name=file)
    props = ET.SubElement(suite, "properties")
    for name, value in (("menu", a.menu.name), ("score", a.score.value), ("band", a.score.band)):
        ET.SubElement(props, "property", name=name, value=_clean(str(value)))
    bar = v.thresholds.fail_on.rank
    failures = 0
    for f in a.findings:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=file,
            name=_clean(f"{f.rule} {f.message} ({f.pos.line}:{f.pos.column})"),
            file=file,
            line=str(f.pos.line),
        )
        if f.severity.rank >= bar:
            failures += 1
            failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.rule)
            failure.text = _body(_details(f))
        else:
            ET.SubElement(case, "system-out").text = _body(_details(f))
    gate = ET.SubElement(suite, "testcase", classname=file, name="gate", file=file)
    if not v.passed:
        failures += 1
        failure = ET.SubElement(gate, "failure", message=_clean("; ".join(v.reasons)), type="gate")
        failure.text = _body(_gate_details(v))
    _counts(suite, len(a.findings) + 1, failures)
    return suite


def _details(f: Finding) -> str:
    rule = REGISTRY.get(f.rule)
    title = f" {rule.title}" if rule else ""
    return (
        f"{display_path(f.pos.file)}:{f.pos.line}:{f.pos.column}\n"
        f"severity: {f.severity.value}\n"
        f"rule: {f.rule} ({f.name}){title}\n"
        f"message: {one_line(f.message)}\n"
    )


def _gate_details(v: Verdict) -> str:
    a = v.audit
    tth = a.metrics.time_to_human_seconds
    lines = [
        f"{display_path(a.file)}: {one_line(a.menu.name)}",
        f"score: {a.score.value}/100 ({a.score.band})",
        f"time to a person: {'never' if tth is None else f'{tth:.1f} s'}",
        "fails because:",
        *(f"- {one_line(reason)}" for reason in v.reasons),
    ]
    return "\n".join(lines) + "\n"
