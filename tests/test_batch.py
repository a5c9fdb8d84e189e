"""Folders audited file by file: `-j N` and streaming give the output of one process,
and the shortcuts taken for speed give the figures of the plain computation."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import ivraudit.batch
import ivraudit.suggest.top
from ivraudit.analysis.choices import (
    choosers,
    error_edges,
    intent_closed,
    intent_view,
    restrict_net,
)
from ivraudit.analysis.graph import build_graph
from ivraudit.analysis.paths import compile_graph, solve
from ivraudit.audit import audit_file
from ivraudit.batch import Rules, audit_files, jobs_count, summary
from ivraudit.cli import main
from ivraudit.format.loader import loads_menu
from ivraudit.importers import sources
from ivraudit.judge.gate import Thresholds, judge
from ivraudit.report import Format, render, render_check
from ivraudit.suggest.top import TopSuggestion, top_suggestions
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_menu

MENUS = sorted((ROOT / "menus").glob("*.yaml"))
BAD = "ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of example menus, generated menus of both shapes and two bad files."""
    for path in MENUS:
        shutil.copy(path, tmp_path / path.name)
    for seed in range(3):
        (tmp_path / f"gen_graph_{seed}.yaml").write_text(generate_menu(60, seed), "utf-8")
        (tmp_path / f"gen_tree_{seed}.yaml").write_text(generate_menu(60, seed, "tree"), "utf-8")
    (tmp_path / "bad_a.yaml").write_text(BAD, "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad_b.yaml").write_text(BAD, "utf-8")
    return tmp_path


@pytest.fixture
def few(tmp_path: Path) -> Path:
    """A small folder for the commands that also suggest changes (slow per menu)."""
    folder = tmp_path / "few"
    folder.mkdir()
    for name in ("city_cabs.yaml", "trattoria.yaml"):
        shutil.copy(ROOT / "menus" / name, folder / name)
    (folder / "gen_tree.yaml").write_text(generate_menu(40, 1, "tree"), "utf-8")
    (folder / "bad_a.yaml").write_text(BAD, "utf-8")
    return folder


@pytest.mark.parametrize(
    "command", [["score"], ["score", "--format", "json"], ["suggest"]], ids=" ".join
)
def test_jobs_give_the_output_of_one_process_with_suggestions(
    few: Path, command: list[str]
) -> None:
    runner = CliRunner()
    one = runner.invoke(main, [*command, str(few)])
    two = runner.invoke(main, [*command, str(few), "-j", "2"])
    assert one.exit_code == 2 and "unknown node type 'agnet'" in one.stderr
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)


COMMANDS = [
    *(["check", "--format", f] for f in ("text", "json", "sarif", "junit", "github", "markdown")),
    ["check", "--select", "IVR104,IVR402", "--fail-under", "90"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_jobs_give_the_output_of_one_process(folder: Path, command: list[str]) -> None:
    runner = CliRunner()
    one = runner.invoke(main, [*command, str(folder)])
    assert one.exit_code == 2  # the bad files
    assert one.stderr.count("error: unknown node type 'agnet'") == 2
    for jobs in ("2", "0") if command == ["check", "--format", "text"] else ("2",):
        many = runner.invoke(main, [*command, str(folder), "-j", jobs])
        assert (many.exit_code, many.stdout, many.stderr) == (
            one.exit_code,
            one.stdout,
            one.stderr,
        )


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_streamed_check_equals_the_whole_list_renderer(
    folder: Path, fmt: str, tmp_path: Path
) -> None:
    """Rendered file by file and spooled, the check report is the one of every verdict."""
    files = sorted(p for p in folder.rglob("*.yaml") if "bad" not in p.name)
    verdicts = []
    for p in files:
        a = audit_file(p)
        top = top_suggestions(a) if fmt in ("text", "json", "markdown") else None
        verdicts.append(replace(judge(a, Thresholds()), top_suggestions=top))
    out = tmp_path / "report.out"
    result = CliRunner().invoke(main, ["check", "--format", fmt, *map(str, files), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.read_text("utf-8") == render_check(verdicts, Format(fmt))


def test_check_names_the_suggestions_of_the_audit_step(
    few: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reports read the top suggestions the audit step (a worker with -j N) made from
    the whole audit; the audit they get is the slimmed summary."""
    real = ivraudit.batch.audit_files
    mark = TopSuggestion("mark:main", "Marked in the audit step", 1, 2.0, 3)
    seen = []

    def audit_files(*args, **kwargs):  # type: ignore[no-untyped-def]
        for o in real(*args, **kwargs):
            seen.append(o)
            yield replace(o, top=(mark,)) if o.audit else o

    monkeypatch.setattr(ivraudit.batch, "audit_files", audit_files)
    # Markdown details the menus with findings (two here) and a clean one with a month of
    # calls (city_cabs), each with its fixes first: all three.
    for fmt, menus in (("text", 3), ("json", 3), ("markdown", 3)):
        result = CliRunner().invoke(main, ["check", "--format", fmt, str(few)])
        assert result.exit_code == 2  # the bad file
        assert result.stdout.count("Marked in the audit step") == menus, fmt
    assert all(o.top is not None for o in seen if o.audit)  # () when none is measured
    assert all(o.audit.graph.number_of_nodes() == 0 for o in seen if o.audit)


def test_a_bug_while_suggesting_names_the_file_and_still_judges_it(
    few: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(audit):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(ivraudit.suggest.top, "top_suggestions", boom)
    menu = few / "city_cabs.yaml"
    result = CliRunner().invoke(main, ["check", str(menu)])
    assert result.stderr.startswith(f"{menu}:1:1: error: internal error (ZeroDivisionError")
    assert result.stdout.startswith(f"{menu}: score ") and "suggest:" not in result.stdout
    assert result.exit_code == 0


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_a_check_of_no_menu_is_the_report_of_none(folder: Path, fmt: str) -> None:
    result = CliRunner().invoke(main, ["check", "--format", fmt, str(folder / "bad_a.yaml")])
    assert result.exit_code == 2
    written = fmt in ("json", "junit", "sarif")  # a document even of no menu
    assert result.stdout == (render_check([], Format(fmt)) if written else "")


def test_report_pages_are_the_same_with_jobs(few: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    one, two = tmp_path / "one", tmp_path / "two"
    runner.invoke(main, ["report", str(few), "-o", str(one)])
    runner.invoke(main, ["report", str(few), "-o", str(two), "-j", "2"])
    pages = sorted(p.name for p in one.iterdir())
    assert len(pages) == 4  # the index and one page per good menu
    assert pages == sorted(p.name for p in two.iterdir())
    for name in pages:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_an_empty_check_is_an_empty_list(folder: Path) -> None:
    runner = CliRunner()
    none = runner.invoke(main, ["check", "--format", "json", str(folder / "bad_a.yaml")])
    assert none.stdout == '{\n  "passed": true,\n  "menus": []\n}\n'


def test_a_summary_renders_as_the_whole_audit() -> None:
    """Reports read nothing the summary drops (graph, per-intent solutions)."""
    for path in MENUS:
        a = audit_file(path)
        s = summary(a)
        assert s.graph.number_of_nodes() == 0 and s.metrics.press_routes is None
        for fmt in (Format.TEXT, Format.JSON):
            assert render([s], fmt) == render([a], fmt)
        for fmt in Format:
            assert render_check([judge(s, Thresholds())], fmt) == render_check(
                [judge(a, Thresholds())], fmt
            )


def test_outcomes_come_in_file_order_with_errors_in_place(folder: Path) -> None:
    files = sorted(folder.rglob("*.yaml"))
    for jobs in (1, 3):
        outcomes = list(
            audit_files(sources(files), rules=Rules(ignore=frozenset({"IVR402"})), jobs=jobs)
        )
        assert [o.path for o in outcomes] == files
        assert [o.error is not None for o in outcomes] == ["bad" in p.name for p in files]
        assert all(f.rule != "IVR402" for o in outcomes if o.audit for f in o.audit.findings)


def test_jobs_zero_is_one_per_core() -> None:
    assert jobs_count(0) >= 1
    assert jobs_count(3) == 3


@pytest.mark.parametrize("shape", ["graph", "tree"])
def test_restricted_net_solves_as_the_restricted_view(shape: str) -> None:
    """Closing edges of the compiled graph solves as compiling the view would, and a solve
    from the entry agrees with the whole solve wherever it goes."""
    menu = loads_menu(generate_menu(300, 5, shape), "m.yaml")
    g = build_graph(menu)
    net = compile_graph(g)
    menus = choosers(g)
    assert any(m.declared for m in menus.menus) or shape == "graph"
    closed_sets = [error_edges(g)] + [intent_closed(menus, i) for i, _ in menu.intents]
    assert any(closed_sets)
    agents = {n: 0.0 for n, t in g.nodes(data="type") if t == "agent"}
    for intent, _ in menu.intents:
        closed = intent_closed(menus, intent)
        assert intent_view(net, menus, intent) == (closed, restrict_net(net, closed))
    for closed in closed_sets:
        view = nx.restricted_view(g, [], closed)
        whole = solve(view, agents)
        assert solve(view, agents, restrict_net(net, closed)) == whole
        assert solve(view, agents, compile_graph(view)) == whole
        part = solve(view, agents, restrict_net(net, closed), menu.entry)
        assert part.value(menu.entry) == whole.value(menu.entry)
        assert {n: whole.values[n] for n in part.values} == part.values
        assert {n: whole.choice[n] for n in part.choice} == part.choice


def test_generated_tree_menus_load_and_declare_option_intents() -> None:
    text = generate_menu(500, 2, "tree")
    menu = loads_menu(text, "tree.yaml")
    assert len(menu.nodes) == 500 and len(menu.intents) == 15
    assert any(o.intents for n in menu.nodes for o in n.options)
