"""What it is like to call: each kind of call, prompt by prompt, with a running clock that
ends on the figure the JSON report gives for it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.units import NBSP, duration
from ivraudit.report.walkthrough import (
    MAX_SCRIPT,
    MAX_SERVICE_WALKS,
    MAX_WORDS_CHARS,
    build_walkthrough,
    cut,
    intent_label,
)
from tests.conftest import FIXTURES, ROOT, WATER_BUSY_HOUR, audit_yaml

# Two intents on sure routes: a self-service behind a long menu, and a person behind a
# menu callers cannot interrupt, a silence path and an account number keyed in.
BANK = textwrap.dedent(
    """\
    ivraudit: 1
    name: Bank
    intents: {check_balance: 0.7, lost_card: 0.3}
    nodes:
      hello:
        type: message
        prompt: "Welcome to the bank. Calls may be recorded."
        next: main
      main:
        prompt: "Main menu."
        options:
          - {key: 1, label: your balance, goto: balance, intents: [check_balance]}
          - {key: 2, label: a lost card, goto: cards, intents: [lost_card]}
          - {key: 3, label: mortgages, goto: desk}
      balance: {type: self_service, prompt: "Your balance is 20 pounds.", handles: [check_balance]}
      cards:
        prompt: "Cards."
        barge_in: false
        options:
          - {key: 1, label: a stolen card, goto: account, intents: [lost_card]}
          - {key: 2, label: a new PIN, goto: desk}
      account:
        type: input
        prompt: "Key in your card number."
        collects: card_number
        next: desk
      desk: {type: agent, hold_seconds: 600, handles: [lost_card, check_balance]}
    """
)


def _intent_seconds(text: str) -> dict[str, float | None]:
    return dict(audit_yaml(text).metrics.intent_seconds)


def test_the_clock_ends_on_each_intents_json_figure() -> None:
    a = audit_yaml(BANK)
    walks = {w.title: w for w in build_walkthrough(a).walks}
    assert list(walks) == ["Check balance", "Lost card"]
    seconds = dict(a.metrics.intent_seconds)
    for intent, title in (("check_balance", "Check balance"), ("lost_card", "Lost card")):
        w = walks[title]
        assert w.total_seconds == pytest.approx(seconds[intent], abs=1e-9)
        assert w.total == duration(seconds[intent])
        assert w.note == ""
    # Over 90 s the clock reads as minutes:seconds, as every report does.
    assert walks["Lost card"].total == "10:24"


def test_the_json_report_gives_the_same_figure(tmp_path: Path) -> None:
    menu = tmp_path / "bank.yaml"
    menu.write_text(BANK, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(menu), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["metrics"]["intent_seconds"]
    walks = build_walkthrough(audit_yaml(BANK)).walks
    assert [w.total_seconds for w in walks] == pytest.approx(
        [figures["check_balance"], figures["lost_card"]], abs=0.05
    )


def test_the_prompts_come_in_order_with_the_keys_pressed() -> None:
    walk = build_walkthrough(audit_yaml(BANK)).walks[1]
    heard = [(m.clock.replace(NBSP, " "), m.hears, m.does) for m in walk.moments]
    assert heard[0] == ("0.0 s", "Welcome to the bank. Calls may be recorded.", "")
    # A caller who can interrupt presses as soon as their option is said.
    assert heard[1][1] == "Main menu. For your balance, press 1. For a lost card, press 2."
    assert heard[1][2] == "Presses 2."
    # A menu that cannot be interrupted is heard to its end before the key counts.
    assert heard[2][1] == "Cards. For a stolen card, press 1. For a new PIN, press 2."
    assert heard[3] == (heard[3][0], "Key in your card number.", "Keys in card number.")
    # The clock runs: each step starts when the one before it ends.
    clocks = [m.at_seconds for m in walk.moments]
    assert clocks == sorted(clocks) and len(set(clocks)) == len(clocks)
    assert walk.moments[-1].does == "A person answers after 10:00 on hold, as stated."
    assert walk.end == "A person answers." and walk.outcome == "person"


def test_a_staffed_queue_holds_for_its_computed_answer_time() -> None:
    a = audit_yaml(WATER_BUSY_HOUR)
    calls = a.metrics.calls
    assert calls is not None
    walks = {w.title: w for w in build_walkthrough(a).walks}
    leak = walks["Leak"]
    queue = calls.queue_at("leak_desk")
    assert queue is not None and queue.figures.answer_seconds is not None
    arrive = leak.moments[-1].at_seconds
    assert leak.total_seconds == pytest.approx(arrive + queue.figures.answer_seconds)
    assert f"after {duration(queue.figures.answer_seconds)} on average" in leak.moments[-1].does
    # The calls' figure for the intent: the mean time of those a person answers.
    mine = calls.intent("leak")
    assert mine is not None and leak.total_seconds == pytest.approx(mine.seconds_resolved, abs=0.05)
    # A self-service that resolves only some calls says so.
    assert walks["Pay bill"].end.startswith("Resolved by self-service for 70% of these callers")


def test_an_overloaded_queue_never_answers() -> None:
    over = WATER_BUSY_HOUR.replace("leaks: {agents: 3", "leaks: {agents: 1")
    walk = next(w for w in build_walkthrough(audit_yaml(over)).walks if w.title == "Leak")
    assert walk.total == "never" and walk.total_seconds is None and walk.outcome == "never"
    assert "overloaded" in walk.moments[-1].does


def test_a_branch_shows_the_likeliest_route_and_the_average() -> None:
    cabs = (ROOT / "menus" / "city_cabs.yaml").read_text(encoding="utf-8")
    a = audit_yaml(cabs)
    taxi = build_walkthrough(a).walks[0]
    assert taxi.title == "Taxi now"
    assert taxi.moments[0].does.startswith("Is routed: caller ID matches")
    figure = dict(a.metrics.intent_seconds)["taxi_now"]
    assert taxi.note == f"On average over every route these calls take: {duration(figure)}."


def test_without_intents_the_way_to_a_person_and_to_each_self_service() -> None:
    plain = (FIXTURES / "plain_line.yaml").read_text(encoding="utf-8")
    a = audit_yaml(plain)
    walks = build_walkthrough(a).walks
    assert [w.title for w in walks] == ["To a person", "Self-service: opening hours"]
    person, hours = walks
    assert person.total_seconds == pytest.approx(a.metrics.announced_time_to_human_seconds)
    assert person.moments[0].does == "Presses 0."
    assert hours.moments[-1].hears == "We open at nine."
    assert hours.outcome == "resolved"


def test_unresolvable_intents_say_where_they_end() -> None:
    text = BANK.replace("handles: [lost_card, check_balance]", "handles: [check_balance]")
    text = text.replace(
        "intents: {check_balance: 0.7, lost_card: 0.3}",
        "intents: {check_balance: 0.7, lost_card: 0.2, nobody: 0.1}",
    )
    walks = {w.title: w for w in build_walkthrough(audit_yaml(text)).walks}
    assert walks["Nobody"].end == "No node handles these calls: they are lost."
    assert walks["Lost card"].total == "never" and walks["Lost card"].outcome == "never"


def test_prompts_no_walk_passes_are_listed_once() -> None:
    w = build_walkthrough(audit_yaml(BANK))
    # The mortgages desk has no prompt; every prompt of the menu is shown somewhere.
    assert w.script == ()
    text = (
        BANK.replace(
            "{key: 3, label: mortgages, goto: desk}", "{key: 3, label: mortgages, goto: rates}"
        )
        + '  rates: {type: message, prompt: "Rates are 4 percent.", next: desk}\n'
    )
    w = build_walkthrough(audit_yaml(text))
    assert [(s.how, s.hears) for s in w.script] == [("press 3", "Rates are 4 percent.")]


def test_long_prompts_are_cut_at_a_word() -> None:
    long = " ".join(["word"] * 200)
    shown = cut(long)
    assert len(shown) <= MAX_WORDS_CHARS and shown.endswith("word…")
    assert cut("a  short\n prompt") == "a short prompt"


def test_intent_labels() -> None:
    assert intent_label("billing_query") == "Billing query"
    assert intent_label("lost-card") == "Lost card"
    assert intent_label("Sales") == "Sales"
    assert intent_label("VIP_line") == "VIP line"


def test_the_html_page_shows_the_prompts_as_text(tmp_path: Path) -> None:
    menu = tmp_path / "bank.yaml"
    text = BANK.replace("Cards.", "Cards <b>&</b> PINs.")
    menu.write_text(text, encoding="utf-8")
    total = build_walkthrough(audit_yaml(text)).walks[1].total
    out = tmp_path / "bank.html"
    result = CliRunner().invoke(main, ["score", str(menu), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<h2 id="s-walk">What it is like to call</h2>' in page
    assert "<q>Welcome to the bank. Calls may be recorded.</q>" in page
    # Menu text is data: escaped, never markup.
    assert "Cards &lt;b&gt;&amp;&lt;/b&gt; PINs." in page and "<b>&</b>" not in page
    assert f'<span class="wtotal person">{total}</span>' in page
    # Intents read by label wherever the page names them: the map's journeys, the bars.
    assert '<label class="jlabel" for="jr-j1">Lost card</label>' in page
    assert '<span class="who">Lost card <span class="muted">(30%)</span>' in page


def test_the_markdown_report_walks_each_call(tmp_path: Path) -> None:
    menu = tmp_path / "bank.yaml"
    menu.write_text(BANK.replace("Main menu.", "Main *menu*."), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(menu), "--format", "markdown"])
    text = result.stdout
    assert "**What it is like to call** (the clock runs from the first ring):" in text
    assert "_Lost card_ (30% of calls), 10:24:" in text
    assert "- 0.0 s: “Welcome to the bank. Calls may be recorded.”" in text
    assert (
        r"“Main \*menu\*. For your balance, press 1. For a lost card, press 2.” **Presses 2.**"
        in text
    )
    assert "- 10:24: **A person answers.**" in text


@pytest.mark.parametrize("path", sorted((ROOT / "menus").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_ends_on_its_figure_or_names_it(path: Path) -> None:
    """A walk's clock ends on the intent's JSON figure; where a branch makes the walk one
    route of several, or a staffed queue computes the hold, the note or the calls say it."""
    a = audit_yaml(path.read_text(encoding="utf-8"), str(path))
    seconds = dict(a.metrics.intent_seconds)
    calls = a.metrics.calls
    for j, w in zip(a.metrics.intent_routes, build_walkthrough(a).walks, strict=True):
        figure = seconds[j.intent]
        staffed = calls is not None and j.end is not None and calls.queue_at(j.end) is not None
        if figure is None:
            assert w.total == "never"
        elif staffed:
            assert calls is not None
            mine = calls.intent(j.intent)
            assert mine is not None and mine.seconds_resolved is not None
            expected = mine.seconds_resolved
            if w.note:
                assert w.note.endswith(f"{duration(expected)}.")
            else:
                assert w.total_seconds == pytest.approx(expected, abs=0.05)
        elif w.note:
            assert w.note.endswith(f"{duration(figure)}.")
        else:
            assert w.total == duration(figure), (j.intent, w.total, figure)


def test_a_condition_written_as_code_is_given_by_its_share() -> None:
    text = textwrap.dedent(
        """\
        ivraudit: 1
        name: Card line
        nodes:
          check:
            type: branch
            routes:
              - {when: "{{widgets.pin.Digits}} == 1234", share: 0.5, goto: balance}
              - {when: "the caller is new", share: 0.5, goto: desk}
          balance: {type: self_service, prompt: "Your balance is 4 pounds."}
          desk: {type: agent, hold_seconds: 30}
        """
    )
    walks = build_walkthrough(audit_yaml(text)).walks
    person, balance = walks
    assert person.moments[0].does == "Is routed: the caller is new (50% of calls)."
    assert balance.moments[0].does == "Is routed (50% of calls)."


def test_a_large_menu_walks_a_few_self_services_and_lists_the_first_prompts() -> None:
    """Without intents, the first self-services in the call tree are walked to; the other
    prompts are listed up to MAX_SCRIPT and counted beyond, so a huge export's page stays
    a page; every prompt is in a walk, in the list or in the count."""
    lines = ["ivraudit: 1", "name: Many", "nodes:", "  main:", "    prompt: Hello.", "    options:"]
    lines += [f"      - {{key: {k}, label: service {k}, goto: s{k}}}" for k in range(1, 10)]
    lines += ["      - {key: 0, label: more, goto: m0}"]
    for i in range(300):
        more = f", {{key: 2, label: more, goto: m{i + 1}}}" if i < 299 else ""
        extra = f", {{key: 3, label: extra {i}, goto: t{i}}}" if i < 5 else ""
        info = f"{{key: 1, label: info, goto: i{i}}}"
        lines.append(f"  m{i}: {{prompt: Menu {i}., options: [{info}{more}{extra}]}}")
        lines.append(f'  i{i}: {{type: hangup, prompt: "Information {i}."}}')
    lines += [f'  s{k}: {{type: self_service, prompt: "Service {k}."}}' for k in range(1, 10)]
    lines += [f'  t{i}: {{type: self_service, prompt: "Extra {i}."}}' for i in range(5)]
    a = audit_yaml("\n".join(lines) + "\n")
    w = build_walkthrough(a)
    titles = [x.title for x in w.walks]
    assert titles[:3] == ["To a person", "Self-service: service 1", "Self-service: service 2"]
    assert len(titles) == 1 + MAX_SERVICE_WALKS
    assert w.walks[0].end == "No route reaches a person."
    assert len(w.script) == MAX_SCRIPT and w.script_left > 0
    walked = {node for x in w.walks for node in x.nodes}
    said = {n.id for n in a.menu.nodes if n.prompt or n.options}
    assert len(w.script) + w.script_left + len(said & walked) == len(said)
