"""build_graph adds nodes and edges in bulk (issue 22): the same graph, in the same order,
as adding them one at a time."""

from __future__ import annotations

import networkx as nx

from ivraudit.analysis import timing as t
from ivraudit.analysis.graph import build_graph, disconnect_id
from ivraudit.format.loader import load_menu, loads_menu
from ivraudit.format.model import Menu
from tests.conftest import ROOT

MENU = """\
ivraudit: 1
name: Bulk
nodes:
  main:
    prompt: Hello.
    options:
      - {key: 1, label: sales, goto: sales}
      - {key: 1, label: again, goto: sales}
      - key: 2
        goto:
          type: branch
          routes: [{when: open, share: 3, goto: desk}, {when: shut, share: 1, goto: main}]
    no_input: {goto: desk}
  sales:
    prompt: Sales.
    options:
      - {key: 0, goto: desk}
  desk: {type: agent, hold_seconds: 30}
  note: {type: message, prompt: Bye., next: desk}
"""


def _one_by_one(menu: Menu) -> nx.MultiDiGraph:
    """The graph built the way it was before: one add_node and add_edge call each."""
    g = nx.MultiDiGraph(name=menu.name, entry=menu.entry, source=menu.source)
    tm = menu.timing
    for n in menu.nodes:
        g.add_node(
            n.id,
            type=n.type,
            seconds=t.own_seconds(n, tm),
            handles=frozenset(n.handles),
            resolves=n.resolves,
            takes=n.takes,
            queue=n.queue,
            pos=n.pos,
            synthetic=False,
        )
    for n in menu.nodes:
        if n.type == "menu":
            costs = t.option_costs(n, tm)
            for i, (o, cost) in enumerate(zip(n.options, costs, strict=True)):
                g.add_edge(
                    n.id, o.goto, kind="option", dtmf=o.key, label=o.label or o.spoken,
                    order=i, seconds=cost, press=True, probability=1.0, pos=o.pos,
                    intents=frozenset(o.intents),
                )  # fmt: skip
            for kind, h, cost in (
                ("no_input", n.no_input, t.no_input_seconds(n, tm)),
                ("no_match", n.no_match, t.no_match_seconds(n, tm)),
            ):
                target, pos = (h.goto, h.pos) if h else (disconnect_id(n.id), n.pos)
                if h is None and target not in g:
                    g.add_node(
                        target, type="hangup", seconds=0.0, handles=frozenset(), resolves=1.0,
                        takes=1.0, queue=None, pos=n.pos, synthetic=True,
                    )  # fmt: skip
                g.add_edge(
                    n.id, target, kind=kind, dtmf=None, label=kind.replace("_", "-"),
                    order=len(n.options) + (kind == "no_match"), seconds=cost, press=True,
                    probability=1.0, pos=pos,
                )  # fmt: skip
        elif n.type == "branch":
            total = sum(r.share for r in n.routes)
            for i, r in enumerate(n.routes):
                g.add_edge(
                    n.id, r.goto, kind="route", dtmf=None, label=r.when, order=i, seconds=0.0,
                    press=False, probability=r.share / total, pos=r.pos,
                )  # fmt: skip
        elif n.next is not None:
            g.add_edge(
                n.id, n.next, kind="next", dtmf=None, label="next", order=0, seconds=0.0,
                press=False, probability=1.0, pos=n.where("next"),
            )  # fmt: skip
    return g


def _shape(g: nx.MultiDiGraph) -> tuple[object, ...]:
    return (
        g.graph,
        list(g.nodes(data=True)),
        list(g.edges(keys=True, data=True)),
        [(v, list(g.pred[v])) for v in g],
    )


def test_bulk_graph_equals_one_by_one() -> None:
    menu = loads_menu(MENU, "bulk.yaml")
    g = build_graph(menu)
    assert _shape(g) == _shape(_one_by_one(menu))
    # The disconnects come after the written nodes, with their data; two options to the
    # same node are two edges.
    assert [n for n in g if n.endswith("#disconnect")] == ["main#disconnect", "sales#disconnect"]
    assert list(g)[-2:] == ["main#disconnect", "sales#disconnect"]
    assert g.nodes["sales#disconnect"]["synthetic"] is True
    assert g.number_of_edges("main", "sales") == 2


def test_example_menus_build_the_same_graph() -> None:
    for path in sorted((ROOT / "menus").glob("*.yaml")):
        menu = load_menu(path)
        assert _shape(build_graph(menu)) == _shape(_one_by_one(menu)), path.name
