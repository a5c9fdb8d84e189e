"""What the program imports to audit one small menu: only what the command needs.

Start-up is most of a small menu's run (issue 11), so a command must not import the
platform importers, the HTML report or a hint's difflib when it has no use for them. The
program runs as a user starts it and names every module it imported; nothing is timed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

PLATFORM_IMPORTERS = [
    f"ivraudit.importers.{name}"
    for name in (
        "amazon_connect",
        "amazon_connect_modules",
        "asterisk",
        "asterisk_ael",
        "asterisk_conf",
        "asterisk_pattern",
        "asterisk_queues",
        "asterisk_walk",
        "call_counts",
        "document",
        "flow",
        "freeswitch",
        "freeswitch_dialplan",
        "freeswitch_phrases",
        "genesys_archy",
        "queue_walk",
        "twilio_studio",
        "voicexml",
        "webex",
    )
]
# Never needed to score or check a menu in our own format, in any output format asked here.
NEVER = [
    *PLATFORM_IMPORTERS,
    "jinja2",
    "ivraudit.report.html",
    "ivraudit.report.pagedata",
    "ivraudit.report.menumap",
    "ivraudit.report.mapscene",
    "ivraudit.report.maplayout",
    "igraph",  # the map's layout engine: only for a page or `ivraudit map`
    "ivraudit.report.routes",
    "ivraudit.report.branding",
    "ivraudit.diff",
    "difflib",  # "did you mean" hints: only for a mistake
    "tomllib",  # only when a pyproject.toml is read
    "concurrent.futures",  # only with -j
    "ciw",  # the discrete-event engine: only for `ivraudit simulate`
    "ivraudit.simulate",
]
NOT_FOR = {
    # The outline (the call tree) is drawn by the text, HTML and map reports only.
    ("score", "--format", "json"): [
        "rich",
        "ivraudit.report.terminal",
        "ivraudit.judge.gate",
        "ivraudit.analysis.outline",
    ],
    # The other commands' modules, and secrets (hashlib and hmac) for a temporary name.
    ("score",): [
        "ivraudit.judge.gate",
        "ivraudit.report.json_report",
        "ivraudit.cli.check",
        "ivraudit.cli.report",
        "ivraudit.cli.simulate",
        "secrets",
        "ivraudit.suggest.optimum",  # only `suggest` works out the best menu
    ],
    ("check",): ["rich", "ivraudit.report.terminal"],
}


# The program as the console script runs it, naming on stderr, as it leaves, every module
# it imported (`-X importtime` would miss those imported through importlib).
PROGRAM = """
import os, sys
leave = os._exit
def named(status):
    sys.stderr.write("\\n".join(["imported:", *sorted(sys.modules)]))
    leave(status)
os._exit = named
sys.argv = ["ivraudit", *sys.argv[1:]]
from ivraudit.cli import run
run()
"""


def imported(args: list[str], cwd: Path) -> set[str]:
    """Return every module `ivraudit ARGS` imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, *args], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return set(done.stderr.rpartition("imported:\n")[2].splitlines())


def among(modules: set[str], names: list[str]) -> list[str]:
    """Return the modules that are one of `names` or inside one of them, sorted."""
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with an empty config, so that no pyproject.toml above it is read."""
    (tmp_path / ".ivraudit.yaml").write_text("", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("command", list(NOT_FOR), ids=" ".join)
def test_a_small_menu_imports_only_what_the_command_needs(
    command: tuple[str, ...], folder: Path
) -> None:
    shutil.copy(ROOT / "menus" / "city_cabs.yaml", folder / "menu.yaml")
    modules = imported([*command, "menu.yaml"], folder)
    assert {"networkx", "ivraudit.audit", "ivraudit.suggest.engine"} <= modules
    assert among(modules, [*NEVER, *NOT_FOR[command]]) == []


def test_a_platform_export_imports_the_importers(folder: Path) -> None:
    shutil.copy(FIXTURES / "connect_billing.json", folder / "flow.json")
    modules = imported(["score", "--format", "json", "flow.json"], folder)
    assert among(modules, PLATFORM_IMPORTERS) == PLATFORM_IMPORTERS  # detection asks them all
