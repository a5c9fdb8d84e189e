"""The HTML report in a real headless Chromium: it renders, sorts, prints, stays offline,
and passes axe-core's accessibility rules.

Playwright for Python drives Debian's `chromium` (no browser download: the package
gives the driver only). Skipped, with the reason, where Playwright or Chromium is
missing (Debian: `apt-get install chromium`; `.ci/run` installs it). Every request a page
makes is routed: file URLs load, anything else is aborted and noted, so a page that asks
the network for something fails its test whatever the machine's network allows. The
browser's own housekeeping (update and sign-in checks) is no page's request and does
not count. Screenshots and PDFs are kept in pytest's temporary folder as artefacts.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ivraudit import audit_file
from ivraudit.report.html import build_site
from tests.conftest import FIXTURES, NO_REALFLOWS, REALFLOWS, ROOT

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs Playwright for Python: pip install -e '.[test]'"
)

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
# No sandbox (CI runs as root); nothing the browser starts on its own account.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    exe = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if exe is None:
        pytest.skip("no Chromium on PATH: install Debian's `chromium` to run the browser tests")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=exe, args=FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """One page opened in a fresh context: what it logged and what it asked the network for."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Opener:
    """Open pages in fresh browser contexts whose every request outside file URLs is
    aborted and noted."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []

    def open(self, path: Path, width: int = 1280) -> Visit:
        context = self.browser.new_context(viewport={"width": width, "height": 1200})
        self.contexts.append(context)
        page = context.new_page()
        visit = Visit(page)

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith(("file:", "data:", "about:")):
                request_route.continue_()
            else:
                visit.requests.append(url)
                request_route.abort()

        context.route("**/*", route)
        page.on(
            "console",
            lambda message: visit.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: visit.errors.append(f"Uncaught {error}"))
        page.goto(path.as_uri(), wait_until="load")
        return visit

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def opener(browser: Any) -> Iterator[Opener]:
    opened = Opener(browser)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    menus = [*sorted((ROOT / "menus").glob("*.yaml")), FIXTURES / "hostile.yaml", WATER]
    # The water line with one agent on leaks: an overloaded queue, told in red and words.
    over = out / "water_overloaded.yaml"
    over.write_text(
        WATER.read_text(encoding="utf-8").replace("leaks: {agents: 3", "leaks: {agents: 1"),
        encoding="utf-8",
    )
    for name, text in build_site([audit_file(p) for p in [*menus, over]]).items():
        (out / name).write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screens")
    print(f"screenshots and PDF: {folder}")
    return folder


def _pixels(png: bytes, max_rows: int = 400) -> tuple[int, int, list[bytes]]:
    """Return width, height and the first unfiltered RGB(A) rows of an 8-bit PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = bpp = 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def _ink(png: bytes) -> float:
    """Return the share of pixels that differ from the bottom-left (background) colour."""
    width, _, rows = _pixels(png)
    bpp = len(rows[0]) // width
    bg = rows[-1][:3]
    differ = sum(
        1 for row in rows[::4] for x in range(0, width, 4) if row[x * bpp : x * bpp + 3] != bg
    )
    return differ / (len(rows[::4]) * len(range(0, width, 4)))


# The contract's worked water line: traffic, staffed queues and costs.
WATER = FIXTURES / "worked" / "water_busy_hour.yaml"
PAGES = ("index", "telecom_hell", "hostile", "water_busy_hour", "water_overloaded")
WIDTHS = (390, 1280)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_pages_render_offline_with_a_clean_console(
    opener: Opener, site: Path, artefacts: Path, page: str, width: int
) -> None:
    visit = opener.open(site / f"{page}.html", width)
    shot = artefacts / f"{page}-{width}.png"
    png = visit.page.screenshot(path=shot)
    width_px, _, _ = _pixels(png, max_rows=1)
    assert width_px == width
    assert _ink(png) > 0.02
    assert visit.errors == []
    assert visit.requests == []


def test_the_dom_keeps_hostile_text_as_text(opener: Opener, site: Path) -> None:
    visit = opener.open(site / "hostile.html")
    dom = visit.page.content()
    assert "<h1>Evil &lt;script&gt;alert('name')&lt;/script&gt; &amp; \"Co\" {{ 7*7 }}" in dom
    assert (
        visit.page.locator("h1")
        .inner_text()
        .startswith("Evil <script>alert('name')</script> & \"Co\" {{ 7*7 }}")
    )
    assert visit.page.locator("script, img, iframe, object, embed").count() == 0
    assert "&lt;/svg&gt;" in dom
    assert visit.errors == []
    assert visit.requests == []


def test_the_index_sorts_with_its_script(opener: Opener, site: Path) -> None:
    visit = opener.open(site / "index.html")
    page = visit.page
    # The script ran: every sortable heading became a button.
    buttons = page.locator("#ranking thead button")
    assert buttons.count() == 7
    # Sort by the first numeric column, up then down, as its values say.
    column = page.evaluate(
        "() => [...document.querySelectorAll('#ranking thead th')]"
        ".findIndex(th => th.dataset.sort === 'num')"
    )
    assert column >= 0
    head = page.locator("#ranking thead th").nth(column)
    values = f"rows => rows.map(r => parseFloat(r.cells[{column}].getAttribute('data-v')))"
    rows = page.locator("#ranking tbody tr")
    # The table may come sorted by this column already; each click turns the order.
    seen = []
    for _ in range(2):
        head.locator("button").click()
        order = head.get_attribute("aria-sort")
        shown = rows.evaluate_all(values)
        assert len(set(shown)) > 1
        assert shown == sorted(shown, reverse=order == "descending"), order
        seen.append(order)
    assert sorted(seen) == ["ascending", "descending"]
    assert visit.errors == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", ["water_busy_hour", "water_overloaded"])
def test_what_callers_live_through_fits_the_screen(
    opener: Opener, site: Path, artefacts: Path, page: str, width: int
) -> None:
    visit = opener.open(site / f"{page}.html", width)
    section = visit.page.locator("section[aria-labelledby=s-calls]")
    section.screenshot(path=artefacts / f"{page}-calls-{width}.png")
    # Nothing sticks out sideways: the queue table turns into cards on a phone.
    assert visit.page.evaluate("document.documentElement.scrollWidth") == width
    text = section.inner_text().replace("\u00a0", " ")
    assert "What callers live through" in text and "Queues" in text
    if page == "water_overloaded":
        assert "leaks is overloaded — needs 3 agents to be stable." in text
    else:
        assert "USD 55,604.95" in text
    display = visit.page.evaluate(
        "getComputedStyle(document.querySelector('table.queues tbody tr')).display"
    )
    # On a phone each queue is a card (its cells labelled by CSS), else a table row.
    assert display == ("block" if width == 390 else "table-row")
    assert visit.errors == []


def test_pages_print_to_pdf(opener: Opener, site: Path, artefacts: Path) -> None:
    visit = opener.open(site / "telecom_hell.html")
    data = visit.page.pdf(path=artefacts / "telecom_hell.pdf")
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2


@pytest.mark.parametrize("page", PAGES)
def test_pages_pass_axe_core(opener: Opener, site: Path, page: str) -> None:
    """axe-core's WCAG 2 A and AA rules find nothing on the index or a menu's page."""
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="needs axe-core (pip install axe-playwright-python, in the test extra)",
    )
    visit = opener.open(site / f"{page}.html")
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    results = axe.Axe().run(visit.page, options=options)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
    assert found == []


# -- controls: pages that do what ours must not, so the checks above are seen to catch it


def test_the_network_check_sees_a_page_that_loads_from_the_network(
    opener: Opener, tmp_path: Path
) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<img src="http://leak.example.test/pixel.png"><p>leaky</p>')
    visit = opener.open(leaky)
    assert visit.requests == ["http://leak.example.test/pixel.png"]


def test_the_console_check_sees_a_script_error(opener: Opener, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<p>broken</p><script>undefinedFunction();</script>")
    visit = opener.open(broken)
    assert any("undefinedFunction" in error for error in visit.errors)


def test_the_axe_check_sees_an_inaccessible_page(opener: Opener, tmp_path: Path) -> None:
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="needs axe-core (pip install axe-playwright-python, in the test extra)",
    )
    bad = tmp_path / "bad.html"
    bad.write_text('<html><body><img src="data:,"><input type="text"></body></html>')
    results = axe.Axe().run(opener.open(bad).page)
    assert {v["id"] for v in results.response["violations"]} >= {"image-alt", "label"}


# -- issue 19: the pages a client opens, checked as the issue checks them. Menus with and
# without traffic and costs, one without intents, a real export, the portfolio index and
# the before/after page (when `diff --format html` exists); each at 1280 and 390 px.

# Screens of the first-screen checks: one at 1280 x 900, two at 390 x 844.
SCREENS = {1280: (900, 1), 390: (844, 2)}
REAL_EXPORT = REALFLOWS / "twilio-studio" / "sheikplastk_firstPrototype2.extracted.json"
CLIENT_MENUS = {
    "telecom_hell": ROOT / "menus" / "telecom_hell.yaml",  # traffic, queues and costs
    "city_cabs": ROOT / "menus" / "city_cabs.yaml",  # a branch, a staffed queue, costs
    "council_services": ROOT / "menus" / "council_services.yaml",  # intents, no traffic
    "plain_line": FIXTURES / "plain_line.yaml",  # no intents at all
    "real_export": REAL_EXPORT,
}
CLIENT_PAGES = (*CLIENT_MENUS, "index", "diff")


@pytest.fixture(scope="session")
def client_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """Return each client page's file, or why it cannot be made here (a reason to skip)."""
    from click.testing import CliRunner

    from ivraudit.cli import main

    out = tmp_path_factory.mktemp("client")
    runner = CliRunner()
    pages: dict[str, Path | str] = {}
    for name, menu in CLIENT_MENUS.items():
        if not menu.exists():
            pages[name] = NO_REALFLOWS
            continue
        target = out / f"{name}.html"
        result = runner.invoke(main, ["score", str(menu), "--format", "html", "-o", str(target)])
        assert result.exit_code == 0, result.output
        pages[name] = target
    folder = out / "portfolio"
    menus = [str(m) for m in CLIENT_MENUS.values() if m.exists()]
    result = runner.invoke(main, ["report", *menus, "-o", str(folder)])
    assert result.exit_code == 0, result.output
    pages["index"] = folder / "index.html"
    # Before and after: the telecom menu with callers able to interrupt its billing menu.
    after = out / "telecom_after.yaml"
    after.write_text(
        CLIENT_MENUS["telecom_hell"]
        .read_text(encoding="utf-8")
        .replace("barge_in: false", "barge_in: true"),
        encoding="utf-8",
    )
    target = out / "diff.html"
    before = str(CLIENT_MENUS["telecom_hell"])
    result = runner.invoke(
        main, ["diff", before, str(after), "--format", "html", "-o", str(target)]
    )
    if result.exit_code == 2 or not target.exists():
        first = (result.stderr or result.output).strip().splitlines()[:1]
        pages["diff"] = f"`ivraudit diff --format html` is not available yet: {first}"
    else:
        pages["diff"] = target
    return pages


def _client_page(client_site: dict[str, Path | str], name: str) -> Path:
    found = client_site[name]
    if isinstance(found, str):
        pytest.skip(found)
    return found


def _screen(opener: Opener, path: Path, width: int) -> Visit:
    """Open `path` at the issue's screen size for `width` (1280 x 900 or 390 x 844)."""
    visit = opener.open(path, width)
    visit.page.set_viewport_size({"width": width, "height": SCREENS[width][0]})
    return visit


def _serious(page: Any) -> list[str]:
    """Return axe-core's serious and critical violations of WCAG 2.1 A and AA on `page`."""
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="needs axe-core (pip install axe-playwright-python, in the test extra)",
    )
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    results = axe.Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CLIENT_PAGES)
def test_client_pages_fit_stay_offline_and_pass_axe(
    opener: Opener, client_site: dict[str, Path | str], artefacts: Path, name: str, width: int
) -> None:
    """No sideways overflow, no console error, no request, nothing serious for axe-core."""
    visit = _screen(opener, _client_page(client_site, name), width)
    visit.page.screenshot(path=artefacts / f"client-{name}-{width}.png", full_page=True)
    wide = visit.page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1"
        " && !e.closest('.scroll, .mapwrap, pre, [class*=scroll]'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
    )
    assert visit.page.evaluate("document.documentElement.scrollWidth") == width, wide
    assert _serious(visit.page) == []
    assert visit.errors == []
    assert visit.requests == []


# A prompt counts as readable when its first words are page text (long prompts are shown
# cut at a word after about 300 characters).
PROMPT_HEAD = 80


def _prompts(menu: Path) -> list[str]:
    from ivraudit.importers import import_file

    said = [" ".join((n.prompt or "").split()) for n in import_file(menu).nodes]
    return [p for p in said if p]


@pytest.mark.parametrize("name", ["telecom_hell", "city_cabs", "plain_line", "real_export"])
def test_at_least_half_the_prompts_are_page_text(
    opener: Opener, client_site: dict[str, Path | str], name: str
) -> None:
    """What callers hear is on the page and on paper, not only in hover tooltips."""
    visit = opener.open(_client_page(client_site, name))
    text = " ".join(visit.page.evaluate("document.body.innerText").replace("\xa0", " ").split())
    prompts = _prompts(CLIENT_MENUS[name])
    assert len(prompts) >= 2
    shown = [p for p in prompts if p[:PROMPT_HEAD].rstrip() in text]
    assert 2 * len(shown) >= len(prompts), sorted(set(prompts) - set(shown))[:5]
    # innerText leaves out what is hidden (closed details, display: none): the walk-through
    # is open, and prints as it shows.
    walk = visit.page.locator("#s-walk")
    assert walk.count() == 1 and walk.is_visible()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["telecom_hell", "city_cabs", "real_export"])
def test_the_headline_is_in_the_first_screen(
    opener: Opener, client_site: dict[str, Path | str], name: str, width: int
) -> None:
    """The headline (#headline) starts within the first screen at 1280 x 900, the first
    two at 390 x 844."""
    visit = _screen(opener, _client_page(client_site, name), width)
    headline = visit.page.locator("#headline")
    if headline.count() == 0:
        pytest.skip("the page has no #headline block yet (engineer B adds it)")
    height, screens = SCREENS[width]
    box = headline.bounding_box()
    assert box is not None and box["y"] < height * screens - 40, box
    assert len(headline.inner_text().split()) >= 5


def test_the_overflow_check_sees_a_page_wider_than_the_screen(
    opener: Opener, tmp_path: Path
) -> None:
    wide = tmp_path / "wide.html"
    wide.write_text('<html lang="en"><title>w</title><body><p style="width:2000px">wide</p>')
    visit = _screen(opener, wide, 390)
    assert visit.page.evaluate("document.documentElement.scrollWidth") > 390
