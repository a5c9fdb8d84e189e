"""A menu whose name is a template placeholder or a bare platform word is shown by its
file's name in what people read; the JSON keeps the name as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main


@pytest.mark.parametrize("name", ["'{{flow_name}}'", "IVR", "demo", "'${flowName}'"])
def test_a_placeholder_name_gives_way_to_the_file_name(tmp_path: Path, name: str) -> None:
    menu = tmp_path / "billing_line.yaml"
    menu.write_text(
        f"ivraudit: 1\nname: {name}\nnodes:\n  desk: {{type: agent, hold_seconds: 5}}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    text = runner.invoke(main, ["score", str(menu), "--no-color"]).output
    assert "billing_line" in text.splitlines()[1]
    page = tmp_path / "page.html"
    runner.invoke(main, ["score", str(menu), "--format", "html", "-o", str(page)])
    assert "<h1>billing_line</h1>" in page.read_text(encoding="utf-8").replace("\n", "")
    assert runner.invoke(main, ["map", str(menu)]).output.startswith("%% billing_line\n")
    data = json.loads(runner.invoke(main, ["score", str(menu), "--format", "json"]).output)
    assert data["name"] == name.strip("'")  # data keeps what the file says


def test_a_real_name_is_kept(tmp_path: Path) -> None:
    menu = tmp_path / "x.yaml"
    menu.write_text(
        "ivraudit: 1\nname: Harbour Bank\nnodes:\n  desk: {type: agent}\n", encoding="utf-8"
    )
    text = CliRunner().invoke(main, ["score", str(menu), "--no-color"]).output
    assert "Harbour Bank" in text.splitlines()[1]
