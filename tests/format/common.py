"""A menu with every key of "Calls as they happen", and helpers to break one value."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import MenuError, loads_menu
from ivraudit.cli import main
from tests.conftest import WATER_BUSY_HOUR

# The format contract's worked example of calls as they happen.
WATER = WATER_BUSY_HOUR


def error_of(text: str, source: str = "m.yaml", *, json_mode: bool = False) -> MenuError:
    """Return the one MenuError that reading `text` raises."""
    with pytest.raises(MenuError) as info:
        loads_menu(text, source, json_mode=json_mode)
    return info.value


def cli_error(path: Path) -> str:
    """Return the one line `ivraudit score path` prints for a bad file (exit 2)."""
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
