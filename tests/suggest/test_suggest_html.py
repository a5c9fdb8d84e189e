"""`ivraudit suggest FILE --format html`: the menu beside its combined rewrite, each
suggestion a card, its figures the JSON contract's, menu text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ivraudit.cli import main
from ivraudit.format.units import duration
from ivraudit.report.beforeafter import month_text
from ivraudit.report.wording import client_text
from ivraudit.suggest.figures import MonthEffect
from tests.conftest import ROOT, WATER_BUSY_HOUR
from tests.report.test_diff_html import page_text

TELECOM = ROOT / "menus" / "telecom_hell.yaml"


def suggest(*args: str) -> Result:
    """Invoke `ivraudit suggest ARGS`."""
    return CliRunner().invoke(main, ["suggest", *args])


@pytest.fixture(scope="module")
def telecom(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict, Path]:
    """Return the telecom example's page, its JSON and the menu `--write` writes."""
    out = tmp_path_factory.mktemp("telecom")
    page = out / "page.html"
    assert suggest(str(TELECOM), "--format", "html", "-o", str(page)).exit_code == 0
    data = json.loads(suggest(str(TELECOM), "--format", "json").stdout)
    written = out / "better.yaml"
    assert suggest(str(TELECOM), "--write", str(written)).exit_code == 0
    return page.read_text(encoding="utf-8"), data, written


def test_page_shows_both_scores_and_every_intent_as_the_json_does(
    telecom: tuple[str, dict, Path],
) -> None:
    """The scores before and combined, and each intent's journey before → combined, are
    the contract's (`before`, `combined.after`), m:ss past 90 s."""
    page, data, _ = telecom
    before, after = data["before"], data["combined"]["after"]
    scores = re.findall(r'<span class="num">(\d+)</span>', page)
    assert scores == [str(before["score"]), str(after["score"])]
    text = page_text(page)
    typical = f"{duration(before['typical_call_seconds'])} → "
    typical += duration(after["typical_call_seconds"])
    assert typical in text
    # Each bar is the journey as the menu's page gives it (the time of a resolved call).
    for intent in before["intent_seconds"]:
        row = re.search(rf'<tr data-intent="{intent}">(.*?)</tr>', page, re.S)
        assert row, intent
        cells = re.findall(r'<span class="t">([^<]*)</span>', row.group(1))
        assert cells == [
            duration(side["calls"]["intents"][intent]["seconds_resolved"])
            for side in (before, after)
        ]


def test_each_suggestion_is_a_card_with_its_saving_and_month(
    telecom: tuple[str, dict, Path],
) -> None:
    """Every suggestion that saves time or score is a card: title, why, change, seconds
    saved, score, and what it saves a month (`saves_per_month`); the combined month too."""
    page, data, _ = telecom
    cards = re.findall(r'<li class="card">(.*?)</li>', page, re.S)
    full = [
        s
        for s in data["suggestions"]
        if s["after"]
        and (s["saves_seconds"] >= 0.05 or s["resolves_more"] >= 0.005 or s["score_gain"] > 0)
    ]
    assert len(cards) == len(full) > 3
    for card, s in zip(cards, full, strict=True):
        text = page_text("<main>" + card)
        # The page says the change in callers' words (report/wording.py), not the file's.
        assert all(client_text(s[k]) in text for k in ("title", "why", "change"))
        if s["saves_seconds"] >= 0.05:
            assert f"Saves {duration(s['saves_seconds'])} per typical call" in text
        score = f"score {data['before']['score']} → {s['after']['score']}"
        assert (score in text) == (s["score_gain"] != 0)  # an unchanged score is not news
        effect = MonthEffect(**{k: v for k, v in s["saves_per_month"].items()})
        assert month_text(effect)[1:] in text
    combined = (
        data["before"]["calls"]["month"]["cost"]
        - data["combined"]["after"]["calls"]["month"]["cost"]
    )
    assert f"GBP\u00a0{combined:,.2f} a month" in page_text(page)


def test_combined_rewrite_is_the_file_write_writes(telecom: tuple[str, dict, Path]) -> None:
    """The right-hand side is the menu `--write` writes: its score is the one `score`
    gives that file, and both maps are drawn."""
    page, _, written = telecom
    score = json.loads(CliRunner().invoke(main, ["score", str(written), "--format", "json"]).stdout)
    assert re.findall(r'<span class="num">(\d+)</span>', page)[1] == str(score["score"])
    assert page.count('<svg class="map"') == 2
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_distance_to_the_best_menu(telecom: tuple[str, dict, Path]) -> None:
    """The best menu's typical call and how far the menu is from it, now and combined."""
    page, data, _ = telecom
    text = page_text(page)
    assert f"takes {duration(data['optimum']['typical_call_seconds'])} per typical call" in text
    assert re.search(r"This menu is [\d.:]+(\xa0s)? from it now \([\d.]+ times as long", text)


def test_month_text_says_saves_and_adds() -> None:
    """Savings are positive: saved hours and money say `saves`, added ones `adds`."""
    both = MonthEffect(caller_hours=435.56, agent_hours=-2.5, cost=261.33, currency="GBP")
    assert month_text(both) == (
        "saves 436\u00a0caller-hours and GBP\u00a0261.33 a month; adds 2.5\u00a0agent-hours a month"
    )
    assert month_text(None) == ""
    assert month_text(MonthEffect(0.0, 0.0, None)) == "no change to a month of calls"


def test_hostile_menu_text_is_escaped_and_the_page_is_the_same_twice(tmp_path: Path) -> None:
    """Markup in a name, a label and a prompt is shown as text; two runs give one page."""
    evil = (
        WATER_BUSY_HOUR.replace("name: Water line at the busy hour", "name: '<script>x</script>'")
        .replace("label: a leak", "label: '<img src=x onerror=alert(2)>'")
        .replace('prompt: "Riverside Water."', 'prompt: "</svg><b>Riverside</b> Water."')
    )
    menu = tmp_path / "evil.yaml"
    menu.write_text(evil, encoding="utf-8")
    one = suggest(str(menu), "--format", "html")
    assert one.exit_code == 0, one.output
    page = one.stdout
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "&lt;/svg&gt;&lt;b&gt;" in page
    assert suggest(str(menu), "--format", "html").stdout == page


def test_html_takes_one_menu_and_bad_input_writes_nothing(tmp_path: Path) -> None:
    """Two files are a usage error; a menu that cannot be read is one located line,
    exit 2, and no page."""
    (tmp_path / "a.yaml").write_text(WATER_BUSY_HOUR, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n")
    two = suggest(str(tmp_path / "a.yaml"), str(tmp_path / "a.yaml"), "--format", "html")
    assert two.exit_code == 2 and "one menu" in two.stderr
    out = tmp_path / "out.html"
    bad = suggest(str(tmp_path / "bad.yaml"), "--format", "html", "-o", str(out))
    assert bad.exit_code == 2
    (line,) = bad.stderr.splitlines()
    assert re.match(r".*bad\.yaml:4:\d+: error: ", line), line
    assert not out.exists()


def test_help_names_the_html_format() -> None:
    """`suggest --help` offers html."""
    out = CliRunner().invoke(main, ["suggest", "--help"]).stdout
    assert "html: one self-contained page" in out and "--format html -o" in out


def test_a_menu_without_intents_or_a_person(tmp_path: Path) -> None:
    """No intents and no person: times read `never`, the change measured with no time
    saved is listed as measured, and there is no best menu to compare with."""
    menu = tmp_path / "tiny.yaml"
    menu.write_text(
        "ivraudit: 1\nname: Tiny\nnodes:\n"
        "  a: {options: [{key: 1, label: hours, goto: h}]}\n"
        '  h: {type: self_service, prompt: "Open at 9."}\n',
        encoding="utf-8",
    )
    result = suggest(str(menu), "--format", "html")
    assert result.exit_code == 0, result.output
    text = page_text(result.stdout)
    assert "never → never" in text and "declares no intents" in text
    assert "(1 measured, 1 combined)" in text and "Also worth doing" in text
    assert "no call mix to build the best menu for" in text
