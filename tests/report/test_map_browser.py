"""The menu map in a real headless Chromium: it fits a phone, its words are readable, and a
large menu's parts open from the box that leads to them. Skipped without a browser, as
the other browser tests (whose fixtures these share)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivraudit import audit_file
from ivraudit.report.branding import Branding
from ivraudit.report.html import render_one
from tests.conftest import ROOT
from tests.report.test_browser import Opener, browser, opener  # noqa: F401 (fixtures)

# The smallest type on the map, in CSS pixels as drawn at 1280 px: the map never shrinks.
SMALLEST = """() => Math.min(...[...document.querySelectorAll('svg.map text')]
  .filter(t => t.getClientRects().length)
  .map(t => parseFloat(getComputedStyle(t).fontSize)
    * t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.width.baseVal.value))"""
OVERFLOW = "() => document.documentElement.scrollWidth - innerWidth"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from benchmarks.generate import generate_menu

    out = tmp_path_factory.mktemp("maps")
    big = out / "big.yaml"
    big.write_text(generate_menu(150), encoding="utf-8")
    found = {}
    for menu in (ROOT / "menus/telecom_hell.yaml", ROOT / "menus/city_cabs.yaml", big):
        page = out / f"{menu.stem}.html"
        page.write_text(render_one(audit_file(menu), Branding()), encoding="utf-8")
        found[menu.stem] = page
    return found


@pytest.mark.parametrize("name", ["telecom_hell", "city_cabs", "big"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_map_fits_the_page_and_reads_at_11_px(
    opener: Opener,  # noqa: F811
    pages: dict[str, Path],
    name: str,
    width: int,
) -> None:
    visit = opener.open(pages[name], width=width)
    page = visit.page
    assert page.evaluate(OVERFLOW) <= 0  # only the map's own box scrolls
    assert page.evaluate(SMALLEST) >= 11
    box = page.locator("#map-0")
    scrolls = box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert scrolls == (
        box.evaluate("e => e.querySelector('svg').width.baseVal.value")
        > box.bounding_box()["width"]
    )
    assert page.locator(".hint-map-0").is_visible() == scrolls  # and it says so
    page.locator("#s-map").screenshot(path=str(pages[name].with_name(f"{name}_{width}.png")))
    assert visit.errors == [] and visit.requests == []


def test_a_box_opens_the_part_below_it(opener: Opener, pages: dict[str, Path]) -> None:  # noqa: F811
    page = opener.open(pages["big"]).page
    link = page.locator("svg.map a").first
    target = link.get_attribute("href")
    assert target and not page.evaluate(
        f"document.querySelector('{target}').closest('details').open"
    )
    link.click()
    assert page.evaluate(f"document.querySelector('{target}').closest('details').open")
    assert page.locator(target).is_visible()
