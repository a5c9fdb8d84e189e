"""The menu map in a real headless Chromium: it fits a phone, its words are readable, and a
large menu's parts open from the box that leads to them.

The browser is the session's (tests/report/conftest.py), every request but a file's
aborted and noted. Skipped, with the reason, without Playwright or Chromium. Screenshots
are kept beside the pages as artefacts.
"""

from __future__ import annotations

from typing import Any

import pytest

from ivraudit import audit_file
from ivraudit.report.branding import Branding
from ivraudit.report.html import render_one
from tests.conftest import ROOT
from tests.report.browsing import Opener

WIDTHS = (1280, 390)
# The smallest type on the maps as drawn, in px: font size times the picture's scale.
SMALLEST = """() => Math.min(...[...document.querySelectorAll('svg.map text')]
  .filter(t => t.getClientRects().length)
  .map(t => parseFloat(getComputedStyle(t).fontSize)
    * t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.width.baseVal.value))"""
OPEN = "t => document.querySelector(t).closest('details').open"


@pytest.fixture(scope="module")
def seen(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Open each page at each width and say what a reader would see; then follow a large
    menu's first "more steps" link."""
    from benchmarks.generate import generate_menu

    out = tmp_path_factory.mktemp("maps")
    big = out / "big.yaml"
    big.write_text(generate_menu(150), encoding="utf-8")
    opener = Opener(browser)
    found: dict[str, Any] = {}
    try:
        for menu in (ROOT / "menus/telecom_hell.yaml", ROOT / "menus/city_cabs.yaml", big):
            path = out / f"{menu.stem}.html"
            path.write_text(render_one(audit_file(menu), Branding()), encoding="utf-8")
            for width in WIDTHS:
                visit = opener.open(path, width)
                page = visit.page
                page.set_viewport_size({"width": width, "height": 900})
                box = page.locator("#map-0")
                look = {
                    "overflow": page.evaluate("document.documentElement.scrollWidth - innerWidth"),
                    "smallest": page.evaluate(SMALLEST),
                    "scrolls": box.evaluate("e => e.scrollWidth > e.clientWidth"),
                    "wider": box.evaluate("e => e.querySelector('svg').width.baseVal.value")
                    > box.bounding_box()["width"],
                    "hint": page.locator(".hint-map-0").is_visible(),
                    "errors": visit.errors,
                    "requests": visit.requests,
                }
                page.locator("#s-map").screenshot(path=str(out / f"{menu.stem}_{width}.png"))
                links = page.locator("svg.map a")
                if links.count():
                    target = links.first.get_attribute("href")
                    look["closed_before"] = not page.evaluate(OPEN, target)
                    links.first.click()
                    look["open_after"] = page.evaluate(OPEN, target)
                    look["target_visible"] = page.locator(target).is_visible()
                found[f"{menu.stem}-{width}"] = look
    finally:
        opener.close()
    return found


@pytest.mark.parametrize("name", ["telecom_hell", "city_cabs", "big"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_fits_the_page_and_reads_at_11_px(
    seen: dict[str, Any], name: str, width: int
) -> None:
    page = seen[f"{name}-{width}"]
    assert page["overflow"] <= 0  # only the map's own box scrolls
    assert page["smallest"] >= 11  # px as drawn: the picture is never scaled down
    assert page["scrolls"] == page["wider"]
    assert page["hint"] == page["scrolls"]  # and the page says so where it does
    assert page["errors"] == [] and page["requests"] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_box_opens_the_part_below_it(seen: dict[str, Any], width: int) -> None:
    page = seen[f"big-{width}"]
    assert page["closed_before"] and page["open_after"] and page["target_visible"]
    assert "closed_before" not in seen[f"city_cabs-{width}"]  # a small menu is one picture
