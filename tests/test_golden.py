"""Reports whose exact text matters, compared with golden files in tests/golden/.

Refresh them after an intended change with:

    IVRAUDIT_REFRESH_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = [
    ("city_cabs.txt", ["score", "menus/city_cabs.yaml", "--width", "100", "--no-color"]),
    ("telecom_hell.txt", ["score", "menus/telecom_hell.yaml", "--width", "100", "--no-color"]),
    ("contract.json", ["score", "tests/menus/city_cabs_contract.yaml", "--format", "json"]),
    ("check_menus.txt", ["check", "menus/", "--format", "text"]),
    ("ranking.txt", ["score", "menus/", "--summary", "--width", "100", "--no-color"]),
    # A menu without calls figures: made before they were reported, and still the same.
    ("plain_line.txt", ["score", "tests/menus/plain_line.yaml", "--width", "100", "--no-color"]),
    ("plain_line.md", ["check", "tests/menus/plain_line.yaml", "--format", "markdown"]),
]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in reports are as given: keep them relative
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.stderr
    path = GOLDEN / name
    if os.environ.get("IVRAUDIT_REFRESH_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8"), f"refresh: see {__file__}"
