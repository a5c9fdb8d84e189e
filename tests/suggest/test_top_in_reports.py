"""`check` and `score --format json` name the top suggestions, one line each."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT

WATER = str(ROOT / "menus" / "water_utility.yaml")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_text_names_the_top_three_under_the_verdict() -> None:
    out = run("check", WATER).output.splitlines()
    verdict = next(i for i, line in enumerate(out) if "score 49/100" in line)
    assert [line.startswith("  suggest: ") for line in out[verdict + 1 : verdict + 4]] == [True] * 3
    # The zero-out makes supply problems resolvable: no caller saves time, so it is
    # named by the calls it resolves, after the change that saves seconds (contract 0.3).
    assert "[order-by-share:main]: saves 4.1\u00a0s a typical call" in out[verdict + 1]
    assert out[verdict + 2].endswith(
        "[zero-out:outage_menu]: resolves 35% more calls (supply problem), score +18"
    )


def test_check_json_and_score_json_list_them() -> None:
    check = json.loads(run("check", WATER, "--format", "json").output)
    top = check["menus"][0]["top_suggestions"]
    assert len(top) == 3 and top[1]["id"] == "zero-out:outage_menu"
    assert top[1]["saves_seconds"] == 0.0 and top[1]["resolves_more"] == 0.35
    score = json.loads(run("score", WATER, "--format", "json").output)
    assert score["top_suggestions"] == top


def test_check_markdown_names_them() -> None:
    out = run("check", WATER, "--format", "markdown").output
    assert "**Fix these first**" in out and "zero-out:outage\\_menu" in out


def test_a_menu_that_cannot_be_written_says_so(tmp_path) -> None:
    result = CliRunner().invoke(main, ["suggest", WATER, "--write", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path}: error: cannot write the menu")


def test_suggest_text_fits_80_columns_and_keeps_seconds_whole() -> None:
    telecom = str(ROOT / "menus" / "telecom_hell.yaml")
    out = CliRunner().invoke(main, ["suggest", telecom], env={"COLUMNS": "80"}).output
    assert max(len(line) for line in out.splitlines()) <= 80
    assert not any(line.lstrip().startswith("s ") for line in out.splitlines())


def test_diff_gives_times_as_every_report_does(tmp_path) -> None:
    out = tmp_path / "c.yaml"
    telecom = str(ROOT / "menus" / "telecom_hell.yaml")
    run("suggest", telecom, "--write", str(out))
    text = run("diff", telecom, str(out)).output
    # m:ss past 90 s (213.7 s), one decimal below, the change in seconds.
    assert "a typical call: 3:34 →" in text and "213.70" not in text and "213.7 s" not in text


def test_cut_preamble_keeps_the_brand_greeting_and_words_an_empty_cut() -> None:
    from ivraudit.format.loader import loads_menu
    from ivraudit.suggest import suggest_menu

    text = """\
ivraudit: 1
name: Pizza line
nodes:
  main:
    prompt: "Welcome to Pizza Place, your call is important to us."
    options:
      - {key: 1, label: orders, goto: desk}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  desk: {type: agent, queue: staff, hold_seconds: 90}
"""
    result = suggest_menu(loads_menu(text, "pizza.yaml"))
    s = result.get("cut-preamble:main")
    assert '"Welcome to Pizza Place."' in s.change
    bare = text.replace("Welcome to Pizza Place, your", "Your")
    s = suggest_menu(loads_menu(bare, "pizza.yaml")).get("cut-preamble:main")
    assert "say nothing" in s.change and "kept words" not in (s.decision or "")
