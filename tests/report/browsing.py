"""The browser harness of the HTML tests: Playwright for Python driving Debian's
`chromium` (no browser download), each page in a fresh context whose every request
outside file URLs is aborted and noted. The fixtures are in this folder's conftest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
