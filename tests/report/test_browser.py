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
from tests.conftest import FIXTURES, REALFLOWS, ROOT

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


# -- print and the portfolio index (issue 19): the index fits a phone and a desktop with
# long names; a printed page opens with its cover and first section, numbers its pages,
# and leaves none nearly blank. The PDF's text is read with poppler's pdftotext.

LONG_NAME = (
    "Northgate Metropolitan Borough Council Revenues, Benefits and Council Tax "
    "Enquiries Out-Of-Hours Emergency Line"
)


@pytest.fixture(scope="session")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ivraudit.report.fixes import suggestions_for

    out = tmp_path_factory.mktemp("portfolio")
    city = (ROOT / "menus" / "city_cabs.yaml").read_text(encoding="utf-8")
    long = out / "northgate_revenues_and_benefits_out_of_hours_emergency_line_v2.yaml"
    long.write_text(city.replace("name: City Cabs booking line", f"name: {LONG_NAME}"))
    placeholder = out / "acme_main_flow.yaml"
    placeholder.write_text(city.replace("name: City Cabs booking line", "name: '{{flow_name}}'"))
    audits = [audit_file(p) for p in [*sorted((ROOT / "menus").glob("*.yaml")), WATER, long]]
    audits.append(audit_file(placeholder))
    found = [suggestions_for(a) for a in audits]
    for name, text in build_site(audits, suggestions=found).items():
        (out / name).write_text(text, encoding="utf-8")
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_the_index_fits_the_screen_with_long_names(
    opener: Opener, portfolio: Path, artefacts: Path, width: int
) -> None:
    visit = opener.open(portfolio / "index.html", width)
    page = visit.page
    page.screenshot(path=artefacts / f"portfolio-index-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") == width
    # The table does not scroll inside itself either: long names and files wrap.
    box = page.evaluate(
        "(() => { const s = document.querySelector('#ranking').parentElement;"
        " return [s.scrollWidth, s.clientWidth]; })()"
    )
    assert box[0] <= box[1]
    text = page.locator("#ranking").inner_text()
    assert LONG_NAME in re.sub(r"\s+", " ", text) and "{{flow_name}}" not in text
    assert "acme_main_flow" in text
    display = page.evaluate("getComputedStyle(document.querySelector('#ranking tr')).display")
    assert display == ("block" if width == 390 else "table-row")  # cards on a phone
    summary = page.locator("section[aria-labelledby=s-month]")
    assert summary.is_visible() and summary.locator(".levers li").count() == 3
    # The summary comes before the table, and within the first screens on a phone.
    assert summary.bounding_box()["y"] < page.locator("#ranking").bounding_box()["y"]
    assert visit.errors == [] and visit.requests == []


def _pdf_pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, str]]]]:
    """Return each page of a PDF: width, height and its words with their lower edge."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("no pdftotext to read the PDF: apt-get install poppler-utils")
    import subprocess

    out = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(w.group(1)), w.group(2))
            for w in re.finditer(r'<word [^>]*yMax="([\d.]+)">([^<]*)</word>', m.group(3))
        ]
        pages.append((float(m.group(1)), float(m.group(2)), words))
    return pages


MM = 72 / 25.4  # PDF points in a millimetre


def _filled(height: float, words: list[tuple[float, str]]) -> float:
    """Return how far down the page's text reaches, as a share of the space between the
    top and bottom margins (14 mm and 16 mm: _print.css.j2); the page numbers in the
    bottom margin do not count."""
    top, bottom = 14 * MM, height - 16 * MM
    body = [y for y, _ in words if y <= bottom]
    return (max(body) - top) / (bottom - top) if body else 0.0


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_page_opens_with_its_cover_and_numbers_its_pages(
    opener: Opener, site: Path, artefacts: Path, paper: str
) -> None:
    visit = opener.open(site / "telecom_hell.html")
    first_section = visit.page.locator("main section h2").first.inner_text()
    digest = audit_file(ROOT / "menus" / "telecom_hell.yaml").menu.digest
    pdf = artefacts / f"telecom_hell-{paper}.pdf"
    visit.page.pdf(path=pdf, format=paper)
    pages = _pdf_pages(pdf)
    assert 3 <= len(pages) <= 20
    first = " ".join(w for _, w in pages[0][2])
    assert "Nimbus Telecom customer service" in first
    assert f"File version: {digest}" in first or f"version {digest}" in first.replace(":", "")
    assert " ".join(first_section.split()[:3]) in first  # the first section starts here
    for n, (_, _, words) in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in " ".join(w for _, w in words)


REAL_FLOWS = {
    "webex": "webex/webexcc_flowdesigner_Cars_Export-voice.json",
    "twilio": "twilio-studio/sheikplastk_firstPrototype2.extracted.json",
}


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize(
    "name", ["telecom_hell", "water_utility", "water_busy_hour", "index", *REAL_FLOWS]
)
def test_no_printed_page_is_nearly_blank(
    opener: Opener, site: Path, portfolio: Path, artefacts: Path, name: str, paper: str
) -> None:
    if name in REAL_FLOWS:
        from ivraudit.audit import audit_menu
        from ivraudit.importers import import_file

        flow = REALFLOWS / REAL_FLOWS[name]
        if not flow.exists():
            pytest.skip(f"needs ../shared/realflows: {flow} is missing")
        path = artefacts / f"{name}.html"
        (page_html,) = (
            text
            for file, text in build_site([audit_menu(import_file(flow))]).items()
            if file != "index.html"
        )
        path.write_text(page_html, encoding="utf-8")
    else:
        path = (portfolio if name == "index" else site) / f"{name}.html"
    visit = opener.open(path)
    pdf = artefacts / f"{name}-{paper}-blank-check.pdf"
    visit.page.pdf(path=pdf, format=paper)
    pages = _pdf_pages(pdf)
    assert 1 <= len(pages) <= 20
    sizes = [(w, h) for w, h, _ in pages]
    filled = [round(_filled(h, words), 2) for _, h, words in pages]
    for i, share in enumerate(filled):
        # The end of the text may fill little of its page: the last page, and the last
        # one before the landscape page of a wide map.
        if i == len(pages) - 1 or sizes[i + 1] != sizes[i]:
            continue
        assert share >= 0.5, f"page {i + 1} is nearly blank: {filled}"


def test_a_wide_map_prints_on_a_landscape_page(opener: Opener, site: Path, artefacts: Path) -> None:
    visit = opener.open(site / "telecom_hell.html")
    if not visit.page.locator("section.wide").count():
        pytest.skip("this map is not wide enough for a landscape page")
    pdf = artefacts / "telecom_hell-landscape.pdf"
    visit.page.pdf(path=pdf, format="A4")
    pages = _pdf_pages(pdf)
    wide = [i for i, (w, h, _) in enumerate(pages) if w > h]
    assert wide and wide[-1] == len(pages) - 1  # the map comes last, on its own page
    text = " ".join(w for i in wide for _, w in pages[i][2])
    assert "Menu map" in text
