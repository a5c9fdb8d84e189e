"""A menu without intents, traffic or `resolves`, whose every branch route can reach a
person, keeps the figures of 0.2 (format 0.3, "The figures"): `human_share` is 1 or 0,
`time_to_human_seconds` is 0.2's least expected time over the policies sure to reach a
person (the brute force of tests/test_solver.py), and there is no `calls`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from ivraudit import audit_menu, loads_menu
from ivraudit.cli import main
from tests.analysis.brute_lines import PERSON, best, documents, entry_of, read, text_of
from tests.test_solver import _reference


def _helpful(doc: dict[str, Any]) -> dict[str, Any]:
    """Return `doc` with every branch route that cannot reach a person sent to one."""
    nodes = doc["nodes"]
    desk = next((n for n, b in nodes.items() if b.get("type") == "agent"), None)
    if desk is None:
        desk = "desk"
        nodes[desk] = {"type": "agent", "hold_seconds": 7}
    while True:  # each redirect may only help others, so this ends
        chance = best(read(doc), PERSON).chance
        stuck = [
            r
            for b in nodes.values()
            if b.get("type") == "branch"
            for r in b["routes"]
            if r["share"] > 0 and chance[r["goto"]] <= 0
        ]
        if not stuck:
            return doc
        for r in stuck:
            r["goto"] = desk


def _time_to_human_02(doc: dict[str, Any]) -> float | None:
    """Return 0.2's time to a person: the least expected seconds over the policies that
    reach one for sure (None when there is none), by the brute force of test_solver."""
    places = read(doc)
    ids = list(places)
    at = {n: i for i, n in enumerate(ids)}
    kinds = ["menu" if places[n].kind == "menu" else "branch" for n in ids]
    goals = {at[n]: p.own for n, p in places.items() if p.kind == "agent"}
    edges = []
    for n, p in places.items():
        if p.kind == "agent":
            continue
        routes = doc["nodes"].get(n, {}).get("routes", [])
        for i, m in enumerate(p.moves):
            share = routes[i]["share"] if p.kind == "branch" else 1
            edges.append((at[n], at[m.to], p.own + m.seconds, share))
    value = _reference(kinds, edges, goals)[at[entry_of(doc)]]
    return None if value is None else float(value)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(documents(intents=False, calls=False))
def test_helpful_branches_keep_the_02_figures(doc: dict) -> None:
    doc = _helpful(doc)
    text = text_of(doc)
    metrics = audit_menu(loads_menu(text, "m.yaml")).metrics
    want = _time_to_human_02(doc)
    assert metrics.calls is None
    if want is None:
        assert metrics.time_to_human_seconds is None, text
        assert metrics.human_share == 0.0, text
    else:
        assert metrics.time_to_human_seconds == pytest.approx(want, rel=1e-9, abs=1e-9), text
        assert metrics.human_share == pytest.approx(1.0, abs=1e-12), text


def test_a_02_menu_reports_no_calls_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "ivraudit: 1\nname: Old line\nnodes:\n"
        "  main:\n    prompt: Hello.\n    options:\n      - {key: 0, goto: hours}\n"
        "  hours:\n    type: branch\n    routes:\n"
        "      - {share: 3, goto: desk}\n      - {share: 1, goto: main}\n"
        "  desk: {type: agent, hold_seconds: 20}\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert "calls" not in report
    # Key 0 ("Press 0.") costs 0.4 + 0.8 + 1 = 2.2 s; a quarter of the calls go round
    # again: x = 2.2 + 0.25 x, so 2.93 s, then the 20 s hold.
    assert report["metrics"]["time_to_human_seconds"] == pytest.approx(22.93, abs=0.005)
    assert report["metrics"]["human_share"] == 1.0
