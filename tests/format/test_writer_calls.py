"""Writing a menu with the keys of "Calls as they happen": kept, stable, and readable."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import dump_menu, load_menu, loads_menu
from ivraudit.cli import main
from ivraudit.format.model import Costs, Menu, Queue, Traffic
from ivraudit.format.writer import menu_to_data
from tests.format.common import WATER


def calls_keys(menu: Menu) -> tuple:
    """Return what the new keys say about a menu, positions aside."""
    resolves = tuple((n.id, n.resolves) for n in menu.nodes)
    return menu.traffic, menu.queues, menu.costs, resolves


def test_the_worked_example_is_written_as_written_and_stays_put() -> None:
    menu = loads_menu(WATER, "water.yaml")
    text = dump_menu(menu)
    assert "traffic: {calls_per_hour: 120, hours_per_month: 200}\n" in text
    assert "queues:\n  care: {agents: 6, handle_seconds: 240, patience_seconds: 180}\n" in text
    assert "  leaks: {agents: 3, handle_seconds: 300}\n" in text
    assert "costs: {agent_hour: 30, line_minute: 0.02, currency: USD}\n" in text
    assert "    resolves: 0.7\n    next: care_desk\n" in text
    # In the format's order: after intents, before nodes.
    assert text.index("intents:") < text.index("traffic:") < text.index("queues:")
    assert text.index("queues:") < text.index("costs:") < text.index("nodes:")
    again = loads_menu(text, "water.yaml")
    assert calls_keys(again) == calls_keys(menu)
    assert dump_menu(again) == text  # byte for byte


def test_defaults_are_left_out_and_read_back_the_same() -> None:
    text = WATER.replace(", hours_per_month: 200", "").replace(", currency: USD", "")
    text = text.replace("resolves: 0.7", "resolves: 1").replace("agent_hour: 30", "agent_hour: 0")
    menu = loads_menu(text, "w.yaml")
    written = dump_menu(menu)
    assert "traffic: {calls_per_hour: 120}\n" in written
    # Both rates always, so a `costs:` never reads as empty; no currency when none is given.
    assert "costs: {agent_hour: 0, line_minute: 0.02}\n" in written
    assert "resolves" not in written
    again = loads_menu(written, "w.yaml")
    assert calls_keys(again) == calls_keys(menu)
    assert again.traffic == Traffic(120.0, 250.0)
    assert again.costs == Costs(0.0, 0.02, "")


def test_a_menu_without_the_keys_is_written_without_them() -> None:
    text = (
        "ivraudit: 1\nname: T\nintents: {a: 1}\nnodes:\n"
        "  s: {type: self_service, prompt: Done., handles: [a]}\n"
    )
    written = dump_menu(loads_menu(text, "t.yaml"))
    for key in ("traffic", "queues", "costs", "resolves"):
        assert key not in written
    assert list(menu_to_data(loads_menu(text, "t.yaml"))) == [
        "ivraudit",
        "name",
        "intents",
        "nodes",
    ]


def test_a_queue_no_agent_names_any_more_is_not_written() -> None:
    # A suggestion may remove the last desk of a queue: the file it writes must load.
    menu = loads_menu(WATER, "water.yaml")
    leak_desk = menu.node("leak_desk")
    edited = replace(
        menu,
        nodes=tuple(
            replace(n, type="hangup", queue=None, handles=()) if n is leak_desk else n
            for n in menu.nodes
        ),
    )
    text = dump_menu(edited)
    assert "leaks:" not in text
    assert loads_menu(text, "edited.yaml").queues == (
        ("care", Queue(agents=6, handle_seconds=240.0, patience_seconds=180.0)),
    )
    gone = replace(edited, nodes=tuple(n for n in edited.nodes if n.type != "agent"))
    assert "queues" not in dump_menu(replace(gone, entry="main"))


@pytest.mark.parametrize("currency", ["€", "R$", "💶", "US dollars", "'yes'"])
def test_any_currency_is_written_alike_by_both_emitters(currency: str, monkeypatch) -> None:
    from ivraudit.format import writer

    menu = replace(loads_menu(WATER, "water.yaml"), costs=Costs(30.0, 0.02, currency))
    fast = dump_menu(menu)
    with monkeypatch.context() as patch:
        patch.setattr(writer, "_CDumper", None)
        assert dump_menu(menu) == fast
    assert loads_menu(fast, "w.yaml").costs == Costs(30.0, 0.02, currency)


@pytest.mark.parametrize("out_name", ["better.yaml", "better.json"])
def test_suggest_write_keeps_the_keys(tmp_path: Path, out_name: str) -> None:
    source = tmp_path / "water.yaml"
    source.write_text(WATER, encoding="utf-8")
    out = tmp_path / out_name
    result = CliRunner().invoke(main, ["suggest", str(source), "--write", str(out)])
    assert result.exit_code == 0, result.output
    written = load_menu(out)
    menu = load_menu(source)
    assert (written.traffic, written.queues, written.costs) == (
        menu.traffic,
        menu.queues,
        menu.costs,
    )
    assert written.node("pay").resolves == 0.7
    if out_name.endswith(".json"):
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["queues"]["leaks"] == {"agents": 3, "handle_seconds": 300}
        assert data["nodes"]["pay"]["resolves"] == 0.7
