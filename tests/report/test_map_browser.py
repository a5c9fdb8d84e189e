"""The menu map in a real headless Chromium: it fits a phone, its words are readable, and a
large menu's parts open from the box that leads to them.

The browser runs in a child process: one Playwright (sync) per process, and the other
browser tests hold theirs for the whole session. Skipped, with the reason, without
Playwright or Chromium. Screenshots are kept beside the pages as artefacts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from typing import Any

import pytest

from ivraudit import audit_file
from ivraudit.report.branding import Branding
from ivraudit.report.html import render_one
from tests.conftest import ROOT

pytest.importorskip(
    "playwright.sync_api", reason="needs Playwright for Python: pip install -e '.[test]'"
)

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
WIDTHS = (1280, 390)

# Opens each page at each width, offline (every request but a file's is aborted), and
# says what a reader would see; then follows a large menu's first "more steps" link.
CHILD = r"""
import json, sys
from pathlib import Path
from playwright.sync_api import sync_playwright

exe, pages, widths = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
SMALLEST = '''() => Math.min(...[...document.querySelectorAll('svg.map text')]
  .filter(t => t.getClientRects().length)
  .map(t => parseFloat(getComputedStyle(t).fontSize)
    * t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.width.baseVal.value))'''
OPEN = "t => document.querySelector(t).closest('details').open"
out = {}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
    for name, path in pages.items():
        for width in widths:
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            asked, errors = [], []
            def route(r, asked=asked):
                url = r.request.url
                if url.startswith(("file:", "data:", "about:")):
                    r.continue_()
                else:
                    asked.append(url)
                    r.abort()
            context.route("**/*", route)
            page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
            page.goto(Path(path).as_uri())
            box = page.locator("#map-0")
            seen = {
                "overflow": page.evaluate("document.documentElement.scrollWidth - innerWidth"),
                "smallest": page.evaluate(SMALLEST),
                "scrolls": box.evaluate("e => e.scrollWidth > e.clientWidth"),
                "wider": box.evaluate("e => e.querySelector('svg').width.baseVal.value")
                > box.bounding_box()["width"],
                "hint": page.locator(".hint-map-0").is_visible(),
                "errors": errors,
                "requests": asked,
            }
            page.locator("#s-map").screenshot(path=str(Path(path).with_name(f"{name}_{width}.png")))
            links = page.locator("svg.map a")
            if links.count():
                target = links.first.get_attribute("href")
                seen["closed_before"] = not page.evaluate(OPEN, target)
                links.first.click()
                seen["open_after"] = page.evaluate(OPEN, target)
                seen["target_visible"] = page.locator(target).is_visible()
            out[f"{name}-{width}"] = seen
            context.close()
    browser.close()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from benchmarks.generate import generate_menu

    exe = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if exe is None:
        pytest.skip("no Chromium on PATH: install Debian's `chromium` to run the browser tests")
    out = tmp_path_factory.mktemp("maps")
    big = out / "big.yaml"
    big.write_text(generate_menu(150), encoding="utf-8")
    pages = {}
    for menu in (ROOT / "menus/telecom_hell.yaml", ROOT / "menus/city_cabs.yaml", big):
        page = out / f"{menu.stem}.html"
        page.write_text(render_one(audit_file(menu), Branding()), encoding="utf-8")
        pages[menu.stem] = str(page)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, exe, json.dumps(pages), json.dumps(WIDTHS)],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard: the whole run takes seconds
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


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
