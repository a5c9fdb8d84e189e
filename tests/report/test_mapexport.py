"""`ivraudit map`: the menu as a Mermaid or DOT flowchart, callers' words on the nodes and
menu text kept as data in either syntax."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT

from ivraudit.cli import main

CITY_CABS = str(ROOT / "menus" / "city_cabs.yaml")
HOSTILE = """\
ivraudit: 1
name: 'Evil"]; click n0 "javascript:alert(1)'
nodes:
  main:
    prompt: 'Hi"] --> x[<script>alert(1)</script>'
    options:
      - {key: 1, label: 'a "quoted" \\ back|slash', goto: desk}
  desk: {type: agent, hold_seconds: 95}
"""


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["map", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_mermaid_draws_what_callers_hear_and_each_option() -> None:
    text = run(CITY_CABS)
    assert text.splitlines()[1] == "flowchart TD"
    assert '["City Cabs."]' in text
    assert '|"2: a booking for later"|' in text
    assert '|"55% caller ID matches a saved pickup address"|' in text
    assert '-.->|"silence"|' in text  # error paths dashed
    assert "booking_desk" not in text  # ids stay out of the picture
    assert "A person (bookings), answered in 7.0 s" in text  # the staffed queue's wait
    assert run(CITY_CABS) == text  # deterministic


def test_dot_is_one_graph_with_an_edge_per_way() -> None:
    text = run(CITY_CABS, "--format", "dot")
    assert text.startswith("digraph menu {") and text.endswith("}\n")
    edges = re.findall(r"^  n\d+ -> n\d+ \[label=", text, re.M)
    assert len(edges) == 9
    assert 'n2 -> n5 [label="silence", style=dashed];' in text


def test_menu_text_stays_data_in_both_syntaxes(tmp_path: Path) -> None:
    menu = tmp_path / "evil.yaml"
    menu.write_text(HOSTILE, encoding="utf-8")
    mermaid = run(str(menu))
    body = mermaid.split("\n", 2)[2]
    # No quote, bracket, angle bracket, pipe or backslash of the menu reaches the syntax.
    for line in body.splitlines():
        inside = re.findall(r'"([^"]*)"', line)
        assert all(not set(part) & set('[]<>|\\"{}') for part in inside), line
    assert "<script>" not in mermaid and "#60;script#62;" in mermaid
    dot = run(str(menu), "--format", "dot")
    assert 'label="Evil\\"]; click n0 \\"javascript:alert(1)";' in dot
    assert '\\"quoted\\" \\\\ back|slash' in dot
    assert "A person, 1:35 hold" in dot


def test_writes_a_file_and_refuses_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "city.mmd"
    run(CITY_CABS, "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("%% City Cabs booking line\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: nope}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["map", str(bad), "-o", str(tmp_path / "x.mmd")])
    assert result.exit_code == 2
    assert re.match(r"^.*bad\.yaml:\d+:\d+: error: ", result.output)
    assert not (tmp_path / "x.mmd").exists()
