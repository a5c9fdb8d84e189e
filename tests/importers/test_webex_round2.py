"""Webex Contact Center Flow Designer exports read as the platform runs them (issue 20,
point 5): Collect Digits, HTTP Request, Queue To Agent, Case, queue treatments and audio
prompts. Each export is a small synthetic one written here, shaped like a real export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.model import Menu, Node
from ivraudit.importers import import_file
from ivraudit.importers.flow import Settings
from tests.importers.common import assert_imports_as_it_scores


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


GROUPS = {
    "ivr-menu": "enum-gateway",
    "case-statement": "enum-gateway",
    "condition-activity": "enum-gateway",
    "business-hours": "enum-gateway",
    "set-variable": "set-variable",
    "disconnect-contact": "terminating-action",
    "blind-transfer": "terminating-action",
}


def act(activity: str, **props: Any) -> tuple[str, dict[str, Any]]:
    return activity, props


def tts(text: str) -> dict[str, Any]:
    return {"toggle": True, "prompts": None, "promptsTts": [{"type": "tts", "value": text}]}


def export(
    activities: dict[str, tuple[str, dict[str, Any]]],
    links: list[tuple[str, str, str]],
    first: str,
) -> str:
    """Return a Flow Designer export: activities by name, links (from, condition, to)."""
    ids = {name: f"{i:08x}-0000-4000-8000-{i:012x}" for i, name in enumerate(activities, 1)}
    ids["NewPhoneContact"] = "00000000-0000-4000-8000-000000000000"
    acts: dict[str, Any] = {
        ids["NewPhoneContact"]: {
            "id": ids["NewPhoneContact"],
            "name": "NewPhoneContact",
            "group": "start",
            "properties": {
                "activityId": "start",
                "name": "NewPhoneContact",
                "activityName": "NewPhoneContact",
                "event": "NewPhoneContact",
            },
        }
    }
    for name, (activity, props) in activities.items():
        acts[ids[name]] = {
            "id": ids[name],
            "name": name,
            "group": GROUPS.get(activity, "action"),
            "properties": {"name": name, "activityName": activity, "activityId": activity, **props},
        }
    rows = [
        {
            "id": f"link-{n}",
            "sourceActivityId": ids[src],
            "targetActivityId": ids[dst],
            "conditionExpr": cond,
            "properties": {"value": cond},
        }
        for n, (src, cond, dst) in enumerate([("NewPhoneContact", "out", first), *links])
    ]
    doc = {
        "orgId": "org",
        "version": 3,
        "name": "Synthetic_Flow",
        "variables": [],
        "process": {"activities": acts, "links": rows},
        "diagram": {"widgets": {}},
        "eventFlows": {"eventsMap": {}},
    }
    return json.dumps(doc, indent=2)


def write(tmp_path: Path, text: str, name: str = "flow.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def node(menu: Menu, ident: str) -> Node:
    return next(n for n in menu.nodes if n.id == ident)


def menus(menu: Menu) -> dict[str, Node]:
    return {n.id: n for n in menu.nodes if n.type == "menu"}


def rules(path: Path) -> list[str]:
    result = run("score", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    return sorted(f["rule"] for f in json.loads(result.stdout)["findings"])


# "2 for Service": the menu leads to a Queue To Agent whose treatment plays music in a loop.
SERVICE = export(
    {
        "Welcome": act("play-message", **tts("Welcome to Example Motors.")),
        "MainMenu": act(
            "ivr-menu",
            **tts("For sales press 1. For service press 2."),
            menuLinks=["1", "2"],
            menuLinks_input=["Sales", "Service"],
            entryTimeout="5",
            interruptible=True,
        ),
        "AccountNumber": act(
            "ivr-collectdigits",
            **tts("Enter your account number, then hash."),
            entryTimeout="5",
            interDigitTimeout="3",
            minDigits=6,
            maxDigits=10,
            terminatorSymbol="#",
        ),
        "LookupAccount": act(
            "http-request-v2",
            httpRequestUrl="https://crm.example/accounts/{{AccountNumber.DigitsEntered}}",
            httpRequestMethod="GET",
            outputVariableArray=[{"outputVariable": "tier", "jsonPathExp": "$.tier"}],
        ),
        "SalesQueue": act(
            "queue-contact",
            destination="q-sales-uuid",
            **{"destination:name": "Sales"},
            queueRadioGroup="staticQueue",
        ),
        "ServiceAgent": act(
            "queue-to-agent",
            destinationVariable="{{serviceAdvisor}}",
            destinationLookupType="agentEmail",
            recoveryQueue="q-service-uuid",
        ),
        "HoldMusic": act(
            "play-music",
            prompt="defaultmusic_on_hold.wav",
            audioRadioGroup="staticAudio",
            duration="30",
        ),
        "Goodbye": act("disconnect-contact"),
    },
    [
        ("Welcome", "default", "MainMenu"),
        ("MainMenu", "1", "AccountNumber"),
        ("MainMenu", "2", "ServiceAgent"),
        ("MainMenu", "timeout", "MainMenu"),
        ("MainMenu", "invalid", "MainMenu"),
        ("AccountNumber", "default", "LookupAccount"),
        ("AccountNumber", "timeout", "Goodbye"),
        ("AccountNumber", "invalid", "Goodbye"),
        ("LookupAccount", "default", "SalesQueue"),
        ("ServiceAgent", "default", "HoldMusic"),
        ("ServiceAgent", "failure", "Goodbye"),
        ("HoldMusic", "default", "HoldMusic"),
    ],
    "Welcome",
)


def test_queue_to_agent_is_a_person_and_its_music_no_trap(tmp_path: Path) -> None:
    path = write(tmp_path, SERVICE)
    menu = import_file(path)
    main_menu = node(menu, "MainMenu")
    service = node(menu, main_menu.options[1].goto)
    # The caller reaches the agent; the looping music is what they hear meanwhile.
    assert service.type == "branch"
    answer, wait = service.routes
    assert (answer.when, answer.share) == ("an agent answers", 1.0)
    assert node(menu, answer.goto).type == "agent"
    assert node(menu, answer.goto).id == "to_preferred_agent_serviceAdvisor"
    assert wait.share == 0.0 and node(menu, wait.goto).type == "message"
    assert node(menu, wait.goto).next == answer.goto  # the loop keeps the caller waiting
    assert "IVR401" not in rules(path)


def test_collect_digits_is_an_input_and_http_request_goes_on_by_success(tmp_path: Path) -> None:
    path = write(tmp_path, SERVICE)
    menu = import_file(path)
    account = node(menu, node(menu, "MainMenu").options[0].goto)
    assert account.type == "input" and account.collects == "AccountNumber"
    assert account.prompt == "Enter your account number, then hash."
    assert node(menu, account.next).queue == "Sales"  # through the request's default link
    assert any("HTTP request is followed on its success path" in a for a in menu.assumptions)


# An in-queue callback offer: the treatment collects one key and a Case branches on it.
IN_QUEUE = export(
    {
        "Greeting": act("play-message", **tts("Thanks for calling.")),
        "SupportQueue": act(
            "queue-contact",
            destination="q-support-uuid",
            **{"destination:name": "Support"},
        ),
        "QueueMusic": act("play-music", prompt="jazz.wav", duration="45"),
        "SetLoop": act(
            "set-variable",
            srcVariable="loops",
            srcVariableType="INTEGER",
            setTo="set-to-literal",
            expr="{{loops + 1}}",
        ),
        "OfferCallback": act(
            "ivr-collectdigits",
            **tts("To keep your place and get a call back, press 1. To keep holding, press 2."),
            entryTimeout="4",
            minDigits=1,
            maxDigits=1,
        ),
        "SaveChoice": act(
            "set-variable",
            srcVariable="cbChoice",
            setTo="set-to-literal",
            expr="{{OfferCallback.DigitsEntered}}",
        ),
        "CallbackChoice": act("case-statement", expression="{{cbChoice}}"),
        "RegisterCallback": act(
            "callback", callbackDn="{{NewPhoneContact.ANI}}", callbackQueue="q-support-uuid"
        ),
        "CallbackConfirm": act("play-message", **tts("We will call you back. Goodbye.")),
        "End": act("disconnect-contact"),
    },
    [
        ("Greeting", "default", "SupportQueue"),
        ("SupportQueue", "default", "QueueMusic"),
        ("SupportQueue", "failure", "End"),
        ("QueueMusic", "default", "SetLoop"),
        ("SetLoop", "out", "OfferCallback"),
        ("OfferCallback", "default", "SaveChoice"),
        ("OfferCallback", "timeout", "QueueMusic"),
        ("OfferCallback", "invalid", "QueueMusic"),
        ("SaveChoice", "out", "CallbackChoice"),
        ("CallbackChoice", "1", "RegisterCallback"),
        ("CallbackChoice", "2", "QueueMusic"),
        ("CallbackChoice", "default", "QueueMusic"),
        ("CallbackChoice", "error", "End"),
        ("RegisterCallback", "default", "CallbackConfirm"),
        ("CallbackConfirm", "default", "End"),
    ],
    "Greeting",
)


def test_in_queue_callback_menu_behind_a_case_on_the_digits(tmp_path: Path) -> None:
    path = write(tmp_path, IN_QUEUE)
    menu = import_file(path)
    offer = menus(menu)["OfferCallback"]
    assert [o.key for o in offer.options] == ["1", "2"]
    assert offer.prompt is not None and offer.prompt.startswith("To keep your place")
    assert node(menu, offer.options[0].goto).type == "self_service"  # the callback
    # Holding on, silence and other keys all go back to the music: the caller keeps
    # waiting in the queue, so each leads to the agent.
    agent = node(menu, "queue_Support")
    assert offer.options[1].goto == agent.id
    assert offer.no_input is not None and offer.no_input.goto == agent.id
    assert offer.no_match is not None and offer.no_match.goto == agent.id
    assert node(menu, "SupportQueue").routes[0].goto == agent.id
    assert "IVR401" not in rules(path)


# A Collect Digits tested key by key by a chain of Conditions is a menu of those keys.
CONDITIONS = export(
    {
        "Choose": act(
            "ivr-collectdigits",
            **tts("For billing press 1, for outages press 2, for anything else press 0."),
            entryTimeout=5,
            minDigits=1,
            maxDigits=1,
        ),
        "IsOne": act("condition-activity", expression='{{Choose.DigitsEntered == "1"}}'),
        "IsTwo": act("condition-activity", expression="{{Choose.DigitsEntered == 2}}"),
        "IsZero": act("condition-activity", expression='{{Choose.DigitsEntered == "0"}}'),
        "Billing": act("queue-contact", **{"destination:name": "Billing"}),
        "Outages": act("play-message", **tts("There are no outages in your area.")),
        "Operator": act("blind-transfer", transfertodn="+15550100"),
        "Sorry": act("play-message", **tts("Sorry, that is not a choice.")),
        "Bye": act("disconnect-contact"),
    },
    [
        ("Choose", "default", "IsOne"),
        ("Choose", "timeout", "Sorry"),
        ("IsOne", "true", "Billing"),
        ("IsOne", "false", "IsTwo"),
        ("IsTwo", "true", "Outages"),
        ("IsTwo", "false", "IsZero"),
        ("IsZero", "true", "Operator"),
        ("IsZero", "false", "Sorry"),
        ("Outages", "default", "Bye"),
        ("Sorry", "default", "Choose"),
    ],
    "Choose",
)


def test_collect_digits_then_conditions_on_single_keys_is_a_menu(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, CONDITIONS))
    [choose] = menus(menu).values()
    assert [(o.key, node(menu, o.goto).type) for o in choose.options] == [
        ("1", "agent"),
        ("2", "message"),
        ("0", "agent"),
    ]
    assert choose.no_input is not None and choose.no_match is not None
    assert choose.no_input.goto == choose.no_match.goto == "Sorry"
    assert choose.prompt_seconds is None and menu.timing.timeout_seconds == 5.0
    assert not [n for n in menu.nodes if n.type == "branch"]  # the conditions are the keys


# A Case on something the system knows (not typed keys) is a decision with its values.
CASE = export(
    {
        "Segment": act("case-statement", expression="{{customerTier}}"),
        "Gold": act("queue-contact", **{"destination:name": "Gold"}),
        "Silver": act("queue-contact", **{"destination:name": "Silver"}),
        "Standard": act("queue-contact", **{"destination:name": "Standard"}),
        "Oops": act("disconnect-contact"),
    },
    [
        ("Segment", "gold", "Gold"),
        ("Segment", "silver", "Silver"),
        ("Segment", "default", "Standard"),
        ("Segment", "error", "Oops"),
    ],
    "Segment",
)


def test_case_follows_every_case_link_with_its_value(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, CASE))
    segment = node(menu, "Segment")
    assert segment.type == "branch"
    assert [(r.when, node(menu, r.goto).queue) for r in segment.routes] == [
        ("customerTier = gold", "Gold"),
        ("customerTier = silver", "Silver"),
        ("otherwise", "Standard"),
    ]
    assert not menus(menu)


# A Collect Digits of an account number, then a Case on several-digit values: an input.
ACCOUNT = export(
    {
        "Account": act("ivr-collectdigits", **tts("Enter your branch code."), maxDigits=4),
        "Branch": act("case-statement", expression="{{Account.DigitsEntered}}"),
        "North": act("queue-contact", **{"destination:name": "North"}),
        "South": act("queue-contact", **{"destination:name": "South"}),
    },
    [
        ("Account", "default", "Branch"),
        ("Branch", "1001", "North"),
        ("Branch", "default", "South"),
    ],
    "Account",
)


def test_collect_digits_with_a_case_on_several_digits_stays_an_input(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, ACCOUNT))
    assert not menus(menu)
    account = node(menu, "Account")
    assert account.type == "input"
    assert [r.when for r in node(menu, account.next).routes] == [
        "Account.DigitsEntered = 1001",
        "otherwise",
    ]


# Audio prompts: files in `prompts` (the TTS toggle off) and audio entries among the TTS.
AUDIO = export(
    {
        "Hours": act(
            "business-hours",
            businessHoursId="sched-uuid",
        ),
        "Intro": act(
            "play-message",
            toggle=False,
            prompts=[
                {"name": "welcome.wav", "value": "welcome.wav", "type": "audio"},
                {"name": "recorded.wav", "value": "recorded.wav", "type": "audio"},
            ],
            promptsTts=[{"type": "tts", "value": "stale text that is switched off"}],
        ),
        "AudioMenu": act(
            "ivr-menu",
            toggle=False,
            prompts=["menu_options.wav"],
            menuLinks=["1", "2"],
            menuLinks_input=["Orders", "Returns"],
            entryTimeout="6",
        ),
        "Mixed": act(
            "ivr-menu",
            toggle=True,
            promptsTts=[
                {"type": "audio", "value": "chime.wav"},
                {"type": "tts", "value": "Press 1 to repeat."},
            ],
            menuLinks=["1"],
        ),
        "Orders": act("queue-contact", **{"destination:name": "Orders"}),
        "Closed": act("play-message", **tts("We are closed.")),
        "Hangup": act("disconnect-contact"),
    },
    [
        ("Hours", "workingHours", "Intro"),
        ("Hours", "holidays", "Closed"),
        ("Hours", "default", "Closed"),
        ("Hours", "error", "Hangup"),
        ("Intro", "default", "AudioMenu"),
        ("AudioMenu", "1", "Orders"),
        ("AudioMenu", "2", "Mixed"),
        ("Mixed", "1", "AudioMenu"),
        ("Closed", "default", "Hangup"),
    ],
    "Hours",
)


@pytest.mark.parametrize("seconds", [4.0, 2.5])
def test_audio_prompts_count_prompt_seconds_each(tmp_path: Path, seconds: float) -> None:
    menu = import_file(write(tmp_path, AUDIO), settings=Settings(prompt_seconds=seconds))
    assert node(menu, "Intro").prompt_seconds == 2 * seconds  # two files, TTS switched off
    assert node(menu, "Intro").prompt == "(audio: welcome.wav)"
    assert node(menu, "AudioMenu").prompt_seconds == seconds
    mixed = node(menu, "Mixed")
    assert mixed.prompt == "Press 1 to repeat."
    assert mixed.prompt_seconds is not None and mixed.prompt_seconds > seconds


def test_audio_prompt_seconds_from_the_command_line(tmp_path: Path) -> None:
    path = write(tmp_path, AUDIO)
    result = run("score", str(path), "--format", "json", "--prompt-seconds", "3")
    assert result.exit_code == 0, result.output
    assert "each is counted as 3 s (--prompt-seconds)" in result.stdout


def test_business_hours_sends_calls_its_working_hours_way(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, AUDIO))
    hours = node(menu, "Hours")
    assert [(r.when, r.share) for r in hours.routes] == [
        ("in hours", 1.0),
        ("holiday", 0.0),
        ("closed (outside working hours)", 0.0),
    ]


@pytest.mark.parametrize(
    "text", [SERVICE, IN_QUEUE, CONDITIONS, CASE, ACCOUNT, AUDIO], ids=lambda t: str(len(t))
)
def test_import_then_score_is_the_same(tmp_path: Path, text: str) -> None:
    assert_imports_as_it_scores(write(tmp_path, text), tmp_path)


def test_a_long_looping_treatment_is_read_without_recursion(tmp_path: Path) -> None:
    n = 5_000
    activities = {"Q": act("queue-contact", **{"destination:name": "Main"})}
    activities |= {f"m{i}": act("play-music", prompt=f"m{i}.wav") for i in range(n)}
    links = [("Q", "default", "m0")]
    links += [(f"m{i}", "default", f"m{(i + 1) % n}") for i in range(n)]
    menu = import_file(write(tmp_path, export(activities, links, "Q")))
    last = node(menu, f"m{n - 1}")
    assert last.next == "queue_Main"  # the loop back to the start keeps the caller waiting


def test_broken_links_and_odd_values_are_read_without_error(tmp_path: Path) -> None:
    doc = json.loads(CONDITIONS)
    doc["process"]["links"].append({"sourceActivityId": "nowhere", "targetActivityId": "x"})
    first = next(iter(doc["process"]["activities"].values()))
    for a in doc["process"]["activities"].values():
        if a["name"] == "Choose":
            a["properties"]["entryTimeout"] = "soon"
            a["properties"]["prompts"] = [None, 3, {"type": "audio"}]
    assert first["name"] == "NewPhoneContact"
    path = write(tmp_path, json.dumps(doc))
    result = run("score", str(path))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


# Subflow, escalation and transfers: the call goes on, reaches a number, or leaves the flow.
TRANSFERS_ACTS = {
    "Language": act(
        "subflow-handoff",
        subflowVersion={"id": "sub-uuid", "tag": "Latest"},
        automaticUpdates=True,
    ),
    "Escalate": act("escalate-to-cdg"),
    "FrontDesk": act("bridged-transfer", transfertodn="{{frontDeskNumber}}", timeout=20),
    "ToSpanish": act(
        "hand-off",
        handOffFlow="ep-uuid",
        **{"handOffFlow:name": "Spanish_Entry", "connector:name": "Cisco TTS"},
    ),
}
TRANSFERS = export(
    TRANSFERS_ACTS,
    [
        ("Language", "default", "Escalate"),
        ("Language", "error", "ToSpanish"),
        ("Escalate", "out", "FrontDesk"),
        ("FrontDesk", "failure", "ToSpanish"),
    ],
    "Language",
)


def test_subflow_and_escalation_go_on_and_transfers_are_exits(tmp_path: Path) -> None:
    menu = import_file(write(tmp_path, TRANSFERS))
    assert menu.entry == "to_frontDeskNumber"
    assert node(menu, menu.entry).type == "agent"
    assert any("subflow's own activities are not in this export" in a for a in menu.assumptions)
    goto = {"ToSpanish": TRANSFERS_ACTS["ToSpanish"]}
    hand_off = import_file(write(tmp_path, export(goto, [], "ToSpanish"), "goto.json"))
    assert hand_off.entry == "flow_Spanish_Entry"  # named by its entry point, not the TTS
    assert node(hand_off, hand_off.entry).type == "self_service"


def test_a_link_without_condition_expr_leaves_by_its_properties_value(tmp_path: Path) -> None:
    doc = json.loads(CASE)
    for link in doc["process"]["links"]:
        link.pop("conditionExpr")  # the outcome is still in properties.value
    menu = import_file(write(tmp_path, json.dumps(doc)))
    assert [r.when for r in node(menu, "Segment").routes] == [
        "customerTier = gold",
        "customerTier = silver",
        "otherwise",
    ]
