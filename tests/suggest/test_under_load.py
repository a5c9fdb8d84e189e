"""Suggestions under the 0.3 model (suggest contract 0.3): every figure re-measured on
the file a suggestion writes, inputs kept on every route, queues chosen by load,
combined never a regression, and the staffing suggestion.

The re-measures here are the contract's formulas written out again, read from `score
--format json` objects, not the engine's own code."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ivraudit.audit import audit_file, audit_menu
from ivraudit.cli import main
from ivraudit.format.model import Menu, Option
from ivraudit.report.json_report import audit_to_dict
from ivraudit.suggest import Suggestions, menu_text, menu_with, suggest_audit
from ivraudit.suggest.base import Change
from ivraudit.suggest.edit import insert_option, with_node
from ivraudit.suggest.engine import ranked_suggestions
from ivraudit.suggest.figures import Figures
from ivraudit.suggest.registry import KINDS
from ivraudit.suggest.regression import regressions
from tests.conftest import ROOT

LOAD = ROOT / "tests" / "menus" / "load"
WATER = ROOT / "tests" / "menus" / "worked" / "water_busy_hour.yaml"  # the contract's example
OUTAGE = LOAD / "outage_line.yaml"  # the shorter hold (leaks) has the fewer agents
TWO_QUEUES = LOAD / "two_queues.yaml"
BANK = LOAD / "bank_identification.yaml"
MENUS = sorted([WATER, *LOAD.glob("*.yaml"), *(ROOT / "menus").glob("*.yaml")])

_results: dict[Path, Suggestions] = {}


def suggested(path: Path) -> Suggestions:
    """The suggestions for a file, computed once for the tests that read them."""
    if path not in _results:
        _results[path] = suggest_audit(audit_file(path))
    return _results[path]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args])


def written(result: Suggestions, ids: list[str] | None, out: Path) -> Path:
    """Write what `suggest --only IDS --write OUT` writes (the combined menu without ids)."""
    menu = menu_with(result, ids) if ids else result.combined.menu
    out.write_text(menu_text(menu, str(out)), encoding="utf-8")
    return out


def score(path: Path) -> dict[str, Any]:
    """Return `ivraudit score PATH --format json` without its top suggestions."""
    return audit_to_dict(audit_file(path))


def shares(path: Path) -> dict[str, float]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    intents = data.get("intents") or {}
    total = sum(intents.values())
    return {k: v / total for k, v in intents.items()} if total else {}


def like_for_like(weights: dict[str, float], old: dict, new: dict) -> float | None:
    """The contract's `saves_seconds`, from two score JSON objects."""
    if not weights:
        a, b = old["metrics"]["time_to_human_seconds"], new["metrics"]["time_to_human_seconds"]
        return None if a is None or b is None else a - b

    def seconds(figures: dict, intent: str) -> float | None:
        if figures["metrics"]["intent_seconds"].get(intent) is None:
            return None
        if "calls" in figures:
            return figures["calls"]["intents"][intent]["seconds"]
        return figures["metrics"]["intent_seconds"][intent]

    total = saved = 0.0
    for intent, w in weights.items():
        a, b = seconds(old, intent), seconds(new, intent)
        if w > 0 and a is not None and b is not None:
            total += w
            saved += w * (a - b)
    return saved / total if total > 0 else None


def resolved(figures: dict) -> float:
    calls = figures.get("calls")
    return calls["resolved_share"] if calls else figures["metrics"]["resolved_share"]


def passed_inputs(path: Path) -> dict[str, set[str]]:
    """For each class of callers, the data of the inputs its calls pass (p > 0)."""
    a = audit_file(path)
    assert a.metrics.calls is not None
    nodes = a.menu.by_id
    return {
        i.intent: {
            nodes[n].collects or n
            for n, p in i.passes.items()
            if p > 0 and n in nodes and nodes[n].type == "input"
        }
        for i in a.metrics.calls.intents
    }


def calls_regressions(old: dict, new: dict) -> list[str]:
    """The three rules of 0.3 on two score JSON objects."""
    if "calls" not in old or "calls" not in new:
        return []
    a, b = old["calls"], new["calls"]
    out = [
        f"{i} resolved {x['resolved_share']} -> {b['intents'][i]['resolved_share']}"
        for i, x in a["intents"].items()
        if x["resolved_share"] - b["intents"][i]["resolved_share"] > 0.02 + 1e-9
    ]
    if b["abandon_share"] - a["abandon_share"] > 0.01 + 1e-9:
        out.append("abandon")
    out += [
        f"{q} overloaded"
        for q, f in b["queues"].items()
        if f["overloaded"] and not a["queues"][q]["overloaded"]
    ]
    return out


@pytest.mark.parametrize("path", MENUS, ids=lambda p: p.stem)
def test_each_suggestion_is_remeasured_on_the_file_it_writes(path: Path, tmp_path: Path) -> None:
    result = suggested(path)
    before = score(path)
    weights = shares(path)
    assert result.before.to_dict() == {
        "score": before["score"],
        **{k: before["metrics"][k] for k in list(result.before.to_dict())[1:5]},
        **({"calls": before["calls"]} if "calls" in before else {}),
    }
    for n, s in enumerate(x for x in result.suggestions if x.measured):
        after = score(written(result, [s.id], tmp_path / f"{n}.yaml"))
        assert s.after is not None
        assert s.after.to_dict().get("calls") == after.get("calls"), s.id
        saves = like_for_like(weights, before, after)
        if saves is None:
            assert s.saves_seconds is None, s.id
        else:
            assert s.saves_seconds == pytest.approx(saves, abs=0.011), s.id
        assert s.resolves_more == pytest.approx(resolved(after) - resolved(before), abs=1e-4)
        assert s.score_gain == after["score"] - before["score"]


@pytest.mark.parametrize("path", MENUS, ids=lambda p: p.stem)
def test_no_suggestion_and_no_combined_drops_an_input(path: Path, tmp_path: Path) -> None:
    result = suggested(path)
    if result.menu.intents == () and result.menu.traffic is None:
        pytest.skip("no calls: the route to a person is checked by the engine alone")
    before = passed_inputs(path)
    menus = [([s.id], s.id) for s in result.suggestions if s.measured] + [(None, "combined")]
    for n, (ids, name) in enumerate(menus):
        after = passed_inputs(written(result, ids, tmp_path / f"{n}.yaml"))
        for intent, data in before.items():
            assert data <= after.get(intent, set()), (name, intent)


@pytest.mark.parametrize("path", MENUS, ids=lambda p: p.stem)
def test_combined_is_no_regression_for_diff(path: Path, tmp_path: Path) -> None:
    result = suggested(path)
    out = written(result, None, tmp_path / "combined.yaml")
    done = run("diff", path, out, "--fail-on-regression")
    assert done.exit_code == 0, done.output
    assert calls_regressions(score(path), score(out)) == []


def test_figures_carry_calls_and_the_queues_new_load() -> None:
    data = suggested(OUTAGE).to_dict()
    assert "calls" in data["before"]
    zero = next(s for s in data["suggestions"] if s["id"] == "zero-out:outage_menu")
    care = (data["before"]["calls"]["queues"]["care"], zero["after"]["calls"]["queues"]["care"])
    assert care[1]["calls_per_hour"] > care[0]["calls_per_hour"]  # the new callers' load
    assert care[1]["load"] > care[0]["load"]
    assert "calls" in data["combined"]["after"]


def test_calls_made_resolvable_are_not_seconds_saved() -> None:
    result = suggested(ROOT / "menus" / "water_utility.yaml")
    zero = result.get("zero-out:outage_menu")
    assert zero.saves_seconds == 0.0  # supply problems were not resolvable before
    assert zero.resolves_more == pytest.approx(0.35)
    assert zero.resolves == ("supply_problem",)
    text = run("suggest", ROOT / "menus" / "water_utility.yaml").output
    assert "resolves 35% more calls (supply problem)" in text
    md = run("suggest", ROOT / "menus" / "water_utility.yaml", "--format", "markdown").output
    assert "| 35% (supply\\_problem) |" in md
    data = json.loads(
        run("suggest", ROOT / "menus" / "water_utility.yaml", "--format", "json").output
    )
    item = next(s for s in data["suggestions"] if s["id"] == "zero-out:outage_menu")
    assert item["resolves_more"] == 0.35 and item["resolves"] == ["supply_problem"]


def test_ranking_is_seconds_then_score_then_file_order() -> None:
    for path in (OUTAGE, TWO_QUEUES, ROOT / "menus" / "telecom_hell.yaml"):
        measured = [s for s in suggested(path).suggestions if s.measured]
        keys = [
            (-(s.saves_seconds or 0.0), -(s.score_gain or 0), s.line, s.column) for s in measured
        ]
        assert keys == sorted(keys)


def test_the_taxi_model_keeps_the_account_number_in_front(tmp_path: Path) -> None:
    result = suggested(BANK)
    taxi = result.get("taxi-model:main")
    assert "asks for account number" in taxi.change
    out = written(result, [taxi.id], tmp_path / "taxi.yaml")
    menu = audit_file(out).menu
    first = menu.node("top_requests").options[0]
    assert menu.node(first.goto).type == "input"
    assert menu.node(first.goto).collects == "account_number"
    assert menu.node(first.goto).next == "balance"
    assert "account_number" in passed_inputs(out)["check_balance"]


def _skip_input(menu: Menu) -> Menu | None:
    """Offer "4 for your balance" at `main`, straight to the read-out: quicker for every
    balance caller, better scored, no regression, but it skips the account number."""
    main = menu.node("main")
    option = Option(
        key="4", goto="balance", pos=main.pos, label="your balance", intents=("check_balance",)
    )
    return with_node(menu, insert_option(main, option))


def test_the_engine_refuses_a_change_that_drops_an_input(monkeypatch) -> None:
    base = audit_file(BANK)
    change = Change(
        key="main",
        title="Skip the account number",
        why="a test",
        change="offer 4 for the balance",
        nodes=("main",),
        pos=base.menu.node("main").pos,
        apply=_skip_input,
    )
    kind = SimpleNamespace(KIND="skip", FIXES=("IVR208",), propose=lambda site: [change])
    monkeypatch.setitem(KINDS, "skip", kind)
    before = Figures.of(base)
    after = Figures.of(audit_menu(_skip_input(base.menu), base.config))
    # Everything else would let it through: only the identification rule refuses it.
    assert regressions(before, after) == () and before.improved(after)
    assert (before.saves(after) or 0) > 3
    assert before.dropped_inputs(after) == (("check_balance", "account_number"),)
    assert "skip:main" not in [s.id for s in ranked_suggestions(base)]


def test_zero_out_chooses_the_queue_by_the_load_its_callers_add() -> None:
    result = suggested(OUTAGE)
    zero = result.get("zero-out:outage_menu")
    assert zero.nodes == ("outage_menu", "care_desk")
    assert "keeps the mean call shortest with them added" in zero.why
    # The quicker hold (leaks: 20 s, 2 agents) would serve the outage callers worse.
    from ivraudit.suggest.kinds import zero_out

    leaks = audit_menu(zero_out._apply(result.menu, "outage_menu", "leak_desk")).metrics.calls
    assert leaks is not None and zero.after is not None and zero.after.calls is not None
    assert zero.after.calls.seconds < leaks.seconds
    assert zero.after.calls.abandon_share < leaks.abandon_share


def test_staffing_moves_agents_at_the_same_total(tmp_path: Path) -> None:
    result = suggested(TWO_QUEUES)
    staffing = result.get("staffing:queues")
    assert staffing.saves_seconds and staffing.saves_seconds > 0
    out = written(result, [staffing.id], tmp_path / "staffed.yaml")
    queues = dict(audit_file(out).menu.queues)
    assert {n: q.agents for n, q in queues.items()} == {"fast": 4, "big": 6}
    assert sum(q.agents for q in queues.values()) == 10
    # Deterministic: the same moves each time.
    again = suggest_audit(audit_file(TWO_QUEUES)).get("staffing:queues")
    assert again.change == staffing.change


def test_the_commands_write_and_score_what_json_says(tmp_path: Path) -> None:
    data = json.loads(run("suggest", OUTAGE, "--format", "json").output)
    first = data["suggestions"][0]
    out = tmp_path / "one.yaml"
    assert run("suggest", OUTAGE, "--only", first["id"], "--write", out).exit_code == 0
    got = json.loads(run("score", out, "--format", "json").output)
    assert got["calls"] == first["after"]["calls"]
    assert got["score"] == first["after"]["score"]
    combined = tmp_path / "all.yaml"
    assert run("suggest", OUTAGE, "--write", combined).exit_code == 0
    assert run("diff", OUTAGE, combined, "--fail-on-regression").exit_code == 0
    line = run("check", OUTAGE, "--exit-zero").output
    assert "resolves 34% more calls (supply problem)" in line


SMALL_CARE = LOAD / "outage_small_care.yaml"  # four agents for billing and outages


def test_a_change_that_floods_a_queue_is_a_regression_by_the_calls_rules(monkeypatch) -> None:
    from ivraudit.suggest.kinds import zero_out

    base = audit_file(SMALL_CARE)

    def flood(menu: Menu) -> Menu | None:
        return zero_out._apply(menu, "outage_menu", "care_desk")

    before = Figures.of(base)
    after = Figures.of(audit_menu(flood(base.menu), base.config))
    # It resolves a quarter more calls, which is never a regression in itself ...
    assert before.resolves_more(after) > 0.2
    # ... but billing callers now wait longer and hang up in the flooded queue.
    assert (
        regressions(before, after)
        == before.regressions(after)
        == (
            "calls for billing got slower: 10.0 s → 26.5 s",
            "calls for billing resolved less often: 95% → 81%",
            "more calls hang up in a queue: 2.6% → 9.4%",
        )
    )
    change = Change(
        key="outage_menu",
        title="Send outage callers to care",
        why="a test",
        change="0 at outage_menu to care_desk",
        nodes=("outage_menu",),
        pos=base.menu.node("outage_menu").pos,
        apply=flood,
    )
    kind = SimpleNamespace(KIND="flood", FIXES=("IVR104",), propose=lambda site: [change])
    monkeypatch.setitem(KINDS, "flood", kind)
    result = suggest_audit(base)
    assert "flood:outage_menu" not in [s.id for s in result.suggestions]
    assert regressions(before, result.combined.after) == ()


def test_an_overloaded_line_is_said_to_have_no_end_not_never(tmp_path: Path) -> None:
    menu = tmp_path / "sale.yaml"
    menu.write_text(
        "ivraudit: 1\nname: Sale\nintents: {order: 1}\ntraffic: {calls_per_hour: 100}\n"
        "queues:\n  sales: {agents: 2, handle_seconds: 360}\nnodes:\n  main:\n"
        "    prompt: Shop.\n    options:\n      - {key: 1, label: orders, goto: desk}\n"
        "  desk: {type: agent, queue: sales, handles: [order]}\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["suggest", str(menu)]).output
    assert "typical call without end (a queue is overloaded)" in out
    assert "typical call never" not in out
