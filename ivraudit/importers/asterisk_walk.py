"""The walk of a parsed dialplan: from a place in it, each line a call reaches becomes
one `Step`, within bounds on the work a dialplan built to be slow can ask for."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.importers.asterisk_apps import (
    ANSWERED,
    DIALLED,
    FREEPBX,
    LOOP_CHECK,
    SYSTEM_CHECK,
    VOICEMAIL_MACROS,
    background_of,
    drop_variables,
    files_of,
    macro_of,
    number_of,
    priority_of,
    read_choices,
    spoken_of,
    time_labels,
)
from ivraudit.importers.asterisk_conf import Context, Priority, split_args, unquote
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
        self.handlers: dict[tuple[str, str], tuple[str | None, int | None]] = {}
        self.reads: dict[tuple[str, str, int], tuple[list[tuple[str, int]], int | None, int]] = {}
        self.catches: dict[str, tuple[str, list[str]] | None] = {}
        # Contexts whose comment names a menu (FreePBX's `[ivr-3] ; Sales`): the menu
        # takes that name.
        self.titled = {n for n, c in contexts.items() if c.title and n.startswith("ivr-")}

    @property
    def menus(self) -> set[str]:
        """The contexts in which a menu was read."""
        return {s.id.split(",", 1)[0] for s in self.steps.values() if s and s.kind == "menu"}

    def inbound(self, routes: list[tuple[str, str]], pos: Position) -> str | None:
        """Return the step that sends each call to the inbound route of its number (one
        route: that route itself)."""
        if len(routes) == 1:
            return self.point(*routes[0])
        ways = []
        for ctx, ext in routes:
            called = "any other number" if ext == "s" or ext.startswith("_") else ext
            ways.append((f"called number: {called}", self.point(ctx, ext)))
        self.steps["inbound"] = Step(
            "inbound", "decision", pos, name="inbound_routes", routes=tuple(ways)
        )
        return "inbound"

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
            found = self.point(args[0], args[1], priority_of(args[2]))
            if found is None and args[0].strip() in FREEPBX:
                return self.freepbx(args[0].strip(), args[1].strip())
            return found
        if len(args) == 2:
            return self.point(ctx, args[0], priority_of(args[1]))
        if len(args) == 1 and args[0]:
            return self.point(ctx, ext, priority_of(args[0]))
        return None

    def freepbx(self, ctx: str, ext: str) -> str | None:
        """Return the exit a FreePBX destination context names when the file does not
        hold it: queues, ring groups, extensions, announcements, hang-up."""
        if ctx.startswith("app-announcement-"):
            kind, target = "message", None
        elif ctx.startswith("ivr-"):
            kind, target = "flow", None
        elif ctx in ("ext-local", "from-did-direct") and ext[:3] in ("vmb", "vmu", "vms", "vmi"):
            # FreePBX's voicemail destinations: extension 101's box, busy/unavailable/...
            kind, target = "service", f"voicemail {ext[3:]}"
        else:
            kind, target = FREEPBX.get(ctx, (None, None))
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
        # A FreePBX IVR's steps are named after the menu its comment names.
        named = self.contexts[ctx].title if ctx in self.titled else ctx
        name = named if written in ("s", ext) and index == 0 else f"{named}_{ext}"
        app = p.app
        if app == "read" and self.read_menu(ctx, written, index)[0]:
            return self.read_as_menu(ident, ctx, written, index, ext, pos, name)
        if app in ("background", "playback", "read") or spoken_of(p) is not None:
            return self.prompted(ctx, written, index, ext, pos, name)
        if app == "waitexten":
            played = self.prompts_before(ctx, written, index)
            return self.menu(ident, ctx, written, index, ext, pos, name, played, p)
        if app in ("goto",):
            return Step(ident, "pass", pos, next=self.goto(ctx, ext, args))
        if app in ("gotoif", "gotoiftime"):
            cond, _, dests = ",".join(args).partition("?")
            yes, _, no = dests.partition(":")
            whens = (
                time_labels(cond)
                if app == "gotoiftime"
                else tuple(
                    f"{cond.strip()} ({when})" if cond else when
                    for when in ("condition true", "condition false")
                )
            )
            routes = []
            for when, dest in zip(whens, (yes, no), strict=True):
                target = self.goto(ctx, ext, split_args(dest)) if dest.strip() else after
                routes.append((when, target))
            if app == "gotoif" and SYSTEM_CHECK.search(cond):
                return Step(ident, "pass", pos, next=self.system_path(cond, routes))
            return Step(ident, "decision", pos, name=name, routes=tuple(routes))
        if app in ("macro", "gosub"):
            called = self.called(ctx, ext, app, args, ident, pos)
            if called is not None:
                return called
        if app == "queue":
            queue = args[0] if args else "a queue"
            if self.queues and queue not in self.queues:
                self.notes.append(f"queue '{queue}' is not defined in the queues.conf given")
            return Step(ident, "queue", pos, target=queue)
        if app == "dial":
            target = drop_variables(args[0]) if args else ""
            return Step(ident, "person", pos, target=target or "a number")
        if app in ("hangup", "busy", "congestion"):
            return Step(ident, "hangup", pos, name="hangup")
        if app in _SERVICES:
            return Step(ident, "service", pos, name=f"{app}_{ext}")
        if app in ("return",):
            return Step(ident, "hangup", pos)
        return Step(ident, "pass", pos, next=after)

    def system_path(self, cond: str, routes: list[tuple[str, str | None]]) -> str | None:
        """Return where a FreePBX check of the system's own state sends a call: the way
        that leads somewhere (a return to a calling IVR held in a variable does not), the
        answered call's way for a channel-state check, else on to the next line."""
        self.notes.append(
            "FreePBX's checks of the system's own state (channel answered or ringing, a "
            "subroutine's result, the IVR a call came from, recording and voicemail flags, "
            "override switches) are not the caller's decisions: the call takes the answered "
            "call's way, else the next line"
        )
        yes, no = routes[0][1], routes[1][1]
        if yes is None or no is None:
            return no if yes is None else yes
        if ANSWERED.search(cond):
            return no if "!=" in cond else yes
        return no

    def called(
        self, ctx: str, ext: str, app: str, args: tuple[str, ...], ident: str, pos: Position
    ) -> Step | None:
        """Return the step a FreePBX dialling macro makes (Macro(dial,...),
        Gosub(macro-dial-one,...)): a person; its voicemail macro: a service; else None."""
        called, inner = macro_of(app, args)
        if called in VOICEMAIL_MACROS:  # vm(101,BUSY,...): the box of extension 101
            box = drop_variables(inner[0]).strip() if inner else ""
            return Step(ident, "service", pos, name=f"voicemail_{box or ext}")
        if called not in DIALLED:
            return None
        kind, target = FREEPBX.get(ctx, (None, None))
        if kind == "person" and target:  # as the same destination reads from outside the file
            return Step(ident, "person", pos, target=target.format(ext=ext))
        # Where each macro takes what it rings: exten-vm(novm,101,...),
        # dial(20,options,201-202), dial-one(20,options,101), dial-confirm(...,201-202,600).
        given = [drop_variables(a).strip() for a in inner]
        for at, named in DIALLED[called]:
            if at < len(given) and given[at]:
                return Step(ident, "person", pos, target=named.format(given[at]))
        return Step(ident, "person", pos, target="a person")

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
            # Read(var,"",11) and Read(var,,11) play nothing: no file is named "".
            audio = unquote(p.args[1]) if len(p.args) > 1 else ""
            return Step(
                ident,
                "input",
                pos,
                name=f"{name}_read",
                audio=audio or None,
                audio_files=len(audio.split("&")) if audio else 1,
                collects=var,
                next=after,
            )
        spoken = spoken_of(p)
        if (p.app == "background" or spoken is not None) and self.waits_after(ctx, written)[
            index + 1
        ]:
            return Step(ident, "pass", pos, next=after)
        if spoken is not None:
            return Step(ident, "message", pos, name=f"{name}_prompt", prompt=spoken, next=after)
        return Step(
            ident,
            "message",
            pos,
            name=f"{name}_prompt",
            audio=files_of(p),
            audio_files=len((files_of(p) or "").split()),
            next=after,
        )

    def read_menu(
        self, ctx: str, written: str, index: int
    ) -> tuple[list[tuple[str, int]], int | None, int]:
        """Return what read_choices finds after the Read at `index` (once per line)."""
        key = (ctx, written, index)
        if key not in self.reads:
            self.reads[key] = read_choices(self.contexts[ctx].extens[written], index)
        return self.reads[key]

    def read_as_menu(
        self, ident: str, ctx: str, written: str, index: int, ext: str, pos: Position, name: str
    ) -> Step:
        """A Read of one key that GotoIfs then test key by key is a menu: each tested key
        an option, the line after the tests its no-match (and its no-input, unless a
        test for nothing typed says otherwise)."""
        lines = self.contexts[ctx].extens[written]
        p = lines[index]
        keys, empty, end = self.read_menu(ctx, written, index)
        choices = []
        for key, at in keys:
            q = lines[at]
            dest = ",".join(q.args).partition("?")[2]
            target = self.goto(ctx, ext, split_args(dest))
            choices.append(Choice(key, target, Position(self.source, q.line, q.column)))
        after = self.at(ctx, written, end, ext)
        no_input = after
        if empty is not None:
            dest = ",".join(lines[empty].args).partition("?")[2]
            no_input = self.goto(ctx, ext, split_args(dest))
        played = self.prompts_before(ctx, written, index)
        own = unquote(p.args[1]) if len(p.args) > 1 else ""
        played = [*played, *(("audio", f) for f in own.replace("&", " ").split())]
        # Read(var,files,maxdigits,options,attempts,timeout): `attempts` plays it again
        # when nothing is typed; `timeout` is the wait in seconds.
        attempts = number_of(p.args[4]) if len(p.args) > 4 else None
        timeout = number_of(p.args[5]) if len(p.args) > 5 else None
        self.notes.append(
            "a Read of keys that GotoIf tests one by one (${VAR} = 1) is a menu: each key "
            "tested is an option, what follows the tests takes the other keys"
        )
        return menu_step(
            ident,
            pos,
            name,
            played,
            choices=tuple(choices),
            no_input=no_input,
            no_match=after,
            retries=0,
            input_retries=max(int(attempts) - 1, 0) if attempts else 0,
            timeout=timeout if timeout and timeout > 0 else 10.0,
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
                if app == "waitexten" or (app == "read" and self.read_menu(ctx, written, i)[0]):
                    waits[i] = True
                elif app in _PASS or app == "background" or spoken_of(lines[i]) is not None:
                    waits[i] = waits[i + 1]
            self.waits[key] = waits
        return self.waits[key]

    def prompts_before(self, ctx: str, written: str, index: int) -> list[tuple[str, str]]:
        """Return what the prompts just before a WaitExten play, in order: ("audio", file)
        with ${VAR} given the value the last Set() before set (FreePBX's IVR_MSG), or
        ("text", words) that a speech synthesiser says."""
        key = (ctx, written, index)
        if key not in self.played:
            lines = self.contexts[ctx].extens[written]
            played: list[tuple[str, str]] = []
            for at in range(index - 1, -1, -1):
                file = background_of(lines[at])
                spoken = spoken_of(lines[at])
                if file is not None:
                    # A variable can hold several files (IVR_MSG=retry&custom/menu).
                    files = self.expand(ctx, written, index, file).replace("&", " ").split()
                    played.extend(("audio", f) for f in reversed(files))
                elif spoken is not None:
                    played.append(("text", spoken))
                elif lines[at].app not in _PASS:
                    break
            self.played[key] = [(kind, what) for kind, what in reversed(played) if what]
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
        played: list[tuple[str, str]],
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
        if ctx not in self.catches:
            self.catches[ctx] = self.invalid_keys(c) if self.keyed[ctx] else None
        catch = self.catches[ctx]
        timeout: float | None = 10.0  # Asterisk's default response timeout
        if wait.args and wait.args[0].strip():
            try:
                timeout = float(wait.args[0])
            except ValueError:
                timeout = None
        after = self.at(ctx, written, index + 1, ext)
        no_input, input_tries = self.handler(ctx, "t") if "t" in c.extens else (after, None)
        no_match, match_tries = self.handler(ctx, "i") if "i" in c.extens else (None, None)
        if catch is not None:
            # A pattern of single keys beside the explicit ones takes the other keys it
            # covers before `i` would: it is the menu's invalid-key handling.
            written, covered = catch
            no_match, match_tries = self.point(ctx, written), None
            self.notes.append(
                f"[{ctx}]: the pattern {written} takes keys {' '.join(covered)}, which are "
                "not options: it is read as the invalid-key handling (no_match)"
            )
        title = c.title if ctx in self.titled else None
        return menu_step(
            start,
            pos,
            title or name,
            played,
            choices=tuple(choices),
            no_input=no_input,
            no_match=no_match,
            retries=match_tries or 0,
            input_retries=input_tries or 0,
            timeout=timeout,
        )

    def handler(self, ctx: str, key: str) -> tuple[str | None, int | None]:
        """Return where FreePBX's `i` or `t` extension sends a call, and its retries: with
        a loop counter (INVALID_LOOPCOUNT, TIMEOUT_LOOPCOUNT), the menu plays again until
        the count passes N, then the call goes on from the check's label (`final`)."""
        # Once per context: every menu of a context shares its `i` and `t`.
        if (ctx, key) not in self.handlers:
            self.handlers[(ctx, key)] = self.read_handler(ctx, key)
        return self.handlers[(ctx, key)]

    def read_handler(self, ctx: str, key: str) -> tuple[str | None, int | None]:
        for p in self.contexts[ctx].extens[key]:
            if p.app != "gotoif":
                continue
            joined = ",".join(p.args)
            count = LOOP_CHECK.search(joined)
            if count is None:
                continue
            dest = joined[count.end() :].partition(":")[0]
            target = self.goto(ctx, key, split_args(dest)) if dest.strip() else None
            if target is None:
                break
            limit = int(count.group(2))
            # The counter is raised before it is compared: `> 3` lets three retries
            # through, `= 3` (older FreePBX) two.
            tries = limit if count.group(1) == ">" else max(limit - 1, 0)
            self.notes.append(
                "FreePBX's loop counters (INVALID_LOOPCOUNT, TIMEOUT_LOOPCOUNT) are the "
                "menu's retries: it plays again up to N times, then the call goes to the "
                "final destination"
            )
            return target, tries
        return self.point(ctx, key), None

    def invalid_keys(self, c: Context) -> tuple[str, list[str]] | None:
        """Return a pattern of single keys only (`_[04-9#*]`) that the context holds beside
        its explicit keys, with the keys it takes that are not options; else None."""
        options = set(self.keyed[c.name])
        for written, pat in self.patterns_of(c):
            if pat.tail == "" and len(pat.classes) == 1:
                covered = [k for k in PHONE_KEYS if k not in options and pat.matches(k)]
                if covered:
                    return written, covered
        return None


def menu_step(
    ident: str,
    pos: Position,
    name: str | None,
    played: Sequence[tuple[str, str]],
    **keys: Any,
) -> Step:
    """Return a menu step that plays `played` ("audio" files and "text" spoken), in order;
    `keys` are the menu's choices, handlers, retries and timeout."""
    files = [what for kind, what in played if kind == "audio"]
    words = " ".join(what for kind, what in played if kind == "text")
    return Step(
        ident,
        "menu",
        pos,
        name=name,
        prompt=words or None,
        audio=" ".join(files) or None,
        audio_files=len(files),
        **keys,
    )
