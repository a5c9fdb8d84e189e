"""Asterisk dialplans (extensions.conf, FreePBX extensions_additional.conf), with
queues.conf as a companion: the dialplan is run step by step from its first menu. The
files are parsed in `asterisk_conf`, and walked in `asterisk_walk`."""

from __future__ import annotations

import re

from ivraudit.format.errors import MenuError
from ivraudit.format.model import PHONE_KEYS, Position
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
    """Return the first context (and extension) that waits for a key after a prompt."""
    for c in contexts.values():
        keyed = any(k in PHONE_KEYS for k in c.extens)
        for ext, lines in c.extens.items():
            if len(c.name) > MAX_NAME or len(ext) > MAX_NAME:
                continue  # no call can be there
            if ext in PHONE_KEYS or ext in ("i", "t", "h"):
                continue
            if any(p.app == "waitexten" for p in lines) or (
                keyed and any(p.app == "background" for p in lines)
            ):
                return c.name, ext
    return None


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
    runner = Runner(contexts, queues, source)
    ctx, ext = found
    entry = runner.point(ctx, ext)
    runner.run()
    steps = [s for s in runner.steps.values() if s is not None]
    said = [
        f"the call starts in [{ctx}] at extension '{ext}', the first context that waits "
        "for a key; a Queue() or Dial() ends the audit there (what follows a timeout is "
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
