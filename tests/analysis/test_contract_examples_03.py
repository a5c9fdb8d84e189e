"""The format contract's worked examples, read through `score --format json` to the figures
the contract states (format 0.3: `human_share`, the conditioned times, and `calls`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import WATER_BUSY_HOUR

SECONDS = 0.02
SHARE = 0.002

COUNCIL = """\
ivraudit: 1
name: Council line with opening hours
intents: {repair: 0.6, bins: 0.4}
nodes:
  main:
    prompt: "Council."
    options:
      - {key: 1, label: a repair, goto: hours, intents: [repair]}
      - {key: 2, label: bins, goto: bins_info, intents: [bins]}
  hours:
    type: branch
    routes:
      - {when: office open, share: 60, goto: repairs_desk}
      - {when: office closed, share: 40, goto: closed}
  closed: {type: hangup, prompt: "We are closed."}
  repairs_desk: {type: agent, hold_seconds: 120, handles: [repair]}
  bins_info: {type: self_service, prompt: "Bins are collected on Mondays.", handles: [bins]}
"""

# The format contract's worked example of calls as they happen.
WATER = WATER_BUSY_HOUR

BANK = """\
ivraudit: 1
name: Bank line with labelled options
intents: {balance: 0.6, lost_card: 0.3, mortgage: 0.1}
nodes:
  main:
    prompt: "Bank."
    options:
      - {key: 1, label: accounts, goto: accounts, intents: [balance]}
      - {key: 2, label: cards, goto: cards, intents: [lost_card]}
    no_input: {retries: 0, goto: desk}
  accounts:
    prompt: "Accounts."
    options:
      - {key: 1, label: your balance, goto: balance}
      - {key: 2, label: an advisor, goto: desk}
  balance: {type: self_service, prompt: "Your balance is ten pounds.", handles: [balance]}
  cards:
    prompt: "Cards."
    options:
      - {key: 1, label: card news, goto: news}
    no_input: {retries: 0, goto: desk}
  news: {type: message, prompt: "New cards are coming.", next: cards}
  desk: {type: agent, hold_seconds: 60, handles: [balance, lost_card, mortgage]}
"""

CITY_CABS = """\
ivraudit: 1
name: City Cabs booking line
intents: {taxi_now: 0.7, book_later: 0.3}
nodes:
  main:
    prompt: "City Cabs."
    options:
      - {key: 1, label: a taxi now, goto: dispatch}
      - {key: 2, label: booking for later, goto: desk}
    no_input: {goto: desk}
  dispatch:
    type: self_service
    prompt: "A taxi is on its way."
    handles: [taxi_now]
  desk:
    type: agent
    hold_seconds: 30
    handles: [book_later, taxi_now]
"""


def score(tmp_path: Path, text: str, name: str) -> dict:
    """Return the JSON object `score --format json` reports for one menu file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def close(got: float | None, want: float, tol: float) -> bool:
    return got is not None and abs(got - want) <= tol


def test_council_line_with_opening_hours(tmp_path: Path) -> None:
    report = score(tmp_path, COUNCIL, "council.yaml")
    m = report["metrics"]
    # Key 1 (3.4 s), then 60% of the calls reach the desk after 120 s of hold.
    assert close(m["human_share"], 0.6, SHARE)
    assert close(m["time_to_human_seconds"], 123.4, SECONDS)
    assert close(m["intent_seconds"]["repair"], 123.4, SECONDS)
    assert close(m["intent_seconds"]["bins"], 7.0, SECONDS)
    calls = report["calls"]
    repair = calls["intents"]["repair"]
    assert close(repair["resolved_share"], 0.6, SHARE)
    assert close(repair["seconds"], 75.4, SECONDS)  # a closed-office call ends at 3.4 s
    assert close(repair["seconds_resolved"], 123.4, SECONDS)
    bins = calls["intents"]["bins"]
    assert close(bins["resolved_share"], 1.0, SHARE)
    assert close(bins["seconds"], 7.0, SECONDS)
    assert close(bins["seconds_resolved"], 7.0, SECONDS)
    assert close(calls["resolved_share"], 0.76, SHARE)
    assert close(calls["seconds"], 48.04, SECONDS)
    assert close(calls["abandon_share"], 0.0, SHARE)
    assert calls["queues"] == {}  # no traffic: no queue under load, and no month
    assert "month" not in calls


def test_water_line_at_the_busy_hour(tmp_path: Path) -> None:
    report = score(tmp_path, WATER, "water.yaml")
    m = report["metrics"]
    assert close(m["intent_seconds"]["pay_bill"], 7.0, SECONDS)
    assert close(m["intent_seconds"]["leak"], 5.8, SECONDS)
    assert close(m["intent_seconds"]["other"], 7.8, SECONDS)
    calls = report["calls"]
    care = calls["queues"]["care"]
    assert close(care["calls_per_hour"], 54.0, SECONDS)
    assert care["agents"] == 6
    assert close(care["load"], 0.6, SHARE)
    assert close(care["answer_seconds"], 5.51, SECONDS)
    assert close(care["wait_seconds"], 6.99, SECONDS)
    assert close(care["abandon_share"], 0.0388, SHARE)
    assert care["agents_needed"] == 6
    leaks = calls["queues"]["leaks"]
    assert close(leaks["calls_per_hour"], 24.0, SECONDS)
    assert leaks["agents"] == 3
    assert close(leaks["load"], 2 / 3, SHARE)
    assert close(leaks["answer_seconds"], 133.33, SECONDS)
    assert close(leaks["wait_seconds"], 133.33, SECONDS)
    assert close(leaks["abandon_share"], 0.0, SHARE)
    assert leaks["agents_needed"] == 4
    pay = calls["intents"]["pay_bill"]
    assert close(pay["resolved_share"], 0.9884, SHARE)
    assert close(pay["seconds"], 9.10, SECONDS)
    # Not stated, but it follows from the stated figures: 70% resolved at 7.0 s, and of
    # the 30% that go on to care, the answered ones at 7.0 + 5.51 s.
    want = (0.7 * 7.0 + 0.3 * 0.9612 * (7.0 + 5.51)) / 0.9884
    assert close(pay["seconds_resolved"], want, SECONDS)
    leak = calls["intents"]["leak"]
    assert close(leak["resolved_share"], 1.0, SHARE)
    assert close(leak["seconds"], 139.13, SECONDS)
    assert close(leak["seconds_resolved"], 139.13, SECONDS)
    other = calls["intents"]["other"]
    assert close(other["resolved_share"], 0.9612, SHARE)
    assert close(other["seconds"], 14.79, SECONDS)
    assert close(other["seconds_resolved"], 7.8 + 5.51, SECONDS)
    assert close(calls["resolved_share"], 0.9825, SHARE)
    assert close(calls["abandon_share"], 0.0175, SHARE)
    assert close(calls["seconds"], 36.81, SECONDS)
    month = calls["month"]
    assert month["calls"] == 24000
    # Built from the rounded figures above: within their rounding, scaled to a month.
    assert month["caller_hours"] == pytest.approx(245.40, abs=0.05)
    assert month["agent_hours"] == pytest.approx(1092.06, abs=0.05)
    assert month["staffed_agent_hours"] == 1800
    assert month["cost"] == pytest.approx(55604.95, abs=0.2)


def test_bank_line_with_labelled_options(tmp_path: Path) -> None:
    report = score(tmp_path, BANK, "bank.yaml")
    m = report["metrics"]
    assert m["human_share"] == 1.0
    assert close(m["time_to_human_seconds"], 68.4, SECONDS)
    assert close(m["intent_seconds"]["balance"], 8.4, SECONDS)
    assert close(m["intent_seconds"]["lost_card"], 72.0, SECONDS)
    assert close(m["intent_seconds"]["mortgage"], 68.6, SECONDS)
    # Intents but no resolves, traffic or queues: each resolved for sure, at its seconds.
    calls = report["calls"]
    for intent, seconds in (("balance", 8.4), ("lost_card", 72.0), ("mortgage", 68.6)):
        figures = calls["intents"][intent]
        assert figures["resolved_share"] == 1.0
        assert close(figures["seconds"], seconds, SECONDS)
        assert close(figures["seconds_resolved"], seconds, SECONDS)
    assert calls["resolved_share"] == 1.0
    assert close(calls["seconds"], 0.6 * 8.4 + 0.3 * 72.0 + 0.1 * 68.6, SECONDS)


def test_city_cabs_booking_line(tmp_path: Path) -> None:
    report = score(tmp_path, CITY_CABS, "city_cabs.yaml")
    m = report["metrics"]
    assert m["human_share"] == 1.0
    assert close(m["time_to_human_seconds"], 36.6, SECONDS)
    assert m["time_to_human_presses"] == 1
    assert close(m["intent_seconds"]["taxi_now"], 6.6, SECONDS)
    assert close(m["intent_seconds"]["book_later"], 36.6, SECONDS)
    calls = report["calls"]
    assert calls["intents"]["taxi_now"]["resolved_share"] == 1.0
    assert close(calls["intents"]["taxi_now"]["seconds"], 6.6, SECONDS)
    assert close(calls["intents"]["book_later"]["seconds"], 36.6, SECONDS)
    assert calls["resolved_share"] == 1.0
    assert close(calls["seconds"], 0.7 * 6.6 + 0.3 * 36.6, SECONDS)
