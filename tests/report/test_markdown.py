"""The Markdown report for pull-request comments and job summaries."""

from __future__ import annotations

import re

import pytest

from ivraudit.report import markdown
from ivraudit.report.markdown import md_cell, render_markdown
from tests.report.common import verdicts, with_finding

# A table cell border is a `|` that no backslash escapes.
BORDER = re.compile(r"(?<!\\)\|")


def _rows(text: str, header: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_menu_table() -> None:
    vs = verdicts()
    text = render_markdown(vs)
    assert text.startswith("## ivraudit: 1 of 2 menus failed\n")
    header = "| Menu | Score | Band | Time to a person | Errors | Warnings | Info | Result |"
    deep, cabs = _rows(text, header)
    a = vs[0].audit
    figures = f"{a.score.value} | {a.score.band} | never | 1 | 2 | 0"
    assert deep == f"| menus/deep.yaml | {figures} | ❌ **FAIL** |"
    assert cabs.startswith("| menus/cabs.yaml | ") and "| 36.6 s | 0 | 0 | 0 | ✅ pass |" in cabs


def test_details_only_for_flagged_menus() -> None:
    text = render_markdown(verdicts())
    assert text.count("<details>") == text.count("</details>") == 1
    assert "<summary><b>menus/deep.yaml</b> (Deep): FAIL, 3 findings</summary>" in text
    assert "- 1 finding at or above error" in text
    rows = _rows(text, "| Severity | Rule | Line | Message |")
    assert rows[0] == (
        "| error | IVR101 no-human | 4 | no route from the entry reaches a person (an agent node) |"
    )
    assert len(rows) == 3
    categories = _rows(text, "| Category | Weight | Score | Made of |")
    assert [r.split(" | ")[0] for r in categories] == [
        "| Reach a person",
        "| Navigation",
        "| Prompts",
        "| Robustness",
    ]


def test_all_passed() -> None:
    text = render_markdown(verdicts()[1:])
    assert text.startswith("## ivraudit: 1 menu checked, all passed\n")
    assert "<details>" not in text


def test_cells_escape_pipes_newlines_and_html() -> None:
    # A line break shows as the escape \n (written \\n in Markdown): never a new line.
    assert md_cell("a | b\nc <d> & e_f") == r"a \| b\\nc &lt;d&gt; &amp; e\_f"
    text = render_markdown([with_finding("a | b\nc", file="x|y.yaml")])
    rows = _rows(text, "| Severity | Rule | Line | Message |")
    assert rows == [r"| error | IVR101 no-human | 3 | a \| b\\nc |"]
    for row in _rows(
        text, "| Menu | Score | Band | Time to a person | Errors | Warnings | Info | Result |"
    ):
        assert len(BORDER.findall(row)) == 9


def test_long_finding_lists_are_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "MAX_FINDING_ROWS", 2)
    text = render_markdown(verdicts())
    assert len(_rows(text, "| Severity | Rule | Line | Message |")) == 2
    assert "… and 1 more" in text


def test_deterministic() -> None:
    assert render_markdown(verdicts()) == render_markdown(verdicts())
    assert render_markdown([]) == "## ivraudit: 0 menus checked, all passed\n"
