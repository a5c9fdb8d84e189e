"""Fixtures of the browser tests (tests/report/browsing.py): one Chromium per session,
shared by every module that opens pages, since Playwright's sync API cannot start twice
in one process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.report.browsing import BROWSERS, FLAGS, Opener


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the whole session: Playwright's sync API runs once per process."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs Playwright for Python: pip install -e '.[test]'"
    )
    exe = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if exe is None:
        pytest.skip("no Chromium on PATH: install Debian's `chromium` to run the browser tests")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=exe, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def opener(browser: Any) -> Iterator[Opener]:
    opened = Opener(browser)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screens")
    print(f"screenshots and PDF: {folder}")
    return folder
