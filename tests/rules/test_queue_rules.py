"""IVR109 and IVR110: a staffed queue overloaded, or short of agents for its targets."""

from __future__ import annotations

from tests.rules.common import FIXTURES, findings


def test_an_overloaded_queue_names_its_load_and_the_agents_that_make_it_stable() -> None:
    text = (FIXTURES / "IVR109" / "fail_two.yaml").read_text()
    assert [f.message for f in findings(text, "IVR109")] == [
        "queue 'sales' is overloaded: 30 calls an hour need 5.0 agents of talk on 1 agent; "
        "calls wait without end — staff at least 6",
        "queue 'support team' is overloaded: 30 calls an hour need 2.5 agents of talk on "
        "2 agents; calls wait without end — staff at least 3",
    ]


def test_a_queue_short_of_its_targets_names_what_it_misses_and_the_agents_needed() -> None:
    worked = (FIXTURES / "IVR110" / "fail.yaml").read_text()
    (slow,) = findings(worked, "IVR110")
    assert slow.message == (
        "queue 'leaks' (3 agents) answers after 2:13 on average (target 30 s); "
        "4 agents would meet the targets"
    )
    impatient = (FIXTURES / "IVR110" / "fail_hang_ups.yaml").read_text()
    (lost,) = findings(impatient, "IVR110")
    assert lost.message.endswith(
        "and loses 90% of its calls to hang-ups (target 5%); 14 agents would meet the targets"
    )


def test_a_staffed_queue_holds_for_its_computed_wait_not_the_stated_hold() -> None:
    text = """\
ivraudit: 1
name: Staffed
traffic: {calls_per_hour: 24}
queues:
  leaks: {agents: 3, handle_seconds: 300}
nodes:
  main:
    prompt: "Water."
    options:
      - {key: 1, label: a leak, goto: desk}
  desk: {type: agent, queue: leaks, hold_seconds: 30}
"""
    (hold,) = findings(text, "IVR106")
    assert "holds callers for 2:13 on average as the calls come" in hold.message
    calm = text.replace("agents: 3", "agents: 6")
    assert findings(calm, "IVR106") == []  # staffed enough: the stated hold no longer counts
    unstaffed = text.replace("traffic: {calls_per_hour: 24}\n", "").replace(
        "queues:\n  leaks: {agents: 3, handle_seconds: 300}\n", ""
    )
    assert findings(unstaffed.replace("hold_seconds: 30", "hold_seconds: 300"), "IVR106")
