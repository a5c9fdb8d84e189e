"""Writing a menu back: flat, stable, and loading to the same graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import FIXTURES, ROOT

from ivraudit import build_graph, dump_menu, load_menu, loads_menu

MENUS = sorted((ROOT / "menus").glob("*.yaml")) + sorted(FIXTURES.glob("*.yaml"))


def _shape(g: nx.MultiDiGraph) -> tuple:
    """Return the graph without source positions, which a rewrite changes."""
    nodes = sorted(
        (n, tuple(sorted((k, v) for k, v in d.items() if k != "pos")))
        for n, d in g.nodes(data=True)
    )
    edges = sorted(
        (u, v, tuple(sorted((k, repr(x)) for k, x in d.items() if k != "pos")))
        for u, v, d in g.edges(data=True)
    )
    return g.graph["entry"], nodes, edges


@pytest.mark.parametrize("path", MENUS, ids=lambda p: p.name)
def test_round_trip_keeps_the_graph(path: Path) -> None:
    menu = load_menu(path)
    text = dump_menu(menu)
    again = loads_menu(text, "rewritten.yaml")
    assert _shape(build_graph(again)) == _shape(build_graph(menu))
    assert dump_menu(again).splitlines()[1:] == text.splitlines()[1:]  # a fixed point


def test_inline_nodes_are_written_flat_with_their_derived_ids() -> None:
    menu = loads_menu(
        """
ivraudit: 1
name: Tree
nodes:
  main:
    options:
      - key: 1
        goto:
          options:
            - {key: "*", goto: {type: hangup}}
      - {key: 0, goto: {type: agent, hold_seconds: 5}}
""",
        "tree.yaml",
    )
    text = dump_menu(menu)
    flat = loads_menu(text, "flat.yaml")
    assert [n.id for n in flat.nodes] == ["main", "main.1", "main.1.star", "main.0"]
    assert "goto: main.1.star" in text


def test_non_default_timing_and_entry_are_kept() -> None:
    menu = loads_menu(
        "ivraudit: 1\nname: T\nentry: b\ntiming: {retries: 4}\n"
        "nodes:\n  a: {type: hangup}\n  b: {type: message, prompt: Hi, next: a}\n",
        "t.yaml",
    )
    again = loads_menu(dump_menu(menu), "again.yaml")
    assert (again.entry, again.timing.retries) == ("b", 4)


def test_a_written_menu_keeps_the_header_integers_and_plain_keys(tmp_path) -> None:
    from click.testing import CliRunner

    from ivraudit.cli import main

    src = ROOT / "menus" / "telecom_hell.yaml"
    out = tmp_path / "out.yaml"
    assert CliRunner().invoke(main, ["suggest", str(src), "--write", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# Written by ivraudit")
    assert lines[1] == '# Nimbus Telecom customer service: a textbook "telephone hell".'
    assert "entry_seconds: 12\n" in text and "12.0" not in text
    assert "{key: 1," in text and "key: '1'" not in text
    # Written again (from the written file), the menu part is byte-identical.
    again = tmp_path / "again.yaml"
    menu = load_menu(out)
    from ivraudit.writer import leading_comments

    rewritten = dump_menu(menu, leading_comments(text))
    again.write_text(rewritten, encoding="utf-8")
    assert rewritten.splitlines()[1:] == lines[1:]
