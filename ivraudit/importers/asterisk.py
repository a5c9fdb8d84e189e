"""Asterisk dialplans (extensions.conf, FreePBX extensions_additional.conf), with
queues.conf as a companion: the dialplan is run step by step from its first menu. The
files are parsed in `asterisk_conf`, and walked in `asterisk_walk`, which asks
`asterisk_apps` what each application and FreePBX idiom means."""

from __future__ import annotations

import itertools
import re

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
from ivraudit.importers.asterisk_apps import read_choices
from ivraudit.importers.asterisk_conf import Context, parse, parse_queues
from ivraudit.importers.asterisk_walk import MAX_NAME, Runner
from ivraudit.importers.flow import Flow

NAME = "asterisk"
TITLE = "Asterisk dialplan (extensions.conf)"
SYSTEM = "asterisk"
ROLE = "flow"

_EXTEN = re.compile(r"(?m)^[ \t]*(exten|same)[ \t]*=>?")


def detect(text: str) -> float:
    """Return how sure we are that `text` is an extensions.conf dialplan."""
    if "exten" not in text:
        return 0.0
    if re.search(r"(?m)^[ \t]*\[[^\]\n]+\]", text) and _EXTEN.search(text):
        return 0.9
    return 0.0


def _entry(contexts: dict[str, Context]) -> tuple[str, str] | None:
    """Return the first context (and extension) that waits for a key after a prompt: a
    FreePBX IVR (`ivr-N`) first, before the system contexts FreePBX writes above them."""
    ivrs = [c for c in contexts.values() if c.name.startswith("ivr-")]
    for c in itertools.chain(ivrs, contexts.values()):
        keyed = any(k in PHONE_KEYS for k in c.extens)
        for ext, lines in c.extens.items():
            if len(c.name) > MAX_NAME or len(ext) > MAX_NAME:
                continue  # no call can be there
            if ext in PHONE_KEYS or ext in ("i", "t", "h"):
                continue
            if (
                any(p.app == "waitexten" for p in lines)
                or (keyed and any(p.app == "background" for p in lines))
                or any(p.app == "read" and read_choices(lines, i)[0] for i, p in enumerate(lines))
            ):
                return c.name, ext
    return None


# FreePBX writes each inbound route (a DID, a DID and caller id, or any number) as an
# extension of `ext-did-NNNN`, which `ext-did` includes (core's functions.inc.php).
_INBOUND = re.compile(r"^ext-did(?:-\d+)?$")
_NOT_ROUTES = {"fax", "h", "i", "t", "foo"}  # ext-did's placeholder is `foo,1,Noop(bar)`
MAX_ROUTES = 100


def _inbound(contexts: dict[str, Context]) -> list[tuple[str, str]]:
    """Return (context, extension) of each FreePBX inbound route, in file order, each
    number once."""
    routes: dict[str, str] = {}
    for c in contexts.values():
        if _INBOUND.match(c.name) and len(c.name) <= MAX_NAME:
            for ext in c.extens:
                if ext not in _NOT_ROUTES and len(ext) <= MAX_NAME:
                    routes.setdefault(ext, c.name)
    return [(ctx, ext) for ext, ctx in routes.items()]


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of a dialplan, starting at its first menu."""
    return flow_of(parse(text, source), source, companions)


def flow_of(
    contexts: dict[str, Context],
    source: str,
    companions: tuple[tuple[str, str], ...] = (),
    fmt: tuple[str, str] = (NAME, TITLE),
    notes: tuple[str, ...] = (),
) -> Flow:
    """Return the typed flow of parsed contexts (from extensions.conf or AEL), run from
    the first context that waits for a key."""
    queues: dict[str, int] = {}
    for _, companion in companions:
        queues.update(parse_queues(companion))
    found = _entry(contexts)
    if found is None:
        raise MenuError(
            source, 1, 1, "no menu in this dialplan: no context plays a prompt and waits for a key"
        )
    ctx, ext = found
    runner, entry, start = _from_inbound(contexts, queues, source)
    if runner is None:
        runner = Runner(contexts, queues, source)
        entry = runner.point(ctx, ext)
        runner.run()
        start = (
            f"the call starts in [{ctx}] at extension '{ext}', the first context that waits "
            "for a key"
        )
    else:  # the menus named after what the callers reach first
        ctx = next((n for n in contexts if n in runner.titled and n in runner.menus), ctx)
    steps = [s for s in runner.steps.values() if s is not None]
    said = [
        f"{start}; a Queue() or Dial() ends the audit there (what follows a timeout is "
        "not followed)",
        *notes,
        *runner.notes,
    ]
    if queues:
        said.append(f"queues.conf given: {', '.join(sorted(queues))} defined")
    return Flow(
        fmt[0],
        fmt[1],
        contexts[ctx].title or ctx,
        entry,
        tuple(steps),
        Position(source, contexts[ctx].line, 1),
        tuple(dict.fromkeys(said)),
    )


def _from_inbound(
    contexts: dict[str, Context], queues: dict[str, int], source: str
) -> tuple[Runner | None, str | None, str]:
    """Run a FreePBX dialplan from its inbound routes, when one reaches a menu: each
    number a route answers leads where it goes, with an equal share of the calls."""
    routes = _inbound(contexts)
    if not routes:
        return None, None, ""
    runner = Runner(contexts, queues, source)
    kept = routes[:MAX_ROUTES]
    first = contexts[kept[0][0]]
    entry = runner.inbound(kept, Position(source, first.line, 1))
    runner.run()
    if not runner.menus:
        return None, None, ""
    more = f" (the first {MAX_ROUTES} of {len(routes)})" if len(routes) > MAX_ROUTES else ""
    start = (
        f"the call starts at FreePBX's inbound routes (ext-did): {len(kept)} numbers{more}, "
        "each given an equal share of the calls, lead to the menus"
    )
    return runner, entry, start
