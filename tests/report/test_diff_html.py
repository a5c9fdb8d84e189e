"""`ivraudit diff OLD NEW --format html`: one page of a menu before and after, whose
figures are the JSON format's, with menu text escaped and nothing written on bad input."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ivraudit.cli import main
from ivraudit.format.units import duration
from ivraudit.report.beforeafter import intent_labels
from ivraudit.report.callsview import money, number
from ivraudit.report.html import render_one
from tests.conftest import ROOT, WATER_BUSY_HOUR, audit_yaml

# The water line with its payment menu slower (a longer greeting) and one agent more on
# leaks: every intent changes, the queues and the month too.
SLOWER = WATER_BUSY_HOUR.replace(
    'prompt: "Riverside Water."',
    'prompt: "Riverside Water. Thank you for calling, your call is important to us."',
).replace("leaks: {agents: 3", "leaks: {agents: 4")


def diff(*args: str) -> Result:
    """Invoke `ivraudit diff ARGS`."""
    return CliRunner().invoke(main, ["diff", *args])


@pytest.fixture
def water(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder holding old.yaml (the water line) and new.yaml (slower, staffed)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.yaml").write_text(WATER_BUSY_HOUR, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(SLOWER, encoding="utf-8")
    return tmp_path


def page_text(page: str) -> str:
    """Return the page's text as a reader sees it: tags dropped, entities read."""
    body = page[page.index("<main>") :]
    # Only ASCII white space is folded: a non-breaking space is part of what is shown.
    return html.unescape(re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_page_shows_both_scores_every_intent_and_the_json_figures(water: Path) -> None:
    """Both scores, each intent's time before and after, time to a person and the typical
    call read as `diff --format json` gives them (m:ss past 90 s)."""
    result = diff("old.yaml", "new.yaml", "--format", "html", "-o", "out.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    page = (water / "out.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    (menu,) = json.loads(diff("old.yaml", "new.yaml", "--format", "json").stdout)["menus"]
    m = menu["metrics"]
    text = page_text(page)
    scores = re.findall(r'<span class="num">(\d+)</span>', page)
    assert scores == [str(menu["old_score"]), str(menu["new_score"])]
    shown = f"{duration(m['typical_call_seconds']['old'])} → "
    shown += duration(m["typical_call_seconds"]["new"])
    assert shown in text
    # Time to a person as each side's score page and `score --format json` give it: the
    # staffed queues as they answer (`calls.person_seconds`), not the holds as stated.
    person = [
        json.loads(CliRunner().invoke(main, ["score", f, "--format", "json"]).stdout)["calls"][
            "person_seconds"
        ]
        for f in ("old.yaml", "new.yaml")
    ]
    assert f"Time to a person {duration(person[0])} → {duration(person[1])}" in text
    stated = f"{duration(m['time_to_human_seconds']['old'])} → "
    assert stated + duration(m["time_to_human_seconds"]["new"]) not in text
    intents = [k.partition(".")[2] for k in m if k.startswith("intent_seconds.")]
    assert set(intents) == {"pay_bill", "leak", "other"}
    # Each bar is the journey as that menu's page gives it: with `calls`, the time of a
    # resolved call (`score --format json`: calls.intents.<id>.seconds_resolved).
    journeys = [
        json.loads(CliRunner().invoke(main, ["score", f, "--format", "json"]).stdout)["calls"]
        for f in ("old.yaml", "new.yaml")
    ]
    for intent in intents:
        row = re.search(rf'<tr data-intent="{intent}">(.*?)</tr>', page, re.S)
        assert row, intent
        cells = re.findall(r'<span class="t">([^<]*)</span>', row.group(1))
        assert cells == [duration(j["intents"][intent]["seconds_resolved"]) for j in journeys]


def test_labels_queues_and_money_before_and_after(water: Path) -> None:
    """Intents read by the options' labels; each queue and the month's hours and cost
    before → after, from the same `calls` the JSON report gives."""
    diff("old.yaml", "new.yaml", "--format", "html", "-o", "out.html")
    page = (water / "out.html").read_text(encoding="utf-8")
    text = page_text(page)
    for label in ("a payment", "a leak", "anything else"):
        assert f"{label} (" in text
    assert 'title="pay_bill"' in page  # the id stays at hand, out of the way
    before, after = (
        json.loads(CliRunner().invoke(main, ["score", name, "--format", "json"]).stdout)["calls"]
        for name in ("old.yaml", "new.yaml")
    )
    for queue in ("care", "leaks"):
        assert f'<td class="name">{queue}</td>' in page
    assert "Agents: " not in text  # the phone layout's labels come from CSS, not text
    agents = f"{before['queues']['leaks']['agents']} → {after['queues']['leaks']['agents']}"
    assert agents in text
    a, b = before["month"], after["month"]
    assert f"{money(a['cost'], 'USD')} → {money(b['cost'], 'USD')}" in text
    hours = f"{number(a['caller_hours'])}\u00a0hours → {number(b['caller_hours'])}\u00a0hours"
    assert hours in text


def test_intents_without_a_label_read_as_words(tmp_path: Path) -> None:
    """An intent no option names reads as words, as on the score page, not as its id."""
    text = (ROOT / "menus/telecom_hell.yaml").read_text(encoding="utf-8")
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("Your call is important to us. ", ""), encoding="utf-8")
    assert intent_labels(audit_yaml(text).menu)["billing_query"] == "Billing query"
    out = tmp_path / "out.html"
    assert diff(str(old), str(new), "--format", "html", "-o", str(out)).exit_code == 0
    shown = page_text(out.read_text(encoding="utf-8"))
    assert "billing_query (22" not in shown and "Billing query (22% of calls)" in shown
    assert "Moving home (5% of calls)" in shown


def test_verdict_says_regressed_with_the_reasons(water: Path) -> None:
    """A slower menu is called regressed, with the text diff's reasons; one agent more on
    the leaks queue is better."""
    diff("old.yaml", "new.yaml", "--format", "html", "-o", "worse.html")
    (menu,) = json.loads(diff("old.yaml", "new.yaml", "--format", "json").stdout)["menus"]
    assert menu["regressed"]
    text = page_text((water / "worse.html").read_text(encoding="utf-8"))
    assert "Regressed" in text
    for reason in menu["reasons"]:
        assert reason in text
    staffed = WATER_BUSY_HOUR.replace("leaks: {agents: 3", "leaks: {agents: 4")
    (water / "staffed.yaml").write_text(staffed, encoding="utf-8")
    diff("old.yaml", "staffed.yaml", "--format", "html", "-o", "better.html")
    text = page_text((water / "better.html").read_text(encoding="utf-8"))
    assert " Better " in text and "Regressed" not in text


def test_findings_fixed_and_new_are_listed(water: Path) -> None:
    """Every finding the JSON calls new or fixed is on the page, by rule and message."""
    diff("old.yaml", "new.yaml", "--format", "html", "-o", "out.html")
    text = page_text((water / "out.html").read_text(encoding="utf-8"))
    (menu,) = json.loads(diff("old.yaml", "new.yaml", "--format", "json").stdout)["menus"]
    assert menu["new_findings"]
    for f in menu["new_findings"] + menu["fixed_findings"]:
        assert f"{f['rule']} {f['name']}: {f['message']}" in text
    n, k = len(menu["fixed_findings"]), len(menu["new_findings"])
    assert f"({n} fixed, {k} new," in text


def test_both_maps_are_drawn_with_their_own_ids(water: Path) -> None:
    """Two maps, each with its own ids (no id twice on the page), and the map as text."""
    diff("old.yaml", "new.yaml", "--format", "html", "-o", "out.html")
    page = (water / "out.html").read_text(encoding="utf-8")
    assert page.count('id="b-jr-h"') == page.count('id="a-jr-h"') == 1
    assert 'id="b-m0-t"' in page and 'id="a-m0-t"' in page
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count("The map as text") == 2


def test_hostile_menu_text_is_escaped(water: Path) -> None:
    """A name, a label and a prompt that hold markup are shown as text, never as markup."""
    evil = (
        SLOWER.replace("name: Water line at the busy hour", "name: '<script>alert(1)</script>'")
        .replace("label: a leak", "label: '<img src=x onerror=alert(2)>'")
        .replace("Your card on file", '</svg><b onclick=\\"x\\">Your card')
    )
    (water / "evil.yaml").write_text(evil, encoding="utf-8")
    result = diff("old.yaml", "evil.yaml", "--format", "html", "-o", "out.html")
    assert result.exit_code == 0, result.output
    page = (water / "out.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<b onclick" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_same_input_gives_the_same_bytes(water: Path) -> None:
    """Two runs write byte-identical pages; without -o the page goes to standard output."""
    diff("old.yaml", "new.yaml", "--format", "html", "-o", "one.html")
    diff("old.yaml", "new.yaml", "--format", "html", "-o", "two.html")
    one = (water / "one.html").read_bytes()
    assert one == (water / "two.html").read_bytes()
    assert diff("old.yaml", "new.yaml", "--format", "html").stdout_bytes == one


def test_bad_menu_is_one_located_line_and_nothing_written(water: Path) -> None:
    """A menu that cannot be read: one `file:line:col: error:` line, exit 2, and the
    output file neither created nor changed."""
    (water / "broken.yaml").write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n")
    result = diff("old.yaml", "broken.yaml", "--format", "html", "-o", "out.html")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert re.match(r"broken\.yaml:4:\d+: error: ", line), line
    assert not (water / "out.html").exists()
    (water / "kept.html").write_text("kept", encoding="utf-8")
    diff("broken.yaml", "new.yaml", "--format", "html", "-o", "kept.html")
    assert (water / "kept.html").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in water.iterdir()) == [
        "broken.yaml",
        "kept.html",
        "new.yaml",
        "old.yaml",
    ]


def test_html_with_base_is_a_usage_error(water: Path) -> None:
    """The page compares two files; --base (many menus against git) is a usage error."""
    result = diff("--base", "HEAD", "new.yaml", "--format", "html")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "--format html compares two files" in line


def test_help_names_the_html_format() -> None:
    """`diff --help` offers html and says what the page holds."""
    out = CliRunner().invoke(main, ["diff", "--help"]).stdout
    assert "html" in out and "--format html -o" in out


def test_intent_labels_come_from_options_for_one_intent() -> None:
    """An option chosen by one intent's callers names it; others read their id as words."""
    a = audit_yaml(
        WATER_BUSY_HOUR.replace(
            "{key: 0, label: anything else, goto: care_desk, intents: [other]}",
            "{key: 0, label: anything else, goto: care_desk, intents: [other, leak]}",
        )
    )
    assert intent_labels(a.menu) == {
        "pay_bill": "a payment",
        "leak": "a leak",
        "other": "Other",  # its option is shared with leak's callers
    }
    b = audit_yaml(WATER_BUSY_HOUR.replace("label: a leak, ", ""))
    assert intent_labels(b.menu)["leak"] == "Leak"


def test_menu_page_map_keeps_its_ids() -> None:
    """The menu's own page draws its map through the same partial, ids unprefixed."""
    page = render_one(audit_yaml(WATER_BUSY_HOUR))
    assert 'id="m0-t"' in page and 'id="jr-h"' in page
    assert "#jr-h:checked ~ .maps" in page


def test_menus_without_intents_or_traffic(water: Path) -> None:
    """Two menus that declare neither intents nor traffic: no bars, queues or month."""
    (water / "a.yaml").write_text(
        "ivraudit: 1\nname: A\nnodes:\n  m: {options: [{key: 1, label: x, goto: d}]}\n"
        "  d: {type: agent, hold_seconds: 30}\n",
        encoding="utf-8",
    )
    result = diff("a.yaml", "a.yaml", "--format", "html")
    assert result.exit_code == 0, result.output
    text = page_text(result.stdout)
    assert "Neither menu declares intents" in text and "No regression" in text
    assert "Queues and money" not in text and "unchanged" in text
