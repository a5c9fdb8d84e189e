"""The ranked table for the terminal: best score first, menu text shown as it is."""

from __future__ import annotations

import re

import pytest

from ivraudit import audit_file
from ivraudit.report.ranking import ranked, render_ranking
from tests.conftest import FIXTURES, ROOT

MENUS = sorted((ROOT / "menus").glob("*.yaml"))


def test_ranked_best_score_first() -> None:
    audits = [audit_file(p) for p in MENUS]
    scores = [a.score.value for a in ranked(audits)]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == len(MENUS)


@pytest.mark.parametrize("width", [70, 100, 160])
def test_table_rows_follow_the_ranking(width: int) -> None:
    audits = [audit_file(p) for p in [*MENUS, FIXTURES / "hostile.yaml"]]
    text = render_ranking(audits, width=width)
    assert all(len(line) <= width for line in text.splitlines())
    rows = [
        m.groups()
        for m in re.finditer(r"^\s*(\d+)\s+.*?\s(\d+)\s+(poor|needs work|good)", text, re.M)
    ]
    assert [int(r[0]) for r in rows] == list(range(1, len(audits) + 1))
    assert [int(r[1]) for r in rows] == sorted((a.score.value for a in audits), reverse=True)
    if width >= 160:  # rich markup in a menu's name is text, not a colour
        assert "[red]rich[/red]" in text
    assert "minutes:seconds" in text


def test_durations_over_90_seconds_read_as_minutes() -> None:
    text = render_ranking([audit_file(ROOT / "menus/telecom_hell.yaml")], width=100)
    # A person answers at 62.8 s (calls.person_seconds: the queue as it answers); a
    # typical call takes 213.7 s.
    assert re.search(r"\b62\.8 s\s+3:34\b", text)
    assert "213.7" not in text


def test_score_of_several_menus_ends_with_the_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from ivraudit.cli import main

    monkeypatch.chdir(ROOT)
    full = CliRunner().invoke(main, ["score", "menus", "--width", "100"])
    alone = CliRunner().invoke(main, ["score", "menus", "--summary", "--width", "100"])
    assert full.exit_code == alone.exit_code == 0
    assert alone.stdout.startswith("Ranking of 7 menus")
    assert full.stdout.endswith(alone.stdout)
    one = CliRunner().invoke(main, ["score", "menus/city_cabs.yaml"])
    assert "Ranking of" not in one.stdout
    bad = CliRunner().invoke(main, ["score", "menus", "--summary", "--format", "json"])
    assert bad.exit_code == 2


def test_a_narrow_terminal_gets_the_ranking_as_a_list() -> None:
    audits = [audit_file(p) for p in MENUS]
    text = render_ranking(audits, width=30)
    assert all(len(line) <= 30 for line in text.splitlines())
    for a in audits:  # every score and band is there, whatever the width
        assert f"{a.score.value} {a.score.band}" in text
    assert not re.search(r"\d\s*\n\s*s\b", text)  # no duration split from its unit
