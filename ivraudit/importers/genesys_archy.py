"""Genesys Cloud Architect flows as Archy YAML (`inboundCall`, `inqueueCall`): menus,
choices, tasks and their actions."""

from __future__ import annotations

import re
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.importers.document import dig, items, load_yaml, text_of, where
from ivraudit.importers.flow import Choice, Flow, Step

NAME = "genesys-archy"
TITLE = "Genesys Cloud Architect flow (Archy YAML)"
SYSTEM = "genesys"
ROLE = "flow"

_FLOWS = ("inboundCall", "inqueueCall", "inboundShortMessage", "secureCall")


def detect(text: str) -> float:
    """Return how sure we are that `text` is an Archy flow."""
    heads = ("inboundCall", "inqueueCall", "secureCall")
    if any(text.startswith(h) or f"\n{h}" in text for h in heads) and re.search(
        r"(?m)^(inboundCall|inqueueCall|secureCall)[ \t]*:", text
    ):
        return 0.95
    return 0.0


_KEYS = {f"digit_{d}": d for d in "0123456789"} | {"digit_star": "*", "digit_pound": "#"}
_TTS = re.compile(r'ToAudioTTS\(\s*"((?:[^"\\]|\\.)*)"')


def _audio(value: Any) -> tuple[str | None, str | None]:
    """Return the words (or the audio name) of an Archy audio value."""
    if not isinstance(value, dict):
        return None, None
    tts = text_of(value.get("tts"))
    if tts:
        return tts, None
    exp = text_of(value.get("exp")) or ""
    words = " ".join(_TTS.findall(exp))
    if words:
        return words, None
    if exp and "ToAudioBlank" not in exp:
        return None, exp[:40]
    return None, None


def _number(value: Any, unit: str = "seconds") -> float | None:
    lit = dig(value, "lit")
    if isinstance(lit, dict) and unit in lit:
        try:
            return float(lit[unit])
        except (TypeError, ValueError):
            return None
    if isinstance(lit, (int, float)) and not isinstance(lit, bool):
        return float(lit)
    return None


def _queue(value: Any) -> str:
    return (
        text_of(dig(value, "targetQueue", "lit", "name"))
        or text_of(dig(value, "targetQueue", "exp"))
        or text_of(dig(value, "destination", "queue", "targetQueue", "lit", "name"))
        or "a queue"
    )


def _ref(path: str | None) -> str | None:
    """Return the refId inside `/inboundCall/menus/menu[Main Menu_10]`."""
    match = re.search(r"\[([^\]]+)\]\s*$", path or "")
    return match.group(1) if match else None


class _Reader:
    """Turn one Archy flow into steps; action lists are read back to front so each
    action knows what follows it."""

    def __init__(self, flow: dict[str, Any], source: str) -> None:
        self.flow = flow
        self.source = source
        self.steps: list[Step] = []
        self.count = 0
        self.repeat = _number(dig(flow, "settingsMenu", "repeatCount"))
        self.timeout = _number(dig(flow, "settingsMenu", "menuSelectionTimeout"))

    def new(self, base: str, value: Any, **fields: Any) -> str:
        self.count += 1
        ident = f"{base}#{self.count}"
        self.steps.append(Step(ident, pos=where(value, self.source), **fields))
        return ident

    def actions(self, actions: Any, after: str | None) -> str | None:
        """Return the first step of an action list that goes on to `after`."""
        nxt = after
        for item in reversed(items(actions)):
            if isinstance(item, dict) and len(item) == 1:
                kind, value = next(iter(item.items()))
                nxt = self.action(str(kind), value if isinstance(value, dict) else {}, nxt)
        return nxt

    def outputs(self, value: dict[str, Any], after: str | None) -> list[tuple[str, str | None]]:
        outs = value.get("outputs") if isinstance(value.get("outputs"), dict) else {}
        return [
            (str(name), self.actions(dig(out, "actions"), after))
            for name, out in outs.items()
            if name not in ("failure", "error")
        ]

    def action(self, kind: str, v: dict[str, Any], after: str | None) -> str | None:
        name = text_of(v.get("name")) or kind
        if kind == "playAudio":
            text, audio = _audio(v.get("audio"))
            if text is None and audio is None:
                return after
            return self.new(
                name, v, kind="message", name=name, prompt=text, audio=audio, next=after
            )
        if kind == "holdMusic":
            text, audio = _audio(v.get("prompt"))
            return self.new(
                name,
                v,
                kind="message",
                name=name,
                prompt=text,
                audio=audio or "hold music",
                next=after,
            )
        if kind == "transferToAcd":
            return self.new(name, v, kind="queue", target=_queue(v))
        if kind == "transferToVoicemail":
            return self.new(name, v, kind="service", name="voicemail")
        if kind in ("transferToNumber", "transferToUser", "transferToGroup"):
            target = (
                text_of(dig(v, "targetNumber", "lit"))
                or text_of(dig(v, "targetUser", "lit", "name"))
                or text_of(dig(v, "targetGroup", "lit", "name"))
                or name
            )
            return self.new(name, v, kind="person", target=target)
        if kind in ("transferToFlow", "transferToFlowSecure"):
            target = text_of(dig(v, "targetFlow", "lit", "name")) or name
            return self.new(name, v, kind="flow", target=target)
        if kind == "disconnect":
            return self.new(name, v, kind="hangup", name="disconnect")
        if kind == "jumpToMenu":
            return _ref(text_of(v.get("targetMenuRef"))) or after
        if kind == "jumpToTask":
            return _ref(text_of(v.get("targetTaskRef"))) or after
        if kind == "collectInput":
            text, audio = _audio(v.get("inputAudio"))
            success = dict(self.outputs(v, after)).get("success", after)
            collects = text_of(dig(v, "inputData", "var")) or "input"
            return self.new(
                name,
                v,
                kind="input",
                name=name,
                prompt=text,
                audio=audio,
                collects=collects,
                next=success,
            )
        pressed = _key_test(text_of(dig(v, "condition", "exp"))) if kind == "decision" else None
        if pressed is not None:
            # `Flow.x == "1"` on digits the caller typed is the caller's choice, not the
            # system's: a menu whose one option is that key, anything else its no-match.
            outs = dict(self.outputs(v, after))
            other = outs.get("no", after)
            choice = Choice(key=pressed, target=outs.get("yes", after), pos=where(v, self.source))
            return self.new(
                name,
                v,
                kind="menu",
                name=name,
                choices=(choice,),
                no_input=other,
                no_match=other,
                retries=0,
            )
        if kind in ("decision", "evaluateScheduleGroup", "evaluateSchedule", "switch"):
            routes = self.outputs(v, after)
            if kind == "decision":
                names = {r for r, _ in routes}
                routes += [(n, after) for n in ("yes", "no") if n not in names]
            else:
                routes.append(("otherwise", after))
            for case in items(v.get("cases")):
                if isinstance(case, dict):
                    routes.append(("case", self.actions(dig(case, "case", "actions"), after)))
            return self.new(name, v, kind="decision", name=name, routes=tuple(routes))
        if kind == "loop":
            return self.actions(dig(v, "outputs", "loop", "actions"), after)
        # Data, variables, participant data: nothing the caller notices; follow success.
        success = dict(self.outputs(v, after)).get("success")
        return success if success is not None else after

    def menu(self, m: dict[str, Any]) -> str:
        ident = text_of(m.get("refId")) or text_of(m.get("name")) or "menu"
        text, audio = _audio(m.get("audio"))
        choices = []
        for item in items(m.get("choices")):
            if not isinstance(item, dict) or len(item) != 1:
                continue
            kind, c = next(iter(item.items()))
            if not isinstance(c, dict):
                continue
            key = _KEYS.get(text_of(c.get("dtmf")) or "")
            label = text_of(c.get("name"))
            target = self.choice(str(kind), c, ident)
            choices.append(Choice(key or label or "?", target, where(c, self.source), label))
        repeat = _number(dig(m, "settingsMenu", "repeatCount")) or self.repeat
        timeout = _number(dig(m, "settingsMenu", "menuSelectionTimeout")) or self.timeout
        exhausted = self.new(f"{ident}.exhausted", m, kind="hangup", name=f"{ident}_end")
        self.steps.append(
            Step(
                ident,
                "menu",
                where(m, self.source),
                name=text_of(m.get("name")) or ident,
                prompt=text,
                audio=audio,
                choices=tuple(choices),
                no_input=exhausted,
                no_match=exhausted,
                retries=int(repeat) if repeat is not None else 3,
                timeout=timeout,
            )
        )
        return ident

    def choice(self, kind: str, c: dict[str, Any], menu: str) -> str | None:
        if kind == "menuDisconnect":
            return self.new("disconnect", c, kind="hangup", name="disconnect")
        if kind == "menuTransferToAcd":
            queue = self.new(text_of(c.get("name")) or "queue", c, kind="queue", target=_queue(c))
            text, audio = _audio(c.get("preTransferAudio"))
            if text or audio:
                return self.new(
                    "pre",
                    c,
                    kind="message",
                    name=f"{text_of(c.get('name'))}_pre",
                    prompt=text,
                    audio=audio,
                    next=queue,
                )
            return queue
        if kind == "menuTask":
            return self.actions(dig(c, "task", "actions"), None)
        if kind == "menuJumpToMenu":
            return _ref(text_of(c.get("targetMenuRef")))
        if kind == "menuJumpToTask":
            return _ref(text_of(c.get("targetTaskRef")))
        if kind == "menuSubMenu":
            sub = c.get("menu") if isinstance(c.get("menu"), dict) else c
            return self.menu(sub)
        if kind in ("menuRepeat", "menuRepeatMenu"):
            return menu
        if kind == "menuTransferToVoicemail":
            return self.new("voicemail", c, kind="service", name="voicemail")
        if kind in ("menuTransferToNumber", "menuTransferToUser", "menuTransferToGroup"):
            return self.new("transfer", c, kind="person", target=text_of(c.get("name")) or kind)
        return self.new(kind, c, kind="flow", target=text_of(c.get("name")) or kind)


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of an Archy YAML file."""
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise MenuError(source, 1, 1, "not an Archy flow: the file is not a mapping")
    kind = next((k for k in _FLOWS if isinstance(data.get(k), dict)), None)
    if kind is None:
        raise MenuError(source, 1, 1, f"not an Archy flow: no {' / '.join(_FLOWS)} mapping")
    flow = data[kind]
    reader = _Reader(flow, source)
    for item in items(flow.get("menus")):
        if isinstance(dig(item, "menu"), dict):
            reader.menu(item["menu"])
    for item in items(flow.get("tasks")):
        task = dig(item, "task")
        if isinstance(task, dict):
            first = reader.actions(task.get("actions"), None)
            ident = text_of(task.get("refId")) or text_of(task.get("name")) or "task"
            reader.steps.append(Step(ident, "pass", where(task, source), next=first))
    notes = [
        "after a menu's last repeat (repeatCount) the call is disconnected, the platform's "
        "default; a task that ends without a transfer ends the call",
    ]
    if kind == "inqueueCall":
        back = reader.new("queue", flow, kind="queue", target="the caller's queue")
        entry = reader.actions(flow.get("startUpTaskActions") or flow.get("actions"), back)
        notes.append("an in-queue flow that reaches its end returns the caller to the queue")
    else:
        entry = _ref(text_of(flow.get("startUpRef")))
        greeting, audio = _audio(flow.get("initialGreeting"))
        if greeting or audio:
            entry = reader.new(
                "greeting",
                flow,
                kind="message",
                name="greeting",
                prompt=greeting,
                audio=audio,
                next=entry,
            )
    name = text_of(flow.get("name")) or kind
    return Flow(NAME, TITLE, name, entry, tuple(reader.steps), where(flow, source), tuple(notes))


_KEY_TEST = re.compile(r"""^\s*\w+\.\w+\s*==\s*["']([0-9*#])["']\s*$""")


def _key_test(exp: str | None) -> str | None:
    """Return the key a decision tests typed digits against (`Flow.x == "1"`), else None."""
    match = _KEY_TEST.match(exp or "")
    return match.group(1) if match else None
