"""Cisco Webex Contact Center Flow Designer exports (`process.activities` and
`process.links`; the `diagram` layout is not read)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import Position
from ivraudit.frozen import frozen
from ivraudit.importers.document import items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step

NAME = "webex"
TITLE = "Webex Contact Center flow (Flow Designer export)"
SYSTEM = "webex"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a Flow Designer export."""
    if '"activities"' in text and '"sourceActivityId"' in text and '"activityName"' in text:
        return 0.95
    return 0.0


@frozen
class Activity:
    """One Flow Designer activity and its outgoing links (condition, target)."""

    id: str
    name: str
    activity: str
    props: dict[str, Any]
    links: tuple[tuple[str, str], ...]
    pos: Position

    def link(self, *conditions: str) -> str | None:
        """Return the target of the first link with one of these conditions."""
        for condition in conditions:
            for c, target in self.links:
                if c == condition:
                    return target
        return None


def parse(text: str, source: str) -> tuple[str, list[Activity]]:
    """Return the flow's name and the activities of its main process."""
    data = load_json(text, source)
    process = data.get("process") if isinstance(data, dict) else None
    if not isinstance(process, dict) or not isinstance(process.get("activities"), dict):
        raise MenuError(source, 1, 1, "no 'process.activities': not a Flow Designer export")
    links: dict[str, list[tuple[str, str]]] = {}
    for link in items(process.get("links")):
        if isinstance(link, dict):
            src, dst = text_of(link.get("sourceActivityId")), text_of(link.get("targetActivityId"))
            if src and dst:
                links.setdefault(src, []).append((text_of(link.get("conditionExpr")) or "", dst))
    out = []
    for ident, raw in process["activities"].items():
        if not isinstance(raw, dict):
            continue
        props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
        out.append(
            Activity(
                id=str(ident),
                name=text_of(raw.get("name")) or str(ident),
                activity=text_of(props.get("activityName")) or text_of(raw.get("group")) or "",
                props=props,
                links=tuple(links.get(str(ident), [])),
                pos=where(raw, source),
            )
        )
    name = text_of(data.get("name")) or Path(source).stem
    return name, out


def _prompt(props: dict[str, Any]) -> tuple[str | None, str | None]:
    words = " ".join(
        text_of(p.get("value")) or "" for p in items(props.get("promptsTts")) if isinstance(p, dict)
    ).strip()
    audio = text_of(props.get("prompt")) or next(
        (text_of(p) for p in items(props.get("prompts")) if text_of(p)), None
    )
    return (words or None), (None if words else audio)


def _step(a: Activity) -> dict[str, Any]:
    kind = a.activity
    default = a.link("default", "out", "success", "true")
    if kind == "ivr-menu":
        keys = [text_of(k) or "" for k in items(a.props.get("menuLinks"))]
        labels = [text_of(k) for k in items(a.props.get("menuLinks_input"))]
        text, audio = _prompt(a.props)
        timeout = a.props.get("entryTimeout")
        return {
            "kind": "menu",
            "prompt": text,
            "audio": audio,
            "choices": tuple(
                Choice(k, a.link(k), a.pos, labels[i] if i < len(labels) else None)
                for i, k in enumerate(keys)
            ),
            "no_input": a.link("timeout"),
            "no_match": a.link("invalid"),
            "retries": 0,  # the links are taken at the first timeout or invalid key
            "timeout": float(timeout) if isinstance(timeout, (int, float)) else None,
            "barge_in": a.props.get("interruptible") is not False,
        }
    if kind in ("play-message", "play-music"):
        text, audio = _prompt(a.props)
        if kind == "play-music" and text is None:
            audio = audio or "music"
        return {"kind": "message", "prompt": text, "audio": audio, "next": default}
    if kind == "queue-contact":
        queue = (
            text_of(a.props.get("destination:name"))
            or text_of(a.props.get("destinationName"))
            or text_of(a.props.get("destination"))
            or "a queue"
        )
        return {"kind": "queue", "target": queue}
    if kind == "blind-transfer":
        return {"kind": "person", "target": text_of(a.props.get("transfertodn")) or "a number"}
    if kind == "disconnect-contact":
        return {"kind": "hangup"}
    if kind in ("ivr-virtualassistant", "callback", "collect-digits"):
        after = a.link("ESCALATE", "default", "out") or (a.links[0][1] if a.links else None)
        return {"kind": "service", "next": after}
    if kind == "condition-activity" or a.props.get("group") == "enum-gateway":
        routes = tuple((c, t) for c, t in a.links if c not in ("error", "failure"))
        return {"kind": "decision", "routes": routes}
    return {"kind": "pass", "next": default or (a.links[0][1] if a.links else None)}


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a Flow Designer export's main process."""
    name, activities = parse(text, source)
    entry = None
    steps = []
    for a in activities:
        if a.activity == "NewPhoneContact" or a.props.get("activityId") == "start":
            entry = a.links[0][1] if a.links else None
            continue
        steps.append(Step(a.id, pos=a.pos, name=a.name, **_step(a)))
    notes = (
        "the main flow is read from its start activity; event flows are not read",
        "a virtual agent or callback serves the caller; a virtual agent's escalation is followed",
    )
    return Flow(NAME, TITLE, name, entry, tuple(steps), Position(source, 1, 1), notes)
