"""Amazon Connect flow language (Version 2019-10-30, `Actions`), also inside the
DescribeContactFlow wrapper (`Content` as a JSON string) and `{"ContactFlow": {...}}`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.frozen import frozen
from ivraudit.importers.document import dig, find, items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step, slug
from ivraudit.importers.queue_walk import Unknown, queue_walk

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
    operators: tuple[str, ...] = ()  # each condition's operator (`Equals`, `TextStartsWith`)
    name: str | None = None  # the block's name, where the file gives one


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
        operators = tuple(
            text_of(dig(c, "Condition", "Operator")) or "Equals"
            for c in items(trans.get("Conditions"))
            if isinstance(c, dict)
            and text_of(c.get("NextAction"))
            and isinstance(dig(c, "Condition", "Operands"), list)
            and dig(c, "Condition", "Operands")
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
                operators=operators,
            )
        )
    meta = dig(doc, "Metadata", "ActionMetadata")
    meta = meta if isinstance(meta, dict) else {}
    actions = [replace(a, name=_block_name(a.id, meta.get(a.id))) for a in actions]
    name = name or text_of(dig(doc, "Metadata", "name")) or Path(source).stem
    return name, text_of(doc.get("StartAction")), actions, meta


# An identifier the flow designer made up: a UUID, or hex with dashes.
_MADE_UP = re.compile(r"(?i)^[0-9a-f-]{8,}$")


def _block_name(ident: str, mine: Any) -> str | None:
    """Return a block's name: the Identifier when the designer marks it a friendly name
    (`isFriendlyName`), or when it reads as words (`Get card number`, `getCardNumber`),
    not a generated id."""
    if isinstance(mine, dict) and mine.get("isFriendlyName") is True:
        return ident
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", ident)
    if not _MADE_UP.match(ident) and len(words) >= 2:
        return ident
    return None


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
    "DistributeByPercentage",
    "CheckVoiceId",
    "CheckContactAttributes",
}
# A Lambda function's answer is not in the file: its success (NextAction) is followed.
LAMBDAS = {"InvokeLambdaFunction", "InvokeExternalResource"}
# Checks of the working queue when they name no queue or hours of their own: "Set working
# queue" is also the default queue for checking staffing, queue status and hours.
_QUEUE_CHECKS = {
    "CheckHoursOfOperation": "HoursOfOperationId",
    "CheckStaffing": "QueueId",
    "CheckMetricData": "QueueId",
}
# The flow language's condition operators (flow-language-actions, "List of Operators").
OPERATORS = {
    "Equals": "=",
    "TextStartsWith": "starts with",
    "TextEndsWith": "ends with",
    "TextContains": "contains",
    "NumberGreaterThan": ">",
    "NumberGreaterOrEqualTo": ">=",
    "NumberLessThan": "<",
    "NumberLessOrEqualTo": "<=",
}
_QUEUE_VALUE = re.compile(r"^\$\.Queue\.(Name|ARN)$")
# A flow that takes a message, not one that queues the call for a person.
VOICEMAIL = re.compile(r"(?i)voice\s*mail|(?<![a-z])vm(?![a-z])|survey|feedback")


def condition_label(subject: str | None, operator: str, value: str) -> str:
    """Return what a condition tests, as words: `$.External.status = "success"`."""
    op = OPERATORS.get(operator, operator)
    shown = value if value.lower() in ("true", "false") or op[0] in "<>" else f'"{value}"'
    return f"{subject} {op} {shown}" if subject else f"{op} {shown}"


def condition_holds(operator: str, value: str, actual: str) -> bool:
    """Return whether a condition is true of a known value, as Connect evaluates it."""
    if operator == "Equals":
        return actual == value
    if operator.startswith("Text"):
        test = {"TextStartsWith": str.startswith, "TextEndsWith": str.endswith}
        return test.get(operator, str.__contains__)(actual, value)
    try:
        a, v = float(actual), float(value)
    except ValueError:
        return False  # not numeric: the documented operators return false
    return {
        "NumberGreaterThan": a > v,
        "NumberGreaterOrEqualTo": a >= v,
        "NumberLessThan": a < v,
        "NumberLessOrEqualTo": a <= v,
    }.get(operator, False)


# What names a capture: a block or attribute name's words, less those saying "input".
_GENERIC = {
    "get", "ask", "asks", "collect", "collects", "store", "stored", "storing", "save",
    "capture", "enter", "input", "inputs", "customer", "user", "caller", "participant",
    "prompt", "read", "block", "dtmf", "digits", "digit", "the", "for", "of", "a", "an",
    "value", "attribute", "set", "play", "wav", "mp3",
}  # fmt: skip
_ASK = re.compile(
    r"(?i)\b(?:re-?enter|enter|type|key in|punch in|input|dial|provide|say|tell us|"
    r"what is|what's)\s+(?:in\s+)?(?:your|the|a|an)?\s*(?P<what>[a-z0-9][a-z0-9 '/-]*)"
)
_STOP = re.compile(
    r"(?i)\s+(?:followed|then|using|on|now|again|please|if|to|when|or|after|by|with|for|"
    r"so|that|which|and|from|as|in|at|here|below|is|it|we|you)\b.*"
)
_DIGITS = re.compile(r"(?i)\b\d+(?:[- ]?digits?)?\b|\bdigits?\b")


def capture_name(*candidates: str | None, fallback: str) -> str:
    """Return the name of what an input collects (`card_number`): the first candidate that
    says (a block name, a prompt, an attribute, an audio file), else `fallback`."""
    for i, text in enumerate(candidates):
        words = _prompt_words(text) if i == 1 else _name_words(text)
        if words:
            return "_".join(words)
    return fallback


def _name_words(text: str | None) -> list[str]:
    """Return a name's words (camelCase, snake_case, dashes) that say what it holds."""
    if not text:
        return []
    text = _tail(re.sub(r"(?i)\.(wav|mp3)$", "", text)) or text
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", spaced)]
    return [w for w in words if w not in _GENERIC][:4]


_NUMBERS = re.compile(r"(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b")
# "the last four digits of your card number": the card number's last digits.
_PART_OF = re.compile(r"(?i)^(?P<part>.*?)\bdigits?\s+of\s+(?:your|the|a|an)\s+(?P<whole>.+)$")


def _prompt_words(text: str | None) -> list[str]:
    """Return what a prompt asks for: "Please enter your 16-digit card number, then
    pound" -> card, number."""
    if not text:
        return []
    from ivraudit.importers.flow import ssml_words

    said = " ".join(w for w in ssml_words(text).split() if not w.startswith("$."))
    found = _ASK.search(said)
    if not found:
        return []
    what = _STOP.sub("", found["what"])
    part = _PART_OF.match(what)
    if part:
        what = f"{part['whole']} {part['part']}"
    what = _NUMBERS.sub(" ", _DIGITS.sub(" ", what.replace("'s ", " ")))
    return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*", what)][:5]


def steps(
    actions: list[Action], start: str | None, meta: dict[str, Any]
) -> tuple[str | None, list[Step], tuple[str, ...]]:
    """Classify each action reached from `start`, once per queue in effect where that
    queue decides what it does (`queue_walk`); return the entry, the steps and what was
    assumed."""
    by_id = {a.id: a for a in actions}
    arns: dict[str, set[str]] = {}  # queue name -> the ids it was set by
    for a in actions:
        if a.type == "UpdateContactTargetQueue":
            name = _queue_name(a, meta) or "queue"
            arns.setdefault(name, set()).add(text_of(a.params.get("QueueId")) or "")
    found, notes = queue_walk(
        start, by_id, lambda a, queue, key: _classify(a, queue, meta, key, by_id, arns)
    )
    out = [Step(id=step_id, pos=a.pos, **step) for step_id, a, step in found]
    return (
        (start if start in by_id else None),
        sorted(out, key=lambda s: s.pos),
        (
            *notes,
            *assumed((a.type, step) for _, a, step in found),
        ),
    )


def assumed(read: Iterable[tuple[str, dict[str, Any]]]) -> tuple[str, ...]:
    """Return what was assumed of the blocks read, (flow-language type, classification)
    each: flows taken to be queue flows, Lambda functions taken to succeed."""
    out = []
    kinds = {(t, step.get("kind")) for t, step in read}
    if ("TransferToFlow", "queue") in kinds:
        out.append(
            "a transfer to another flow after a working queue was set is read as reaching "
            "that queue (the other flow is taken to be the queue flow that puts the call "
            "in it; a voicemail or survey flow stays an exit)"
        )
    if any(t in LAMBDAS for t, _ in kinds):
        out.append(
            "a Lambda function is taken to succeed: its success path is followed, its "
            "error branch carries no calls"
        )
    return tuple(out)


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


def _saved_to(a: Action, by_id: dict[str, Action]) -> str | None:
    """Return the attribute a stored input is copied into by the steps right after it."""
    seen = 0
    after = by_id.get(a.next or "")
    while after is not None and seen < 4 and after.type in ("UpdateContactAttributes",):
        for name, value in dict(after.params.get("Attributes") or {}).items():
            if "StoredCustomerInput" in (text_of(value) or ""):
                return str(name)
        after, seen = by_id.get(after.next or ""), seen + 1
    return None


def _operators(a: Action) -> tuple[str, ...]:
    """Return each condition's operator (an Action made without them: `Equals`)."""
    if len(a.operators) == len(a.conditions):
        return a.operators
    return ("Equals",) * len(a.conditions)


def _flow_name(a: Action, meta: dict[str, Any]) -> str | None:
    mine = meta.get(a.id) or {}
    return (
        text_of(dig(mine, "ContactFlow", "text"))
        or text_of(dig(mine, "parameters", "ContactFlowId", "displayName"))
        or _tail(text_of(a.params.get("ContactFlowId")))
    )


def _resolve_queue_compare(a: Action, queue: str | None, arns: dict[str, set[str]]) -> str | None:
    """Return where a Compare of `$.Queue.Name`/`ARN` leads with `queue` in effect."""
    field = _QUEUE_VALUE.match(text_of(a.params.get("ComparisonValue")) or "")
    values = (
        set()
        if queue is None
        else ({queue} if field and field[1] == "Name" else arns.get(queue, set()))
    )
    for (value, target), op in zip(a.conditions, _operators(a), strict=True):
        if any(condition_holds(op, value, v) for v in values):
            return target
    return dict(a.errors).get("NoMatchingCondition") or a.next


def _classify(
    a: Action,
    queue: str | None,
    meta: dict[str, Any],
    key: Any,
    by_id: dict[str, Action],
    arns: dict[str, set[str]],
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
            # Named by what it collects: every capture lands in $.StoredCustomerInput.
            "collects": capture_name(
                a.name, text, _saved_to(a, by_id), audio, fallback=f"input_{slug(a.id, 8)}"
            ),
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
        flow = _flow_name(a, meta) or "another flow"
        if queue is not None and not VOICEMAIL.search(flow):
            return {"kind": "queue", "target": queue}  # the queue flow puts the call in it
        return {"kind": "flow", "target": flow}
    if t in ("DisconnectParticipant", "EndFlowExecution"):
        return {"kind": "hangup", "name": "disconnect"}
    if t in LAMBDAS:
        return {"kind": "pass", "name": short, "next": key(a.next, queue)}
    field = text_of(p.get("ComparisonValue")) or ""
    if t == "Compare" and _QUEUE_VALUE.match(field) and not isinstance(queue, Unknown):
        return {
            "kind": "pass",
            "name": short,
            "next": key(_resolve_queue_compare(a, queue, arns), queue),
        }
    if t in _SYSTEM_BRANCHING:
        names = _DECISIONS.get(t, {})
        routes = [
            (
                names.get(value)
                or (condition_label(field, op, value) if field else f"{t} {value}"),
                key(target, queue),
            )
            for (value, target), op in zip(a.conditions, _operators(a), strict=True)
        ]
        # A comparison's "otherwise" is its NoMatchingCondition error (older exports put
        # it in NextAction): with one condition it is the other half of the branch.
        otherwise = errors.get("NoMatchingCondition") if a.conditions else None
        if otherwise is None and (not a.conditions or t in ("Compare", "CheckContactAttributes")):
            otherwise = a.next
        if otherwise:
            routes.append(("otherwise", key(otherwise, queue)))
        step: dict[str, Any] = {"kind": "decision", "name": t, "routes": tuple(routes)}
        working = t in _QUEUE_CHECKS and not p.get(_QUEUE_CHECKS[t])
        if working or _QUEUE_VALUE.match(field):
            step["by_queue"] = True  # it checks the working queue: read once per queue
            if working and queue is not None and not isinstance(queue, Unknown):
                step["name"] = f"{t} {queue}"
        return step
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
