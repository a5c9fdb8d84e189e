"""A suggestion's `saves_per_month` is the month before minus the month after, as the
JSON of `score` reports each side (suggest docs, "What a change saves in a month")."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT

HELL = ROOT / "menus" / "telecom_hell.yaml"


def _json(*args: str) -> dict:
    result = CliRunner().invoke(main, [*args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def suggested() -> dict:
    return _json("suggest", str(HELL), "--format", "json")


def test_each_saving_is_the_month_before_minus_after(suggested: dict, tmp_path) -> None:
    before = _json("score", str(HELL), "--format", "json")["calls"]["month"]
    first = suggested["suggestions"][0]
    written = tmp_path / "after.yaml"
    CliRunner().invoke(main, ["suggest", str(HELL), "--only", first["id"], "--write", str(written)])
    after = _json("score", str(written), "--format", "json")["calls"]["month"]
    saves = first["saves_per_month"]
    assert saves["caller_hours"] == pytest.approx(before["caller_hours"] - after["caller_hours"])
    assert saves["agent_hours"] == pytest.approx(before["agent_hours"] - after["agent_hours"])
    assert saves["cost"] == pytest.approx(before["cost"] - after["cost"])
    assert saves["cost"] > 0 and saves["currency"] == "GBP"


def test_a_menu_without_traffic_says_nothing_of_a_month(tmp_path) -> None:
    menu = tmp_path / "m.yaml"
    menu.write_text(
        "ivraudit: 1\nname: M\nentry: main\nnodes:\n"
        "  main: {type: menu, prompt: 'Press 1 for sales, 2 for help.',"
        " options: [{key: 1, label: sales, goto: sales}, {key: 2, label: help, goto: help}]}\n"
        "  sales: {type: agent, hold_seconds: 30}\n"
        "  help: {type: hangup, prompt: 'Thank you for calling us today, goodbye.'}\n"
    )
    out = _json("suggest", str(menu), "--format", "json")
    assert out["suggestions"], "the menu should have something to suggest"
    assert all(s["saves_per_month"] is None for s in out["suggestions"])
