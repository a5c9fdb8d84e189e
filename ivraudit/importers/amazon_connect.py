"""Amazon Connect flow language (Version 2019-10-30, `Actions`), also inside the
DescribeContactFlow wrapper (`Content` as a JSON string) and `{"ContactFlow": {...}}`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.frozen import frozen
from ivraudit.importers.document import dig, find, items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step
from ivraudit.importers.queue_walk import queue_walk

NAME = "amazon-connect"
TITLE = "Amazon Connect flow"
SYSTEM = "amazon-connect"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a Connect flow-language export."""
    head = text[:4000]
    if '"Actions"' in text and ('"StartAction"' in head or '\\"StartAction\\"' in head):
        return 0.95
    if '\\"Actions\\"' in text and '"Content"' in text:
        return 0.9
    return 0.0


@frozen
class Action:
    """One Connect action as the file writes it."""

    id: str
    type: str
    params: dict[str, Any]
    next: str | None
    conditions: tuple[tuple[str, str], ...]  # (first operand, next action)
    errors: tuple[tuple[str, str], ...]  # (error type, next action)
    pos: Position


def _unwrap(data: Any, text: str, source: str) -> tuple[Any, str | None, Position | None]:
    """Return the flow document, the flow's name, and where a string `Content` sits."""
    name = None
    if isinstance(data, dict) and isinstance(data.get("ContactFlow"), dict):
        data = data["ContactFlow"]
    if isinstance(data, dict) and "Content" in data and "Actions" not in data:
        name = text_of(data.get("Name"))
        content = data["Content"]
        pos = find(text, '"Content"', source)
        if isinstance(content, str):
            try:
                inner = load_json(content, source)
            except MenuError as exc:
                raise MenuError(
                    source, pos.line, pos.column, f"the Content string is not a flow: {exc.message}"
                ) from None
            return inner, name, pos
        return content, name, pos
    return data, name, None


def parse(text: str, source: str) -> tuple[str, str | None, list[Action], dict[str, Any]]:
    """Return the flow's name, start action, actions and metadata."""
    data = load_json(text, source)
    doc, name, content_pos = _unwrap(data, text, source)
    if not isinstance(doc, dict) or not isinstance(doc.get("Actions"), list):
        raise MenuError(source, 1, 1, "no 'Actions' list: not an Amazon Connect flow")
    actions = []
    for raw in doc["Actions"]:
        if not isinstance(raw, dict) or text_of(raw.get("Identifier")) is None:
            continue
        trans = raw.get("Transitions") if isinstance(raw.get("Transitions"), dict) else {}
        conditions = tuple(
            (
                text_of((dig(c, "Condition", "Operands") or [None])[0]) or "",
                text_of(c["NextAction"]),
            )
            for c in items(trans.get("Conditions"))
            if isinstance(c, dict)
            and text_of(c.get("NextAction"))
            and isinstance(dig(c, "Condition", "Operands"), list)
            and dig(c, "Condition", "Operands")
        )
        errors = tuple(
            (text_of(e.get("ErrorType")) or "", text_of(e["NextAction"]))
            for e in items(trans.get("Errors"))
            if isinstance(e, dict) and text_of(e.get("NextAction"))
        )
        params = raw.get("Parameters") if isinstance(raw.get("Parameters"), dict) else {}
        actions.append(
            Action(
                id=text_of(raw["Identifier"]) or "",
                type=text_of(raw.get("Type")) or "",
                params=params,
                next=text_of(trans.get("NextAction")),
                conditions=conditions,  # type: ignore[arg-type]
                errors=errors,  # type: ignore[arg-type]
                pos=content_pos or where(raw, source),
            )
        )
    meta = dig(doc, "Metadata", "ActionMetadata")
    name = name or text_of(dig(doc, "Metadata", "name")) or Path(source).stem
    return name, text_of(doc.get("StartAction")), actions, meta if isinstance(meta, dict) else {}


def _tail(value: str | None) -> str | None:
    """Return a readable name from an ARN or `$.FlowAttributes.x` reference."""
    if not value:
        return None
    return re.split(r"[/.:]", value.rstrip("/"))[-1] or value


def _queue_name(action: Action, meta: dict[str, Any]) -> str | None:
    mine = meta.get(action.id) or {}
    return (
        text_of(dig(mine, "queue", "text"))
        or text_of(dig(mine, "parameters", "QueueId", "displayName"))
        or text_of(dig(action.params, "QueueId", "displayName"))
        or _tail(text_of(action.params.get("QueueId")))
    )


def _prompt(params: dict[str, Any]) -> tuple[str | None, str | None]:
    text = text_of(params.get("Text")) or text_of(params.get("SSML"))
    audio = _tail(text_of(params.get("PromptId")))
    return text, audio


_DECISIONS = {"CheckHoursOfOperation": {"True": "in hours", "False": "out of hours"}}
_SYSTEM_BRANCHING = {
    "CheckHoursOfOperation",
    "Compare",
    "CheckStaffing",
    "CheckMetricData",
    "Loop",
    "InvokeLambdaFunction",
    "DistributeByPercentage",
    "CheckVoiceId",
    "CheckContactAttributes",
}


def steps(
    actions: list[Action], start: str | None, meta: dict[str, Any]
) -> tuple[str | None, list[Step], tuple[str, ...]]:
    """Classify each action reached from `start`, once per queue chosen on the way where
    that queue matters (`queue_walk`); return the entry, the steps and what was assumed."""
    by_id = {a.id: a for a in actions}
    found, notes = queue_walk(
        start, by_id, lambda a, queue, key: _classify(a, queue, meta, key, by_id)
    )
    out = [Step(id=step_id, pos=a.pos, **step) for step_id, a, step in found]
    return (start if start in by_id else None), sorted(out, key=lambda s: s.pos), notes


def _key_compare(a: Action, by_id: dict[str, Action]) -> Action | None:
    """Return the Compare on the stored digits that follows a stored input, when each
    of its values is one key: the two are one menu."""
    compare = by_id.get(a.next or "")
    if compare is None or compare.type != "Compare":
        return None
    if "StoredCustomerInput" not in (text_of(compare.params.get("ComparisonValue")) or ""):
        return None
    keys = [op for op, _ in compare.conditions]
    return compare if keys and all(k in PHONE_KEYS for k in keys) else None


def _classify(
    a: Action, queue: str | None, meta: dict[str, Any], key: Any, by_id: dict[str, Action]
) -> dict[str, Any]:
    t, p = a.type, a.params
    errors = dict(a.errors)
    short = f"{t}_{a.id[:8]}"
    if (
        t in ("GetParticipantInput", "ConnectParticipantWithLexBot")
        and text_of(p.get("StoreInput")) != "True"
    ):
        text, audio = _prompt(p)
        timeout = text_of(p.get("InputTimeLimitSeconds"))
        return {
            "kind": "menu",
            "name": "menu" if t == "GetParticipantInput" else "speech_menu",
            "prompt": text,
            "audio": audio,
            "choices": tuple(
                Choice(key=op, target=key(target, queue), pos=a.pos) for op, target in a.conditions
            ),
            "no_input": key(errors.get("InputTimeLimitExceeded"), queue),
            "no_match": key(errors.get("NoMatchingCondition"), queue),
            "retries": 0,  # Connect takes the branch at once: it has no retry counter
            "timeout": float(timeout) if timeout and timeout.isdigit() else None,
        }
    compare = _key_compare(a, by_id) if t == "GetParticipantInput" else None
    if compare is not None:
        text, audio = _prompt(p)
        timeout = text_of(p.get("InputTimeLimitSeconds"))
        return {
            "kind": "menu",
            "name": "menu",
            "prompt": text,
            "audio": audio,
            "choices": tuple(
                Choice(key=op, target=key(target, queue), pos=compare.pos)
                for op, target in compare.conditions
            ),
            "no_input": key(errors.get("InputTimeLimitExceeded"), queue),
            "no_match": key(dict(compare.errors).get("NoMatchingCondition") or compare.next, queue),
            "retries": 0,
            "timeout": float(timeout) if timeout and timeout.isdigit() else None,
        }
    if t == "GetParticipantInput":
        text, audio = _prompt(p)
        return {
            "kind": "input",
            "name": "input",
            "prompt": text,
            "audio": audio,
            "collects": "StoredCustomerInput",
            "next": key(a.next, queue),
        }
    if t in ("MessageParticipant", "MessageParticipantIteratively"):
        text, audio = _prompt(p)
        if t == "MessageParticipantIteratively":
            first = next(iter(items(p.get("Messages"))), {})
            text, audio = _prompt(first if isinstance(first, dict) else {})
        return {
            "kind": "message",
            "name": "message",
            "prompt": text,
            "audio": audio,
            "next": key(a.next, queue),
        }
    if t == "UpdateContactTargetQueue":
        return {"kind": "pass", "next": key(a.next, _queue_name(a, meta) or "queue")}
    if t in ("TransferContactToQueue", "DequeueContactAndTransferToQueue"):
        target = _queue_name(a, meta) if t.startswith("Dequeue") else queue
        return {"kind": "queue", "target": target or "the queue set before"}
    if t == "TransferParticipantToThirdParty":
        number = text_of(p.get("ThirdPartyPhoneNumber")) or "a phone number"
        return {"kind": "person", "target": number}
    if t == "TransferToFlow":
        flow = _tail(text_of(p.get("ContactFlowId"))) or "another flow"
        if queue is not None and "queue" in flow.lower():
            return {"kind": "queue", "target": queue}
        return {"kind": "flow", "target": flow}
    if t in ("DisconnectParticipant", "EndFlowExecution"):
        return {"kind": "hangup", "name": "disconnect"}
    if t in _SYSTEM_BRANCHING:
        names = _DECISIONS.get(t, {})
        routes = [(names.get(op, f"{t} {op}"), key(target, queue)) for op, target in a.conditions]
        # A comparison's "otherwise" is its NoMatchingCondition error (older exports put
        # it in NextAction): with one condition it is the other half of the branch.
        otherwise = errors.get("NoMatchingCondition") if a.conditions else None
        if otherwise is None and (not a.conditions or t in ("Compare", "CheckContactAttributes")):
            otherwise = a.next
        if otherwise:
            routes.append(("otherwise", key(otherwise, queue)))
        return {"kind": "decision", "name": t, "routes": tuple(routes)}
    return {"kind": "pass", "name": short, "next": key(a.next, queue)}


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a Connect flow-language export."""
    name, start, actions, meta = parse(text, source)
    entry, found, notes = steps(actions, start, meta)
    return Flow(
        format=NAME,
        title=TITLE,
        name=name,
        entry=entry,
        steps=tuple(found),
        pos=Position(source, 1, 1),
        notes=notes,
    )
