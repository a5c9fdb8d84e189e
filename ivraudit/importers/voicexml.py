"""VoiceXML 2.x documents: `<menu>`/`<choice>`, forms with fields, records and
transfers, `<goto>`, noinput/nomatch handlers; read through defusedxml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ivraudit.format.model import Position
from ivraudit.importers.document import Element, load_xml
from ivraudit.importers.flow import Choice, Flow, Step

NAME = "voicexml"
TITLE = "VoiceXML document"
SYSTEM = "voicexml"
ROLE = "flow"


def detect(text: str) -> float:
    """Return how sure we are that `text` is a VoiceXML document."""
    if re.search(r"<vxml[\s>]", text[:5000]):
        return 0.95
    return 0.0


def _seconds(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([\d.]+)\s*(ms|s)?\s*", value or "")
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


_TEXT = {"prompt", "audio", "value", "say-as", "emphasis", "p", "s", "break"}
_CONTAINERS = {"block", "filled"}
_HANDLERS = {"noinput", "nomatch", "catch", "error", "help"}


class _Reader:
    """Build steps from one document's dialogs."""

    def __init__(self, root: Element, source: str) -> None:
        self.source = source
        self.dialogs = {
            el.get("id") or f"dialog{i}": el
            for i, el in enumerate(root.children, 1)
            if el.tag in ("menu", "form")
        }
        self.steps: dict[str, Step] = {}
        self.ifs = 0  # <if> elements read, for their steps' ids
        # Whether each <if> does anything a caller notices, inner ones first (each once,
        # without recursing however deep they nest).
        self.noticed: dict[int, bool] = {}
        for el in reversed(root.iter("if")):
            self.noticed[id(el)] = any(self.noticeable(body) for _, body in _if_branches(el))

    def noticeable(self, els: list[Element]) -> bool:
        """Return whether running `els` does anything the caller notices."""
        return any(el.tag != "if" or self.noticed[id(el)] for el in _flatten(els))

    def pos(self, el: Element) -> Position:
        return Position(self.source, el.line, el.column)

    def ref(self, el: Element) -> str | None:
        """Return the step a goto/choice leads to; a URI outside the file is a flow exit,
        and so is a target computed at run time (`expr`), named after its expression."""
        target = el.get("next") or el.get("nextitem")
        if target is None:
            expr = " ".join((el.get("expr") or el.get("expritem") or "").split())
            quoted = re.fullmatch(r"'([^']+)'|\"([^\"]+)\"", expr)
            target = (quoted.group(1) or quoted.group(2)) if quoted else expr
        if not target:
            return None
        name = target[1:] if target.startswith("#") else target
        if name in self.dialogs:
            return name
        ident = f"uri:{target}"
        if ident not in self.steps:
            self.steps[ident] = Step(ident, "flow", self.pos(el), target=target)
        return ident

    def read(self) -> str | None:
        for ident, el in self.dialogs.items():
            if el.tag == "menu":
                self.menu(ident, el)
            else:
                self.sequence(el.children, ident, el, again=ident)
        return next(iter(self.dialogs), None)

    def menu(self, ident: str, el: Element) -> None:
        prompt, audio = self.prompt([c for c in el.children if c.tag in _TEXT])
        auto = el.get("dtmf") == "true"
        choices = []
        for i, c in enumerate((c for c in el.children if c.tag == "choice"), 1):
            key = c.get("dtmf") or (str(i) if auto and i <= 9 else None)
            label = c.all_text() or None
            choices.append(Choice(key or (label or f"choice {i}"), self.ref(c), self.pos(c), label))
        timeout = next(
            (_seconds(p.get("value")) for p in el.iter("property") if p.get("name") == "timeout"),
            None,
        )
        handlers = {}
        for tag in ("noinput", "nomatch"):
            found = [c for c in el.children if c.tag == tag or _catches(c, tag)]
            if found:
                handlers[tag] = f"{ident}.{tag}"
                self.sequence(found[-1].children, handlers[tag], found[-1], again=ident)
        self.steps[ident] = Step(
            ident,
            "menu",
            self.pos(el),
            name=ident,
            prompt=prompt,
            audio=audio,
            choices=tuple(choices),
            no_input=handlers.get("noinput"),
            no_match=handlers.get("nomatch"),
            retries=0,  # a handler runs at the first silence unless `count` says otherwise
            timeout=timeout,
            barge_in=all(p.get("bargein") != "false" for p in el.iter("prompt")),
        )

    def prompt(self, els: list[Element]) -> tuple[str | None, str | None]:
        text = " ".join(e.all_text() for e in els).strip()
        audio = next((a.get("src") or a.get("expr") for e in els for a in e.iter("audio")), None)
        if text:
            return text, None
        return None, (audio.rsplit("/", 1)[-1] if audio else None)

    def field_menu(
        self,
        field: Element,
        branches: list[tuple[str | None, list[Element]]],
        after: str,
        emit: Any,
        prompt: str | None,
        audio: str | None,
        end: str | None = None,
    ) -> None:
        """A one-key `<field>` whose `<filled>` branches on the key is a menu."""
        choices, other = [], None
        for i, (key, _) in enumerate(branches):
            target = f"{after}.{key if key is not None else 'else'}{i}"
            if key is None:
                other = target
            else:
                choices.append(Choice(key, target, self.pos(field)))
        handlers = {}
        for tag in ("noinput", "nomatch"):
            found = [c for c in field.children if c.tag == tag or _catches(c, tag)]
            if found:
                handlers[tag] = f"{after}.{tag}"
        here = emit(
            "menu",
            field,
            prompt=prompt,
            audio=audio,
            choices=tuple(choices),
            no_input=handlers.get("noinput"),
            no_match=handlers.get("nomatch") or other,
            retries=0,
        )
        for i, (key, els) in enumerate(branches):
            target = f"{after}.{key if key is not None else 'else'}{i}"
            self.sequence(els, target, field, again=here, end=end)
        for tag, target in handlers.items():
            found = [c for c in field.children if c.tag == tag or _catches(c, tag)]
            self.sequence(found[-1].children, target, found[-1], again=here)

    def sequence(
        self, els: list[Element], ident: str, where: Element, again: str, end: str | None = None
    ) -> None:
        """Read executable content in order into steps; the first one is `ident`. Running
        out of content goes on to `end` (the content after an `<if>`), else ends the call."""
        pending: list[Element] = []
        count = 0
        root = ident  # ids of what follows an <if> grow from here, not from each other

        def emit(kind: str, el: Element, **fields: object) -> str:
            """Add the pending prompt (if any) before a step; return where the step is."""
            nonlocal ident, pending, count
            prompt, audio = self.prompt(pending)
            here = ident
            if prompt or audio:
                count += 1
                self.steps[here] = Step(
                    here,
                    "message",
                    self.pos(pending[0]),
                    name=here,
                    prompt=prompt,
                    audio=audio,
                    next=f"{ident}~{count}",
                )
                here = f"{ident}~{count}"
            pending = []
            self.steps[here] = Step(here, kind, self.pos(el), name=ident, **fields)  # type: ignore[arg-type]
            return here

        for el in _flatten(els):
            if el.tag in _TEXT:
                pending.append(el)
            elif el.tag == "if":
                # Exactly one branch runs (VoiceXML 2.0 §5.3.4); which one depends on the
                # call, so the branches are a decision's routes, each labelled with its
                # cond. A branch without an ending goes on with what follows the </if>.
                self.ifs += 1
                after_if = f"{root}.endif{self.ifs}"
                routes = []
                for n, (cond, body) in enumerate(_if_branches(el)):
                    if not self.noticeable(body):  # nothing the caller notices: on
                        routes.append((cond, after_if))
                        continue
                    branch = f"{root}.if{self.ifs}.{n}"
                    self.sequence(body, branch, el, again=again, end=after_if)
                    routes.append((cond, branch))
                if len({t for _, t in routes}) > 1:
                    emit("decision", el, routes=tuple(routes))
                    ident, count, where = after_if, 0, el
            elif el.tag in ("goto", "submit"):  # a submit fetches the next document
                emit("pass", el, next=self.ref(el))
                return
            elif el.tag in ("disconnect", "exit"):
                emit("hangup", el)
                return
            elif el.tag == "reprompt":
                emit("pass", el, next=again)
                return
            elif el.tag == "transfer":
                # An expression joins quoted parts with +: keep the parts, not the syntax.
                expr = re.sub(r"['\"+\s]+", "", el.get("destexpr") or "")
                target = el.get("dest") or expr or "a number"
                # A transfer into a conference (an MCU) joins a meeting, not a person.
                if re.match(r"(?i)mcu:|conference", target) or "conference" in target.lower():
                    emit("flow", el, target=target)
                else:
                    emit("person", el, target=target)
                return
            elif el.tag in ("field", "record", "subdialog"):
                after = f"{ident}+{el.tag}"
                filled = [c for c in el.children if c.tag == "filled"]
                later = [c for c in els if c.tag == "filled"]
                body = (filled or later or [Element("filled", {}, el.line, el.column)])[0]
                prompt, audio = self.prompt([c for c in el.children if c.tag in _TEXT])
                branches = _key_branches(el, body) if el.tag == "field" else None
                if branches is not None:
                    self.field_menu(el, branches, after, emit, prompt, audio, end)
                    return
                if el.tag == "field":
                    kind, extra = "input", {"collects": el.get("name") or "input"}
                elif el.tag == "record":
                    kind, extra = "service", {}
                else:
                    kind, extra = "flow", {"target": el.get("src") or "a subdialog"}
                emit(kind, el, prompt=prompt, audio=audio, next=after, **extra)
                self.sequence(body.children, after, body, again=again, end=end)
                return
        if end is not None:
            emit("pass", where, next=end)
        elif pending:
            emit("hangup", where)  # the end of a document ends the call
        else:
            self.steps[ident] = Step(ident, "hangup", self.pos(where), name=ident)


def _key_branches(field: Element, body: Element) -> list[tuple[str | None, list[Element]]] | None:
    """Return the branches of a one-key field's `<filled><if>` as (key, elements), the
    `<else>` branch with key None; None when the field is not a menu of keys."""
    name = field.get("name") or ""
    found = next((c for c in body.children if c.tag == "if"), None)
    if found is None or not name:
        return None
    pattern = re.compile(rf"^\s*{re.escape(name)}\s*==\s*['\"]?([0-9*#])['\"]?\s*$")
    branches: list[tuple[str | None, list[Element]]] = []
    cond = found.get("cond")
    current: list[Element] = []
    for child in [*found.children, Element("end", {}, 0, 0)]:
        if child.tag in ("elseif", "else", "end"):
            if cond is None:
                key = None
            else:
                match = pattern.match(cond)
                if match is None:
                    return None
                key = match.group(1)
            branches.append((key, current))
            cond = child.get("cond") if child.tag == "elseif" else None
            current = []
        else:
            current.append(child)
    return branches if any(k is not None for k, _ in branches) else None


def _if_branches(el: Element) -> list[tuple[str, list[Element]]]:
    """Return an `<if>`'s branches as (condition, elements): its own, each `<elseif>`'s,
    and the `<else>`'s as "otherwise" (without an `<else>`, an empty "otherwise")."""
    branches: list[tuple[str, list[Element]]] = [(_cond(el), [])]
    for child in el.children:
        if child.tag == "elseif":
            branches.append((_cond(child), []))
        elif child.tag == "else":
            branches.append(("otherwise", []))
        else:
            branches[-1][1].append(child)
    if all(cond != "otherwise" for cond, _ in branches):
        branches.append(("otherwise", []))  # no condition holds: the </if> is passed
    return branches


def _cond(el: Element) -> str:
    """Return an element's condition on one printable line."""
    text = "".join(c if c.isprintable() else " " for c in el.get("cond") or "")
    return " ".join(text.split()) or "(no condition)"


def _catches(el: Element, event: str) -> bool:
    return el.tag == "catch" and event in (el.get("event") or "").split()


def _flatten(els: list[Element]) -> list[Element]:
    out: list[Element] = []
    for el in els:
        if el.tag in _CONTAINERS:
            out += _flatten(el.children)
        elif el.tag not in _HANDLERS and el.tag not in (
            "log",
            "var",
            "assign",
            "clear",
            "property",
            "grammar",
            "script",
        ):
            out.append(el)
    return out


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a VoiceXML document."""
    root = load_xml(text, source)
    reader = _Reader(root, source)
    entry = reader.read()
    notes = ["the end of a VoiceXML document ends the call"]
    if any(s.kind == "decision" for s in reader.steps.values()):
        notes.append(
            "an <if> runs exactly one of its branches, chosen by the call: each branch "
            "(<elseif>, <else>, or passing the </if> when none holds) is a route of a "
            "decision, named by its cond"
        )
    return Flow(
        NAME,
        TITLE,
        Path(source).stem,
        entry,
        tuple(reader.steps.values()),
        Position(source, root.line, root.column),
        tuple(notes),
    )
