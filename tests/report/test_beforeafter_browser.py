"""The before/after pages in headless Chromium (the harness of test_browser.py): the
telecom example beside the menu `suggest --write` writes, at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT
from tests.report.browsing import Opener, serious_violations

TELECOM = ROOT / "menus" / "telecom_hell.yaml"
SCREENS = {1280: 900, 390: 844}  # the width and height of a laptop's and a phone's screen


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder with diff.html and suggest.html of the telecom example."""
    out = tmp_path_factory.mktemp("beforeafter")
    better = out / "telecom_better.yaml"
    run = CliRunner().invoke
    assert run(main, ["suggest", str(TELECOM), "--write", str(better)]).exit_code == 0
    diff = ["diff", str(TELECOM), str(better), "--format", "html", "-o", str(out / "diff.html")]
    assert run(main, diff).exit_code == 0
    suggest = ["suggest", str(TELECOM), "--format", "html", "-o", str(out / "suggest.html")]
    assert run(main, suggest).exit_code == 0
    return out


@pytest.mark.parametrize("width", sorted(SCREENS))
@pytest.mark.parametrize("name", ["diff", "suggest"])
def test_page_fits_loads_nothing_and_passes_axe(
    opener: Opener,
    pages: Path,
    artefacts: Path,
    name: str,
    width: int,
) -> None:
    """No sideways overflow, no console error or request, both scores on the first
    screen, and no serious or critical axe-core violation."""
    visit = opener.open(pages / f"{name}.html", width=width)
    page: Any = visit.page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    top = page.evaluate("document.querySelector('.scores').getBoundingClientRect().bottom")
    assert top <= SCREENS[width]
    assert page.locator(".scores .num").all_inner_texts() != []
    page.screenshot(path=artefacts / f"{name}-{width}.png", full_page=True)
    assert serious_violations(page) == []
    assert visit.errors == [] and visit.requests == []


@pytest.mark.parametrize("name", ["diff", "suggest"])
def test_each_map_is_drawn_at_its_size_in_its_column(
    opener: Opener, pages: Path, name: str
) -> None:
    """Both maps keep the menu page's drawing: the picture at its own size in a box that
    scrolls, not shrunk into a tall empty frame beside its hint (the side-by-side grid
    must not reach the map partial's own layout)."""
    page: Any = opener.open(pages / f"{name}.html", width=1280).page
    boxes = page.evaluate(
        """[...document.querySelectorAll('.mapwrap')].filter(w => w.offsetParent).map(w => {
            const s = w.querySelector('svg');
            return {box: w.getBoundingClientRect().height, svg: s.getBoundingClientRect().height,
                    width: s.getBoundingClientRect().width,
                    natural: s.width.baseVal.value}; })"""
    )
    assert len(boxes) >= 2
    for b in boxes:
        assert b["width"] >= b["natural"] - 1, b  # not shrunk
        assert b["box"] <= b["svg"] + 4, b  # no empty frame around it
