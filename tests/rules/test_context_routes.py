"""The route helpers in the rules' Context: the quickest route to goals, and its wording."""

from __future__ import annotations

from ivraudit import build_graph, compute_metrics, loads_menu
from ivraudit.analysis.metrics import Step
from ivraudit.judge.rules.context import Context, route_text, seconds_text


def _context(text: str) -> Context:
    menu = loads_menu(text, "m.yaml")
    g = build_graph(menu)
    return Context(menu, g, compute_metrics(menu, g))


def test_seconds_text() -> None:
    # Messages show times as the reports do: one decimal, m:ss beyond 90 s.
    assert [seconds_text(v) for v in (60.0, 55.4, 28.444, 0.005, 90.0, 106.4, 600.0)] == [
        "60.0 s",
        "55.4 s",
        "28.4 s",
        "0.0 s",
        "90.0 s",
        "1:46",
        "10:00",
    ]


def test_fastest_route_follows_the_best_choice() -> None:
    ctx = _context(
        """\
ivraudit: 1
name: Two ways
nodes:
  main:
    prompt: "Acme."
    options:
      - {key: 1, label: a long way round, goto: long}
      - {key: 0, label: a person, goto: desk}
    no_match: {retries: 0, goto: desk}
  long: {type: message, prompt: "Please hold.", prompt_seconds: 30, next: desk}
  desk: {type: agent, hold_seconds: 5}
"""
    )
    route = ctx.fastest_route(["desk"])
    # A wrong key (0.4 s + 1 s) beats key 0 (0.4 + 2.4 + 2.0 + 1 s).
    assert [(s.node, s.kind, s.to) for s in route] == [("main", "no_match", "desk")]
    assert route_text(route) == "main (a wrong key, 1.4 s) → desk"
    assert ctx.fastest_route([]) == ()


def test_long_routes_keep_their_ends() -> None:
    steps = [Step(f"m{i}", "option", "1", "more", f"m{i + 1}", float(i + 1)) for i in range(12)]
    assert route_text(steps, seconds=False) == (
        "m0 (key 1) → m1 (key 1) → m2 (key 1) → m3 (key 1) → … 5 more … → "
        "m9 (key 1) → m10 (key 1) → m11 (key 1) → m12"
    )
