"""IVR208: how options are weighed, and that each intent is solved once."""

from __future__ import annotations

import textwrap

import pytest

from ivraudit import build_graph, compute_metrics, loads_menu
from ivraudit.judge.rules import context
from ivraudit.judge.rules.context import Context
from tests.rules.common import findings

SHOP = """\
ivraudit: 1
name: Shop
intents: {{billing: {billing}, faults: {faults}, other: {other}}}
nodes:
  main:
    options:
      - {{key: 1, label: faults, goto: faults}}
      - {{key: 2, label: billing, goto: billing}}
      - {{key: 0, label: anything else, goto: desk}}
  faults: {{type: self_service, prompt: "We are on it.", handles: [faults]}}
  billing: {{type: self_service, prompt: "You owe nothing.", handles: [billing]}}
  desk: {{type: agent, hold_seconds: 60, handles: [other, billing, faults]}}
"""


def _context(text: str) -> Context:
    menu = loads_menu(textwrap.dedent(text), "m.yaml")
    g = build_graph(menu)
    return Context(menu, g, compute_metrics(menu, g))


def test_exactly_twice_is_flagged() -> None:
    [f] = findings(SHOP.format(billing=4, faults=2, other=4), "IVR208")
    assert f.message == (
        "'main' reads key 2 (billing, 40% of calls) after key 1 (faults, 20%); "
        "offer the more frequent request first"
    )


def test_shares_are_normalised_before_min_share() -> None:
    # 8 in 100 calls: below min_share (10%) although the raw number is large; the other
    # 90 calls are declared but handled nowhere, so they weigh no option.
    text = SHOP.replace("handles: [other, billing, faults]", "handles: [billing, faults]")
    text = text.format(billing=8, faults=2, other=90)
    assert findings(text, "IVR208") == []
    assert len(findings(text, "IVR208", {"min_ratio": 2.0, "min_share": 0.05})) == 1


def test_an_intent_with_share_zero_weighs_nothing() -> None:
    assert findings(SHOP.format(billing=1, faults=0, other=0), "IVR208") == []


def test_each_intent_is_solved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = context.solve

    def counting(g, goals, net=None, start=None):  # type: ignore[no-untyped-def]
        calls.append(goals)
        return real(g, goals, net, start)

    monkeypatch.setattr(context, "solve", counting)
    ctx = _context(SHOP.format(billing=4, faults=2, other=4))
    for _ in range(3):
        for intent in ("billing", "faults", "other"):
            ctx.intent_route(intent)
    assert calls == []  # compute_metrics solved each intent; the rule reuses it


def test_a_branch_prefers_a_route_not_yet_taken_and_a_repeat_ends_the_route() -> None:
    ctx = _context(
        """\
        ivraudit: 1
        name: Loop
        intents: {help: 1}
        nodes:
          main:
            options:
              - {key: 1, goto: hub}
          hub:
            type: branch
            routes: [{when: a, share: 9, goto: side}, {when: b, share: 1, goto: desk}]
          side: {type: message, prompt: "Once more.", next: main}
          desk: {type: agent, handles: [help]}
        """
    )
    route = ctx.intent_route("help")
    assert [(s.node, s.to) for s in route] == [("main", "hub"), ("hub", "side"), ("side", "main")]


def test_a_route_through_an_unsure_branch_takes_the_helpful_way() -> None:
    ctx = _context(
        """\
        ivraudit: 1
        name: Hours
        intents: {help: 1}
        nodes:
          main:
            options:
              - {key: 1, goto: hours}
          hours:
            type: branch
            routes: [{when: open, share: 1, goto: desk}, {when: shut, share: 9, goto: bye}]
          desk: {type: agent, handles: [help]}
          bye: {type: hangup}
        """
    )
    # Format 0.3: the 10% of calls the open office takes are resolved, at 1.8 s.
    ((name, seconds),) = ctx.metrics.intent_seconds
    assert name == "help" and seconds == pytest.approx(1.8)
    assert [(s.node, s.to) for s in ctx.intent_route("help")] == [
        ("main", "hours"),
        ("hours", "desk"),
    ]


def test_an_intent_no_node_can_reach_has_no_route() -> None:
    text = SHOP.replace("handles: [other, billing, faults]", "handles: [billing]")
    ctx = _context(text.format(billing=4, faults=2, other=4))
    assert ctx.intent_route("other") == ()


def test_duplicate_keys_weigh_the_option_taken() -> None:
    text = """\
    ivraudit: 1
    name: Twice
    intents: {rare: 1, common: 9}
    nodes:
      main:
        options:
          - {key: 1, goto: rare}
          - {key: 1, goto: common}
      rare: {type: self_service, handles: [rare]}
      common: {type: self_service, handles: [common]}
    """
    [f] = findings(text, "IVR208")
    assert "key 1 (common, 90% of calls) after key 1 (rare, 10%)" in f.message


def _weights(text: str) -> dict[str, list[float]]:
    from ivraudit.judge.rules.frequent_intent_late import _option_weights

    menu = loads_menu(textwrap.dedent(text), "m.yaml")
    g = build_graph(menu)
    return _option_weights(Context(menu, g, compute_metrics(menu, g)))


def test_options_behind_a_branch_carry_the_calls_the_branch_sends() -> None:
    from tests.rules.common import FIXTURES

    w = _weights((FIXTURES / "IVR208" / "fail_night_branch.yaml").read_text())
    assert w["day"] == pytest.approx([0.48, 0.06, 0.06])
    assert w["night"] == pytest.approx([0.04, 0.32, 0.04])


def test_callers_trapped_on_their_way_still_press_their_option() -> None:
    # Supply callers reach no one, but 35% of calls still press 1 at 'main'.
    from tests.conftest import ROOT

    w = _weights((ROOT / "menus" / "water_utility.yaml").read_text())
    assert w["main"][0] == pytest.approx(0.35)
