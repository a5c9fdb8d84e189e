"""GitHub workflow commands: one per finding and per menu, escaped as the runner expects."""

from __future__ import annotations

import re

from ivraudit.judge.findings import Severity
from ivraudit.report.github import escape_data, escape_property, job_summary, render_github
from ivraudit.report.markdown import render_markdown
from tests.report.common import verdicts, with_finding

ANNOTATION = re.compile(
    r"^::(?P<kind>error|warning|notice) file=(?P<file>[^,:]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),endLine=(?P<end>\d+),title=(?P<title>[^,:]+)::(?P<message>.*)$"
)
SUMMARY = re.compile(
    r"^::(?P<kind>notice|error) file=(?P<file>[^,:]+),title=(?P<title>[^,:]+)::(?P<message>.*)$"
)


def test_an_annotation_per_finding_then_the_menus_verdict() -> None:
    lines = render_github(verdicts()).splitlines()
    assert len(lines) == 5
    found = [ANNOTATION.match(line) for line in lines[:3]]
    assert all(found)
    assert [(m["kind"], m["line"], m["col"], m["end"], m["title"]) for m in found if m] == [
        ("error", "4", "6", "4", "IVR101 no-human"),
        ("warning", "5", "3", "5", "IVR901 unused-suppression"),
        ("warning", "9", "9", "9", "IVR201 max-depth"),
    ]
    assert {m["file"] for m in found if m} == {"menus/deep.yaml"}
    deep, cabs = SUMMARY.match(lines[3]), SUMMARY.match(lines[4])
    assert deep and deep["kind"] == "error" and deep["file"] == "menus/deep.yaml"
    assert "FAIL" in deep["message"] and "1 finding at or above error" in deep["message"]
    assert cabs and cabs["kind"] == "notice" and cabs["message"].endswith("— pass")


def test_info_is_a_notice() -> None:
    line = render_github([with_finding("just so", severity=Severity.INFO)]).splitlines()[0]
    assert line.startswith("::notice file=")


def test_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"


def test_messages_and_files_cannot_break_the_command() -> None:
    text = render_github([with_finding("50%\nsecond: line, more", file="odd,dir/a:b.yaml")])
    lines = text.splitlines()
    assert len(lines) == 2  # the finding and the verdict: no line was split
    assert lines[0].startswith("::error file=odd%2Cdir/a%3Ab.yaml,line=3,col=5,")
    # A line break from menu text is shown, not obeyed: the annotation stays one line.
    assert lines[0].endswith("::50%25\\nsecond: line, more")


def test_escape_sequences_never_reach_the_log() -> None:
    text = render_github([with_finding("red \x1b[31mRED\x1b[0m \u202eevil", file="a\x1b.yaml")])
    assert "\x1b" not in text and "\u202e" not in text
    assert "red \\x1b[31mRED\\x1b[0m \\u202eevil" in text and "file=a\\x1b.yaml" in text


def test_job_summary_is_the_markdown_report() -> None:
    assert job_summary(verdicts()) == render_markdown(verdicts())


def test_deterministic() -> None:
    assert render_github(verdicts()) == render_github(verdicts())
    assert render_github([]) == ""
