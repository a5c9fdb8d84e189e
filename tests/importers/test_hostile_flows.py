"""Hostile and large exports (issue 16): long pass-through chains, Connect flows fanning
out to many queues, and `--calls` files that are too big, too large or repeat a path."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.errors import MenuError
from ivraudit.format.model import Position
from ivraudit.importers import amazon_connect, amazon_connect_modules, import_file, queue_walk
from ivraudit.importers import flow as flow_mod
from ivraudit.importers.call_counts import read_calls
from ivraudit.importers.flow import Choice, Flow, Settings, Step, to_menu


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def at(line: int) -> Position:
    return Position("flow.json", line, 1)


def _studio_chain(n: int) -> dict:
    states = [
        {
            "name": "Trigger",
            "type": "trigger",
            "properties": {},
            "transitions": [{"event": "incomingCall", "next": "f0"}],
        }
    ]
    for i in range(n):
        after = f"f{i + 1}" if i + 1 < n else "q"
        states.append(
            {
                "name": f"f{i}",
                "type": "run-function",
                "properties": {},
                "transitions": [{"event": "success", "next": after}],
            }
        )
    queue = {"queue_name": "Sales"}
    states.append({"name": "q", "type": "enqueue-call", "properties": queue, "transitions": []})
    return {"description": "chain", "initial_state": "Trigger", "flags": {}, "states": states}


def test_a_long_studio_chain_of_pass_through_steps_is_one_transfer(tmp_path: Path) -> None:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(_studio_chain(30_000)), encoding="utf-8")
    menu = import_file(path)
    assert [n.id for n in menu.nodes] == ["queue_Sales"]


def test_each_pass_through_step_is_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A menu whose 9 choices enter one 2,000-step chain at different places: the chain is
    # walked once in all (linear), not once per choice.
    n = 2_000
    chain = [Step(id=f"p{i}", kind="pass", pos=at(10 + i), next=f"p{i + 1}") for i in range(n)]
    chain[-1] = Step(id=f"p{n - 1}", kind="pass", pos=at(10 + n), next="q")
    choices = tuple(Choice(key=str(k), target=f"p{k * 200}", pos=at(2)) for k in range(1, 10))
    steps = (
        Step(id="m", kind="menu", pos=at(1), prompt="Choose.", choices=choices),
        *chain,
        Step(id="q", kind="queue", pos=at(9999), target="Sales"),
    )
    walks = []
    real = flow_mod._Mapper._through

    def counted(self, walked, node_id):  # type: ignore[no-untyped-def]
        walks.append(len(walked))
        return real(self, walked, node_id)

    monkeypatch.setattr(flow_mod._Mapper, "_through", counted)
    menu = to_menu(Flow("t", "T", "t", "m", steps, at(1)), Settings(), "flow.json")
    assert {o.goto for o in menu.nodes[0].options} == {"queue_Sales"}
    assert sum(walks) <= n


def test_a_loop_of_pass_through_steps_still_ends_the_call() -> None:
    steps = (
        Step(id="m", kind="message", pos=at(1), prompt="Hello.", next="a"),
        Step(id="a", kind="pass", pos=at(2), next="b"),
        Step(id="b", kind="pass", pos=at(3), next="a"),
    )
    menu = to_menu(Flow("t", "T", "t", "m", steps, at(1)), Settings(), "flow.json")
    assert menu.nodes[0].next == "loop"


def _connect_fan(queues: int, shared: int, silent: bool = False) -> dict:
    """A Connect flow that sets one of `queues` queues, then plays `shared` messages (or
    sets as many attributes, `silent`) before the transfer to the queue set."""
    acts = []
    for i in range(queues):
        after = f"c{i + 1}" if i + 1 < queues else "t0"
        acts.append(
            {
                "Identifier": f"c{i}",
                "Type": "Compare",
                "Parameters": {"ComparisonValue": "$.Attributes.dept"},
                "Transitions": {
                    "NextAction": after,
                    "Conditions": [{"NextAction": f"s{i}", "Condition": {"Operands": [f"d{i}"]}}],
                    "Errors": [{"NextAction": after, "ErrorType": "NoMatchingCondition"}],
                },
            }
        )
        acts.append(
            {
                "Identifier": f"s{i}",
                "Type": "UpdateContactTargetQueue",
                "Parameters": {"QueueId": f"arn:aws:connect:x:1:instance/i/queue/Q{i}"},
                "Transitions": {"NextAction": "t0"},
            }
        )
    for j in range(shared):
        acts.append(
            {
                "Identifier": f"t{j}",
                "Type": "UpdateContactAttributes" if silent else "MessageParticipant",
                "Parameters": {"Attributes": {"step": str(j)}} if silent else {"Text": f"S{j}."},
                "Transitions": {"NextAction": f"t{j + 1}" if j + 1 < shared else "x"},
            }
        )
    acts.append({"Identifier": "x", "Type": "TransferContactToQueue", "Transitions": {}})
    return {"Version": "2019-10-30", "StartAction": "c0", "Actions": acts}


def test_a_connect_flow_reads_each_queue_path_while_it_is_small(tmp_path: Path) -> None:
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(_connect_fan(3, 2, silent=True)), encoding="utf-8")
    menu = import_file(path)
    queues = sorted(n.queue for n in menu.nodes if n.type == "agent")
    # No department matched: no queue was set on that way.
    assert queues == ["Q0", "Q1", "Q2", "the queue set before"]
    # The attribute updates play nothing: read once per queue, each way goes to its own.
    assert not any(n.type == "branch" and n.id.startswith("the_queue") for n in menu.nodes)
    assert not any("more than" in a for a in menu.assumptions)


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = amazon_connect._classify

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(args[0].id)
        return real(*args)

    monkeypatch.setattr(amazon_connect, "_classify", counted)
    return calls


def test_messages_before_a_transfer_after_450_queues_are_read_once_past_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch)
    flow = _connect_fan(450, 600)
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(flow), encoding="utf-8")
    menu = import_file(path)
    actions = len(flow["Actions"])
    # "Please hold" before a transfer is heard once per queue, but 450 x 600 copies are
    # past the budget: one probe per action, the budget, then one read each.
    assert len(calls) <= 3 * actions + queue_walk.MAX_QUEUE_COPIES + 451
    assert sum(n.type == "message" for n in menu.nodes) == 600
    [split] = [n for n in menu.nodes if n.type == "branch" and n.id.startswith("the_queue")]
    assert len(split.routes) == 451  # each queue set, and none set
    assert sum(n.type == "agent" for n in menu.nodes) == 451
    assert any("more than 20,000 copies" in a for a in menu.assumptions)


def test_a_connect_flow_fanning_out_to_450_queues_is_read_within_a_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch)
    flow = _connect_fan(450, 600, silent=True)
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(flow), encoding="utf-8")
    menu = import_file(path)
    actions = len(flow["Actions"])
    # Linear: one probe per action, at most the budget of copies, one read when merged.
    assert len(calls) <= 3 * actions + queue_walk.MAX_QUEUE_COPIES + 451
    queues = {n.queue for n in menu.nodes if n.type == "agent"}
    assert len(queues) == 451 and "Q449" in queues
    assert any("more than 20,000 copies" in a for a in menu.assumptions)


def test_a_block_that_does_not_use_the_queue_is_read_once() -> None:
    # Three queues set before one hang-up: one hang-up step, not one per queue.
    modules = [
        amazon_connect_modules.Module(
            id="m",
            type="GetUserInput",
            target=None,
            params=(("Text", "Choose.", None),),
            branches=tuple(("Evaluate", str(k), f"s{k}") for k in (1, 2, 3)),
            pos=at(1),
        ),
        *(
            amazon_connect_modules.Module(
                id=f"s{k}",
                type="SetQueue",
                target=None,
                params=(("Queue", None, f"Q{k}"),),
                branches=(("Success", None, "bye"),),
                pos=at(1 + k),
            )
            for k in (1, 2, 3)
        ),
        amazon_connect_modules.Module(
            id="bye", type="Disconnect", target=None, params=(), branches=(), pos=at(9)
        ),
    ]
    _, found, notes = amazon_connect_modules.steps(modules, "m")
    assert [s.id for s in found if s.kind == "hangup"] == ["bye"]
    assert notes == ()


CONNECT = {
    "Version": "2019-10-30",
    "StartAction": "m",
    "Actions": [
        {
            "Identifier": "m",
            "Type": "GetParticipantInput",
            "Parameters": {"Text": "For billing press 1, for sales 2, for help 3."},
            "Transitions": {
                "Conditions": [
                    {"NextAction": f"s{k}", "Condition": {"Operands": [str(k)]}} for k in (1, 2, 3)
                ],
                "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingCondition"}],
            },
        },
        *(
            {
                "Identifier": f"s{k}",
                "Type": "UpdateContactTargetQueue",
                "Parameters": {"QueueId": f"arn:aws:connect:x:1:instance/i/queue/{name}"},
                "Transitions": {"NextAction": "t"},
            }
            for k, name in ((1, "Billing"), (2, "Sales"))
        ),
        {
            "Identifier": "s3",
            "Type": "MessageParticipant",
            "Parameters": {"Text": "Visit our web site."},
            "Transitions": {"NextAction": "bye"},
        },
        {"Identifier": "t", "Type": "TransferContactToQueue", "Transitions": {}},
        {"Identifier": "bye", "Type": "DisconnectParticipant", "Transitions": {}},
    ],
}

STUDIO = _studio_chain(3)


def _calls_files(seed: int) -> str:
    """Return a generated call-count CSV: paths that reach a queue, repeated paths, paths
    written differently, paths that reach nothing, and counts small to very large."""
    rnd = random.Random(seed)
    paths = ["1", "2", "3", "1 1", "9", "queue_Sales", "queue_Billing", "2 ", "1/", "0"]
    counts = ["0", "1", "7", "2.5", "1e-6", "3e14", "1_000", " 42 "]
    rows = [f"{rnd.choice(paths)},{rnd.choice(counts)}" for _ in range(rnd.randint(1, 8))]
    return "path,calls\n" + "\n".join(rows) + "\n"


FIGURES = ("score", "band", "metrics", "findings", "score_breakdown", "top_suggestions")


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("export", ["connect", "studio"])
def test_import_scores_exactly_like_the_export(tmp_path: Path, seed: int, export: str) -> None:
    flow = tmp_path / "flow.json"
    flow.write_text(json.dumps(CONNECT if export == "connect" else STUDIO), encoding="utf-8")
    calls = tmp_path / "calls.csv"
    calls.write_text(_calls_files(seed), encoding="utf-8")
    before = run("score", str(flow), "--calls", str(calls), "--format", "json")
    assert before.exit_code in (0, 1), before.output
    out = tmp_path / "menu.yaml"
    assert run("import", str(flow), "--calls", str(calls), "-o", str(out)).exit_code == 0
    after = run("score", str(out), "--format", "json")
    assert after.exit_code == before.exit_code, after.output
    exported, imported = json.loads(before.stdout), json.loads(after.stdout)
    for figure in FIGURES:
        assert _unplaced(imported[figure]) == _unplaced(exported[figure]), figure


def _unplaced(value: object) -> object:
    """Return a report figure without source positions, which differ between the export
    and the written menu."""
    if isinstance(value, list):
        return [_unplaced(v) for v in value]
    if isinstance(value, dict):
        return {k: _unplaced(v) for k, v in value.items() if k not in ("line", "column")}
    return value


def test_rows_for_one_path_are_one_intent_with_their_counts_added(tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text("path,calls\n1 2,60\n1-2,30\n1 #,5\n1 *,5\n", encoding="utf-8")
    assert read_calls(calls) == (("1 2", 90.0), ("1 #", 5.0), ("1 *", 5.0))
    flow = tmp_path / "flow.json"
    flow.write_text(json.dumps(CONNECT), encoding="utf-8")
    calls.write_text("path,calls\n1,60\n1,30\n2,10\n", encoding="utf-8")
    data = json.loads(run("score", str(flow), "--calls", str(calls), "--format", "json").stdout)
    assert set(data["metrics"]["intent_seconds"]) == {"calls_1", "calls_2"}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('path,calls\n1,"' + "x" * 200_000 + '"\n', "2:3", "a field is longer than 10,000"),
        ("path,calls\n" + "1" * 140_000 + ",5\n", "2:1", "a field is longer than 10,000"),
        ("path,calls\n1,5\n2,1e308\n", "3:3", "a call count must be a number from 0 to"),
        ('path,calls\n"1\n2",1e308\n', "3:4", "a call count must be a number from 0 to"),
        ("path,calls\n1,inf\n", "2:3", "a call count must be a finite number"),
        ("path,calls\n1,nan\n", "2:3", "a call count must be a finite number"),
        ("path,calls\n1,-1\n", "2:3", "a call count must be a number from 0 to"),
        ("path,calls\n1,1e15\n1,1\n", "3:3", "the calls for '1' add up to more than 1e+15"),
        ('path,calls\n1,"5\n', "2:3", "a quoted field is not closed"),
        ("path,calls\n1\n", "2:1", "a row needs a path and a count"),
    ],
)
def test_bad_call_counts_are_one_located_line_naming_the_csv(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    flow = tmp_path / "flow.json"
    flow.write_text(json.dumps(CONNECT), encoding="utf-8")
    calls = tmp_path / "calls.csv"
    calls.write_text(text, encoding="utf-8")
    for command in ("score", "import"):
        result = run(command, str(flow), "--calls", str(calls))
        assert result.exit_code == 2
        [line] = result.stderr.splitlines()
        assert line.startswith(f"{calls}:{where}: error: {message}"), line
    with pytest.raises(MenuError):
        read_calls(calls)


def test_calls_rows_end_with_any_line_break(tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_bytes(b"path,calls\r1,5\r\n2,3\n\n# a comment\n3,1")
    assert read_calls(calls) == (("1", 5.0), ("2", 3.0), ("3", 1.0))
