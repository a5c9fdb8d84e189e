"""The browser harness of the HTML tests: Playwright for Python driving Debian's
`chromium` (no browser download), each page in a fresh context whose every request
outside file URLs is aborted and noted. The fixtures are in this folder's conftest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

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


# The rules of WCAG 2.1 A and AA, for pages that must meet them and no more.
WCAG = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def serious_violations(page: Any, tags: Sequence[str] | None = None) -> list[str]:
    """Return axe-core's serious and critical violations on `page`, of the rules tagged
    `tags` (every rule without), or skip the test where axe-core is not installed."""
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="needs axe-core (pip install axe-playwright-python, in the test extra)",
    )
    options = {"resultTypes": ["violations"]}
    if tags is not None:
        options["runOnly"] = {"type": "tag", "values": list(tags)}  # type: ignore[assignment]
    results = axe.Axe().run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
