"""Amazon Connect's older export (`modules`, `version: "1"`, before 2020)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import Position
from ivraudit.frozen import frozen
from ivraudit.importers.amazon_connect import (
    VOICEMAIL,
    assumed,
    capture_name,
    condition_holds,
    condition_label,
)
from ivraudit.importers.document import items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step, slug
from ivraudit.importers.queue_walk import Unknown, queue_walk

NAME = "amazon-connect-modules"
TITLE = "Amazon Connect flow (old modules export)"
SYSTEM = "amazon-connect"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` is the old Connect export."""
    if '"modules"' in text and '"branches"' in text and '"transition"' in text:
        return 0.9
    return 0.0


@frozen
class Module:
    """One module as the file writes it."""

    id: str
    type: str
    target: str | None
    params: tuple[tuple[str, str | None, str | None], ...]  # (name, value, resourceName)
    branches: tuple[tuple[str, str | None, str], ...]  # (condition, value, transition)
    pos: Position
    operators: tuple[str | None, ...] = ()  # each branch's conditionType (`Equals`)
    keys: tuple[tuple[str, str | None, str | None], ...] = ()  # (key, value, namespace)

    def param(self, name: str) -> str | None:
        """Return the first value of a parameter."""
        return next((v for n, v, _ in self.params if n == name), None)

    def resource(self, name: str) -> str | None:
        """Return the resource name of a parameter, else its value's last part."""
        for n, v, r in self.params:
            if n == name:
                return r or (v.rstrip("/").split("/")[-1] if v else None)
        return None

    def branch(self, condition: str) -> str | None:
        """Return the transition of the first branch with this condition."""
        return next((t for c, _, t in self.branches if c == condition), None)


def parse(text: str, source: str) -> tuple[str, str | None, list[Module]]:
    """Return the flow's name, start module and modules."""
    data = load_json(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("modules"), list):
        raise MenuError(source, 1, 1, "no 'modules' list: not an Amazon Connect export")
    modules = []
    for raw in data["modules"]:
        if not isinstance(raw, dict) or text_of(raw.get("id")) is None:
            continue
        params = tuple(
            (text_of(p.get("name")) or "", text_of(p.get("value")), text_of(p.get("resourceName")))
            for p in items(raw.get("parameters"))
            if isinstance(p, dict)
        )
        kept = [
            (b, tr)
            for b in items(raw.get("branches"))
            if isinstance(b, dict) and (tr := text_of(b.get("transition")))
        ]
        branches = tuple(
            (text_of(b.get("condition")) or "", text_of(b.get("conditionValue")), tr)
            for b, tr in kept
        )
        keys = tuple(
            (key, text_of(p.get("value")), text_of(p.get("namespace")))
            for p in items(raw.get("parameters"))
            if isinstance(p, dict) and (key := text_of(p.get("key")))
        )
        modules.append(
            Module(
                id=text_of(raw["id"]) or "",
                type=text_of(raw.get("type")) or "",
                target=text_of(raw.get("target")),
                params=params,
                branches=branches,
                pos=where(raw, source),
                operators=tuple(text_of(b.get("conditionType")) for b, _ in kept),
                keys=keys,
            )
        )
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = text_of(meta.get("name")) or Path(source).stem
    return name, text_of(data.get("start")), modules


def _prompt(m: Module) -> tuple[str | None, str | None]:
    return m.param("Text"), m.resource("AudioPrompt")


_SYSTEM_BRANCHING = {"CheckHoursOfOperation", "CheckAttribute", "CheckStaffing", "Loop"}
# Checks of the working queue when they name none of their own (as in the flow language).
_QUEUE_CHECKS = {"CheckHoursOfOperation": "Hours", "CheckStaffing": "Queue"}
# The old export's condition types, in the flow language's words.
_OPERATORS = {
    "Equals": "Equals",
    "StartsWith": "TextStartsWith",
    "EndsWith": "TextEndsWith",
    "Contains": "TextContains",
    "GreaterThan": "NumberGreaterThan",
    "GreaterThanOrEqualTo": "NumberGreaterOrEqualTo",
    "LessThan": "NumberLessThan",
    "LessThanOrEqualTo": "NumberLessOrEqualTo",
}
# Where a CheckAttribute's namespace keeps its attribute, as a flow-language path.
_NAMESPACES = {"External": "$.External.", "User Defined": "$.Attributes.", "System": "$."}


def steps(
    modules: list[Module], start: str | None
) -> tuple[str | None, list[Step], tuple[str, ...]]:
    """Classify each module reached from `start`, once per queue in effect where that
    queue decides what it does (`queue_walk`); return the entry, the steps and what was
    assumed."""
    by_id = {m.id: m for m in modules}
    arns: dict[str, set[str]] = {}  # queue name -> the ARNs it was set by
    for m in modules:
        if m.type == "SetQueue":
            arns.setdefault(m.resource("Queue") or "queue", set()).add(m.param("Queue") or "")
    found, notes = queue_walk(
        start, by_id, lambda m, queue, key: _classify(m, queue, key, by_id, arns)
    )
    out = [Step(id=step_id, pos=m.pos, **step) for step_id, m, step in found]
    # Said as the flow language says them, for the notes of what was assumed.
    read = (
        ("TransferToFlow" if m.type == "Transfer" and m.target == "Flow" else m.type, step)
        for _, m, step in found
    )
    return (
        (start if start in by_id else None),
        sorted(out, key=lambda s: s.pos),
        (
            *notes,
            *assumed(read),
        ),
    )


def _subject(m: Module) -> str | None:
    """Return the attribute a CheckAttribute tests, as a path (`$.External.status`)."""
    attribute = m.param("Attribute")
    if attribute is None:
        return None
    return _NAMESPACES.get(m.param("Namespace") or "", "") + attribute


def _saved_to(m: Module, by_id: dict[str, Module]) -> str | None:
    """Return the attribute a stored input is copied into by the modules right after it."""
    after = by_id.get(m.branch("Success") or "")
    for _ in range(4):
        if after is None or after.type != "SetAttributes":
            return None
        for key, value, namespace in after.keys:
            if namespace == "System" and (value or "").replace(" ", "").lower() == (
                "storedcustomerinput"
            ):
                return key
        after = by_id.get(after.branch("Success") or "")
    return None


def _tests(m: Module) -> list[tuple[str, str, str]]:
    """Return a CheckAttribute's Evaluate branches: (operator, value, transition)."""
    ops = m.operators if len(m.operators) == len(m.branches) else (None,) * len(m.branches)
    return [
        (_OPERATORS.get(op or "Equals", op or "Equals"), v or "", tr)
        for (c, v, tr), op in zip(m.branches, ops, strict=True)
        if c == "Evaluate"
    ]


def _classify(
    m: Module, queue: str | None, key: Any, by_id: dict[str, Module], arns: dict[str, set[str]]
) -> dict[str, Any]:
    t = m.type
    ok = m.branch("Success")
    if t == "GetUserInput":
        text, audio = _prompt(m)
        timeout = m.param("Timeout")
        return {
            "kind": "menu",
            "name": "menu",
            "prompt": text,
            "audio": audio,
            "choices": tuple(
                Choice(key=v or "", target=key(tr, queue), pos=m.pos)
                for c, v, tr in m.branches
                if c == "Evaluate"
            ),
            "no_input": key(m.branch("Timeout"), queue),
            "no_match": key(m.branch("NoMatch"), queue),
            "retries": 0,  # Connect takes the branch at once: it has no retry counter
            "timeout": float(timeout) if timeout and timeout.isdigit() else None,
        }
    if t == "StoreUserInput":
        text, audio = _prompt(m)
        return {
            "kind": "input",
            "name": "input",
            "prompt": text,
            "audio": audio,
            # Named by what it collects: every capture lands in "Stored customer input".
            "collects": capture_name(
                None, text, _saved_to(m, by_id), audio, fallback=f"input_{slug(m.id, 8)}"
            ),
            "next": key(ok, queue),
        }
    if t in ("PlayPrompt", "LoopPrompts"):
        text, audio = _prompt(m)
        after = ok or m.branch("Timeout")
        return {
            "kind": "message",
            "name": "message",
            "prompt": text,
            "audio": audio,
            "next": key(after, queue),
        }
    if t == "SetQueue":
        return {"kind": "pass", "next": key(ok, m.resource("Queue") or "queue")}
    if t == "Transfer" and m.target == "Queue":
        return {"kind": "queue", "target": queue or "the queue set before"}
    if t == "Transfer" and m.target == "Flow":
        flow = m.resource("ContactFlowId") or "another flow"
        if queue is not None and not VOICEMAIL.search(flow):
            return {"kind": "queue", "target": queue}  # the queue flow puts the call in it
        return {"kind": "flow", "target": flow}
    if t == "Transfer":
        return {"kind": "person", "target": m.param("PhoneNumber") or "a phone number"}
    if t == "Resume":  # a customer-queue flow hands the caller back to the queue
        return {"kind": "queue", "target": queue or "the caller's queue"}
    if t == "Disconnect":
        return {"kind": "hangup", "name": "disconnect"}
    subject = _subject(m) if t == "CheckAttribute" else None
    on_queue = subject in ("$.Queue.Name", "$.Queue.ARN")
    if on_queue and not isinstance(queue, Unknown):
        # The queue set before is known here: the check takes its matching branch.
        values = set() if queue is None else {queue}
        if subject == "$.Queue.ARN" and queue is not None:
            values = arns.get(queue, set())
        match = next(
            (tr for op, v, tr in _tests(m) if any(condition_holds(op, v, x) for x in values)),
            m.branch("NoMatch"),
        )
        return {"kind": "pass", "name": t, "next": key(match, queue)}
    if t in _SYSTEM_BRANCHING:
        routes = []
        tests = iter(_tests(m))
        for c, _, tr in m.branches:
            if c in ("Error", "AtCapacity"):
                continue
            if c == "Evaluate":
                op, value, _ = next(tests)
                when = condition_label(subject or t, op, value)
            else:
                when = {"True": "in hours", "False": "out of hours", "NoMatch": "otherwise"}.get(
                    c, f"{t} {c}"
                )
            routes.append((when, key(tr, queue)))
        step: dict[str, Any] = {"kind": "decision", "name": t, "routes": tuple(routes)}
        working = t in _QUEUE_CHECKS and m.param(_QUEUE_CHECKS[t]) is None
        if working or on_queue:
            step["by_queue"] = True  # it checks the working queue: read once per queue
            if working and queue is not None and not isinstance(queue, Unknown):
                step["name"] = f"{t} {queue}"
        return step
    return {"kind": "pass", "name": t, "next": key(ok or m.branch("Error"), queue)}


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of an old Connect export."""
    name, start, modules = parse(text, source)
    entry, found, notes = steps(modules, start)
    return Flow(
        format=NAME,
        title=TITLE,
        name=name,
        entry=entry,
        steps=tuple(found),
        pos=Position(source, 1, 1),
        notes=notes,
    )
