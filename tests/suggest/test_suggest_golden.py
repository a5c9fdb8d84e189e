"""`ivraudit suggest` reports whose exact text matters, against tests/golden/.

Refresh after an intended change with
`IVRAUDIT_REFRESH_GOLDEN=1 python -m pytest tests/suggest/test_suggest_golden.py`
and review the diff before committing.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = [
    ("suggest_telecom_hell.txt", ["suggest", "menus/telecom_hell.yaml"]),
    ("suggest_water_utility.md", ["suggest", "menus/water_utility.yaml", "--format", "markdown"]),
]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in reports are as given: keep them relative
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / name
    if os.environ.get("IVRAUDIT_REFRESH_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8"), f"refresh: see {__file__}"
