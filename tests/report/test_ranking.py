"""The ranked table for the terminal: best score first, menu text shown as it is."""

from __future__ import annotations

import re

import pytest

from ivraudit import audit_file
from ivraudit.report.ranking import ranked, render_ranking
from tests.conftest import FIXTURES, ROOT, audit_yaml

MENUS = sorted((ROOT / "menus").glob("*.yaml"))


def test_ranked_best_score_first() -> None:
    audits = [audit_file(p) for p in MENUS]
    scores = [a.score.value for a in ranked(audits)]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) == len(MENUS)


@pytest.mark.parametrize("width", [70, 100, 160])
def test_table_rows_follow_the_ranking(width: int) -> None:
    audits = [audit_file(p) for p in [*MENUS, FIXTURES / "hostile.yaml"]]
    text = render_ranking(audits, width=width)
    assert all(len(line) <= width for line in text.splitlines())
    rows = [
        m.groups()
        for m in re.finditer(r"^\s*(\d+)\s+.*?\s(\d+)\s+(poor|needs work|good)", text, re.M)
    ]
    assert [int(r[0]) for r in rows] == list(range(1, len(audits) + 1))
    assert [int(r[1]) for r in rows] == sorted((a.score.value for a in audits), reverse=True)
    if width >= 160:  # rich markup in a menu's name is text, not a colour
        assert "[red]rich[/red]" in text
    assert "minutes:seconds" in text


def test_durations_over_90_seconds_read_as_minutes() -> None:
    text = render_ranking([audit_file(ROOT / "menus/telecom_hell.yaml")], width=100)
    # A person answers at 62.8 s (calls.person_seconds: the queue as it answers); a
    # typical call takes 213.7 s.
    assert re.search(r"\b62\.8 s\s+3:34\b", text)
    assert "213.7" not in text


def test_score_of_several_menus_ends_with_the_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from ivraudit.cli import main

    monkeypatch.chdir(ROOT)
    full = CliRunner().invoke(main, ["score", "menus", "--width", "100"])
    alone = CliRunner().invoke(main, ["score", "menus", "--summary", "--width", "100"])
    assert full.exit_code == alone.exit_code == 0
    assert alone.stdout.startswith(f"Ranking of {len(MENUS)} menus")
    assert full.stdout.endswith(alone.stdout)
    one = CliRunner().invoke(main, ["score", "menus/city_cabs.yaml"])
    assert "Ranking of" not in one.stdout
    bad = CliRunner().invoke(main, ["score", "menus", "--summary", "--format", "json"])
    assert bad.exit_code == 2


def test_a_narrow_terminal_gets_the_ranking_as_a_list() -> None:
    audits = [audit_file(p) for p in MENUS]
    text = render_ranking(audits, width=30)
    assert all(len(line) <= 30 for line in text.splitlines())
    for a in audits:  # every score and band is there, whatever the width
        assert f"{a.score.value} {a.score.band}" in text
    assert not re.search(r"\d\s*\n\s*s\b", text)  # no duration split from its unit


# -- the portfolio index: the finding that costs callers most, and the biggest levers

# A ten-minute hold for the 30% of calls about billing, beside four dead ends that the
# severity-first rule would have named the worst.
HOLD_LINE = """\
ivraudit: 1
name: Hold line
intents: {billing: 0.3, hours: 0.7}
nodes:
  main:
    prompt: "Acme."
    options:
      - {key: 1, label: billing, goto: billing_desk, intents: [billing]}
      - {key: 2, label: opening hours, goto: hours_menu, intents: [hours]}
      - {key: 0, label: anyone, goto: front_desk}
  billing_desk: {type: agent, hold_seconds: 600, handles: [billing]}
  front_desk: {type: agent, hold_seconds: 20, handles: [billing, hours]}
  hours_menu:
    prompt: "Opening hours."
    options:
      - {key: 1, label: weekdays, goto: weekdays, intents: [hours]}
      - {key: 2, label: weekends, goto: weekends}
      - {key: 0, label: a person, goto: front_desk}
  weekdays: {type: self_service, prompt: "Nine to five.", handles: [hours]}
  weekends: {type: hangup, prompt: "Closed."}
"""


def test_the_worst_finding_is_the_one_that_costs_callers_most() -> None:
    from ivraudit.report.grouping import worst_finding
    from ivraudit.report.portfolio import costliest_finding, finding_cost

    a = audit_yaml(HOLD_LINE)
    assert worst_finding(a.findings).rule == "IVR402"  # most often, as severe: the old rule
    found = costliest_finding(a)
    assert found is not None
    worst, cost = found
    assert (worst.rule, worst.node) == ("IVR106", "billing_desk")
    assert cost == pytest.approx(600 * 0.3)  # the hold times the share of calls held
    dead_ends = [f for f in a.findings if f.rule == "IVR402"]
    assert dead_ends and all(finding_cost(f, a) == 0 for f in dead_ends)


def test_a_suggestion_that_fixes_a_finding_gives_its_cost() -> None:
    from ivraudit.report.portfolio import costliest_finding, finding_cost

    a = audit_yaml(HOLD_LINE)
    dead = next(f for f in a.findings if f.rule == "IVR402" and f.node == "main")
    fix = {"fixes": ["IVR402"], "nodes": ["main"], "saves_seconds": 200.0, "resolves_more": 0.0}
    other = {"fixes": ["IVR402"], "nodes": ["hours_menu"], "saves_seconds": 900.0}
    sug = {"before": {"typical_call_seconds": 300.0}, "suggestions": [fix, other]}
    assert finding_cost(dead, a, sug) == pytest.approx(200.0)  # not the other node's fix
    assert costliest_finding(a, sug)[0].node == "hours_menu"
    # Calls newly resolved count as the typical call they spent for nothing.
    more = {"fixes": ["IVR402"], "nodes": ["main"], "saves_seconds": 0.0, "resolves_more": 0.5}
    assert finding_cost(dead, a, {**sug, "suggestions": [more]}) == pytest.approx(150.0)


def test_a_queue_without_end_outweighs_any_finite_cost() -> None:
    from ivraudit.report.portfolio import ENDLESS_SECONDS, costliest_finding
    from tests.conftest import WATER_BUSY_HOUR

    # Found where the queue is declared (the finding names no node): 'leaks' takes the
    # 20% of calls about a leak, and 2:13 of wait with three agents.
    worst, cost = costliest_finding(audit_yaml(WATER_BUSY_HOUR))
    assert (worst.rule, worst.pos.line) == ("IVR110", 7)
    assert cost == pytest.approx(133.3 * 0.2, abs=0.1)
    # With one agent its calls wait without end: an hour is counted, against any cost.
    text = WATER_BUSY_HOUR.replace("leaks: {agents: 3", "leaks: {agents: 1")
    worst, cost = costliest_finding(audit_yaml(text))
    assert (worst.rule, cost) == ("IVR109", pytest.approx(ENDLESS_SECONDS * 0.2))


def _sug(title: str, saves: float, month: tuple[float, float | None] | None = None) -> dict:
    """A suggestion of the suggest contract; `month` is (caller-hours, cost) after it."""
    after: dict = {"typical_call_seconds": 100.0 - saves}
    if month is not None:
        after["calls"] = {"month": {"caller_hours": month[0], "cost": month[1]}}
    return {"title": title, "saves_seconds": saves, "after": after}


def _menu(name: str, month: tuple[float, float | None] | None, *sugs: dict) -> tuple:
    before: dict = {"typical_call_seconds": 100.0}
    if month is not None:
        before["calls"] = {"month": {"caller_hours": month[0], "cost": month[1]}}
        if month[1] is not None:
            before["calls"]["month"]["currency"] = "GBP"
    for sug in sugs:  # the library's saves_per_month: the month before minus after
        new = (((sug.get("after") or {}).get("calls") or {}).get("month")) or None
        if month is not None and new is not None:
            saved = {
                "caller_hours": month[0] - new["caller_hours"],
                "agent_hours": 0.0,
                "cost": None if month[1] is None else month[1] - new["cost"],
            }
            sug["saves_per_month"] = saved | ({"currency": "GBP"} if month[1] else {})
    return (name, f"{name}.html", {"before": before, "suggestions": list(sugs)})


def test_a_suggestions_effect_is_its_month_before_and_after() -> None:
    from ivraudit.report.portfolio import suggestion_effect

    _, _, sug = _menu("a", (1000.0, 5000.0), _sug("cut", 12.0, (900.0, 4200.0)))
    e = suggestion_effect(sug["suggestions"][0], sug["before"])
    assert (e.seconds, e.caller_hours, e.money, e.currency) == (12.0, 100.0, 800.0, "GBP")
    _, _, plain = _menu("b", None, _sug("cut", 3.5))
    e = suggestion_effect(plain["suggestions"][0], plain["before"])
    assert (e.seconds, e.caller_hours, e.money) == (3.5, None, None)


def test_the_biggest_levers_rank_money_then_caller_hours_then_seconds() -> None:
    from ivraudit.report.pagedata import effect_text
    from ivraudit.report.portfolio import biggest_levers

    menus = [
        _menu("plain", None, _sug("huge but no traffic", 500.0), _sug("nothing", 0.0)),
        _menu("hours", (1000.0, None), _sug("many hours", 5.0, (100.0, None))),
        _menu("priced", (1000.0, 5000.0), _sug("some money", 1.0, (990.0, 4990.0))),
        _menu("priced2", (1000.0, 5000.0), _sug("more money", 1.0, (995.0, 4000.0))),
    ]
    levers = biggest_levers(menus)
    assert [lv.title for lv in levers] == ["more money", "some money", "many hours"]
    assert (
        effect_text(levers[0].effect) == "saves GBP\u00a01,000.00 and 5\u00a0caller-hours a month"
    )
    assert effect_text(levers[2].effect) == "saves 900\u00a0caller-hours a month"
    # No suggestion that gains nothing; without traffic, seconds per call.
    levers = biggest_levers(menus[:1], limit=5)
    assert [lv.title for lv in levers] == ["huge but no traffic"]
    assert effect_text(levers[0].effect) == "saves 8:20 per call"


def test_money_in_several_currencies_is_not_compared() -> None:
    from ivraudit.report.portfolio import biggest_levers

    usd = _menu("usd", (1000.0, 5000.0), _sug("dollars", 1.0, (999.0, 1000.0)))
    usd[2]["before"]["calls"]["month"]["currency"] = "USD"
    usd[2]["suggestions"][0]["saves_per_month"]["currency"] = "USD"
    gbp = _menu("gbp", (1000.0, 5000.0), _sug("pounds", 1.0, (900.0, 4990.0)))
    # 4,000 dollars and 10 pounds are not weighed against each other: caller-hours are.
    assert [lv.title for lv in biggest_levers([usd, gbp])] == ["pounds", "dollars"]


def test_a_lever_that_resolves_more_calls_says_so() -> None:
    from ivraudit.report.pagedata import effect_text
    from ivraudit.report.portfolio import biggest_levers

    more = {"title": "add a person", "saves_seconds": 0.0, "resolves_more": 0.35}
    quick = _sug("cut", 20.0)
    (first, second) = biggest_levers([_menu("m", None, quick, more)])
    # 35% of 100 s calls resolved outweighs 20 s saved on each.
    assert (first.title, second.title) == ("add a person", "cut")
    assert effect_text(first.effect) == "resolves 35% more calls"
    assert effect_text(second.effect) == "saves 20.0\u00a0s per call"
