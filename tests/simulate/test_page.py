"""`ivraudit simulate --format html` and the "A day of calls" section of `report`: the
chart's numbers are the JSON's, menu text is escaped, and a menu without a profile gets
no day."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main

DAY = """\
ivraudit: 1
name: "<script>alert('day')</script> & desk"
intents: {billing: 0.6, faults: 0.4}
traffic: {calls_per_hour: 60, profile: [30, 90, 60], opens_at: "08:30"}
queues:
  team: {agents: 2, handle_seconds: 120, patience_seconds: 60, schedule: [1, 3, 2]}
nodes:
  main:
    prompt: "Hello."
    options:
      - {key: 1, label: billing, goto: bill, intents: [billing]}
      - {key: 2, label: a fault, goto: desk, intents: [faults]}
  bill: {type: self_service, prompt: "Your balance is ten pounds.", handles: [billing],
         resolves: 0.5, next: desk}
  desk: {type: agent, queue: team, handles: [billing, faults]}
"""


STEADY = DAY.replace(', profile: [30, 90, 60], opens_at: "08:30"', "").replace(
    ", schedule: [1, 3, 2]", ""
)


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def day(tmp_path: Path) -> Path:
    path = tmp_path / "day.yaml"
    path.write_text(DAY)
    return path


def _charts(html: str) -> dict[str, tuple[list[float], list[float]]]:
    """Return each chart's simulated means and Erlang A figures, by its caption."""
    out = {}
    for caption, svg in re.findall(r"<figcaption>(.*?)</figcaption>\s*(<svg.*?</svg>)", html):
        means = [float(v) for v in re.findall(r'<circle class="sim"[^>]*data-value="([^"]+)"', svg)]
        erlang = [float(v) for v in re.findall(r'<rect class="erl"[^>]*data-erlang="([^"]+)"', svg)]
        out[caption] = (means, erlang)
    return out


def test_the_chart_draws_the_numbers_of_the_json(day: Path, tmp_path: Path) -> None:
    args = ["simulate", str(day), "-r", "3"]
    page = tmp_path / "day.html"
    _invoke(*args, "--format", "html", "-o", str(page))
    html = page.read_text()
    data = json.loads(_invoke(*args, "--format", "json"))
    hours = data["hours"]
    charts = _charts(html)
    assert charts["Calls an hour"] == (
        [h["calls_per_hour"] for h in hours],
        [30.0, 90.0, 60.0],  # Erlang A's calls are the profile's
    )
    assert charts["Hung up waiting, share of calls"] == (
        [h["abandon_share"] for h in hours],
        [h["analytic"]["abandon_share"] for h in hours],
    )
    assert charts["Queue team: wait, seconds"] == (
        [h["queues"]["team"]["wait_seconds"] for h in hours],
        [h["analytic"]["queues"]["team"]["wait_seconds"] for h in hours],
    )
    # The table beside the chart has the same hours and means.
    table = html[html.index('<table class="daytable">') :]
    table = table[: table.index("</table>")]
    assert re.findall(r'<th scope="row">([^<]*)</th>', table) == ["08:30", "09:30", "10:30"]
    for h in hours:
        assert f"{h['calls_per_hour']:,.1f} ± " in table
        assert f"{h['queues']['team']['wait_seconds']:,.1f} ± " in table
    # The same seed, the same page.
    again = tmp_path / "again.html"
    _invoke(*args, "--format", "html", "-o", str(again))
    assert again.read_bytes() == page.read_bytes()


def test_menu_and_scenario_text_is_escaped(day: Path, tmp_path: Path) -> None:
    scenarios = tmp_path / "s.yaml"
    scenarios.write_text('scenarios:\n  "<img src=x onerror=alert(1)>": {calls: +10%}\n')
    html = _invoke(
        "simulate", str(day), "-r", "2", "--format", "html", "--scenario", str(scenarios)
    )
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;day&#39;)&lt;/script&gt; &amp; desk: simulated" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("<script") == 0
    assert 'id="s-whatif"' in html and "as the file says" in html


def test_a_steady_run_has_its_figures_and_no_day(tmp_path: Path) -> None:
    steady = tmp_path / "steady.yaml"
    steady.write_text(STEADY)
    html = _invoke("simulate", str(steady), "--hours", "2", "-r", "2", "--format", "html")
    assert 'id="s-day"' not in html and "<svg" not in html
    assert "Erlang A</th>" in html and "wait, seconds" in html


def test_report_gives_a_menu_with_a_profile_its_day(day: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    _invoke("report", str(day), "-o", str(out))
    html = (out / "day.html").read_text()
    assert 'id="s-day"' in html and "A day of calls" in html
    assert "10 replications of its day (3 hours from 08:30), seed 2021" in html
    data = json.loads(_invoke("simulate", str(day), "--format", "json"))
    assert _charts(html)["Calls an hour"][0] == [h["calls_per_hour"] for h in data["hours"]]
    # Deterministic: the same page again.
    _invoke("report", str(day), "-o", str(tmp_path / "again"))
    assert (tmp_path / "again" / "day.html").read_bytes() == (out / "day.html").read_bytes()


def test_report_of_a_menu_without_a_profile_has_no_day(day: Path, tmp_path: Path) -> None:
    steady = tmp_path / "steady.yaml"
    steady.write_text(STEADY)
    _invoke("report", str(steady), "-o", str(tmp_path / "site"))
    html = (tmp_path / "site" / "steady.html").read_text()
    assert "s-day" not in html and "daychart" not in html
