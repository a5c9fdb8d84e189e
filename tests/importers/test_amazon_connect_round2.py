"""Amazon Connect read as Connect runs it (issue 20, points 3, 4 and 6): a hand-off to a
queue flow after a working queue is set, `$.Queue.Name` comparisons, captures named by
what they collect, and conditions on a Lambda's result said as conditions. Each export
here is a small synthetic flow written for the pattern, in both export forms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.model import Menu, Node
from ivraudit.importers import import_file
from tests.importers.common import assert_imports_as_it_scores

ARN = "arn:aws:connect:us-east-1:111122223333:instance/i-1"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


# -- builders of the flow language (Version 2019-10-30) --------------------------------


def act(ident: str, kind: str, params: dict | None = None, **transitions: Any) -> dict:
    return {
        "Identifier": ident,
        "Type": kind,
        "Parameters": params or {},
        "Transitions": transitions,
    }


def say(ident: str, text: str, then: str) -> dict:
    return act(ident, "MessageParticipant", {"Text": text}, NextAction=then)


def cond(target: str, value: str, operator: str = "Equals") -> dict:
    return {"NextAction": target, "Condition": {"Operator": operator, "Operands": [value]}}


def error(target: str, kind: str) -> dict:
    return {"NextAction": target, "ErrorType": kind}


def menu(ident: str, text: str, keys: dict[str, str], otherwise: str) -> dict:
    return act(
        ident,
        "GetParticipantInput",
        {"Text": text, "InputTimeLimitSeconds": "5", "StoreInput": "False"},
        NextAction=otherwise,
        Conditions=[cond(t, k) for k, t in keys.items()],
        Errors=[
            error(otherwise, "InputTimeLimitExceeded"),
            error(otherwise, "NoMatchingCondition"),
        ],
    )


def set_queue(ident: str, queue: str, then: str) -> dict:
    return act(
        ident, "UpdateContactTargetQueue", {"QueueId": f"{ARN}/queue/{queue}"}, NextAction=then
    )


def to_flow(ident: str, flow_id: str, on_error: str) -> dict:
    params = {"ContactFlowId": f"{ARN}/contact-flow/{flow_id}"}
    return act(
        ident,
        "TransferToFlow",
        params,
        NextAction=on_error,
        Errors=[error(on_error, "NoMatchingError")],
    )


def hours(ident: str, open_: str, closed: str) -> dict:
    return act(
        ident,
        "CheckHoursOfOperation",
        NextAction=closed,
        Conditions=[cond(open_, "True"), cond(closed, "False")],
        Errors=[error(closed, "NoMatchingError")],
    )


def bye(ident: str = "bye") -> dict:
    return act(ident, "DisconnectParticipant")


def flow(start: str, actions: list[dict], meta: dict | None = None) -> dict:
    return {
        "Version": "2019-10-30",
        "StartAction": start,
        "Metadata": {"ActionMetadata": meta or {}},
        "Actions": actions,
    }


def write(tmp_path: Path, data: dict, name: str = "flow.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def follow(m: Menu, node_id: str, *keys: str) -> Node:
    """Return where the caller ends after pressing `keys`, following messages and the
    route of a decision that carries all its calls."""
    node = m.node(node_id)
    presses = list(keys)
    for _ in range(100):
        if node.type == "menu" and presses:
            key = presses.pop(0)
            node = m.node(next(o.goto for o in node.options if o.key == key))
        elif node.type in ("message", "input") and node.next:
            node = m.node(node.next)
        elif node.type == "branch":
            live = [r for r in node.routes if r.share > 0]
            assert len(live) == 1, [r.when for r in node.routes]
            node = m.node(live[0].goto)
        else:
            return node
    raise AssertionError("no end")


# -- point 3: a working queue, then a hand-off to a queue flow --------------------------

QUEUE_NAMES = {
    "setSales": {"queue": {"text": "Sales"}},
    "setBilling": {"queue": {"text": "Billing"}},
}


def handoff(flow_id: str = "f-queue", meta_flow: str | None = None) -> dict:
    meta = dict(QUEUE_NAMES)
    if meta_flow:
        meta["toFlow"] = {"ContactFlow": {"text": meta_flow}}
    return flow(
        "welcome",
        [
            say("welcome", "Thanks for calling Acme.", "main"),
            menu(
                "main",
                "For sales press 1. For billing press 2.",
                {"1": "setSales", "2": "setBilling"},
                "main",
            ),
            set_queue("setSales", "q-sales", "hours"),
            set_queue("setBilling", "q-billing", "hours"),
            hours("hours", "hold", "closed"),
            say("hold", "Please hold for the next available agent.", "toFlow"),
            to_flow("toFlow", flow_id, "bye"),
            say("closed", "We are closed.", "bye"),
            bye(),
        ],
        meta,
    )


def test_a_hand_off_to_a_flow_after_a_working_queue_reaches_that_queue(tmp_path: Path) -> None:
    m = import_file(write(tmp_path, handoff()))
    # Each key reaches its own queue: the hours check and "please hold" are read once per
    # queue (the check tests the working queue's hours; the message leads straight on).
    assert follow(m, m.entry, "1").queue == "Sales"
    assert follow(m, m.entry, "2").queue == "Billing"
    assert not any(n.type == "self_service" for n in m.nodes)
    assert any("reaching that queue" in a for a in m.assumptions)
    result = run("score", str(write(tmp_path, handoff())), "--format", "json")
    assert json.loads(result.stdout)["metrics"]["human_reachable"] is True


def test_a_hand_off_to_a_voicemail_flow_stays_an_exit(tmp_path: Path) -> None:
    m = import_file(write(tmp_path, handoff(meta_flow="Sample VM flow")))
    end = follow(m, m.entry, "1")
    assert end.type == "self_service" and end.id == "flow_Sample_VM_flow"
    assert not any("reaching that queue" in a for a in m.assumptions)


def test_a_hand_off_with_no_queue_set_stays_a_hand_off(tmp_path: Path) -> None:
    data = flow(
        "welcome",
        [say("welcome", "Hello.", "toFlow"), to_flow("toFlow", "f-other", "bye"), bye()],
    )
    m = import_file(write(tmp_path, data))
    assert follow(m, m.entry).type == "self_service"


def test_a_queue_name_compare_takes_the_branch_of_the_queue_set_before(tmp_path: Path) -> None:
    meta = {**QUEUE_NAMES}
    data = flow(
        "main",
        [
            menu(
                "main",
                "For sales press 1. For billing press 2.",
                {"1": "setSales", "2": "setBilling"},
                "bye",
            ),
            set_queue("setSales", "q-sales", "which"),
            set_queue("setBilling", "q-billing", "which"),
            act(
                "which",
                "Compare",
                {"ComparisonValue": "$.Queue.Name"},
                NextAction="other",
                Conditions=[cond("salesHold", "Sales"), cond("billingHold", "Billing")],
                Errors=[error("other", "NoMatchingCondition")],
            ),
            say("salesHold", "A sales agent will be with you shortly.", "toQueue"),
            say("billingHold", "Have your invoice number ready.", "toQueue"),
            say("other", "Please hold.", "toQueue"),
            act("toQueue", "TransferContactToQueue", NextAction="bye"),
            bye(),
        ],
        meta,
    )
    m = import_file(write(tmp_path, data))
    sales = m.node(m.node(m.entry).options[0].goto)
    assert sales.prompt == "A sales agent will be with you shortly."
    assert m.node(sales.next).queue == "Sales"
    billing = m.node(m.node(m.entry).options[1].goto)
    assert billing.prompt == "Have your invoice number ready."
    assert m.node(billing.next).queue == "Billing"
    assert not any(n.type == "branch" for n in m.nodes)  # no 50/50 left
    assert all(n.prompt != "Please hold." for n in m.nodes)  # no queue reaches it


def test_a_queue_compare_after_a_shared_menu_splits_among_the_queues(tmp_path: Path) -> None:
    data = flow(
        "main",
        [
            menu("main", "Sales 1, billing 2.", {"1": "setSales", "2": "setBilling"}, "bye"),
            set_queue("setSales", "q-sales", "callback"),
            set_queue("setBilling", "q-billing", "callback"),
            # One menu both queues reach: read once, so the queue after it is either.
            menu(
                "callback",
                "For a call back press 1, to hold press 2.",
                {"1": "bye", "2": "which"},
                "which",
            ),
            act(
                "which",
                "Compare",
                {"ComparisonValue": "$.Queue.Name"},
                NextAction="toQueue",
                Conditions=[cond("salesHold", "Sales")],
                Errors=[error("toQueue", "NoMatchingCondition")],
            ),
            say("salesHold", "A sales agent will be with you shortly.", "toQueue"),
            act("toQueue", "TransferContactToQueue", NextAction="bye"),
            bye(),
        ],
        QUEUE_NAMES,
    )
    m = import_file(write(tmp_path, data))
    assert sum(n.type == "menu" for n in m.nodes) == 2
    hold = m.node(m.node("menu_2").options[1].goto)
    assert [r.when for r in hold.routes] == ['queue = "Sales"', 'queue = "Billing"']
    sales, billing = (m.node(r.goto) for r in hold.routes)
    assert sales.prompt == "A sales agent will be with you shortly."
    assert m.node(sales.next).queue == "Sales"
    assert billing.queue == "Billing"


def test_a_queue_arn_compare_is_decided_too(tmp_path: Path) -> None:
    data = flow(
        "setSales",
        [
            set_queue("setSales", "q-sales", "which"),
            act(
                "which",
                "Compare",
                {"ComparisonValue": "$.Queue.ARN"},
                NextAction="bye",
                Conditions=[cond("toQueue", "q-sales", "TextEndsWith")],
                Errors=[error("bye", "NoMatchingCondition")],
            ),
            act("toQueue", "TransferContactToQueue", NextAction="bye"),
            bye(),
        ],
        QUEUE_NAMES,
    )
    m = import_file(write(tmp_path, data))
    assert m.node(m.entry).queue == "Sales"


def _shared_tail_flow() -> dict:
    """35 actions: a queue set for every caller, another for VIPs, then a main menu and
    three submenus, their messages, and a hand-off to the queue flow they all share."""
    actions = [
        set_queue("setBasic", "q-basic", "tier"),
        act(
            "tier",
            "Compare",
            {"ComparisonValue": "$.Attributes.tier"},
            NextAction="welcome",
            Conditions=[cond("setVip", "vip")],
            Errors=[error("welcome", "NoMatchingCondition")],
        ),
        set_queue("setVip", "q-vip", "welcome"),
        say("welcome", "Welcome to Acme.", "calls"),
        say("calls", "Calls are recorded.", "main"),
        menu("main", "Orders 1, returns 2, account 3.", {"1": "o", "2": "r", "3": "a"}, "main"),
        to_flow("toFlow", "f-queue-transfer", "bye"),
        bye(),
    ]
    for sub in ("o", "r", "a"):
        actions.append(
            menu(
                sub,
                f"Menu {sub}: 1 to hear more, 2 for an agent.",
                {"1": f"{sub}0", "2": "toFlow"},
                sub,
            )
        )
        actions += [
            say(f"{sub}{i}", f"Fact {i} about {sub}.", f"{sub}{i + 1}" if i < 7 else "main")
            for i in range(8)
        ]
    return flow(
        "setBasic",
        actions,
        {"setBasic": {"queue": {"text": "Basic"}}, "setVip": {"queue": {"text": "VIP"}}},
    )


def test_steps_shared_after_the_queue_is_set_are_read_once(tmp_path: Path) -> None:
    data = _shared_tail_flow()
    assert len(data["Actions"]) == 35
    m = import_file(write(tmp_path, data))
    # Read once per queue, the 35 actions made 71 nodes; only the hand-off is per queue:
    # one split among the two queues and a queue node each.
    assert len(m.nodes) <= 35
    assert sum(n.type == "menu" for n in m.nodes) == 4
    [split] = [n for n in m.nodes if n.id == "the_queue_set_before"]
    assert sorted(r.when for r in split.routes) == ['queue = "Basic"', 'queue = "VIP"']
    assert sorted(n.queue for n in m.nodes if n.type == "agent") == ["Basic", "VIP"]
    assert any("splits the calls equally" in a for a in m.assumptions)


# -- point 6: captures named by what they collect ---------------------------------------


def store(ident: str, then: str, text: str | None = None, prompt_id: str | None = None) -> dict:
    params = {"StoreInput": "True", "InputTimeLimitSeconds": "8"}
    if text:
        params["Text"] = text
    if prompt_id:
        params["PromptId"] = f"{ARN}/prompt/{prompt_id}"
    return act(ident, "GetParticipantInput", params, NextAction=then)


def _payment_flow(account_again: bool = False) -> dict:
    return flow(
        "card",
        [
            store("card", "4f2a-81c0", "Please enter your 16-digit card number, then press pound."),
            # The designer's own name for the block (isFriendlyName) says what it takes.
            store("4f2a-81c0", "acct", prompt_id="prompt-7"),
            store("acct", "b9d1-0c3e", "<speak>Now enter your account number.</speak>"),
            store("b9d1-0c3e", "saveRouting", prompt_id="EnterDigits.wav"),
            act(
                "saveRouting",
                "UpdateContactAttributes",
                {"Attributes": {"routingNumber": "$.StoredCustomerInput"}},
                NextAction="again" if account_again else "thanks",
            ),
            store("again", "thanks", "Please re-enter your account number."),
            say("thanks", "Thank you. Your payment is being processed.", "bye"),
            bye(),
        ],
        {"4f2a-81c0": {"isFriendlyName": False}, "Get expiry date": {"isFriendlyName": True}},
    )


def test_each_capture_is_named_by_what_it_collects(tmp_path: Path) -> None:
    data = _payment_flow()
    # The expiry block's Identifier is made up; its name lives in the designer's label.
    data["Actions"][1]["Identifier"] = "Get expiry date"
    data["Actions"][0]["Transitions"]["NextAction"] = "Get expiry date"
    m = import_file(write(tmp_path, data))
    collects = [n.collects for n in m.nodes if n.type == "input"]
    assert collects == ["card_number", "expiry_date", "account_number", "routing_number"]
    result = run("score", str(write(tmp_path, data)), "--format", "json")
    assert not [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "IVR403"]


def test_asking_for_the_same_thing_twice_is_still_found(tmp_path: Path) -> None:
    path = write(tmp_path, _payment_flow(account_again=True))
    collects = [n.collects for n in import_file(path).nodes if n.type == "input"]
    assert collects.count("account_number") == 2
    findings = json.loads(run("score", str(path), "--format", "json").stdout)["findings"]
    assert [f["rule"] for f in findings if f["rule"] == "IVR403"] == ["IVR403"]


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("Please enter your 16 digit card number followed by the pound key.", "card_number"),
        ("Enter the expiry date as four digits.", "expiry_date"),
        ("Using your keypad, enter your bank routing number.", "bank_routing_number"),
        ("What is your date of birth?", "date_of_birth"),
        (
            "Enter the last four digits of your social security number.",
            "social_security_number_last",
        ),
        ("Please enter the card's expiry date.", "card_expiry_date"),
    ],
)
def test_a_prompt_says_what_a_capture_collects(tmp_path: Path, prompt: str, name: str) -> None:
    data = flow("in", [store("in", "bye", prompt), bye()])
    [node] = [n for n in import_file(write(tmp_path, data)).nodes if n.type == "input"]
    assert node.collects == name


# -- point 4: a Lambda's result and an hours flag, said as conditions ----------------


def _lambda_flow(operator: str, value: str, field: str = "$.External.status") -> dict:
    return flow(
        "fn",
        [
            act(
                "fn",
                "InvokeLambdaFunction",
                {"LambdaFunctionARN": "arn:aws:lambda:us-east-1:1:function:lookup"},
                NextAction="check",
                Errors=[error("sorry", "NoMatchingError")],
            ),
            act(
                "check",
                "Compare",
                {"ComparisonValue": field},
                NextAction="sorry",
                Conditions=[cond("setQ", value, operator)],
                Errors=[error("sorry", "NoMatchingCondition")],
            ),
            set_queue("setQ", "q-support", "toQueue"),
            act("toQueue", "TransferContactToQueue", NextAction="bye"),
            say("sorry", "We cannot take your call now.", "bye"),
            bye(),
        ],
        {"setQ": {"queue": {"text": "Support"}}},
    )


@pytest.mark.parametrize(
    ("operator", "value", "label"),
    [
        ("Equals", "success", '$.External.status = "success"'),
        ("TextStartsWith", "open", '$.External.status starts with "open"'),
        ("TextContains", "open", '$.External.status contains "open"'),
    ],
)
def test_a_lambda_result_is_a_condition_and_its_normal_outcome_is_followed(
    tmp_path: Path, operator: str, value: str, label: str
) -> None:
    m = import_file(write(tmp_path, _lambda_flow(operator, value)))
    [branch] = [n for n in m.nodes if n.type == "branch"]
    assert [(r.when, r.share) for r in branch.routes] == [(label, 1.0), ("otherwise", 0.0)]
    assert follow(m, m.entry).queue == "Support"
    assert any("Lambda function is taken to succeed" in a for a in m.assumptions)


def test_an_open_flag_is_a_condition_whose_true_way_carries_the_calls(tmp_path: Path) -> None:
    data = _lambda_flow("Equals", "true", "$.Attributes.isOpen")
    m = import_file(write(tmp_path, data))
    [branch] = [n for n in m.nodes if n.type == "branch"]
    assert [(r.when, r.share) for r in branch.routes] == [
        ("$.Attributes.isOpen = true", 1.0),
        ("otherwise", 0.0),
    ]


def test_a_condition_with_no_normal_outcome_still_says_its_test(tmp_path: Path) -> None:
    m = import_file(write(tmp_path, _lambda_flow("NumberGreaterThan", "3", "$.External.count")))
    [branch] = [n for n in m.nodes if n.type == "branch"]
    assert [(r.when, r.share) for r in branch.routes] == [
        ("$.External.count > 3", 1.0),
        ("otherwise", 1.0),
    ]


# -- the old `modules` export ------------------------------------------------------


def module(
    ident: str,
    kind: str,
    branches: list[tuple],
    params: list[dict] | None = None,
    target: str | None = None,
) -> dict:
    out: dict[str, Any] = {
        "id": ident,
        "type": kind,
        "branches": [
            {
                "condition": c,
                "transition": t,
                **({"conditionType": op, "conditionValue": v} if v is not None else {}),
            }
            for c, t, op, v in branches
        ],
        "parameters": params or [],
        "metadata": {"position": {"x": 0, "y": 0}},
    }
    if target:
        out["target"] = target
    return out


def ok(then: str) -> tuple:
    return ("Success", then, None, None)


def play(ident: str, text: str, then: str) -> dict:
    return module(ident, "PlayPrompt", [ok(then)], [{"name": "Text", "value": text}])


def set_queue_m(ident: str, name: str, then: str) -> dict:
    params = [{"name": "Queue", "value": f"{ARN}/queue/q-{name}", "resourceName": name}]
    return module(ident, "SetQueue", [ok(then)], params)


def modules_flow(start: str, mods: list[dict]) -> dict:
    return {
        "modules": mods,
        "version": "1",
        "type": "contactFlow",
        "start": start,
        "metadata": {"name": "old"},
    }


def test_modules_set_queue_then_a_flow_and_a_queue_name_check(tmp_path: Path) -> None:
    data = modules_flow(
        "m",
        [
            module(
                "m",
                "GetUserInput",
                [
                    ("Evaluate", "s1", "Equals", "1"),
                    ("Evaluate", "s2", "Equals", "2"),
                    ("NoMatch", "bye", None, None),
                ],
                [
                    {"name": "Text", "value": "Sales 1, billing 2."},
                    {"name": "Timeout", "value": "5"},
                ],
                target="Digits",
            ),
            set_queue_m("s1", "Sales", "check"),
            set_queue_m("s2", "Billing", "check"),
            module(
                "check",
                "CheckAttribute",
                [("Evaluate", "salesMsg", "Equals", "Sales"), ("NoMatch", "hold", None, None)],
                [
                    {"name": "Attribute", "value": "Queue.Name"},
                    {"name": "Namespace", "value": "System"},
                ],
            ),
            play("salesMsg", "A sales agent will be with you shortly.", "xfer"),
            play("hold", "Please hold.", "xfer"),
            module(
                "xfer",
                "Transfer",
                [("Error", "bye", None, None)],
                [
                    {
                        "name": "ContactFlowId",
                        "value": f"{ARN}/contact-flow/f",
                        "resourceName": "Queue transfer",
                    }
                ],
                target="Flow",
            ),
            module("bye", "Disconnect", []),
        ],
    )
    m = import_file(write(tmp_path, data))
    sales = m.node(m.node(m.entry).options[0].goto)
    assert sales.prompt == "A sales agent will be with you shortly."
    assert m.node(sales.next).queue == "Sales"
    billing = m.node(m.node(m.entry).options[1].goto)
    assert billing.prompt == "Please hold." and m.node(billing.next).queue == "Billing"
    assert not any(n.type == "branch" for n in m.nodes)


def test_modules_captures_and_a_lambda_check(tmp_path: Path) -> None:
    data = modules_flow(
        "card",
        [
            module(
                "card",
                "StoreUserInput",
                [ok("zip")],
                [{"name": "Text", "value": "Please enter your card number followed by pound."}],
            ),
            module(
                "zip",
                "StoreUserInput",
                [ok("save")],
                [{"name": "Text", "value": "<speak>Thank you.</speak>"}],
            ),
            module(
                "save",
                "SetAttributes",
                [ok("fn")],
                [
                    {
                        "name": "Attribute",
                        "value": "Stored customer input",
                        "key": "zipCode",
                        "namespace": "System",
                    }
                ],
            ),
            module(
                "fn",
                "InvokeExternalResource",
                [ok("status"), ("Error", "bye", None, None)],
                [{"name": "FunctionArn", "value": "arn:aws:lambda:x:1:function:pay"}],
                target="Lambda",
            ),
            module(
                "status",
                "CheckAttribute",
                [("Evaluate", "done", "Equals", "success"), ("NoMatch", "bye", None, None)],
                [
                    {"name": "Attribute", "value": "status"},
                    {"name": "Namespace", "value": "External"},
                ],
            ),
            play("done", "Your payment went through.", "bye"),
            module("bye", "Disconnect", []),
        ],
    )
    m = import_file(write(tmp_path, data))
    assert [n.collects for n in m.nodes if n.type == "input"] == ["card_number", "zip_code"]
    [branch] = [n for n in m.nodes if n.type == "branch"]
    assert [(r.when, r.share) for r in branch.routes] == [
        ('$.External.status = "success"', 1.0),
        ("otherwise", 0.0),
    ]
    assert any("Lambda function is taken to succeed" in a for a in m.assumptions)


# -- every fixture: import, then score, equals score -----------------------------------

FIXTURES = {
    "handoff": handoff,
    "voicemail": lambda: handoff(meta_flow="Voicemail"),
    "shared_tail": _shared_tail_flow,
    "payment": lambda: _payment_flow(account_again=True),
    "lambda": lambda: _lambda_flow("TextStartsWith", "open"),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_import_then_score_equals_score(name: str, tmp_path: Path) -> None:
    assert_imports_as_it_scores(write(tmp_path, FIXTURES[name](), f"{name}.json"), tmp_path)
