"""The terminal report of one menu: priority order, folded findings, readable numbers."""

from __future__ import annotations

import itertools
import re

import pytest

from ivraudit import audit_file
from ivraudit.report.terminal import render_text
from tests.conftest import FIXTURES, ROOT

TELECOM = ROOT / "menus" / "telecom_hell.yaml"


@pytest.fixture(scope="module")
def telecom() -> object:
    return audit_file(TELECOM)


def _plain(text: str) -> list[str]:
    """Return the report's lines without the panel's border."""
    return [(line[2:-2] if line.startswith("│") else line).rstrip() for line in text.splitlines()]


def test_sections_come_in_priority_order(telecom: object) -> None:
    text = render_text([telecom], width=100)
    order = [
        f"Score {telecom.score.value}/100",  # type: ignore[attr-defined]
        # The order of every report (docs/reports.md): the headline, then the key figures
        # (fixes come between them when suggestions are given), the queues and month,
        # the journeys, the map (the tree), findings, and how the score was made last.
        "Callers wait 62.8 s for a person",
        "Key figures",
        "Time to a person",
        "Calls resolved",
        "Route to a person",
        "What callers live through",
        "Journeys (",
        "welcome (message)  at 0.0 s",
        "Findings (",
        "how the score was made",
        "★ on the fastest route",
    ]
    places = [text.index(marker) for marker in order]
    assert places == sorted(places)


def test_suggestions_put_three_things_to_fix_first(telecom: object) -> None:
    before = {"score": 35, "typical_call_seconds": 298.4}
    sugg = {
        "before": before,
        "suggestions": [
            {
                "title": f"Change {i} <b>[red]",
                "line": 10 + i,
                "after": {"score": 36 + i, "typical_call_seconds": 290.0 - i},
                "saves_seconds": 8.4 + i,
                "score_gain": 1 + i,
            }
            for i in range(5)
        ],
    }
    text = render_text([telecom], width=100, suggestions=[sugg])
    assert text.index("Callers wait") < text.index("Fix these first")
    assert text.index("Fix these first") < text.index("Key figures")
    assert text.index("Key figures") < text.index("What callers live through")
    assert "1. Change 0 <b>[red] — saves 8.4 s per typical call, score 35 → 36 (line 10)" in text
    assert "3. Change 2" in text and "4. Change 3" not in text


def test_repeated_findings_fold_and_verbose_lists_each(telecom: object) -> None:
    n = sum(1 for f in telecom.findings if f.rule == "IVR301")
    folded = render_text([telecom], width=100)
    assert f"IVR301 key-first \u00d7{n}" in folded
    assert folded.count("names the key before its function") == 1
    assert f"and {n - 1} more like it" in folded
    full = render_text([telecom], width=400, verbose=True)
    assert full.count("names the key before its function") == n
    assert "--verbose" not in full


def test_findings_by_severity_then_rule(telecom: object) -> None:
    lines = [line.strip() for line in _plain(render_text([telecom], width=100))]
    start = next(i for i, line in enumerate(lines) if line.startswith("Findings ("))
    heads = [
        i
        for i in range(start, len(lines))
        if re.match(r"(errors|warnings|infos) \(\d+\)$", lines[i])
    ]
    assert [lines[i].split()[0] for i in heads] == ["warnings", "infos"]
    for a, b in zip(heads, [*heads[1:], len(lines)], strict=True):
        rules = [m.group(1) for line in lines[a:b] if (m := re.match(r"(IVR\d{3}) ", line))]
        assert rules == sorted(rules) and len(rules) == len(set(rules))


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_numbers_keep_their_units_and_wrapped_lines_hang(telecom: object, width: int) -> None:
    text = render_text([telecom], width=width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    for a, b in itertools.pairwise(lines):
        inner_a, inner_b = a.strip("│").rstrip(), b.strip("│").lstrip()
        # A line never ends in a number whose unit starts the next line.
        assert not (re.search(r"\d$", inner_a) and re.match(r"(s|%|hold)\b", inner_b)), (a, b)
    # A finding's message wraps under itself, not under the rule id.
    plain = _plain(text)
    at = next(i for i, line in enumerate(plain) if "IVR106 long-hold" in line)
    column = plain[at].index("'billing_agents'")
    assert plain[at + 1].startswith(" " * column) and plain[at + 1][column] != " "


def test_durations_over_90_seconds_read_as_minutes(telecom: object) -> None:
    text = render_text([telecom], width=100)
    # The worst journey is the calls' time (`seconds_resolved` 535.08), the queue's
    # answer included, not the route's with the hold the file states (696.4).
    assert re.search(r"Worst journey +8:55  poor  billing query \(68% resolved\)", text)
    assert re.search(r"Time on the phone +3:34  needs work  on average", text)
    assert "535.1" not in text and "213.7" not in text


def test_no_field_names_in_the_reports_own_words(telecom: object) -> None:
    text = render_text([telecom], width=100)
    own = [line for line in _plain(text) if not re.search(r"IVR\d{3}|^\S.*\d+:\d+ ", line)]
    for key in ("no_input", "no_match", "no-input", "no-match", "intent_seconds", "self_service"):
        assert not any(key in line for line in own if "has no" not in line), key


def test_legend_explains_the_marks(telecom: object) -> None:
    text = render_text([telecom], width=100)
    assert "★ on the fastest route to a person" in text
    assert "↺ shown in full above" in text and "points:" in text


def test_menu_text_is_not_markup() -> None:
    text = render_text([audit_file(FIXTURES / "hostile.yaml")], width=200)
    assert "[red]rich[/red]" in text
    assert "<script>alert('label')</script>" in text


def test_no_suggestions_no_fix_first_section(telecom: object) -> None:
    empty = {"before": {"score": 35}, "suggestions": []}
    for sugg in (None, empty):
        assert "Fix these first" not in render_text([telecom], width=100, suggestions=[sugg])


def test_control_characters_in_menu_text_cannot_drive_the_terminal() -> None:
    from ivraudit.report.ranking import render_ranking
    from tests.conftest import audit_yaml

    audit = audit_yaml(
        r"""
        ivraudit: 1
        name: "Evil \e[31mRED\e[0m \r\b name"
        intents: {"\e]0;title\a": 1}
        nodes:
          main:
            options:
              - {key: 1, label: "lab \e[2J", goto: desk}
          desk: {type: agent, handles: ["\e]0;title\a"]}
        """
    )
    for text in (render_text([audit], width=100), render_ranking([audit, audit], width=100)):
        assert "\x1b" not in text and "\x08" not in text and "\r" not in text
        assert "\\x1b[31mRED" in text


def test_warnings_and_infos_read_in_one_column(telecom: object) -> None:
    plain = _plain(render_text([telecom], width=160))
    warning = next(line for line in plain if "IVR104 no-zero-out" in line)
    info = next(line for line in plain if "IVR206 key-order" in line)
    # The message starts where the line:column ends, at the same place for both.
    assert warning.index("menu 'main'") == info.index("'billing' reads")


def test_the_narrow_ranking_keeps_the_count_of_the_worst_rule() -> None:
    from ivraudit import audit_file
    from ivraudit.report.ranking import render_ranking
    from tests.conftest import ROOT

    text = render_ranking([audit_file(ROOT / "menus/telecom_hell.yaml")], width=60)
    assert "dead-end \u00d716" in text and "time to a person 62.8 s" in text


@pytest.mark.parametrize("width", [60, 80, 100])
def test_no_lone_marks_and_no_dangling_at(telecom: object, width: int) -> None:
    for line in _plain(render_text([telecom], width=width)):
        inner = line.strip("│ ").strip()
        assert inner not in ("↺", "★"), line
        # "at" and the time it introduces stay together in the tree and the routes.
        assert not re.search(r"\)  at$|→ \S+  at$", inner), line


def test_a_person_at_the_start_is_no_key_press_away(tmp_path) -> None:
    menu = tmp_path / "desk.yaml"
    menu.write_text("ivraudit: 1\nname: Desk\nnodes:\n  desk: {type: agent, hold_seconds: 5}\n")
    text = render_text([audit_file(menu)], width=100)
    assert re.search(r"Time to a person +5\.0 s  good  no key press", text)
    assert "at least 0" not in text
