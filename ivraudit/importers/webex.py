"""Cisco Webex Contact Center Flow Designer exports (`process.activities` and
`process.links`; the `diagram` layout is not read).

Each activity is read the way Flow Designer runs it (docs/importers.md, "Webex Contact
Center"): a Collect Digits followed by a Case or Condition on single keys is the caller's
menu; a queue's `default` link is its treatment while the caller waits.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.frozen import frozen
from ivraudit.importers.document import dig, items, load_json, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step

NAME = "webex"
TITLE = "Webex Contact Center flow (Flow Designer export)"
SYSTEM = "webex"
ROLE = "flow"

# Outcomes that report a failure: not followed, as in the other importers.
_ERRORS = frozenset({"error", "failure", "insufficientdata"})
# Activities that hand the caller to a person: the flow's `default` link after them is
# what the caller hears while waiting (the queue treatment).
_QUEUES = frozenset({"queue-contact", "queue-to-agent"})
# Activities that only compute (variables, requests, parsing): the call goes on.
_QUIET = frozenset({"set-variable", "parse", "parse-activity", "bre-request", "fn-activity"})
_REQUESTS = frozenset({"http-request-v2", "http-request"})
_DIGITS = re.compile(r"\b(\w+)\.DigitsEntered\b")
_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*")
_KEY_TEST = re.compile(r"""^\s*\{\{\s*([\w.]+)\s*==\s*["']?([0-9*#])["']?\s*\}\}\s*$""")
_AGENT = "\0agent"  # suffix of the exit a queue activity's agent is
_WAIT = "the caller waits: the queue's treatment"
_ANSWER = "an agent answers"


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

    def onward(self) -> str | None:
        """Return where the activity goes when it succeeds: its default link, else its
        first link that is not an error."""
        return self.link("default", "out", "success", "true") or next(
            (t for c, t in self.links if c.lower() not in _ERRORS), None
        )


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
                # The outcome the link leaves by; the editor also keeps it in its properties.
                cond = text_of(link.get("conditionExpr")) or text_of(
                    dig(link, "properties", "value")
                )
                links.setdefault(src, []).append((cond or "", dst))
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


def _prompt(props: dict[str, Any]) -> tuple[str | None, str | None, int]:
    """Return a prompt's words, its first audio file and how many audio files it plays."""
    words: list[str] = []
    audio: list[str] = []
    for key in ("promptsTts", "prompts", "audioPrompts"):
        for entry in items(props.get(key)):
            if isinstance(entry, dict):
                kind = (text_of(entry.get("type")) or "").lower()
                value = text_of(entry.get("value")) or text_of(entry.get("name"))
                if not value:
                    continue
                if kind in ("tts", "text", "ssml") or (not kind and key == "promptsTts"):
                    words.append(value)
                else:  # an audio file, or an audio prompt variable
                    audio.append(value)
            elif text_of(entry):
                (words if key == "promptsTts" else audio).append(str(entry))
    for key in ("prompt", "promptDynamic", "audioPromptVariable"):
        if text_of(props.get(key)):
            audio.append(str(props[key]))
    if props.get("toggle") is False and audio:
        words = []  # text-to-speech is switched off: the audio files play
    text = " ".join(words).strip() or None
    return text, (audio[0] if audio else None), max(len(audio), 1)


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds == seconds else None  # NaN is no timeout


def _unbrace(expr: str) -> str:
    return expr.strip().removeprefix("{{").removesuffix("}}").strip()


class _Reader:
    """Classify activities into steps, knowing which variables hold collected digits."""

    def __init__(self, activities: list[Activity]) -> None:
        self.by_id = {a.id: a for a in activities}
        collects = {a.name for a in activities if a.activity == "ivr-collectdigits"}
        self.digit_vars: set[str] = set()
        for a in activities:  # a variable set from collected digits holds them too
            if a.activity != "set-variable":
                continue
            for row in [a.props, *(r for r in items(a.props.get("setVariablesArray")))]:
                if not isinstance(row, dict):
                    continue
                value = " ".join(text_of(row.get(k)) or "" for k in ("expr", "literal"))
                var = text_of(row.get("srcVariable"))
                if var and any(m in collects for m in _DIGITS.findall(value)):
                    self.digit_vars.add(var)
        self.collects = collects
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def on_digits(self, expr: str) -> bool:
        """Whether an expression tests digits the caller typed in a Collect Digits."""
        if any(m in self.collects for m in _DIGITS.findall(expr)):
            return True
        # Each name in the expression looked up once: many variables stay linear.
        return any(name in self.digit_vars for name in _NAME.findall(expr))

    def case_keys(self, a: Activity) -> list[tuple[str, str]] | None:
        """Return a case's (key, target) when it branches on one typed key, else None."""
        expr = text_of(a.props.get("expression")) or ""
        cases = [(c, t) for c, t in a.links if c.lower() not in _ERRORS and c != "default"]
        if not cases or not self.on_digits(expr) or any(c not in PHONE_KEYS for c, _ in cases):
            return None
        return cases

    def key_test(self, a: Activity) -> str | None:
        """Return the key a condition tests typed digits against, else None."""
        match = _KEY_TEST.match(text_of(a.props.get("expression")) or "")
        if a.activity != "condition-activity" or not match or not self.on_digits(match[1]):
            return None
        return match[2]

    def keys_after(self, start: str | None) -> tuple[list[tuple[str, str | None]], str | None]:
        """Return the keys a Case or a chain of Conditions after a Collect Digits branches
        on (with where each leads), and where other digits go; ([], None) if none."""
        seen: set[str] = set()
        a = self.by_id.get(start or "")
        while a is not None and a.activity in _QUIET and a.id not in seen:
            seen.add(a.id)  # variables set from the digits before the branch
            a = self.by_id.get(a.onward() or "")
        if a is None:
            return [], None
        if a.activity == "case-statement":
            cases = self.case_keys(a)
            return (list(cases), a.link("default")) if cases else ([], None)
        keys: list[tuple[str, str | None]] = []
        while a is not None and a.id not in seen and (key := self.key_test(a)) is not None:
            seen.add(a.id)
            keys.append((key, a.link("true")))
            other = a.link("false")
            a = self.by_id.get(other or "")
            if a is None or self.key_test(a) is None:
                return keys, other
        return keys, None

    def step(self, a: Activity) -> dict[str, Any]:
        """Return the Step fields of one activity, classified as Flow Designer runs it."""
        kind = a.activity
        text, audio, files = _prompt(a.props)
        spoken = {"prompt": text, "audio": audio, "audio_files": files}
        timeout = _seconds(a.props.get("entryTimeout"))
        if kind in ("ivr-menu", "menu"):
            keys = [text_of(k) or "" for k in items(a.props.get("menuLinks"))]
            labels = [text_of(k) for k in items(a.props.get("menuLinks_input"))]
            for option in items(a.props.get("menuOptions")):  # the authoring form
                if isinstance(option, dict) and text_of(option.get("digit")):
                    keys.append(str(option["digit"]))
                    labels.append(text_of(option.get("label")))
            keys = keys or [c for c, _ in a.links if c in PHONE_KEYS]
            return {
                "kind": "menu",
                **spoken,
                "choices": tuple(
                    Choice(k, a.link(k), a.pos, labels[i] if i < len(labels) else None)
                    for i, k in enumerate(dict.fromkeys(keys))
                ),
                "no_input": a.link("timeout"),
                "no_match": a.link("invalid"),
                "retries": 0,  # the links are taken at the first timeout or invalid key
                "timeout": timeout,
                "barge_in": a.props.get("interruptible") is not False,
            }
        if kind == "ivr-collectdigits":
            keys, other = self.keys_after(a.link("default"))
            if keys:  # the next activity branches on the key: the caller's menu
                self.note(
                    "a Collect Digits whose digits a Case or Condition then tests key by key "
                    "is read as a menu of those keys"
                )
                return {
                    "kind": "menu",
                    **spoken,
                    "choices": tuple(Choice(k, t, a.pos) for k, t in dict(keys).items()),
                    "no_input": a.link("timeout"),
                    "no_match": other or a.link("invalid"),
                    "retries": 0,
                    "timeout": timeout,
                    "barge_in": a.props.get("interruptible") is not False,
                }
            return {
                "kind": "input",
                **spoken,
                "collects": a.name,
                "next": a.link("default", "out") or a.link("timeout", "invalid"),
            }
        if kind in ("play-message", "play-music"):
            if kind == "play-music" and text is None:
                spoken["audio"] = audio or "music"
            return {"kind": "message", **spoken, "next": a.onward()}
        if kind == "queue-contact":
            queue = (
                text_of(a.props.get("destination:name"))
                or text_of(a.props.get("destination_name"))
                or text_of(a.props.get("destinationName"))
                or text_of(a.props.get("destination"))
                or text_of(a.props.get("queueId"))
                or text_of(a.props.get("destinationVariable"))
                or "a queue"
            )
            return {"kind": "queue", "target": queue}
        if kind == "queue-to-agent":
            agent = _unbrace(text_of(a.props.get("destinationVariable")) or "") or "agent"
            return {"kind": "person", "target": f"preferred agent {agent}".strip()}
        if kind in ("blind-transfer", "bridged-transfer"):
            number = _unbrace(text_of(a.props.get("transfertodn")) or "") or "a number"
            return {"kind": "person", "target": number}
        if kind in ("goto", "hand-off", "handoff", "go-to"):
            # The flow or entry point it goes to, by its name where the export gives one.
            named = sorted(
                (k, text_of(v))
                for k, v in a.props.items()
                if k.endswith((":name", "_name"))
                and any(w in k.lower() for w in ("flow", "entry", "dest", "goto"))
                and text_of(v)
            )
            target = (
                (named[0][1] if named else None)
                or text_of(a.props.get("handOffFlow"))
                or text_of(a.props.get("destination"))
                or a.name
            )
            return {"kind": "flow", "target": target}
        if kind in ("disconnect-contact", "end", "end-flow"):
            return {"kind": "hangup"}
        if kind.startswith("ivr-virtualassistant") or kind in ("callback", "scheduled-callback"):
            after = a.link("ESCALATE", "default", "out") or a.onward()
            return {"kind": "service", "next": after}
        if kind == "business-hours":
            names = {
                "workingHours": "in hours",
                "holidays": "holiday",
                "override": "override",
                "default": "closed (outside working hours)",
            }
            routes = tuple((names.get(c, c), t) for c, t in a.links if c.lower() not in _ERRORS)
            return {"kind": "decision", "routes": routes}
        if kind == "case-statement":
            keys = self.case_keys(a)
            if keys:  # a case on a typed key with no prompt of its own: a menu all the same
                return {
                    "kind": "menu",
                    "choices": tuple(Choice(k, t, a.pos) for k, t in dict(keys).items()),
                    "no_match": a.link("default"),
                    "retries": 0,
                }
            expr = _unbrace(text_of(a.props.get("expression")) or "") or "the case"
            routes = tuple(
                ("otherwise" if c == "default" else f"{expr} = {c}", t)
                for c, t in a.links
                if c.lower() not in _ERRORS
            )
            return {"kind": "decision", "routes": routes}
        if kind == "condition-activity" or a.props.get("group") == "enum-gateway":
            routes = tuple((c, t) for c, t in a.links if c.lower() not in _ERRORS)
            return {"kind": "decision", "routes": routes}
        if kind in _REQUESTS:
            self.note("an HTTP request is followed on its success path (its default link)")
        elif kind.startswith("subflow"):
            self.note(
                "a subflow's own activities are not in this export: the call goes on after it"
            )
        return {"kind": "pass", "next": a.onward()}


def _treatments(activities: list[Activity], entry: str | None) -> dict[str, str]:
    """Return, for each queue activity with a treatment, where its treatment starts; and
    rewrite each loop inside a treatment to lead back to that queue's agent exit."""
    by_id = {a.id: a for a in activities}
    # What the caller reaches before any queue: a treatment that leads back there (to
    # the main menu) goes there as written, and its own loops are left alone.
    before: set[str] = set()
    todo = [entry] if entry else []
    while todo:
        ident = todo.pop()
        a = by_id.get(ident)
        if a is None or ident in before or a.activity in _QUEUES:
            continue
        before.add(ident)
        todo += [t for c, t in a.links if c.lower() not in _ERRORS]
    starts: dict[str, str] = {}
    owned: set[str] = set()  # a treatment two queues share belongs to the first
    for q in activities:
        start = q.link("default", "out") if q.activity in _QUEUES else None
        if start is None or start not in by_id:
            continue
        starts[q.id] = start
        exit_id = q.id + _AGENT
        # An iterative depth-first walk: a link to an activity on the current path (or to
        # the queue itself) is the treatment looping, which means the caller keeps waiting.
        on_path: set[str] = set()
        stack: list[tuple[str, int]] = []
        if start not in owned and start not in before and by_id[start].activity not in _QUEUES:
            owned.add(start)
            on_path.add(start)
            stack.append((start, 0))
        while stack:
            ident, i = stack.pop()
            a = by_id[ident]
            if i >= len(a.links):
                on_path.discard(ident)
                continue
            stack.append((ident, i + 1))
            cond, target = a.links[i]
            if cond.lower() in _ERRORS:
                continue
            if target in on_path or target == q.id:
                links = list(a.links)
                links[i] = (cond, exit_id)
                a = by_id[ident] = replace(a, links=tuple(links))
                continue
            nxt = by_id.get(target)
            if nxt is None or target in owned or target in before or nxt.activity in _QUEUES:
                continue
            owned.add(target)
            on_path.add(target)
            stack.append((target, 0))
    activities[:] = [by_id[a.id] for a in activities]
    return starts


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a Flow Designer export's main process."""
    name, activities = parse(text, source)
    start = next(
        (
            a
            for a in activities
            if a.activity in ("NewPhoneContact", "start") or a.props.get("activityId") == "start"
        ),
        None,
    )
    entry = start.onward() if start is not None else None
    treatments = _treatments(activities, entry)
    reader = _Reader(activities)
    steps = []
    for a in activities:
        if start is not None and a.id == start.id:
            continue
        fields = reader.step(a)
        if a.id in treatments:
            # The queue hands the call to an agent; until one answers, its default link
            # plays the treatment (music, messages, an in-queue menu such as a callback).
            steps.append(Step(a.id + _AGENT, pos=a.pos, name=a.name, **fields))
            fields = {
                "kind": "decision",
                "routes": ((_ANSWER, a.id + _AGENT), (_WAIT, treatments[a.id])),
            }
            reader.note(
                "a queue's default link is what the caller hears while waiting (music, "
                "messages, an in-queue menu): it is a route that carries no calls, every call "
                "reaches the agent, and a treatment that loops keeps the caller in the queue"
            )
        steps.append(Step(a.id, pos=a.pos, name=a.name, **fields))
    notes = (
        "the main flow is read from its start activity; event flows are not read",
        "a virtual agent or callback serves the caller; a virtual agent's escalation is followed",
        *reader.notes,
    )
    return Flow(NAME, TITLE, name, entry, tuple(steps), Position(source, 1, 1), notes)
