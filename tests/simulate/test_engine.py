"""The engine's parts: the draws of a time, Student's t, a day of hours with its
schedule, retrials, and the walk of a call through the route's chain."""

from __future__ import annotations

import dataclasses
import math
import statistics
from random import Random

import pytest

from ivraudit import audit_menu
from ivraudit.format.errors import MenuError
from ivraudit.report.simulation import render_text
from ivraudit.simulate import engine, plan_for, simulate
from ivraudit.simulate.engine import draw, run_replication
from ivraudit.simulate.stats import estimate, t_quantile
from ivraudit.simulate.walks import END, QUEUE, RESOLVED
from tests.conftest import audit_yaml

LINE = """\
ivraudit: 1
name: Line
intents: {billing: 0.6, faults: 0.4}
traffic: {calls_per_hour: 60}
queues:
  team: {agents: 2, handle_seconds: 120, patience_seconds: 90}
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: billing, goto: bill, intents: [billing]}
      - {key: 2, label: a fault, goto: desk, intents: [faults]}
  bill: {type: self_service, prompt: "Your balance is ten pounds.", handles: [billing],
         resolves: 0.5}
  desk: {type: agent, queue: team, handles: [faults]}
"""


def test_student_t_quantiles() -> None:
    # Tables of the 97.5th percentile (two-sided 95%).
    for df, t in [(1, 12.7062), (2, 4.3027), (4, 2.7764), (9, 2.2622), (30, 2.0423)]:
        assert t_quantile(df) == pytest.approx(t, abs=1e-4)
    assert t_quantile(100_000) == pytest.approx(1.95996, abs=1e-4)


def test_an_estimate_leaves_out_missing_values() -> None:
    e = estimate([1.0, None, 3.0])
    assert e.mean == 2.0 and e.n == 2
    assert e.half_width == pytest.approx(12.7062 * math.sqrt(2) / math.sqrt(2), abs=1e-3)
    assert estimate([None, None]).mean is None
    single = estimate([4.0])
    assert single.mean == 4.0 and single.low is None


@pytest.mark.parametrize("cv", [None, 0.5, 1.5])
def test_a_drawn_time_keeps_its_mean_and_spread(cv: float | None) -> None:
    rng = Random(3)
    xs = [draw(rng, 200.0, cv) for _ in range(40_000)]
    mean = statistics.fmean(xs)
    assert mean == pytest.approx(200.0, rel=0.04)
    want = 1.0 if cv is None else cv
    assert statistics.pstdev(xs) / mean == pytest.approx(want, rel=0.12)
    assert draw(rng, 200.0, 0.0) == 200.0


def test_walks_end_as_the_chain_says() -> None:
    a = audit_yaml(LINE)
    plan = plan_for(a.menu, a.graph, 1.0)
    billing, faults = plan.walks
    rng = Random(1)
    ends = [billing.walk(rng) for _ in range(4000)]
    resolved = sum(1 for _, e, _, _ in ends if e == RESOLVED)
    assert {e for _, e, _, _ in ends} == {RESOLVED, END}
    assert resolved / len(ends) == pytest.approx(0.5, abs=0.03)
    # The menu's time and the self-service's prompt are the same on every walk.
    assert len({round(s, 9) for s, _, _, _ in ends}) == 1
    s, e, q, hold = faults.walk(rng)
    assert (e, q, hold) == (QUEUE, 0, 0.0)
    assert s == pytest.approx(dict(a.metrics.intent_seconds)["faults"])


def _day(text: str, profile: tuple[float, ...], schedule: tuple[int, ...] = ()):  # type: ignore[no-untyped-def]
    a = audit_yaml(text)
    menu = a.menu
    traffic = dataclasses.replace(menu.traffic, profile=profile, opens_at="08:00")
    queues = tuple((name, dataclasses.replace(q, schedule=schedule)) for name, q in menu.queues)
    return audit_menu(dataclasses.replace(menu, traffic=traffic, queues=queues))


def test_a_day_follows_its_profile_and_schedule_hour_by_hour() -> None:
    audit = _day(LINE, (20.0, 120.0, 40.0), (1, 4, 2))
    sim = simulate(audit, replications=4, seed=3)
    assert sim.settings.day_hours == 3 and sim.settings.warmup_hours == 0
    assert sim.settings.hours == 3.0  # one day by default
    hours = sim.to_dict()["hours"]
    assert [h["starts"] for h in hours] == ["08:00", "09:00", "10:00"]
    assert [h["queues"]["team"]["agents"] for h in hours] == [1, 4, 2]
    per_hour = [h["calls_per_hour"] for h in hours]
    assert per_hour[0] < per_hour[2] < per_hour[1]
    assert sim.calls["calls_per_hour"].mean == pytest.approx(60, rel=0.25)
    assert sim.queues[0].figures["agents"].mean == pytest.approx(7 / 3)
    assert sim.analytic is None  # the audited hour is not the day
    text = render_text(sim)
    assert "4 replications of its day (3 hours from 08:00)" in text
    assert "\nHour by hour\n" in text and "\nQueue team hour by hour\n" in text
    assert "\n  10:00 " in text


def test_more_hours_than_a_day_repeat_the_day() -> None:
    audit = _day(LINE, (30.0, 90.0))
    plan = plan_for(audit.menu, audit.graph, 5.0)
    assert plan.expected_calls() == 30 + 90 + 30 + 90 + 30
    sim = simulate(audit, hours=5.0, replications=2, seed=1)
    counted = {h["hour"]: h for h in sim.to_dict()["hours"]}
    assert set(counted) == {0, 1}


def test_a_queue_without_agents_when_calls_arrive_is_refused() -> None:
    audit = _day(LINE, (20.0, 30.0), (2, 0))
    with pytest.raises(MenuError, match="queue 'team' has no agents in hour 2 of the day"):
        plan_for(audit.menu, audit.graph)


def test_retrials_call_again() -> None:
    a = audit_yaml(LINE.replace("patience_seconds: 90", "patience_seconds: 10"))
    menu = a.menu
    traffic = dataclasses.replace(menu.traffic, retry_share=1.0, retry_after_seconds=60.0)
    again = audit_menu(dataclasses.replace(menu, traffic=traffic))
    plain = simulate(a, hours=3, replications=2, seed=2)
    retried = simulate(again, hours=3, replications=2, seed=2)
    assert plain.calls["retrial_share"].mean == 0
    assert retried.calls["retrial_share"].mean > 0.05
    assert retried.calls["calls_per_hour"].mean > plain.calls["calls_per_hour"].mean
    # Every call that came back started after one that hung up.
    plan = plan_for(again.menu, again.graph, 3.0)
    calls = run_replication(plan, 2, 0)
    assert sum(c.retrial for c in calls) <= sum(
        1 for c in calls if c.ends == QUEUE and not c.answered
    )


def test_agents_on_duty_stay_at_a_shift_change() -> None:
    # Two agents, then five, then one: three join at the second hour and four leave at
    # the third (idle ones first, busy ones as their call ends). Ciw's own shift change
    # would send all off duty and start a new shift: 2 + 5 + 1 agents in all.
    audit = _day(LINE.replace("calls_per_hour: 60", "calls_per_hour: 90"), (90.0,) * 3, (2, 5, 1))
    plan = plan_for(audit.menu, audit.graph)
    rng = Random(1)
    calls = engine._Calls(plan, rng)
    for start, intent in engine._arrivals(plan, rng):
        calls.start(start, intent, retrial=False)
    desk = engine._simulation(plan, rng, calls).transitive_nodes[0]
    assert desk.highest_id == 5
    assert not [s for s in desk.servers if s.busy]


def test_two_results_compare_figure_by_figure() -> None:
    a = audit_yaml(LINE)
    more = audit_yaml(LINE.replace("agents: 2", "agents: 4"))
    base = simulate(a, hours=2, replications=2, seed=1)
    staffed = simulate(more, hours=2, replications=2, seed=1)
    wait = ("queues", "team", "wait_seconds")
    assert staffed.figure(*wait).mean < base.figure(*wait).mean
    assert base.figure("calls", "", "resolved_share") == base.calls["resolved_share"]
    assert base.figure("queues", "nobody", "wait_seconds").mean is None
