"""The small typed form every importer reads a platform export into, and its mapping to
the menu model.

An importer classifies each platform block (a Connect action, a Studio widget, a dialplan
context...) as a `Step`; `to_menu` turns the steps into our nodes, filling in what the
platform does not say from `Settings` and listing each such assumption once.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import field, replace
from typing import Literal

from ivraudit.format import numbers
from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Handler, Menu, Node, Option, Position, Route, Timing
from ivraudit.frozen import frozen

StepKind = Literal[
    "menu",  # the caller chooses with a key (or a spoken intent)
    "message",  # a prompt, then `next`
    "input",  # digits collected into a variable, then `next`
    "decision",  # the system routes the call: hours, attributes, a Lambda's result
    "queue",  # a transfer to an agent queue named `target`
    "person",  # a transfer to a number, user or extension `target`
    "flow",  # a transfer to another flow or menu `target` that this file does not hold
    "service",  # something that serves the caller without a person (voicemail, directory)
    "hangup",  # the call ends
    "pass",  # nothing the caller notices: go on to `next`
]

# Default assumptions, documented in docs/importers.md.
PROMPT_SECONDS = 4.0
HOLD_SECONDS = 60.0


@frozen
class Choice:
    """One option of a menu step: a key (or an intent name) and where it leads."""

    key: str
    target: str | None
    pos: Position
    label: str | None = None


@frozen
class Step:
    """One classified block of a platform flow; fields that do not apply stay empty."""

    id: str
    kind: StepKind
    pos: Position
    name: str | None = None  # a readable name for the node id
    prompt: str | None = None
    audio: str | None = None  # an audio file played instead of (or before) text
    audio_files: int = 1  # how many files `audio` names (Asterisk plays `a&b&c` in turn)
    choices: tuple[Choice, ...] = ()
    no_input: str | None = None
    no_match: str | None = None
    retries: int | None = None
    input_retries: int | None = None  # retries after silence, where they differ from `retries`
    timeout: float | None = None
    next: str | None = None
    routes: tuple[tuple[str, str | None], ...] = ()  # (when, target) of a decision
    target: str | None = None  # queue, number or flow name
    collects: str | None = None
    barge_in: bool = True


@frozen
class Flow:
    """A platform flow read from its file(s): steps, where it starts, what was assumed."""

    format: str  # the importer's name, as --from takes it
    title: str  # the platform, for people
    name: str
    entry: str | None
    steps: tuple[Step, ...]
    pos: Position
    notes: tuple[str, ...] = ()  # assumptions the importer made while reading


@frozen
class Settings:
    """What the user tells the importers about what platform files do not say."""

    prompt_seconds: float = PROMPT_SECONDS
    hold_seconds: float = HOLD_SECONDS
    holds: Mapping[str, float] = field(default_factory=dict)  # queue name -> seconds
    hold_given: bool = False  # hold_seconds came from the user, not the default
    calls: tuple[tuple[str, float], ...] = ()  # (key path or node id, calls)
    # The share of calls an hours check finds the line open; None: every call (the
    # audited hour is an open one).
    open_share: float | None = None


def settings_from(
    table: Mapping[str, object],
    *,
    prompt_seconds: float | None = None,
    holds: tuple[str, ...] = (),
    calls: tuple[tuple[str, float], ...] = (),
    open_share: float | None = None,
) -> Settings:
    """Return the settings a config file's `import:` table gives (prompt-seconds,
    hold-seconds as one number or per queue, open-share), overridden by the command
    line's values: `holds` items are `QUEUE=SECONDS`, or `SECONDS` for every other queue."""
    base = Settings()
    prompt = float(table.get("prompt-seconds", base.prompt_seconds))  # type: ignore[arg-type]
    held = table.get("hold-seconds", base.hold_seconds)
    default, per_queue, given = base.hold_seconds, {}, False
    if isinstance(held, Mapping):
        per_queue = {str(q): float(v) for q, v in held.items()}
    elif "hold-seconds" in table:
        default, given = float(held), True  # type: ignore[arg-type]
    for item in holds:
        queue, _, seconds = item.rpartition("=")
        if queue:
            per_queue[queue] = float(seconds)
        else:
            default, given = float(seconds), True
    return Settings(
        prompt_seconds=prompt if prompt_seconds is None else prompt_seconds,
        hold_seconds=default,
        holds=per_queue,
        hold_given=given,
        calls=calls,
        open_share=open_share if open_share is not None else _share(table.get("open-share")),
    )


def _share(value: object) -> float | None:
    """Return a share given as 0.85 or "85%" (checked where it was read), or None."""
    if value is None:
        return None
    if isinstance(value, str):
        return float(value.strip().rstrip("%")) / 100.0
    return float(value)  # type: ignore[arg-type]


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(text: str, limit: int = 40) -> str:
    """Return `text` as a node id: letters, digits, `_ . -` only."""
    out = _UNSAFE.sub("_", text.strip()).strip("_.-")[:limit].strip("_.-")
    return out or "step"


# SSML's elements (W3C SSML 1.1, and Amazon Polly's own): only these are markup; other
# text in angle brackets (`<Your Company Name>`) is what the prompt says.
_SSML_NAMES = (
    r"speak|break|prosody|emphasis|say-as|voice|audio|p|s|sub|phoneme|lang|mark|w|desc|"
    r"lexicon|lookup|token|meta|metadata|par|seq|media|amazon:[\w-]+"
)
# A tag of one of them, attribute values quoted: a value may hold `<<placeholders>>`.
_SSML_TAG = re.compile(
    rf"</?(?:{_SSML_NAMES})(?=[\s/>])(?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>",
    re.IGNORECASE,
)


def ssml_words(text: str) -> str:
    """Return what a prompt says: an SSML document's text (read by defusedxml), its tags
    left out; text that is not SSML, angle brackets included, as it is."""
    if text.lstrip().startswith("<speak"):
        import defusedxml.ElementTree as SafeET  # only SSML needs it

        try:
            return " ".join(SafeET.fromstring(text.strip()).itertext())
        except Exception:  # not well-formed (a `<` in an attribute): read by its tags
            pass
    if not _SSML_TAG.search(text):
        return text
    import html

    return html.unescape(_SSML_TAG.sub(" ", text))


def _words(text: str | None) -> str | None:
    if text is None:
        return None
    text = ssml_words(text)  # SSML tags are not spoken
    # Control characters are no words, and must not reach a terminal from an export.
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text or None


def _printable(text: str) -> str:
    """Return a name from an export on one line, invisible characters escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# The outcome of a system decision that carries the calls on a normal day, and the flags
# whose "not set" outcome does: a retry loop loops, the hours check finds the line open, a
# function succeeds. A condition label may name what it tests and how
# (`$.External.status = "success"`, `starts with "open"`).
_GOOD = r"open|in hours|success|succeeded|ok"
_TEST = r"starts with|equal to|equals|==|=|is|contains"
# A list of values ("matches any of") that names the good one, and a flag that is true.
_LIST = rf"matches any of\s*[\"'][^\"']*\b(?:{_GOOD})\b[^\"']*[\"']$"
_TRUE = r"isopen\W*(?:==|=|equal to|equals|is)\s*[\"']?true[\"']?"
_NORMAL = re.compile(
    rf"(?i)^(in hours|open|success|an agent answers)$|continuelooping|{_TRUE}|{_LIST}|"
    rf"\bopen\b.*\(condition true\)|"
    rf"(?:^|\s)(?<!not )(?:{_TEST})\s*[\"']?(?:{_GOOD})[\"']?$"
)
# Of those, the outcomes of an hours check: the line is open.
_OPEN = re.compile(
    rf"(?i)^(in hours|open)$|isopen|\bopen\b.*\(condition true\)|"
    rf"matches any of\s*[\"'][^\"']*\b(?:open|in hours)\b[^\"']*[\"']$|"
    rf"(?:^|\s)(?<!not )(?:{_TEST})\s*[\"']?(?:open|in hours)[\"']?$"
)
_FLAG = re.compile(r"(?i)test|emergency|holiday|closed|out of hours|disaster")
_UNSET = re.compile(r"(?i)^(otherwise|no|false)$|nomatch|\(condition false\)")


def normal_outcome(routes: tuple[tuple[str, str | None], ...]) -> str | None:
    """Return the outcome of a system decision that carries the calls normally, or None
    when the decision has no normal outcome (an attribute, a comparison)."""
    whens = [when for when, _ in routes]
    normal = [w for w in whens if _NORMAL.search(w)]
    if len(normal) == 1:
        return normal[0]
    unset = [w for w in whens if _UNSET.search(w)]
    if len(unset) == 1 and any(_FLAG.search(w) for w in whens if w not in unset):
        return unset[0]
    return None


class _Mapper:
    """Turn a Flow's steps into nodes; remembers ids and assumptions."""

    def __init__(self, flow: Flow, settings: Settings, source: str) -> None:
        self.flow = flow
        self.settings = settings
        self.source = source
        self.steps = {s.id: s for s in flow.steps}
        self.ids: dict[str, str] = {}  # step id -> node id
        self.taken: set[str] = set()
        self.counts: dict[str, int] = {}  # base id -> next suffix to try
        self.nodes: dict[str, Node] = {}
        self.notes: list[str] = list(flow.notes)
        self.noted: set[str] = set(self.notes)  # a set, so many distinct notes stay linear
        self.audio: list[str] = []
        self.holds: dict[str, float] = {}
        self.timeouts: list[float] = []  # of the menus, nearest the entry first
        # Steps named but not yet built: a worklist, so a long chain cannot recurse deeply.
        self.pending: deque[Step] = deque()
        self.through: dict[str, str] = {}  # pass-through step id -> the node it leads to
        self.end_pos = flow.pos

    def note(self, text: str) -> None:
        if text not in self.noted:
            self.noted.add(text)
            self.notes.append(text)

    def fresh(self, wanted: str) -> str:
        base = slug(wanted)
        # A counter per base name: many steps of one name cost one probe each, not a scan.
        out, n = base, self.counts.get(base, 2)
        while out in self.taken:
            out, n = f"{base}_{n}", n + 1
        self.counts[base] = n
        self.taken.add(out)
        return out

    def resolve(self, target: str | None) -> str:
        """Return the node id a reference leads to, skipping steps the caller does not notice."""
        # Each pass-through step is walked once: the steps of a chain all lead where its
        # end does, so a chain referenced from many places (or 50k steps long) costs its
        # length once, not once per reference (issue 16).
        walked: list[str] = []
        on_walk: set[str] = set()
        while target is not None and target in self.steps and target not in self.through:
            step = self.steps[target]
            if step.kind == "decision":
                live = {t for _, t in step.routes}
                if len(live) <= 1:  # a decision with one outcome (or none) decides nothing
                    step = replace(step, kind="pass", next=next(iter(live), None))
            if step.kind != "pass":
                break
            if target in on_walk:  # a loop of invisible steps never reaches the caller
                return self._through(
                    walked, self.end("loop", "a loop of steps that play nothing ends the call")
                )
            walked.append(target)
            on_walk.add(target)
            target = step.next
        if target is not None and target in self.through:
            return self._through(walked, self.through[target])
        return self._through(walked, self._landing(target))

    def _through(self, walked: list[str], node_id: str) -> str:
        """Remember that each pass-through step walked leads to `node_id`; return it."""
        for ident in walked:
            self.through[ident] = node_id
        return node_id

    def _landing(self, target: str | None) -> str:
        """Return the node id of the step a walk stops at (made once, built later)."""
        if target is None or target not in self.steps:
            return self.end("end", "the flow ends (hang-up)")
        if target not in self.ids:
            step = self.steps[target]
            if step.kind in ("queue", "person", "flow"):
                # A transfer step is its exit: every transfer to one target is one node.
                self.ids[target] = self.exit(
                    step.kind, step.target or step.name or target, step.pos
                )
            else:
                self.ids[target] = self.fresh(step.name or target)
                self.pending.append(step)
        return self.ids[target]

    def end(self, key: str, prompt: str) -> str:
        ident = f"\0{key}"
        if ident not in self.ids:
            self.ids[ident] = self.fresh(key)
            self.nodes[self.ids[ident]] = Node(id=self.ids[ident], type="hangup", pos=self.end_pos)
        return self.ids[ident]

    def exit(self, kind: str, target: str, pos: Position) -> str:
        """Return the node for a transfer out of the flow, one per target."""
        target = _printable(target)
        ident = f"\0{kind}:{target}"
        if ident in self.ids:
            return self.ids[ident]
        prefix = {"queue": "queue", "person": "to", "flow": "flow"}[kind]
        node_id = self.ids[ident] = self.fresh(f"{prefix}_{target}")
        if kind == "flow":
            self.note(
                "a transfer to another flow, menu or conference ends this audit there; it is "
                "counted as served there (a self_service exit named after it)"
            )
            node = Node(id=node_id, type="self_service", pos=pos)
        else:
            hold = self.settings.holds.get(target, self.settings.hold_seconds)
            self.holds[target] = hold
            node = Node(id=node_id, type="agent", pos=pos, queue=target, hold_seconds=hold)
        self.nodes[node_id] = node
        return node_id

    def prompt(self, step: Step) -> tuple[str | None, float | None]:
        text = _words(step.prompt)
        files = max(step.audio_files, 1)
        if step.audio is not None:
            self.audio += [step.audio] * files  # each file is one estimated prompt
        if step.audio is not None and text is None:
            return f"(audio: {step.audio})", self.settings.prompt_seconds * files
        if step.audio is not None:
            return text, self.settings.prompt_seconds * files + len(text.split()) * 60.0 / 150.0
        return text, None

    def build(self, step: Step) -> None:
        node_id = self.ids[step.id]
        prompt, seconds = self.prompt(step)
        base = {"id": node_id, "pos": step.pos, "prompt": prompt, "prompt_seconds": seconds}
        if step.kind == "hangup":
            node = Node(type="hangup", **base)
        elif step.kind == "service":
            after = self.resolve(step.next) if step.next is not None else None
            node = Node(type="self_service", next=after, **base)
        elif step.kind == "message":
            node = Node(type="message", next=self.resolve(step.next), **base)
        elif step.kind == "input":
            node = Node(type="input", collects=step.collects, next=self.resolve(step.next), **base)
        elif step.kind == "decision":
            node_routes = self.decision(step)
            node = Node(type="branch", routes=node_routes, **base)
        else:
            node = self.menu(step, base)
        self.nodes[node_id] = node

    def decision(self, step: Step) -> tuple[Route, ...]:
        """Return a system decision's routes with the share of calls each carries."""
        normal = normal_outcome(step.routes)
        shares: dict[str, float]
        whens = [when for when, _ in step.routes]
        open_share = self.settings.open_share
        if normal is not None and open_share is not None and _OPEN.search(normal):
            self.note(
                f"an hours check finds the line open for {open_share:.0%} of calls "
                "(--open-share); the rest take its other outcomes in equal shares"
            )
            rest = [w for w in whens if w != normal]
            shares = {w: (1.0 - open_share) / len(rest) for w in rest}
            shares[normal] = open_share
        elif normal is not None:
            self.note(
                "a decision the system makes sends every call its normal way (in hours, "
                "open, a loop continuing, a function's success, a test or emergency flag "
                "not set); its other outcomes carry no calls (share 0)"
            )
            shares = {w: 1.0 if w == normal else 0.0 for w in whens}
        else:
            self.note(
                "a decision the system makes that has no normal outcome (an attribute, "
                "a comparison) sends an equal share of calls each way; error outcomes "
                "are not followed"
            )
            shares = dict.fromkeys(whens, 1.0)
        return tuple(
            Route(when=when, share=shares[when], goto=self.resolve(target), pos=step.pos)
            for when, target in step.routes
        )

    def menu(self, step: Step, base: dict) -> Node:
        # A platform's numbers meet the ranges a menu file's do, checked where the
        # export says them, so `import` never writes a menu that cannot be loaded.
        for what, value, allowed in (
            ("timeout", step.timeout, numbers.SECONDS),
            ("retries", step.retries, numbers.RETRIES),
            ("retries", step.input_retries, numbers.RETRIES),
        ):
            problem = None if value is None else allowed.problem(value)
            if problem:
                raise MenuError(
                    step.pos.file, step.pos.line, step.pos.column, f"the {what} {problem}"
                )
        if step.timeout:
            self.timeouts.append(step.timeout)
        choices = [c for c in step.choices if c.key in PHONE_KEYS]
        spoken = [c for c in step.choices if c.key not in PHONE_KEYS]
        if spoken and not choices and len(spoken) <= 9:
            self.note("a speech menu's intents are counted as keys 1, 2, 3... in the order given")
            choices = [
                replace(c, key=str(i), label=c.label or c.key) for i, c in enumerate(spoken, 1)
            ]
        elif spoken:
            names = ", ".join(sorted({c.key for c in spoken}))
            self.note(f"entries that are not one key ({names}) are not counted as options")
        options = tuple(
            Option(
                key=c.key,
                goto=self.resolve(c.target),
                pos=c.pos,
                label=_words(c.label),
                say="",  # the options are read in the platform's prompt
            )
            for c in choices
        )
        retries = step.retries
        handlers = {}
        for name, target in (("no_input", step.no_input), ("no_match", step.no_match)):
            if target is not None:
                tries = step.input_retries if name == "no_input" else None
                handlers[name] = Handler(
                    goto=self.resolve(target),
                    pos=step.pos,
                    retries=retries if tries is None else tries,
                )
        if not options:  # a prompt without choices only waits: it is a message
            after = step.no_input or step.no_match or step.next
            return Node(
                type="message",
                next=self.resolve(after),
                **base,
            )
        return Node(type="menu", options=options, barge_in=step.barge_in, **handlers, **base)

    def menu_model(self, timing: Timing) -> Menu:
        entry = self.resolve(self.flow.entry)
        while self.pending:
            self.build(self.pending.popleft())
        timeouts = self.timeouts
        if timeouts:
            timing = replace(timing, timeout_seconds=float(timeouts[0]))
            if len(set(timeouts)) > 1:
                self.note(
                    f"menus wait {', '.join(f'{t:g}' for t in sorted(set(timeouts)))} s for a "
                    f"key; the first menu's {timeouts[0]:g} s is used for all"
                )
        if self.audio:
            self.note(
                (
                    f"{len(self.audio)} audio files play"
                    if len(self.audio) > 1
                    else "an audio file plays"
                )
                + " without text; each is counted "
                f"as {self.settings.prompt_seconds:g} s (--prompt-seconds): timing is estimated"
            )
        for queue, hold in sorted(self.holds.items()):
            given = queue in self.settings.holds or self.settings.hold_given
            how = "given" if given else "assumed (--hold-seconds QUEUE=SECONDS)"
            self.note(f"hold time of '{queue}': {hold:g} s, {how}")
        nodes = list(self.nodes.values())
        # The entry first, then the file's order, so the written menu reads top-down.
        nodes.sort(key=lambda n: (n.id != entry, n.pos.line, n.pos.column, n.id))
        intents, nodes = _intents(self.settings.calls, entry, nodes, self.notes)
        return Menu(
            name=_printable(self.flow.name),
            entry=entry,
            nodes=tuple(nodes),
            source=self.source,
            pos=self.flow.pos,
            timing=timing,
            intents=intents,
            assumptions=(f"read as {self.flow.title} ({self.flow.format})", *self.notes),
        )


def _intents(
    calls: tuple[tuple[str, float], ...], entry: str, nodes: list[Node], notes: list[str]
) -> tuple[tuple[tuple[str, float], ...], list[Node]]:
    """Return intents from call counts: each row's key path (or node id) ends at a node
    that handles it."""
    if not calls:
        return (), nodes
    by_id = {n.id: n for n in nodes}
    handles: dict[str, list[str]] = {}
    intents = []
    taken: set[str] = set()  # paths that slug alike (`1 #`, `1 *`) are distinct intents
    for path, count in calls:
        end, why = _follow(path, entry, by_id)
        if end is None:
            notes.append(f"calls for '{_printable(path)}' are ignored: {why}")
            continue
        base = name = slug(f"calls_{path}")
        n = 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        intents.append((name, count))
        handles.setdefault(end, []).append(name)
    notes.append("intents and their shares come from the call counts given (--calls)")
    out = [
        replace(n, handles=(*n.handles, *handles[n.id]))
        if n.id in handles and n.type in ("agent", "self_service")
        else n
        for n in nodes
    ]
    return tuple(intents), out


def _follow(path: str, entry: str, by_id: Mapping[str, Node]) -> tuple[str | None, str]:
    """Return the person or service a row's key path (or node id) ends at, else None and
    why not."""
    if path in by_id:
        node = by_id[path]
    else:
        node = by_id[entry]
        for key in re.split(r"[\s>/,-]+", path.strip()):
            node = _skip(node, by_id)
            match = [o for o in node.options if o.key == key]
            if not match:
                if node.type != "menu":
                    return None, f"the path reaches '{node.id}' ({node.type}), not a menu"
                return None, f"'{node.id}' has no option {key}"
            node = by_id[match[0].goto]
    node = _skip(node, by_id)
    if node.type in ("agent", "self_service"):
        return node.id, ""
    if node.type == "branch":
        return None, f"it ends at the decision '{node.id}', which splits calls several ways"
    return None, f"it ends at '{node.id}' ({node.type}), not a person or a service"


def _skip(node: Node, by_id: Mapping[str, Node]) -> Node:
    """Follow what the caller does not choose: messages, inputs, and a decision's route
    when one route carries all its calls."""
    seen = set()
    while node.id not in seen:
        seen.add(node.id)
        if node.type in ("message", "input") and node.next:
            node = by_id[node.next]
            continue
        live = [r for r in node.routes if r.share > 0] if node.type == "branch" else []
        if len({r.goto for r in live}) == 1:
            node = by_id[live[0].goto]
            continue
        break
    return node


def to_menu(flow: Flow, settings: Settings, source: str, timing: Timing | None = None) -> Menu:
    """Return the menu a platform flow describes, with every assumption listed once."""
    return _Mapper(flow, settings, source).menu_model(timing or Timing())
