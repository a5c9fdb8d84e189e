"""The walk of a parsed dialplan: from a place in it, each line a call reaches becomes
one `Step`, within bounds on the work a dialplan built to be slow can ask for."""

from __future__ import annotations

import bisect
import itertools
import re

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.importers.asterisk_conf import Context, Priority, split_args
from ivraudit.importers.asterisk_pattern import Pattern, pattern
from ivraudit.importers.flow import Choice, Step

_PASS = {
    "answer",
    "noop",
    "verbose",
    "set",
    "wait",
    "ringing",
    "progress",
    "setvar",
    "setmusiconhold",
    "log",
    "macro",
    "gosub",
    "execif",
    "mixmonitor",
    "monitor",
    "stopmonitor",
    "setcallerpres",
    "setlanguage",
    "dumpchan",
    "agi",
    "mysql",
    "system",
    "userevent",
    "celgenuserevent",
    "musiconhold",
    "startmusiconhold",
    "stopmusiconhold",
}
_SERVICES = {
    "voicemail",
    "voicemailmain",
    "directory",
    "echo",
    "confbridge",
    "meetme",
    "record",
    "saydigits",
    "saynumber",
    "sayalpha",
    "page",
    "festival",
    "sayunixtime",
    "milliwatt",
    "chanspy",
    "vmauthenticate",
    "followme",
    "disa",
    "sendfax",
    "receivefax",
}
_MAX_STEPS = 5000
# Asterisk looks an extension up in a context, then in what it includes, each context at
# most once per look-up (pbx.c keeps the contexts it tried); includes nest this deep.
MAX_INCLUDE_DEPTH = 64
# Work while following the calls, in all: includes followed and pattern characters
# compared in look-ups, characters written by ${EXTEN}. Enough for thousands of patterns
# times thousands of look-ups; a bound on a dialplan built to be slow.
MAX_WORK = 20_000_000
# A call's context and extension are at most 79 characters in Asterisk (AST_MAX_CONTEXT,
# AST_MAX_EXTENSION are 80 with the terminating NUL): longer names can never be reached.
MAX_NAME = 79
_NAMED = 10  # extensions a note names before "and N more"
# FreePBX destinations (extensions_additional.conf) by context: what kind of exit, named how.
_FREEPBX = {
    "ext-queues": ("queue", "{ext}"),
    "ext-group": ("person", "ring group {ext}"),
    "from-did-direct": ("person", "extension {ext}"),
    "ext-local": ("person", "extension {ext}"),
    "from-internal": ("person", "extension {ext}"),
    "ext-meetme": ("service", "conference {ext}"),
    "ext-findmefollow": ("person", "follow-me {ext}"),
    "app-blackhole": ("hangup", None),
    "app-daynight": ("flow", "day/night {ext}"),
    "timeconditions": ("flow", "time condition {ext}"),
    "vm": ("service", "voicemail {ext}"),
    "ext-vm": ("service", "voicemail {ext}"),
}


class Runner:
    """Walk the dialplan from a point, making one step per (context, extension, line)."""

    def __init__(self, contexts: dict[str, Context], queues: dict[str, int], source: str):
        self.contexts = contexts
        self.queues = queues
        self.source = source
        self.steps: dict[str, Step] = {}
        self.todo: list[tuple[str, str, int, str]] = []
        self.notes: list[str] = []
        # What each look-up found, and per context or extension what every step asks of
        # it again: worked out once, so a run costs the size of the dialplan, not a product.
        self.found: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.patterns: dict[str, list[tuple[str, Pattern]]] = {}
        self.places: dict[tuple[str, str], dict[str | int, int]] = {}
        self.waits: dict[tuple[str, str], list[bool]] = {}
        self.played: dict[tuple[str, str, int], list[str]] = {}
        self.sets: dict[tuple[str, str], dict[str, list[tuple[int, str]]]] = {}
        self.longer: dict[str, dict[str, None]] = {}
        self.keyed: dict[str, list[str]] = {}
        self.work = 0
        self.includes: dict[str, list[str]] = {}

    def find(self, ctx: str, ext: str) -> tuple[str, str] | None:
        """Return (context, written extension) that handles `ext` in `ctx` or its includes."""
        if len(ctx) > MAX_NAME or len(ext) > MAX_NAME:
            return None  # no call can be there
        key = (ctx, ext)
        if key not in self.found:
            self.found[key] = self.search(ctx, ext)
        return self.found[key]

    def spend(self, amount: int, line: int) -> None:
        """Count work towards MAX_WORK; refuse the dialplan, located, past it."""
        self.work += amount
        if self.work > MAX_WORK:
            raise MenuError(
                self.source,
                line,
                1,
                f"dialplan too costly to follow: more than {MAX_WORK:,} steps of work "
                "(includes followed, pattern characters compared, characters ${EXTEN} "
                "wrote); see Limits in docs/importers.md",
            )

    def search(self, ctx: str, ext: str) -> tuple[str, str] | None:
        """Search `ctx`, then its includes depth first, each context once (as pbx.c)."""
        tried: set[str] = set()
        stack = [(ctx, 0)]
        while stack:
            name, depth = stack.pop()
            c = self.contexts.get(name)
            if c is None or name in tried:
                continue
            tried.add(name)
            if ext in c.extens:
                return name, ext
            for written, pat in self.patterns_of(c):
                self.spend(len(written), c.line)
                if pat.matches(ext):
                    return name, written
            if depth < MAX_INCLUDE_DEPTH:
                # Each included context once, in order; Asterisk refuses a repeated include.
                if name not in self.includes:
                    known = (i for i in c.includes if i in self.contexts and len(i) <= MAX_NAME)
                    self.includes[name] = list(dict.fromkeys(known))
                self.spend(len(self.includes[name]), c.line)
                stack.extend((inc, depth + 1) for inc in reversed(self.includes[name]))
        return None

    def patterns_of(self, c: Context) -> list[tuple[str, Pattern]]:
        if c.name not in self.patterns:
            pats = ((written, pattern(written)) for written in c.extens)
            self.patterns[c.name] = [(w, p) for w, p in pats if p is not None]
        return self.patterns[c.name]

    def point(self, ctx: str, ext: str, prio: str | int = 1) -> str | None:
        """Return the step id of a place in the dialplan, queueing it to be read."""
        found = self.find(ctx, ext)
        if found is None:
            return None
        real_ctx, written = found
        places = self.places.get(found)
        if places is None:
            # The first line with that number or label, as a scan from the top finds it.
            places = {}
            for i, p in enumerate(self.contexts[real_ctx].extens[written]):
                places.setdefault(p.number, i)
                places.setdefault(str(p.number), i)
                if p.label is not None:
                    places.setdefault(f"label:{p.label}", i)
            self.places[found] = places
        if isinstance(prio, int):
            index = places.get(prio)
        else:
            both = [places.get(f"label:{prio}"), places.get(prio)]
            index = min((i for i in both if i is not None), default=None)
        if index is None:
            return None
        return self.at(real_ctx, written, index, ext)

    def at(self, ctx: str, written: str, index: int, ext: str) -> str | None:
        lines = self.contexts[ctx].extens[written]
        if index >= len(lines):
            return None  # past the last priority: Asterisk hangs up
        ident = f"{ctx},{ext},{index}"
        if ident not in self.steps and len(self.steps) < _MAX_STEPS:
            self.steps[ident] = None  # type: ignore[assignment]  # reserved
            self.todo.append((ctx, written, index, ext))
        return ident if ident in self.steps else None

    def run(self) -> None:
        while self.todo:
            ctx, written, index, ext = self.todo.pop()
            self.steps[f"{ctx},{ext},{index}"] = self.step(ctx, written, index, ext)

    def goto(self, ctx: str, ext: str, args: tuple[str, ...]) -> str | None:
        if len(args) >= 3 and args[0] not in self.contexts:
            return self.freepbx(args[0].strip(), args[1].strip())
        if len(args) >= 3:
            return self.point(args[0], args[1], _prio(args[2]))
        if len(args) == 2:
            return self.point(ctx, args[0], _prio(args[1]))
        if len(args) == 1 and args[0]:
            return self.point(ctx, ext, _prio(args[0]))
        return None

    def freepbx(self, ctx: str, ext: str) -> str | None:
        """Return the exit a FreePBX destination context names when the file does not
        hold it: queues, ring groups, extensions, announcements, hang-up."""
        if ctx.startswith("app-announcement-"):
            kind, target = "message", None
        elif ctx.startswith("ivr-"):
            kind, target = "flow", None
        else:
            kind, target = _FREEPBX.get(ctx, (None, None))
        if kind is None:
            return None  # a context nobody defined: the call ends there, as in Asterisk
        ident = f"freepbx:{ctx},{ext}"
        if ident not in self.steps:
            name = target.format(ext=ext) if target else f"{ctx} {ext}"
            pos = Position(self.source, 1, 1)
            if kind == "message":
                self.steps[ident] = Step(ident, "message", pos, name=ctx, audio=ctx, next=None)
            else:
                self.steps[ident] = Step(ident, kind, pos, name=name, target=name)  # type: ignore[arg-type]
        return ident

    def step(self, ctx: str, written: str, index: int, ext: str) -> Step:
        lines = self.contexts[ctx].extens[written]
        p = lines[index]
        args = tuple(a.replace("${EXTEN}", ext) if "${EXTEN}" in a else a for a in p.args)
        self.spend(sum(len(a) for a, b in zip(args, p.args, strict=True) if a is not b), p.line)
        ident = f"{ctx},{ext},{index}"
        pos = Position(self.source, p.line, p.column)
        after = self.at(ctx, written, index + 1, ext)
        name = ctx if written in ("s", ext) and index == 0 else f"{ctx}_{ext}"
        app = p.app
        if app in ("background", "playback", "read"):
            return self.prompted(ctx, written, index, ext, pos, name)
        if app == "waitexten":
            files = self.prompts_before(ctx, written, index)
            return self.menu(ident, ctx, written, index, ext, pos, name, files, p)
        if app in ("goto",):
            return Step(ident, "pass", pos, next=self.goto(ctx, ext, args))
        if app in ("gotoif", "gotoiftime"):
            cond, _, dests = (args[-1] if app == "gotoiftime" else ",".join(args)).partition("?")
            yes, _, no = dests.partition(":")
            routes = []
            for when, dest in (("condition true", yes), ("condition false", no)):
                target = self.goto(ctx, ext, split_args(dest)) if dest.strip() else after
                routes.append((f"{cond.strip()} ({when})" if cond else when, target))
            return Step(ident, "decision", pos, name=name, routes=tuple(routes))
        if app == "queue":
            queue = args[0] if args else "a queue"
            if self.queues and queue not in self.queues:
                self.notes.append(f"queue '{queue}' is not defined in the queues.conf given")
            return Step(ident, "queue", pos, target=queue)
        if app == "dial":
            target = _drop_variables(args[0]) if args else ""
            return Step(ident, "person", pos, target=target or "a number")
        if app in ("hangup", "busy", "congestion"):
            return Step(ident, "hangup", pos, name="hangup")
        if app in _SERVICES:
            return Step(ident, "service", pos, name=f"{app}_{ext}")
        if app in ("return",):
            return Step(ident, "hangup", pos)
        return Step(ident, "pass", pos, next=after)

    def prompted(
        self, ctx: str, written: str, index: int, ext: str, pos: Position, name: str
    ) -> Step:
        """A Background that a WaitExten follows is part of that menu; otherwise a prompt
        is a message, and a Read collects digits."""
        lines = self.contexts[ctx].extens[written]
        p = lines[index]
        ident = f"{ctx},{ext},{index}"
        after = self.at(ctx, written, index + 1, ext)
        if p.app == "read":
            var = p.args[0] if p.args else "input"
            audio = p.args[1] if len(p.args) > 1 and p.args[1] else None
            return Step(
                ident, "input", pos, name=f"{name}_read", audio=audio, collects=var, next=after
            )
        if p.app == "background" and self.waits_after(ctx, written)[index + 1]:
            return Step(ident, "pass", pos, next=after)
        return Step(
            ident,
            "message",
            pos,
            name=f"{name}_prompt",
            audio=_files(p),
            audio_files=len((_files(p) or "").split()),
            next=after,
        )

    def waits_after(self, ctx: str, written: str) -> list[bool]:
        """Return, for each line of an extension, whether a WaitExten comes from there on
        with only prompts and pass-through lines before it (one pass, from the end)."""
        key = (ctx, written)
        if key not in self.waits:
            lines = self.contexts[ctx].extens[written]
            waits = [False] * (len(lines) + 1)
            for i in range(len(lines) - 1, -1, -1):
                app = lines[i].app
                if app == "waitexten":
                    waits[i] = True
                elif app in _PASS or app == "background":
                    waits[i] = waits[i + 1]
            self.waits[key] = waits
        return self.waits[key]

    def prompts_before(self, ctx: str, written: str, index: int) -> list[str]:
        """Return the files the prompts just before a WaitExten play, with ${VAR} given
        the value the last Set() before set (FreePBX's IVR_MSG)."""
        key = (ctx, written, index)
        if key not in self.played:
            lines = self.contexts[ctx].extens[written]
            files: list[str] = []
            for at in range(index - 1, -1, -1):
                played = _background(lines[at])
                if played is not None:
                    files.append(self.expand(ctx, written, index, played))
                elif lines[at].app not in _PASS:
                    break
            self.played[key] = [f for f in reversed(files) if f]
        return self.played[key]

    def expand(self, ctx: str, written: str, index: int, text: str) -> str:
        """Replace ${VAR} with the last value a Set() before line `index` gave it."""
        key = (ctx, written)
        if key not in self.sets:
            sets: dict[str, list[tuple[int, str]]] = {}
            for i, p in enumerate(self.contexts[ctx].extens[written]):
                if p.app == "set" and p.args and "=" in p.args[0]:
                    var, value = p.args[0].split("=", 1)
                    sets.setdefault(var, []).append((i, value))
            self.sets[key] = sets

        def value(match: re.Match[str]) -> str:
            given = self.sets[key].get(match.group(1), [])
            before = bisect.bisect_left(given, (index, ""))
            return given[before - 1][1] if before else ""

        return re.sub(r"\$\{(\w+)\}", value, text).strip()

    def menu(
        self,
        start: str,
        ctx: str,
        written: str,
        index: int,
        ext: str,
        pos: Position,
        name: str,
        files: list[str],
        wait: Priority,
    ) -> Step:
        c = self.contexts[ctx]
        choices = []
        if ctx not in self.longer:
            self.longer[ctx] = {k: None for k in c.extens if k.isdigit() and len(k) > 1}
            self.keyed[ctx] = [k for k in c.extens if k in PHONE_KEYS]
        # Name a few: a note is one line, however many extensions a context holds.
        longer = [k for k in list(itertools.islice(self.longer[ctx], _NAMED + 1)) if k != ext]
        longer = longer[:_NAMED]
        more = len(self.longer[ctx]) - (ext in self.longer[ctx]) - len(longer)
        if longer:
            named = ", ".join(longer) + (f" and {more} more" if more else "")
            self.notes.append(
                f"[{ctx}]: extensions {named} (dial-by-extension) are not counted as options"
            )
        for key in self.keyed[ctx]:
            first = c.extens[key][0]
            choices.append(
                Choice(key, self.point(ctx, key), Position(self.source, first.line, first.column))
            )
        timeout: float | None = 10.0  # Asterisk's default response timeout
        if wait.args and wait.args[0].strip():
            try:
                timeout = float(wait.args[0])
            except ValueError:
                timeout = None
        after = self.at(ctx, written, index + 1, ext)
        no_input = self.point(ctx, "t") if "t" in c.extens else after
        no_match = self.point(ctx, "i") if "i" in c.extens else None
        return Step(
            start,
            "menu",
            pos,
            name=name,
            audio=" ".join(files) or None,
            audio_files=len(files),
            choices=tuple(choices),
            no_input=no_input,
            no_match=no_match,
            retries=0,
            timeout=timeout,
        )


_BACKGROUND = re.compile(r"(?i)background\(")


def _background(p: Priority) -> str | None:
    """Return what a Background line plays, also inside ExecIf (FreePBX); else None."""
    if p.app == "background":
        return _files(p) or ""
    if p.app == "execif":
        # The first `background(` that a `)` follows, found without a regular expression
        # that would rescan the rest of the line from every `background(` in it.
        joined = ",".join(p.args)
        start = _BACKGROUND.search(joined)
        end = joined.find(")", start.end()) if start else -1
        if start and end >= 0:
            inside = joined[start.end() : end]
            return " ".join(f for f in split_args(inside)[0].split("&") if f)
    return None


def _drop_variables(text: str) -> str:
    """Remove each `${...}` (up to the first `}` after it), in one pass."""
    out = []
    at = 0
    while True:
        start = text.find("${", at)
        end = text.find("}", start + 2) if start >= 0 else -1
        if end < 0:
            out.append(text[at:])
            return "".join(out)
        out.append(text[at:start])
        at = end + 1


def _files(p: Priority) -> str | None:
    return " ".join(f for f in p.args[0].split("&") if f) or None if p.args else None


def _prio(text: str) -> str | int:
    text = text.strip()
    return int(text) if text.isdigit() else text
