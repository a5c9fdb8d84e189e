"""The committed example reports under reports/html are what `ivraudit report` writes today.

Regenerate them, from the repository root, with:

    ivraudit report menus -o reports/html
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT

COMMITTED = ROOT / "reports" / "html"


def test_example_reports_are_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # pages show the menu paths as given: keep them relative
    result = CliRunner().invoke(main, ["report", "menus", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = {p.name: p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir())}
    committed = {p.name: p.read_text(encoding="utf-8") for p in sorted(COMMITTED.iterdir())}
    assert sorted(committed) == sorted(fresh), "regenerate: ivraudit report menus -o reports/html"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"out of date: {stale}; regenerate: ivraudit report menus -o reports/html"


def test_the_largest_example_page_stays_small() -> None:
    largest = max(COMMITTED.glob("*.html"), key=lambda p: p.stat().st_size)
    assert largest.stat().st_size < 1_000_000
