"""Twilio Studio flow definitions (`states`, `initial_state`, `flags`).

Studio runs a call from widget to widget along transitions. A `gather-input-on-call`
collects keys and fires `keypress`; the `split-based-on` that tests its
`{{widgets.<name>.Digits}}` picks the next widget by its transitions' conditions
(`equal_to`, `matches_any_of`, `starts_with`, `is_blank`...), else `noMatch`. A gather
whose split picks by single keys is a menu, and each gather a key leads to is read the
same way (a submenu); a gather that collects a number is an input, then its split is a
decision. See docs/importers.md, "Twilio Studio".
"""

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
class Condition:
    """One condition of a split's transition: its type, value and friendly name."""

    type: str
    value: str
    name: str


@frozen
class Transition:
    """One transition of a widget: the event, where it leads (None: the flow ends), and
    for a split's `match` event the conditions that must hold."""

    event: str
    next: str | None
    conditions: tuple[Condition, ...] = ()


@frozen
class State:
    """One Studio widget as the file writes it."""

    name: str
    type: str
    props: dict[str, Any]
    transitions: tuple[Transition, ...]
    pos: Position

    def on(self, event: str) -> str | None:
        """Return where the first transition for `event` leads (None: the flow ends)."""
        return next((t.next for t in self.transitions if t.event == event), None)

    def has(self, event: str) -> bool:
        """Return whether the widget has a transition for `event` that leads somewhere."""
        return self.on(event) is not None


def _condition(raw: dict[str, Any]) -> Condition:
    return Condition(
        type=text_of(raw.get("type")) or "",
        value=text_of(raw.get("value")) or "",
        name=text_of(raw.get("friendly_name")) or "",
    )


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
            Transition(
                event=text_of(t.get("event")) or "",
                next=text_of(t.get("next")),
                conditions=tuple(
                    _condition(c) for c in items(t.get("conditions")) if isinstance(c, dict)
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


def _number(value: Any) -> float | None:
    text = (text_of(value) or "").strip()
    try:
        return float(text) if text else None
    except ValueError:
        return None


# ---- conditions ---------------------------------------------------------------------

# How a condition type reads in a route's label (Studio's own names, in words).
_OPS = {
    "equal_to": "equal to",
    "not_equal_to": "not equal to",
    "matches_any_of": "matches any of",
    "does_not_match_any_of": "does not match any of",
    "is_blank": "is blank",
    "is_not_blank": "is not blank",
    "regex": "matches the pattern",
    "contains": "contains",
    "does_not_contain": "does not contain",
    "starts_with": "starts with",
    "does_not_start_with": "does not start with",
    "less_than": "less than",
    "greater_than": "greater than",
    "is_before_time": "is before time",
    "is_after_time": "is after time",
    "is_before_date": "is before date",
    "is_after_date": "is after date",
}
_NO_VALUE = ("is_blank", "is_not_blank")
_LIST = ("matches_any_of", "does_not_match_any_of")


def _parts(value: str) -> list[str]:
    """Return the values of a `matches_any_of` list (Studio separates them by commas)."""
    return [p.strip() for p in value.split(",") if p.strip()]


def subject(template: str | None) -> str:
    """Return what a split tests, as a label names it: `{{widgets.hours.parsed.status}}`
    reads `hours.parsed.status`."""
    text = " ".join((template or "").split())
    match = re.fullmatch(r"\{\{-?\s*(.*?)\s*-?\}\}", text)
    inner = match.group(1) if match else text
    return re.sub(r"^widgets\.", "", inner) or "the value"


def label(cond: Condition, tested: str) -> str:
    """Return a condition in words, e.g. `hours.parsed.status starts with "open"`."""
    op = _OPS.get(cond.type, cond.type.replace("_", " ") or "matches")
    value = cond.value.strip()
    if cond.type in _NO_VALUE:
        return f"{tested} {op}"
    if cond.type == "equal_to" and value.lower() in ("true", "false"):
        return f"{tested} = {value}"  # a flag compared with a boolean reads as one
    if cond.type in _LIST:
        value = ", ".join(_parts(value))
    return f'{tested} {op} "{value}"'


def _keys(cond: Condition, finish: str) -> tuple[str, ...] | None:
    """Return the single keys a condition on a gather's digits matches (none: it cannot
    match a key press), or None when it tests more than one key (a typed number)."""
    value = cond.value.strip()
    if cond.type in ("equal_to", "starts_with"):
        # A one-key gather sends one digit: starting with it is being it.
        return (value,) if value in PHONE_KEYS else None
    if cond.type == "matches_any_of":
        # A list may name words for speech beside the keys ("1, one"): digits are keys.
        parts = [p for p in _parts(value) if p in PHONE_KEYS]
        return tuple(parts) or None
    if cond.type == "is_blank":
        # Keys were pressed but no digits kept: the caller pressed the finish key alone.
        return (finish,) if finish in PHONE_KEYS else ()
    return None


# ---- gathers ------------------------------------------------------------------------

# Widgets a caller's key may pass on its way to the split that tests it: a "one moment"
# prompt, variables set, a function or request that logs the choice (its success taken).
_GOES_ON = {
    "say-play": "audioComplete",
    "set-variables": "next",
    "run-function": "success",
    "make-http-request": "success",
}


def _reads(split: State, gather: State, field: str) -> bool:
    """Return whether a split tests `{{widgets.<gather>.<field>}}`."""
    source = text_of(split.props.get("input")) or ""
    pattern = rf"\{{\{{-?\s*widgets\.{re.escape(gather.name)}\.{field}\s*-?\}}\}}"
    return re.fullmatch(pattern, source.strip()) is not None


def _split_after(
    gather: State, event: str, field: str, by_name: dict[str, State]
) -> tuple[State, list[State]] | None:
    """Return the split on the gather's `field` its `event` leads to, and the widgets
    passed on the way there (a "one moment" prompt, a logging function), or None."""
    on_way: list[State] = []
    at = by_name.get(gather.on(event) or "")
    while at is not None and at.type in _GOES_ON and len(on_way) < 20:
        if any(seen.name == at.name for seen in on_way):
            return None
        on_way.append(at)
        at = by_name.get(at.on(_GOES_ON[at.type]) or "")
    if at is not None and at.type == "split-based-on" and _reads(at, gather, field):
        return at, on_way
    return None


def _number_taken(gather: State) -> bool:
    """Return whether a gather collects a number of more than one digit."""
    digits = _number(gather.props.get("number_of_digits"))
    return digits is not None and digits > 1


def _finish_key(gather: State) -> str:
    # Studio's Gather stops on `#` unless the flow sets another key or none.
    value = gather.props.get("finish_on_key", "#")
    return (text_of(value) or "").strip()


def _digit_splits(gather: State, split: State, by_name: dict[str, State]) -> list[State]:
    """Return the split on a gather's digits and the splits its `noMatch` chains to that
    test the same digits (keys 1-3 in one split, 4-6 in the next)."""
    chain, names = [split], {split.name}  # names: a long chain is walked once
    after = by_name.get(split.on("noMatch") or "")
    while (
        after is not None
        and after.type == "split-based-on"
        and after.name not in names
        and _reads(after, gather, "Digits")
    ):
        chain.append(after)
        names.add(after.name)
        after = by_name.get(after.on("noMatch") or "")
    return chain


def _menu_choices(
    gather: State, splits: list[State]
) -> list[tuple[str, str | None, str | None, Position]] | None:
    """Return (key, target, label, where) for each key the splits pick by, first match
    first; None when a condition tests something other than single keys."""
    finish = _finish_key(gather)
    out: list[tuple[str, str | None, str | None, Position]] = []
    seen: set[str] = set()
    for split in splits:
        for t in split.transitions:
            if t.event != "match":
                continue
            if len(t.conditions) != 1:
                return None
            [cond] = t.conditions
            keys = _keys(cond, finish)
            if keys is None:
                return None
            name = cond.name.strip()
            informative = name and name not in keys and not name.lower().startswith("if value")
            for key in keys:
                if key not in seen:  # Studio takes the first condition that matches
                    seen.add(key)
                    out.append((key, t.next, name if informative else None, split.pos))
    if all(key == finish for key, _, _, _ in out):
        # Only "the finish key alone" is a choice: what else is typed is a number (a
        # ticket, an account) that the split's other outcome takes.
        return None
    return out


def _types_a_number(
    gather: State, splits: list[State], keys: list[str], by_name: dict[str, State]
) -> bool:
    """Return whether a gather open to many digits (a finish key, no one-digit limit) that
    picks at most one key besides the finish key alone sends whatever else is typed on,
    not back to itself: "enter your ticket number, or press 0 for an agent"."""
    finish = _finish_key(gather)
    if _number(gather.props.get("number_of_digits")) == 1 or finish not in PHONE_KEYS:
        return False
    if len({k for k in keys if k != finish}) > 1:
        return False
    other = splits[-1].on("noMatch")
    then = by_name.get(other or "")
    if other is None or other == gather.name:
        return False
    # "Sorry, that is not an option" before asking again is a menu's retry.
    return not (then and then.type == "say-play" and then.on("audioComplete") == gather.name)


class _Reader:
    """Classify the widgets of one flow into steps."""

    def __init__(self, states: list[State]) -> None:
        self.by_name = {s.name: s for s in states}
        self.extra: list[Step] = []  # copies of prompts heard between a key and its split
        self.copies: dict[tuple[str, str | None], str] = {}

    def via(self, on_way: list[State], target: str | None) -> str | None:
        """Return the step a key leads to through the prompts on its way to `target`: one
        copy of those prompts per target, so each option hears them, then goes on."""
        after = target
        for state in reversed(on_way):
            if state.type != "say-play":
                continue
            ident = f"{state.name} > {after}"
            if (state.name, after) not in self.copies:
                text, audio = _prompt(state.props)
                self.extra.append(
                    Step(
                        id=ident,
                        name=state.name,
                        kind="message",
                        pos=state.pos,
                        prompt=text,
                        audio=audio,
                        next=after,
                    )
                )
                self.copies[(state.name, after)] = ident
            after = self.copies[(state.name, after)]
        return after

    def gather(self, s: State) -> dict[str, Any]:
        text, audio = _prompt(s.props)
        found = None if _number_taken(s) else _split_after(s, "keypress", "Digits", self.by_name)
        splits = _digit_splits(s, found[0], self.by_name) if found else []
        choices = _menu_choices(s, splits) if found else None
        if choices and _types_a_number(s, splits, [c[0] for c in choices], self.by_name):
            choices = None
        if found and choices:
            on_way = found[1]
            return {
                "kind": "menu",
                "choices": tuple(
                    Choice(key=k, target=self.via(on_way, t), pos=at, label=name)
                    for k, t, name, at in choices
                ),
                "no_input": s.on("timeout"),
                "no_match": self.via(on_way, splits[-1].on("noMatch")),
                "retries": 0,  # Studio follows the timeout transition at once
                "timeout": _number(s.props.get("timeout")),
                "prompt": text,
                "audio": audio,
            }
        spoken = (
            None if s.has("keypress") else _split_after(s, "speech", "SpeechResult", self.by_name)
        )
        if spoken:
            split, on_way = spoken
            return {
                "kind": "menu",
                "choices": tuple(
                    Choice(
                        key=", ".join(_parts(t.conditions[0].value)) or t.conditions[0].value,
                        target=self.via(on_way, t.next),
                        pos=split.pos,
                    )
                    for t in split.transitions
                    if t.event == "match"
                    and t.conditions
                    and t.conditions[0].type not in _NO_VALUE
                    and t.conditions[0].value.strip()
                ),
                "no_input": s.on("timeout"),
                "no_match": self.via(on_way, split.on("noMatch")),
                "retries": 0,
                "timeout": _number(s.props.get("timeout")),
                "prompt": text,
                "audio": audio,
            }
        # A number (an account, a ticket) or keys the next split does not pick by one at
        # a time: the digits are collected, and whatever tests them decides.
        return {
            "kind": "input",
            "prompt": text,
            "audio": audio,
            "collects": s.name,
            "next": s.on("keypress") if s.has("keypress") else s.on("speech"),
        }

    def split(self, s: State) -> dict[str, Any]:
        tested = subject(text_of(s.props.get("input")))
        gather = self.by_name.get(tested.removesuffix(".Digits"))
        finish = ""
        if gather and gather.type == "gather-input-on-call" and tested.endswith(".Digits"):
            finish = _finish_key(gather)

        def words(c: Condition) -> str:
            said = label(c, tested)
            if c.type == "is_blank" and finish in PHONE_KEYS:
                said += f" ({finish} alone)"  # what the caller did to leave it blank
            return said

        routes = [
            (" and ".join(words(c) for c in t.conditions) or t.event, t.next)
            for t in s.transitions
            if t.event == "match"
        ]
        routes.append(("otherwise", s.on("noMatch")))
        return {"kind": "decision", "routes": tuple(routes)}


def _failed(state: State) -> str | None:
    """Return where a function's or HTTP request's failure leads (`fail` for a function,
    `failed` for an HTTP request), or None."""
    return state.on("fail") or state.on("failed")


def steps(states: list[State]) -> tuple[str | None, list[Step]]:
    """Classify each state; a gather and the split on its digits become one menu."""
    reader = _Reader(states)
    out: list[Step] = []
    entry = None
    for s in states:
        kind: dict[str, Any]
        if s.type == "trigger":
            entry = s.on("incomingCall")
            continue
        if s.type == "gather-input-on-call":
            kind = reader.gather(s)
        elif s.type == "say-play":
            text, audio = _prompt(s.props)
            kind = {
                "kind": "message",
                "prompt": text,
                "audio": audio,
                "next": s.on("audioComplete"),
            }
        elif s.type == "split-based-on":
            kind = reader.split(s)
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
        elif s.type in ("run-function", "make-http-request") and _failed(s) is not None:
            # Studio takes `success` on a 2xx answer and `fail` otherwise; the answer is
            # unknown here, so the call takes `success` (flow.py's normal outcome) and the
            # `fail` route is kept with no calls (without one, a failure ends the call).
            kind = {
                "kind": "decision",
                "routes": (("success", s.on("success")), ("fail", _failed(s))),
            }
        else:  # variables and other widgets the caller does not notice
            after = s.on("success") or s.on("next")
            if after is None and s.transitions:
                after = s.transitions[0].next
            kind = {"kind": "pass", "next": after}
        out.append(Step(id=s.name, name=s.name, pos=s.pos, **kind))
    return entry, out + reader.extra


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a Studio flow definition."""
    name, states = parse(text, source)
    entry, found = steps(states)
    notes = ("the end of a Studio flow (a transition with no next widget) is a hang-up",)
    return Flow(NAME, TITLE, name, entry, tuple(found), Position(source, 1, 1), notes)
