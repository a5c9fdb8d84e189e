"""Writing a menu back: flat, stable, and loading to the same graph."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from ivraudit import build_graph, dump_menu, load_menu, loads_menu
from tests.conftest import FIXTURES, ROOT

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
    from ivraudit.format.writer import leading_comments

    rewritten = dump_menu(menu, leading_comments(text))
    again.write_text(rewritten, encoding="utf-8")
    assert rewritten.splitlines()[1:] == lines[1:]


def _pure(menu, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    """Return the menu written by PyYAML's pure-Python emitter alone."""
    from ivraudit.format import writer

    with monkeypatch.context() as patch:
        patch.setattr(writer, "_CDumper", None)
        return dump_menu(menu)


@pytest.mark.parametrize("path", MENUS, ids=lambda p: p.name)
def test_the_fast_emitter_writes_the_same_text(path: Path, monkeypatch) -> None:
    menu = load_menu(path)
    assert dump_menu(menu) == _pure(menu, monkeypatch)


# Texts the two emitters would write differently (escapes beyond U+FFFF, folded double
# quotes), and texts near the width where an option stops fitting on one line.
TEXTS = [
    "Press 1 😀 for joy",
    "tab\there",
    "bell\a and \x1b escape " + "x" * 120,
    "line\u2028break",
    "nbsp\u00a0and é and 日本" + " word" * 30,
    "'quoted' \"double\" {braces} [brackets], #hash: colon",
    "yes",
    "a" * 60,
    "a" * 61,
    "a" * 62,
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_hostile_texts_are_written_alike_and_read_back(text: str, monkeypatch) -> None:
    from dataclasses import replace

    base = loads_menu(
        "ivraudit: 1\nname: T\nnodes:\n  main:\n    prompt: Hi\n    options:\n"
        "      - {key: 1, label: x, goto: bye}\n      - {key: 2, goto: bye}\n"
        "  bye: {type: hangup}\n",
        "t.yaml",
    )
    main, bye = base.nodes
    option = replace(main.options[0], label=text or None)
    main = replace(main, prompt=text or None, options=(option, *main.options[1:]))
    menu = replace(base, nodes=(main, bye))
    text_out = dump_menu(menu)
    assert text_out == _pure(menu, monkeypatch)
    again = loads_menu(text_out, "again.yaml")
    assert again.nodes[0].options[0].label == menu.nodes[0].options[0].label
    assert again.nodes[0].prompt == menu.nodes[0].prompt


def test_a_large_menu_is_written_by_the_fast_emitter(monkeypatch) -> None:
    from ivraudit.format import writer

    if writer._CDumper is None:
        pytest.skip("PyYAML without LibYAML")
    options = "".join(f"      - {{key: {k % 9 + 1}, goto: bye}}\n" for k in range(9))
    menu = loads_menu(
        f"ivraudit: 1\nname: T\nnodes:\n  main:\n    options:\n{options}  bye: {{type: hangup}}\n",
        "t.yaml",
    )
    used = []
    real = writer._emit

    def spy(events, dumper, width):  # type: ignore[no-untyped-def]
        used.append(dumper)
        return real(events, dumper, width)

    monkeypatch.setattr(writer, "_emit", spy)
    dump_menu(menu)
    assert used and all(d is writer._CDumper for d in used)
