"""The code stays clean: ruff's lint and format checks run as part of the suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _ruff() -> list[str]:
    # The ruff installed beside this Python first: each venv checks with its own pinned ruff.
    here = str(Path(sys.executable).parent)
    exe = shutil.which("ruff", path=here) or shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    exe = exe or shutil.which("ruff")
    if exe is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return [exe]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=" ".join)
def test_ruff(args: list[str]) -> None:
    done = subprocess.run([*_ruff(), *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_python_version_supported() -> None:
    assert sys.version_info >= (3, 10)
