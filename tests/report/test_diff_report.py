"""Reports of `ivraudit diff`: text, JSON and Markdown from the same MenuDiffs."""

from __future__ import annotations

import json

from ivraudit.diff import diff_audits
from ivraudit.report.diff_report import render_diff_json, render_diff_markdown, render_diff_text
from tests.report.common import CABS, DEEP, DEEPER, audit


def _diffs():  # type: ignore[no-untyped-def]
    return [
        diff_audits(audit(CABS, "menus/cabs.yaml"), audit(DEEP, "menus/cabs.yaml")),
        diff_audits(audit(DEEP, "menus/deep.yaml"), audit(DEEPER, "menus/deep.yaml")),
        diff_audits(None, audit(CABS, "menus/new.yaml")),
    ]


def test_text() -> None:
    diffs = _diffs()
    lines = render_diff_text(diffs).splitlines()
    old, new = diffs[0].old_score, diffs[0].new_score
    assert lines[0].startswith(
        f"menus/cabs.yaml (Deep): score {old} → {new} ({new - old:+d}) — REGRESSED: score fell"
    )
    assert "  a person can be reached: yes → no" in lines
    assert "  the fastest way to a person: 36.6 s → never" in lines
    assert (
        "  + menus/cabs.yaml:4:6: error IVR101 no route from the entry reaches a person"
        in "\n".join(lines)
    )
    assert any(
        line.startswith("  ~ menus/deep.yaml:10:9: warning IVR201 'news' takes 5 key presses")
        and line.endswith("(was: warning 'news' takes 4 key presses to reach (more than 3))")
        for line in lines
    )
    assert "menus/new.yaml (City Cabs booking line): new menu, score " in "\n".join(lines)
    assert lines[-1] == "3 menus compared, 2 regressed"


def test_fixed_findings_are_listed() -> None:
    d = diff_audits(audit(DEEP, "deep.yaml"), audit(CABS, "deep.yaml"))
    text = render_diff_text([d])
    assert "  - deep.yaml:4:6: error IVR101 " in text and text.count("(fixed)") == 3
    assert "no regression" in text


def test_json() -> None:
    data = json.loads(render_diff_json(_diffs()))
    assert data["regressed"] is True
    first, second, added = data["menus"]
    assert first["file"] == "menus/cabs.yaml" and first["regressed"] is True
    assert first["metrics"]["human_reachable"] == {
        "title": "a person can be reached",
        "old": True,
        "new": False,
        "delta": None,
        "changed": True,
    }
    assert first["metrics"]["intent_seconds.taxi_now"]["old"] == 6.6
    assert [f["rule"] for f in first["new_findings"]] == ["IVR101", "IVR901", "IVR201"]
    assert second["changed_findings"][0]["new"]["rule"] == "IVR201"
    assert second["metrics"]["depth"]["delta"] == 1
    assert added["added"] is True and added["old_score"] is None and added["score_delta"] is None


def test_markdown() -> None:
    text = render_diff_markdown(_diffs())
    assert text.startswith("## ivraudit diff: 2 of 3 menus regressed\n")
    assert "| menus/new.yaml | " in text and "| new menu | 0 | 0 | 0 | ✅ no regression |" in text
    assert text.count("<details>") == 2  # the new clean menu has nothing to show
    assert "| a person can be reached | yes | no |  |" in text
    assert "| changed | warning | IVR201 max-depth | 10 | 'news' takes 5 key presses" in text


def test_deterministic() -> None:
    for render in (render_diff_text, render_diff_json, render_diff_markdown):
        assert render(_diffs()) == render(_diffs())
    assert render_diff_text([]) == "0 menus compared, 0 regressed\n"
