"""The call graph carries what a call meets at a node: `resolves` and `queue`."""

from __future__ import annotations

from ivraudit import build_graph, loads_menu
from tests.format.common import WATER


def test_nodes_carry_resolves_and_queue() -> None:
    g = build_graph(loads_menu(WATER, "water.yaml"))
    assert g.nodes["pay"]["resolves"] == 0.7
    assert g.nodes["leak_desk"]["queue"] == "leaks"
    assert g.nodes["care_desk"]["queue"] == "care"
    assert (g.nodes["main"]["resolves"], g.nodes["main"]["queue"]) == (1.0, None)
    assert (g.nodes["pay"]["queue"], g.nodes["care_desk"]["resolves"]) == (None, 1.0)


def test_synthetic_hangups_carry_them_too() -> None:
    g = build_graph(
        loads_menu(
            "ivraudit: 1\nname: T\nnodes:\n  main:\n    options:\n"
            "      - {key: 0, goto: desk}\n  desk: {type: agent, queue: q}\n",
            "t.yaml",
        )
    )
    hangup = g.nodes["main#disconnect"]
    assert hangup["synthetic"] and (hangup["resolves"], hangup["queue"]) == (1.0, None)
    # An agent names its queue whether or not `queues` lists it.
    assert g.nodes["desk"]["queue"] == "q"
