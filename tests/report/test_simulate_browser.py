"""`ivraudit simulate --format html` in headless Chromium (the harness of
test_browser.py): the energy example's day and a table of scenarios, and the example
report's page of it with its "A day of calls", at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT
from tests.report.browsing import Opener, serious_violations

ENERGY = ROOT / "menus" / "energy_day.yaml"
REPORT = ROOT / "reports" / "html" / "energy_day.html"  # test_example_reports keeps it current


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the simulate page of the energy example with two scenarios (few runs)."""
    out = tmp_path_factory.mktemp("simulate")
    scenarios = out / "whatif.yaml"
    scenarios.write_text(
        "scenarios:\n  busier Monday: {calls: +20%}\n"
        "  two more in accounts: {agents: {accounts: +2}}\n"
    )
    html = out / "day.html"
    args = ["simulate", str(ENERGY), "-r", "2", "--scenario", str(scenarios)]
    result = CliRunner().invoke(main, [*args, "--format", "html", "-o", str(html)])
    assert result.exit_code == 0, result.output
    return html


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("which", ["simulate", "report"])
def test_the_day_fits_loads_nothing_and_passes_axe(
    opener: Opener, page: Path, artefacts: Path, width: int, which: str
) -> None:
    """No sideways overflow, no console error or request, every chart drawn within the
    page, and no serious or critical axe-core violation."""
    visit = opener.open(page if which == "simulate" else REPORT, width=width)
    p: Any = visit.page
    assert p.evaluate("document.documentElement.scrollWidth") <= width
    boxes = p.evaluate(
        "[...document.querySelectorAll('svg.daychart')].map(s => s.getBoundingClientRect())"
        ".map(r => [r.left, r.right, r.height])"
    )
    assert len(boxes) == 4  # calls, hang-ups, and the two queues' waits
    for left, right, height in boxes:
        assert left >= 0 and right <= width and height > 100
    p.screenshot(path=artefacts / f"{which}-day-{width}.png", full_page=True)
    assert serious_violations(p) == []
    assert visit.errors == [] and visit.requests == []
