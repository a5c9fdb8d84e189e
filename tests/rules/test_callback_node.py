"""A `callback` node through the rules and the reports: an offer of a person on the way to
a queue, so a 0 leading to it works (IVR104), a hang-up after a declined offer is no dead
end (IVR402), and it is a callback offer (IVR106); the map, the tree and the walk-through
name it."""

from __future__ import annotations

import textwrap

from click.testing import CliRunner

from ivraudit import audit_menu, loads_menu
from ivraudit.cli import main
from ivraudit.report.mapexport import render_map
from ivraudit.report.walkthrough import build_walkthrough
from tests.rules.common import findings

LINE = """\
ivraudit: 1
name: Callback line
intents: {bill: 1}
traffic: {calls_per_hour: 60}
queues: {care: {agents: 2, handle_seconds: 120, patience_seconds: 600}}
nodes:
  main:
    prompt: "Acme."
    options:
      - {key: 1, label: your bill, goto: offer, intents: [bill]}
      - {key: 0, label: anything else, goto: offer}
    no_input: {goto: offer}
    no_match: {goto: offer}
  offer: {type: callback, queue: care, takes: 0.4, prompt: "Press 1 to be called back.",
          next: desk}
  desk: {type: agent, queue: care, handles: [bill]}
"""


def without_offer(text: str) -> str:
    """Return the line with a plain message where the callback offer is."""
    text = text.replace("type: callback, queue: care, takes: 0.4,", "type: message,")
    return text.replace("Press 1 to be called back.", "Please hold.")


def test_a_zero_that_leads_to_an_offer_reaches_a_person() -> None:
    assert findings(LINE, "IVR104") == []


def test_a_hang_up_after_a_declined_offer_is_not_a_dead_end() -> None:
    text = LINE.replace("next: desk}", "next: bye}") + "  bye: {type: hangup}\n"
    text = text.replace("  desk: {type: agent, queue: care, handles: [bill]}\n", "")
    text = text + "  desk: {type: agent, queue: care, handles: [bill]}\n"
    assert findings(text, "IVR402") == []
    # The same hang-up after a plain message ends a call nobody chose to end.
    assert [f.node for f in findings(without_offer(text), "IVR402")] == ["bye"]


def test_a_callback_node_is_the_offer_a_long_hold_needs() -> None:
    # Not staffed without traffic: the desk holds its stated 5 minutes.
    slow = LINE.replace("traffic: {calls_per_hour: 60}\n", "").replace(
        "handles: [bill]}", "handles: [bill], hold_seconds: 300}"
    )
    assert findings(slow, "IVR106") == []
    assert [f.node for f in findings(without_offer(slow), "IVR106")] == ["desk"]


def test_the_tree_and_the_map_name_the_offer() -> None:
    audit = audit_menu(loads_menu(LINE, "cb.yaml"))
    result = CliRunner().invoke(main, ["score", "-", "--width", "120", "--no-color"], input=LINE)
    assert "offer (callback)" in result.stdout, result.output
    mermaid = render_map(audit, "mermaid")
    assert '|"declines"|' in mermaid
    assert "Press 1 to be called back." in mermaid
    dot = render_map(audit, "dot")
    assert "declines" in dot
    svg = render_map(audit, "svg")
    assert "40% take the call back" in svg


def test_the_walk_through_says_what_the_caller_does_at_the_offer() -> None:
    audit = audit_menu(loads_menu(textwrap.dedent(LINE), "cb.yaml"))
    said = [m.does for w in build_walkthrough(audit).walks for m in w.moments]
    assert "Stays on the line (40% of callers take it and are called back)." in said
