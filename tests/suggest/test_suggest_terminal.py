"""`ivraudit suggest` on a real terminal (a pty), as a person runs it."""

from __future__ import annotations

import pytest

from tests.test_terminal import on_pty


@pytest.mark.parametrize("columns", [80, 160])
def test_suggest_wraps_to_the_terminal(columns: int) -> None:
    code, out = on_pty(["suggest", "menus/telecom_hell.yaml"], columns)
    assert code == 0, out
    assert "Traceback" not in out
    lines = out.splitlines()
    assert "[cut-preamble:welcome]" in out and "Best keypad menu" in out
    assert max(len(line) for line in lines if " why " in line) <= columns
