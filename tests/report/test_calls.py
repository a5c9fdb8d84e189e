"""What callers live through (format 0.3 `calls`), leading the terminal, Markdown and HTML
reports: the contract's worked water line, an overloaded queue, hostile queue ids and
intent names, and menus without calls that show none of it."""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import audit_file
from ivraudit.cli import main
from ivraudit.report.callsview import calls_view, hang_up_share, money, number
from ivraudit.report.html import render_one
from ivraudit.report.pagedata import build_page
from tests.conftest import FIXTURES, ROOT
from tests.report.test_html import Page

# The contract's worked example ("Calls as they happen"), verbatim.
WATER = FIXTURES / "worked" / "water_busy_hour.yaml"
TITLE = "What callers live through"
# No intents, no traffic, no `resolves`: no calls to report.
PLAIN = textwrap.dedent(
    """\
    ivraudit: 1
    name: Plain line
    nodes:
      main:
        prompt: "Hello."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent, hold_seconds: 30}
    """
)


def _variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    """Write the water line with each (old, new) edit made, and return its path."""
    text = WATER.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# One staff member on leaks: 2 Erlangs on one agent, no patience — calls wait without end.
OVERLOAD = ("leaks: {agents: 3, handle_seconds: 300}", "leaks: {agents: 1, handle_seconds: 300}")
NO_COSTS = ("costs: {agent_hour: 30, line_minute: 0.02, currency: USD}\n", "")
HOSTILE_QUEUE = (
    ("care: {agents: 6", '"<script>*x*|y": {agents: 6'),
    ("queue: care,", 'queue: "<script>*x*|y",'),
)


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _terminal(path: Path, width: int = 100) -> str:
    return _run("score", str(path), "--width", str(width), "--no-color")


def _markdown(path: Path) -> str:
    return _run("check", str(path), "--format", "markdown")


def _html(path: Path, tmp_path: Path) -> str:
    out = tmp_path / f"{path.stem}.html"
    _run("score", str(path), "--format", "html", "-o", str(out))
    return out.read_text(encoding="utf-8")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _words(html_text: str) -> str:
    """Return a page's text with each element apart, blanks (no-break ones too) as one."""
    body = re.sub(r"<(style|title)\b.*?</\1>", " ", html_text, flags=re.S)
    return _squeeze(html.unescape(re.sub(r"<[^>]+>", " ", body)))


# The worked example's figures as a client reads them.
def test_the_view_reads_the_worked_example() -> None:
    view = calls_view(audit_file(WATER))
    assert view is not None
    assert (view.resolved, view.hang_up, view.seconds) == ("98%", "1.8%", "36.8\u00a0s")
    assert view.per_hour == "120\u00a0calls an hour"
    care, leaks = view.queues
    assert (care.name, care.load, care.answer, care.hang_up, care.agents, care.needed) == (
        "care",
        "60%",
        "5.5\u00a0s",
        "3.9%",
        "6",
        "6",
    )
    assert (leaks.load, leaks.answer, leaks.hang_up, leaks.agents, leaks.needed) == (
        "67%",
        "2:13",
        "0%",
        "3",
        "4",
    )
    assert not care.overloaded and not leaks.note
    month = view.month
    assert month is not None
    assert month.calls == "24,000\u00a0calls" and month.hours == "200\u00a0hours"
    assert month.caller_hours == "245\u00a0hours"
    assert month.agent_hours == "1,092\u00a0hours" and month.staffed_hours == "1,800\u00a0hours"
    assert month.cost == "USD\u00a055,604.95"
    # pay_bill resolves 98.84% of its calls, other 96.12%; leak all of them.
    assert view.intent_resolved == {"pay_bill": "99%\u00a0resolved", "other": "96%\u00a0resolved"}
    assert view.staffed == {"leak_desk": "leaks", "care_desk": "care"}


def test_the_terminal_shows_what_callers_live_through() -> None:
    text = _terminal(WATER)
    assert f"{TITLE} (at 120 calls an hour)" in text
    # Resolved, hang-ups and time on the phone are key figures, marked against targets.
    assert re.search(r"Calls resolved +98%  good", text)
    assert re.search(r"Hang up on hold +1\.8%  good  of calls", text)
    assert re.search(r"Time on the phone +36\.8 s  needs work  on average, holds included", text)
    assert re.search(r"care +60% +5\.5 s +3\.9% +6 +6 ", text)
    assert re.search(r"leaks +67% +2:13 +0% +3 +4 ", text)
    assert re.search(r"Callers on the line +245 hours", text)
    assert re.search(r"Agents +1,092 hours talking, of 1,800 hours staffed", text)
    assert re.search(r"Cost a month +USD 55,604\.95", text)
    # The headline, what to fix first and the key figures come before the queues.
    assert text.index("Score ") < text.index("Callers wait 2:19 for a person")
    assert text.index("Fix these first") < text.index("Key figures") < text.index(TITLE)
    assert "Typical call" not in text and "can be resolved;" not in text
    # Journeys: the calls' time (`seconds_resolved`), the queue a call waits in and how
    # soon it answers, the share resolved where under 100%.
    assert re.search(r"Pay bill +50% +8\.6 s +main 1 → pay .*\n.* 99% resolved", text)
    assert re.search(
        r"Other +30% +13\.3 s +main 0 → care_desk +7\.8 s \+ queue care, answered in 5\.5 s"
        r" +96% resolved",
        text,
    )
    assert re.search(r"Leak +20% +2:19 +main 2 → leak_desk +5\.8 s \+ queue leaks, answered", text)


@pytest.mark.parametrize("width", [80, 160])
def test_the_terminal_block_reads_at_any_width(width: int) -> None:
    text = _terminal(WATER, width)
    assert all(len(line) == width for line in text.splitlines())
    assert "USD 55,604.95" in text and re.search(r"care +60% +5\.5 s +3\.9% +6 +6", text)


def test_markdown_keeps_the_order_of_every_report() -> None:
    text = _markdown(WATER)
    details = text[text.index("<details>") :]
    order = ["**Callers wait 2:19", "**Fix these first**", "| Key figure |", f"**{TITLE}**"]
    places = [details.index(x) for x in order]
    assert places == sorted(places)
    assert "| Calls resolved | 98% | good |  |" in text
    assert "| Hang up on hold | 1.8% | good | of calls |" in text
    assert "| Time on the phone | 36.8 s | needs work | on average, holds included |" in text
    assert f"**{TITLE}** (at 120 calls an hour)" in text
    assert "| care | 60% | 5.5 s | 3.9% | 6 | 6 |" in text
    assert "| leaks | 67% | 2:13 | 0% | 3 | 4 |" in text
    assert (
        "callers on the line 245 hours, agents talking 1,092 hours of 1,800 hours staffed" in text
    )
    assert "cost USD 55,604.95." in text
    # The table of menus gives the same time to a person as the key figures.
    assert "| 2:19 | 0 | 3 | 0 |" in text


def test_markdown_shows_the_calls_of_a_menu_that_passes_clean(tmp_path: Path) -> None:
    # A menu without findings gets no details today; with calls it gets them. Staffed to
    # meet its targets: a line that loses a fifth of its calls fails the gate (issue 18).
    clean = textwrap.dedent(
        """\
        ivraudit: 1
        name: Clean line
        intents: {talk: 1}
        traffic: {calls_per_hour: 30}
        queues:
          desk: {agents: 4, handle_seconds: 180, patience_seconds: 120}
        nodes:
          main:
            type: message
            prompt: "Hello."
            next: desk
          desk: {type: agent, queue: desk, handles: [talk]}
        """
    )
    path = tmp_path / "clean.yaml"
    path.write_text(clean, encoding="utf-8")
    text = _markdown(path)
    assert "<summary><b>" in text and "(Clean line): pass</summary>" in text
    assert f"**{TITLE}** (at 30 calls an hour)" in text
    assert "| Calls resolved | 98% | good |  |" in text
    assert "| Hang up on hold | 2.0% | good | of calls |" in text
    assert "| desk | 38% | 1.7 s | 2.0% | 4 | 4 |" in text
    assert "**A month** (7,500 calls over 250 hours like this one)" in text
    assert "cost " not in text  # no costs stated: no money


def test_html_leads_with_what_callers_live_through(tmp_path: Path) -> None:
    html = _html(WATER, tmp_path)
    page = Page(html)
    # The order of every report: headline, fixes, key figures, the calls' queues and
    # month, journeys, the map, findings, suggestions, and how the score was made last.
    ids = ["headline", "s-first", "s-figs", "s-calls", "s-time", "s-map", "s-find", "s-score"]
    places = [html.index(f'id="{i}"') for i in ids]
    assert places == sorted(places)
    words = _words(html)
    assert f"{TITLE} (at 120 calls an hour)" in words
    assert "Calls resolved 98% good" in words
    assert "Hang up on hold 1.8% good of calls" in words
    assert "Time on the phone 36.8 s needs work on average, holds included" in words
    assert "Callers on the line 245 hours" in words
    assert "Agents talking 1,092 hours of 1,800 hours staffed" in words
    assert "Cost a month USD 55,604.95" in words
    cells = {a.get("data-label") for a in page.all("td") if a.get("data-label")}
    assert {"Load", "Answered in", "Hang up", "Agents", "Needed"} <= cells
    section = _squeeze(html[html.index('id="s-calls"') : html.index('id="s-score"')])
    assert re.search(
        r'<td class="name">care</td><td class="n" data-label="Load">60%</td>'
        r'<td class="n" data-label="Answered in">5.5 s</td>'
        r'<td class="n" data-label="Hang up">3.9%</td>'
        r'<td class="n" data-label="Agents">6</td><td class="n" data-label="Needed">6</td>',
        section,
    )
    assert '<td class="name">leaks</td><td class="n" data-label="Load">67%</td>' in section
    assert '<td class="n" data-label="Answered in">2:13</td>' in section
    assert '<td class="n" data-label="Needed">4</td></tr>' in section
    # One figure each: the calls section leaves to the key figures what they give.
    calls = html[html.index('id="s-calls"') : html.index('id="s-time"')]
    assert "Calls resolved" not in calls and "Time on the phone" not in calls
    assert "Typical call" not in html and "Calls that can be resolved" not in html
    # The bars: the calls' time, split at the queue's answer (13.3 s = 7.8 s + 5.5 s).
    bar = "13.3\xa0s: 7.8\xa0s in menus + 5.5\xa0s on hold in the queue care; 96%\xa0resolved"
    assert bar in html


def test_an_overloaded_queue_says_so_and_the_agents_it_needs(tmp_path: Path) -> None:
    path = _variant(tmp_path, "over.yaml", OVERLOAD)
    text = _terminal(path)
    assert "leaks is overloaded — needs 3 agents to be stable" in text
    assert re.search(r"leaks +200% +no end +— +1 +4 ", text)
    assert re.search(r"Time on the phone +without end  poor  a queue is overloaded", text)
    assert re.search(r"Time to a person +without end  poor", text)
    assert re.search(r"Worst journey +without end  poor  leak \(an overloaded queue\)", text)
    assert "leak calls wait without end" in text
    assert re.search(r"Cost a month +without end: a queue is overloaded", text)
    md = _markdown(path)
    assert "**leaks** is overloaded — needs 3 agents to be stable." in md
    assert "| leaks | 200% | no end | — | 1 | 4 |" in md
    assert "| Time on the phone | without end | **poor** | a queue is overloaded |" in md
    assert "| without end | 1 | 1 | 0 |" in md  # the table of menus says the same
    page_html = _html(path, tmp_path)
    page = Page(page_html)
    assert "leaks is overloaded — needs 3 agents to be stable." in _words(page_html)
    assert "Time on the phone without end poor a queue is overloaded" in _words(page_html)
    assert any("poor" in (a.get("class") or "") for a in page.all("tr"))


def test_no_cost_line_without_costs(tmp_path: Path) -> None:
    path = _variant(tmp_path, "free.yaml", NO_COSTS)
    for text in (_terminal(path), _markdown(path), _html(path, tmp_path)):
        assert "245" in text and "1,092" in text
        assert "Cost a month" not in text and "cost " not in text.lower().replace("costs", "")


def test_intents_without_traffic_leave_queues_and_the_month_out() -> None:
    path = ROOT / "menus" / "council_services.yaml"
    text = _terminal(path)
    assert re.search(r"Calls resolved +88%", text)
    assert "Hang up on hold" not in text  # no queue is staffed: nothing to estimate
    assert re.search(r"Time on the phone +1:34  needs work  on average", text)
    assert "answered in" not in text and "A month" not in text
    # bulky_waste reaches a person only while the office is open.
    assert re.search(r"Bulky waste .*\n(?:.*\n){0,3}.*60% resolved", text)
    view = build_page(audit_file(path), "council").calls
    assert view is not None and not view.queues and view.month is None


def test_menus_without_calls_show_none_of_it(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(PLAIN, encoding="utf-8")
    audit = audit_file(path)
    assert audit.metrics.calls is None and calls_view(audit) is None
    assert build_page(audit, "plain").calls is None
    text = _terminal(path)
    # No call mix: the typical call is the time to a person, and the score leaves it out.
    assert TITLE not in text and "Typical call" not in text and "Time on the phone" not in text
    assert re.search(r"Time to a person +35\.4 s  needs work", text)
    md = _markdown(path)
    assert TITLE not in md
    html = render_one(audit)
    assert "s-calls" not in html and TITLE not in html


def test_hostile_queue_ids_and_intent_names_stay_text(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "hostile.yaml",
        *HOSTILE_QUEUE,
        ("other: 0.3}", "other: 0.3, '<b>x</b>|*y*': 0.1}"),
        ("currency: USD", 'currency: "<i>US$</i>"'),
    )
    page_html = _html(path, tmp_path)
    assert "<script>" not in page_html and "<b>x</b>" not in page_html
    assert "<i>US$" not in page_html
    words = _squeeze("".join(Page(page_html).text))  # entities read back as text
    assert "<script>*x*|y" in words and "never resolved: <b>x</b>|*y*" in words
    assert re.search(r"<i>US\$</i> [\d,]+\.\d\d", words)
    md = _markdown(path)
    assert "| &lt;script&gt;\\*x\\*\\|y | 60%" not in md  # the mix changed the load
    assert re.search(r"\| &lt;script&gt;\\\*x\\\*\\\|y \| \d+% \|", md)
    assert "<script>" not in md and "<b>x</b>" not in md and "<i>" not in md
    assert "never resolved: &lt;b&gt;x&lt;/b&gt;\\|\\*y\\*" in md
    text = _terminal(path)
    assert re.search(r"<script>\*x\*\|y +\d+%", text)


def test_reports_are_deterministic(tmp_path: Path) -> None:
    assert _terminal(WATER) == _terminal(WATER)
    assert _markdown(WATER) == _markdown(WATER)
    audit = audit_file(WATER)
    assert render_one(audit) == render_one(audit_file(WATER))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.0, "0%"), (0.00004, "0%"), (0.00006, "<0.1%"), (0.0175, "1.8%"), (0.03880, "3.9%")],
)
def test_hang_ups_read_to_a_tenth_of_a_percent(value: float, shown: str) -> None:
    assert hang_up_share(value) == shown


def test_money_and_hours_have_thousands_separators() -> None:
    assert money(55604.9512, "USD") == "USD\u00a055,604.95"
    assert money(1234567.0, "") == "1,234,567.00"
    assert money(0.5, "€") == "€\u00a00.50"
    assert number(24000) == "24,000" and number(1092.06) == "1,092" and number(59.6) == "59.6"


def test_costs_without_a_currency_still_give_the_amount(tmp_path: Path) -> None:
    path = _variant(tmp_path, "blank.yaml", (", currency: USD}", "}"))
    month = audit_file(path).metrics.calls.month  # type: ignore[union-attr]
    assert month is not None and month.priced and month.currency == ""
    assert re.search(r"Cost a month +55,604\.95 ", _terminal(path))
    free = audit_file(_variant(tmp_path, "free.yaml", NO_COSTS)).metrics.calls.month  # type: ignore[union-attr]
    assert free is not None and not free.priced and free.cost is None
