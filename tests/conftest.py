"""Shared helpers: small menus written inline, audited through the public API."""

from __future__ import annotations

import inspect
import signal
import textwrap
from collections.abc import Iterator
from functools import partialmethod
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ivraudit import Audit, audit_menu, loads_menu

ROOT = Path(__file__).resolve().parent.parent

FIXTURES = Path(__file__).resolve().parent / "menus"
# Real platform exports, read in place from the shared folder beside the clone; a clone
# on its own has none, and the tests that need them skip and say so.
REALFLOWS = ROOT.parent / "shared" / "realflows"
NO_REALFLOWS = f"needs ../shared/realflows beside the clone: {REALFLOWS} is missing"
needs_realflows = pytest.mark.skipif(not REALFLOWS.is_dir(), reason=NO_REALFLOWS)
# The format contract's worked example ("Who presses an option"), verbatim: 150 words a
# minute, response 1 s, timeout 5 s.
LABELLED_BANK = (FIXTURES / "worked" / "labelled_bank.yaml").read_text()
# The format contract's worked example of calls as they happen (traffic, queues, costs).
WATER_BUSY_HOUR = (FIXTURES / "worked" / "water_busy_hour.yaml").read_text()


def audit_yaml(text: str, source: str = "m.yaml") -> Audit:
    """Audit a menu written as (indented) YAML text."""
    return audit_menu(loads_menu(textwrap.dedent(text), source))


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def realflows() -> Path:
    """Return the folder of real exports, or skip the test that asked for it."""
    if not REALFLOWS.is_dir():
        pytest.skip(NO_REALFLOWS)
    return REALFLOWS


@pytest.fixture(autouse=True)
def _ctrl_c_given_back() -> Iterator[None]:
    """Restore SIGINT after each test: a command interrupted in-process ignores Ctrl-C as it
    leaves, and a process started later would inherit the ignoring (the Ctrl-C tests)."""
    before = signal.getsignal(signal.SIGINT)
    yield
    if signal.getsignal(signal.SIGINT) is not before:
        signal.signal(signal.SIGINT, before)


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's $COLUMNS out of the reports tests compare (100 columns)."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True, scope="session")
def _stderr_kept_apart() -> Iterator[None]:
    """Give CliRunner click 8.2's separate stderr under click 8.1 too, the oldest we allow."""
    if "mix_stderr" not in inspect.signature(CliRunner.__init__).parameters:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CliRunner, "__init__", partialmethod(CliRunner.__init__, mix_stderr=False))
        # click 8.2's `output` is everything the command printed, stderr included.
        patch.setattr(Result, "output", property(lambda r: r.stdout + (r.stderr or "")))
        yield
