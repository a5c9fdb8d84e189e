"""Amazon Connect's older export (`modules`, `version: "1"`, before 2020)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import Position
from ivraudit.frozen import frozen
from ivraudit.importers.document import items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step
from ivraudit.importers.queue_walk import queue_walk

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
        branches = tuple(
            (text_of(b.get("condition")) or "", text_of(b.get("conditionValue")), tr)
            for b in items(raw.get("branches"))
            if isinstance(b, dict) and (tr := text_of(b.get("transition")))
        )
        modules.append(
            Module(
                id=text_of(raw["id"]) or "",
                type=text_of(raw.get("type")) or "",
                target=text_of(raw.get("target")),
                params=params,
                branches=branches,
                pos=where(raw, source),
            )
        )
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = text_of(meta.get("name")) or Path(source).stem
    return name, text_of(data.get("start")), modules


def _prompt(m: Module) -> tuple[str | None, str | None]:
    return m.param("Text"), m.resource("AudioPrompt")


_SYSTEM_BRANCHING = {"CheckHoursOfOperation", "CheckAttribute", "CheckStaffing", "Loop"}


def steps(
    modules: list[Module], start: str | None
) -> tuple[str | None, list[Step], tuple[str, ...]]:
    """Classify each module reached from `start`, once per queue chosen on the way where
    that queue matters (`queue_walk`); return the entry, the steps and what was assumed."""
    by_id = {m.id: m for m in modules}
    found, notes = queue_walk(start, by_id, _classify)
    out = [Step(id=step_id, pos=m.pos, **step) for step_id, m, step in found]
    return (start if start in by_id else None), sorted(out, key=lambda s: s.pos), notes


def _classify(m: Module, queue: str | None, key: Any) -> dict[str, Any]:
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
            "collects": "StoredCustomerInput",
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
        return {"kind": "flow", "target": m.resource("ContactFlowId") or "another flow"}
    if t == "Transfer":
        return {"kind": "person", "target": m.param("PhoneNumber") or "a phone number"}
    if t == "Resume":  # a customer-queue flow hands the caller back to the queue
        return {"kind": "queue", "target": queue or "the caller's queue"}
    if t == "Disconnect":
        return {"kind": "hangup", "name": "disconnect"}
    if t in _SYSTEM_BRANCHING:
        routes = []
        for c, v, tr in m.branches:
            if c in ("Error", "AtCapacity"):
                continue
            when = {"True": "in hours", "False": "out of hours"}.get(c) or (
                f"{m.param('Attribute') or t} = {v}" if c == "Evaluate" else f"{t} {c}"
            )
            routes.append((when, key(tr, queue)))
        return {"kind": "decision", "name": t, "routes": tuple(routes)}
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
