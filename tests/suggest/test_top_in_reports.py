"""`check` and `score --format json` name the top suggestions, one line each."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import ROOT

from ivraudit.cli import main

WATER = str(ROOT / "menus" / "water_utility.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_text_names_the_top_three_under_the_verdict() -> None:
    out = run("check", WATER).output.splitlines()
    verdict = next(i for i, line in enumerate(out) if "score 49/100" in line)
    assert [line.startswith("  suggest: ") for line in out[verdict + 1 : verdict + 4]] == [True] * 3
    assert "[zero-out:outage_menu]" in out[verdict + 1]


def test_check_json_and_score_json_list_them() -> None:
    check = json.loads(run("check", WATER, "--format", "json").output)
    top = check["menus"][0]["top_suggestions"]
    assert len(top) == 3 and top[0]["id"] == "zero-out:outage_menu"
    score = json.loads(run("score", WATER, "--format", "json").output)
    assert score["top_suggestions"] == top


def test_check_markdown_names_them() -> None:
    out = run("check", WATER, "--format", "markdown").output
    assert "**Do first**" in out and "zero-out:outage\\_menu" in out
