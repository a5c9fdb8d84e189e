"""The HTML report in a real headless Chromium: it renders, sorts, prints, stays offline.

Skipped, with the reason, where no Chromium is installed (Debian: `apt-get install
chromium`; `.ci/run` installs it). Screenshots and PDFs are kept in pytest's temporary
folder as artefacts (the path is printed with `-s`).
"""

from __future__ import annotations

import re
import shutil
import socket
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ivraudit import audit_file
from ivraudit.report.html import build_site
from tests.conftest import FIXTURES, ROOT

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
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
    "--enable-logging=stderr",
    "--v=0",
)


# The browser's own housekeeping (clock, updates, sign-in), which no page asks for.
BROWSER_HOSTS = frozenset(
    {
        "clients2.google.com",
        "update.googleapis.com",
        "accounts.google.com",
        "redirector.gvt1.com",
        "optimizationguide-pa.googleapis.com",
        "content-autofill.googleapis.com",
        "safebrowsingohttpgateway.googleapis.com",
        "www.google.com",
    }
)


class Proxy:
    """A TCP listener standing in as the browser's proxy: it notes the host of every
    request, and answers none, so whatever a page asks the network for is seen."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.hosts: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._note, args=(conn,), daemon=True).start()

    def _note(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            head = conn.recv(2048).decode("latin-1")
        except OSError:
            head = ""
        conn.close()
        # A connection that sends nothing (a browser's speculative preconnect) asks for
        # nothing; every request names its host in its first line.
        found = re.match(r"\S+ (?:https?://)?([^/:\s]+)", head)
        if found:
            self.hosts.append(found.group(1))

    def page_requests(self, since: int) -> list[str]:
        """Return the hosts asked for since `since` requests, leaving out the browser's own."""
        return [h for h in self.hosts[since:] if h not in BROWSER_HOSTS]


@dataclass(frozen=True)
class Run:
    """What one browser run printed."""

    stdout: str
    stderr: str


@dataclass
class Browser:
    """Headless Chromium, each run with a fresh profile, all behind one trap proxy."""

    exe: str
    profiles: pytest.TempPathFactory
    proxy: Proxy

    def _command(self, url: str, args: tuple[str, ...]) -> list[str]:
        return [
            self.exe,
            *FLAGS,
            f"--user-data-dir={self.profiles.mktemp('profile')}",
            f"--proxy-server=http://127.0.0.1:{self.proxy.port}",
            "--proxy-bypass-list=<-loopback>",
            *args,
            url,
        ]

    def run(self, url: str, *args: str) -> Run:
        return self.run_many([(url, args)])[0]

    def run_many(self, jobs: list[tuple[str, tuple[str, ...]]]) -> list[Run]:
        """Run the browser on each (url, flags) at once; return what each printed."""
        procs = [
            subprocess.Popen(
                self._command(url, args),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for url, args in jobs
        ]
        out = []
        for proc in procs:
            try:
                stdout, stderr = proc.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                stdout, stderr = proc.communicate()
            out.append(Run(stdout, stderr))
        return out


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    exe = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if exe is None:
        pytest.skip("no Chromium on PATH: install Debian's `chromium` to run the browser tests")
    proxy = Proxy()
    yield Browser(exe, tmp_path_factory, proxy)
    proxy.sock.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    menus = [*sorted((ROOT / "menus").glob("*.yaml")), FIXTURES / "hostile.yaml"]
    for name, text in build_site([audit_file(p) for p in menus]).items():
        (out / name).write_text(text, encoding="utf-8")
    return out


def _console_errors(stderr: str) -> list[str]:
    """Return the page's console errors, uncaught exceptions and refused loads."""
    return [
        line
        for line in stderr.splitlines()
        if "CONSOLE" in line
        and re.search(r"Uncaught|Error|Refused|Failed|Content Security Policy", line)
    ]


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


PAGES = ("index", "telecom_hell", "hostile")
WIDTHS = (390, 1280)


@dataclass(frozen=True)
class Shots:
    """One batch of runs over the report (screenshots at each width, the DOM of two
    pages, a PDF), what each printed, and what the network was asked for meanwhile."""

    files: dict[tuple[str, int], Path]
    runs: dict[tuple[str, int], Run]
    dom: dict[str, Run]
    pdf: Path
    pdf_run: Run
    requests: list[str]


@pytest.fixture(scope="session")
def shots(browser: Browser, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Shots:
    # One batch, the browsers side by side: each start costs seconds.
    folder = tmp_path_factory.mktemp("screens")
    cases = [(page, width) for page in PAGES for width in WIDTHS]
    files = {(p, w): folder / f"{p}-{w}.png" for p, w in cases}
    pdf = folder / "telecom_hell.pdf"
    jobs = [
        ((site / f"{p}.html").as_uri(), (f"--window-size={w},1200", f"--screenshot={files[p, w]}"))
        for p, w in cases
    ]
    jobs += [((site / f"{p}.html").as_uri(), ("--dump-dom",)) for p in ("hostile", "index")]
    jobs.append(
        ((site / "telecom_hell.html").as_uri(), (f"--print-to-pdf={pdf}", "--no-pdf-header-footer"))
    )
    before = len(browser.proxy.hosts)
    runs = browser.run_many(jobs)
    print(f"screenshots and PDF: {folder}")
    return Shots(
        files,
        dict(zip(cases, runs, strict=False)),
        {"hostile": runs[len(cases)], "index": runs[len(cases) + 1]},
        pdf,
        runs[-1],
        browser.proxy.page_requests(before),
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_screenshots_are_not_blank_and_the_console_is_clean(
    shots: Shots, page: str, width: int
) -> None:
    shot, run = shots.files[page, width], shots.runs[page, width]
    assert shot.is_file(), run.stderr[-2000:]
    width_px, _, _ = _pixels(shot.read_bytes(), max_rows=1)
    assert width_px == width
    assert _ink(shot.read_bytes()) > 0.02
    assert not _console_errors(run.stderr)


def test_pages_ask_the_network_for_nothing(shots: Shots) -> None:
    assert shots.requests == []


def test_the_dom_keeps_hostile_text_as_text(shots: Shots) -> None:
    done = shots.dom["hostile"]
    dom = done.stdout
    assert "<h1>Evil &lt;script&gt;alert('name')&lt;/script&gt; &amp; \"Co\" {{ 7*7 }}" in dom
    assert "<script" not in dom
    assert "<img" not in dom
    assert "&lt;/svg&gt;" in dom
    assert not _console_errors(done.stderr)


def test_the_index_sorts_with_its_script(shots: Shots) -> None:
    done = shots.dom["index"]
    # The script ran without error: every sortable heading became a button.
    assert done.stdout.count('<button type="button">') == 7
    assert not _console_errors(done.stderr)


def test_pages_print_to_pdf(shots: Shots) -> None:
    assert shots.pdf.is_file(), shots.pdf_run.stderr[-2000:]
    data = shots.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2


@pytest.fixture(scope="session")
def controls(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Run, Run, list[str]]:
    """Run pages that do what ours must not (load from the network, fail a script), so
    the checks above are seen to catch it."""
    folder = tmp_path_factory.mktemp("controls")
    leaky, broken = folder / "leaky.html", folder / "broken.html"
    leaky.write_text('<img src="http://leak.example.test/pixel.png"><p>leaky</p>')
    broken.write_text("<p>broken</p><script>undefinedFunction();</script>")
    before = len(browser.proxy.hosts)
    leak, error = browser.run_many(
        [(leaky.as_uri(), ("--dump-dom",)), (broken.as_uri(), ("--dump-dom",))]
    )
    return leak, error, browser.proxy.page_requests(before)


def test_the_network_check_sees_a_page_that_loads_from_the_network(
    controls: tuple[Run, Run, list[str]],
) -> None:
    assert controls[2] == ["leak.example.test"]


def test_the_console_check_sees_a_script_error(controls: tuple[Run, Run, list[str]]) -> None:
    assert _console_errors(controls[1].stderr)
