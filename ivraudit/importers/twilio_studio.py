"""Twilio Studio flow definitions (`states`, `initial_state`, `flags`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.frozen import frozen
from ivraudit.importers.document import items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step

NAME = "twilio-studio"
TITLE = "Twilio Studio flow"
SYSTEM = "twilio"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a Studio flow definition."""
    if '"states"' in text and '"initial_state"' in text and '"transitions"' in text:
        return 0.95
    return 0.0


@frozen
class State:
    """One Studio widget as the file writes it."""

    name: str
    type: str
    props: dict[str, Any]
    transitions: tuple[tuple[str, str | None, tuple[str, ...]], ...]  # (event, next, values)
    pos: Position

    def on(self, event: str) -> str | None:
        """Return where the first transition for `event` leads (None: the flow ends)."""
        return next((n for e, n, _ in self.transitions if e == event), None)


def parse(text: str, source: str) -> tuple[str, list[State]]:
    """Return the flow's description and its states."""
    data = load_json(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("states"), list):
        raise MenuError(source, 1, 1, "no 'states' list: not a Twilio Studio flow")
    states = []
    for raw in data["states"]:
        if not isinstance(raw, dict) or text_of(raw.get("name")) is None:
            continue
        transitions = tuple(
            (
                text_of(t.get("event")) or "",
                text_of(t.get("next")),
                tuple(
                    (text_of(c.get("value")) or "").strip()
                    for c in items(t.get("conditions"))
                    if isinstance(c, dict)
                ),
            )
            for t in items(raw.get("transitions"))
            if isinstance(t, dict)
        )
        props = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
        states.append(
            State(
                name=text_of(raw["name"]) or "",
                type=text_of(raw.get("type")) or "",
                props=props,
                transitions=transitions,
                pos=where(raw, source),
            )
        )
    name = text_of(data.get("description")) or Path(source).stem
    return name, states


def _prompt(props: dict[str, Any]) -> tuple[str | None, str | None]:
    play = text_of(props.get("play"))
    return text_of(props.get("say")), (play.rsplit("/", 1)[-1] or play) if play else None


def _digits_split(state: State, by_name: dict[str, State]) -> State | None:
    """Return the split that reads this gather's digits, if its keypress leads to one."""
    split = by_name.get(state.on("keypress") or "")
    if split is None or split.type != "split-based-on":
        return None
    source = text_of(split.props.get("input")) or ""
    if re.fullmatch(rf"\{{\{{\s*widgets\.{re.escape(state.name)}\.Digits\s*\}}\}}", source):
        return split
    return None


def steps(states: list[State]) -> tuple[str | None, list[Step]]:
    """Classify each state; a gather and the split on its digits become one menu."""
    by_name = {s.name: s for s in states}
    out: list[Step] = []
    entry = None
    for s in states:
        kind: dict[str, Any]
        if s.type == "trigger":
            entry = s.on("incomingCall")
            continue
        if s.type == "gather-input-on-call":
            text, audio = _prompt(s.props)
            split = _digits_split(s, by_name)
            keys = (
                [v for e, _, vals in split.transitions if e == "match" for v in vals]
                if split
                else []
            )
            if split is not None and keys and all(k in PHONE_KEYS for k in keys):
                timeout = text_of(s.props.get("timeout"))
                choices = tuple(
                    Choice(key=vals[0], target=nxt, pos=split.pos)
                    for e, nxt, vals in split.transitions
                    if e == "match" and vals
                )
                kind = {
                    "kind": "menu",
                    "choices": choices,
                    "no_input": s.on("timeout"),
                    "no_match": split.on("noMatch"),
                    "retries": 0,  # Studio follows the timeout transition at once
                    "timeout": float(timeout) if timeout and timeout.isdigit() else None,
                    "prompt": text,
                    "audio": audio,
                }
            else:
                kind = {
                    "kind": "input",
                    "prompt": text,
                    "audio": audio,
                    "collects": s.name,
                    "next": s.on("keypress"),
                }
        elif s.type == "say-play":
            text, audio = _prompt(s.props)
            kind = {
                "kind": "message",
                "prompt": text,
                "audio": audio,
                "next": s.on("audioComplete"),
            }
        elif s.type == "split-based-on":
            routes = [
                (f"{text_of(s.props.get('input'))} = {'/'.join(vals)}", nxt)
                for e, nxt, vals in s.transitions
                if e == "match"
            ]
            routes.append(("otherwise", s.on("noMatch")))
            kind = {"kind": "decision", "routes": tuple(routes)}
        elif s.type == "send-to-flex":
            kind = {"kind": "queue", "target": text_of(s.props.get("workflow")) or "Flex"}
        elif s.type == "enqueue-call":
            queue = text_of(s.props.get("queue_name")) or text_of(s.props.get("workflow_sid"))
            kind = {"kind": "queue", "target": queue or "a queue"}
        elif s.type == "connect-call-to":
            kind = {"kind": "person", "target": text_of(s.props.get("to")) or "a number"}
        elif s.type == "run-subflow":
            kind = {"kind": "flow", "target": text_of(s.props.get("flow_sid")) or "a subflow"}
        elif s.type in ("record-voicemail",):
            kind = {"kind": "service", "prompt": None}
        else:  # functions, HTTP requests, variables: the success path, as the caller notices none
            after = s.on("success") or s.on("next")
            if after is None and s.transitions:
                after = s.transitions[0][1]
            kind = {"kind": "pass", "next": after}
        out.append(Step(id=s.name, name=s.name, pos=s.pos, **kind))
    return entry, out


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a Studio flow definition."""
    name, states = parse(text, source)
    entry, found = steps(states)
    notes = ("the end of a Studio flow (a transition with no next widget) is a hang-up",)
    return Flow(NAME, TITLE, name, entry, tuple(found), Position(source, 1, 1), notes)
