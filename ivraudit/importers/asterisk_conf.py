"""The Asterisk configuration files read as data: extensions.conf contexts with their
numbered lines, and the queues a queues.conf defines."""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field

from ivraudit.format.errors import MenuError
from ivraudit.frozen import frozen
from ivraudit.importers.document import check_size


@frozen
class Priority:
    """One dialplan line: its priority number, label and application."""

    number: int
    label: str | None
    app: str
    args: tuple[str, ...]
    line: int
    column: int


@dataclass
class Context:
    """A `[context]`: extensions in file order, and the contexts it includes."""

    name: str
    line: int
    title: str | None = None  # FreePBX writes the display name as a comment: [ivr-1] ; Main
    extens: dict[str, list[Priority]] = field(default_factory=dict)
    includes: list[str] = field(default_factory=list)


# No two runs of spaces meet, and each part starts with a character the space before it
# cannot take: a line that does not match fails in one pass, with no split of its spaces
# tried against every other (that took minutes on one line of 2,000 spaces).
_LINE = re.compile(
    r"^(\s*)(exten|same)\s*=>?\s*(?:(?P<ext>[^,\s][^,]*),\s*)?(?P<prio>[^,(\s][^,(]*)"
    r"(?:\((?P<label>[^)]*)\))?,\s*(?P<app>[A-Za-z_][\w]*)\s*(?:\((?P<args>.*)\)\s*)?$"
)


_SEPARATOR = re.compile(r"[,|]")
_HEAD = re.compile(r"^\s*\[([^\]]+)\]")
_INCLUDE = re.compile(r"^\s*include\s*=>?\s*(\S+)")


def _strip_comment(line: str) -> str:
    if "\\" not in line:  # nothing escaped: the comment starts at the first `;`
        return line.split(";", 1)[0].rstrip()
    out = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            out.append(line[i + 1])
            i += 2
            continue
        if ch == ";":
            break
        out.append(ch)
        i += 1
    return "".join(out).rstrip()


def split_args(args: str) -> tuple[str, ...]:
    """Split application arguments at top-level commas; a comma inside double quotes
    does not split (as Asterisk's argument parser reads `"Hello, caller"`)."""
    if not any(b in args for b in '()[]{}"'):  # no nesting: every , and | splits
        return tuple(part.strip() for part in _SEPARATOR.split(args))
    parts, depth, cur = [], 0, []
    quoted = False
    for ch in args:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch in ",|" and depth == 0 and not quoted:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return tuple(parts)


def unquote(text: str) -> str:
    """Return an argument without the double quotes around it (Asterisk removes them)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].strip()
    return text


def parse(text: str, source: str) -> dict[str, Context]:
    """Return the contexts of a dialplan, in file order."""
    check_size(text, source)
    contexts: dict[str, Context] = {}
    current: Context | None = None
    last_ext: str | None = None
    in_block = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_block:
            if "--;" in raw:
                in_block = False
            continue
        if raw.lstrip().startswith(";--") and "--;" not in raw:
            in_block = True
            continue
        line = _strip_comment(raw)
        if not line.strip():
            continue
        head = _HEAD.match(line) if "[" in line else None
        if head:
            name = head.group(1).strip()
            # FreePBX writes the IVR's name HTML-escaped (`Sales &amp; Support`).
            comment = html.unescape(raw[len(line) :].lstrip().lstrip(";").strip())
            # A context written twice is one context (Asterisk merges the two blocks).
            current = contexts.setdefault(name, Context(name, number, comment or None))
            current.title = current.title or comment or None
            last_ext = None
            continue
        if current is None:
            continue
        inc = _INCLUDE.match(line) if "include" in line else None
        if inc:
            current.includes.append(inc.group(1))
            continue
        m = _LINE.match(line)
        if not m:
            continue
        ext = m.group("ext").strip() if m.group("ext") is not None else None
        if m.group(2) == "same" or ext is None:
            ext = last_ext
            if ext is None:
                raise MenuError(source, number, 1, "'same =>' before any 'exten =>' line")
        prios = current.extens.setdefault(ext, [])
        spec = m.group("prio").strip()
        if spec.isdigit():
            prio = int(spec)
        elif spec == "hint":
            continue
        else:  # n, n+1, s...
            prio = (prios[-1].number if prios else 0) + 1
        prios.append(
            Priority(
                number=prio,
                label=(m.group("label") or None),
                app=m.group("app").lower(),
                args=split_args(m.group("args") or ""),
                line=number,
                column=len(m.group(1)) + 1,
            )
        )
        last_ext = ext
    for c in contexts.values():
        for ext, prios in c.extens.items():
            if any(a.number >= b.number for a, b in itertools.pairwise(prios)):
                c.extens[ext] = _in_order(prios)
    return contexts


def _in_order(prios: list[Priority]) -> list[Priority]:
    """Return an extension's lines in priority order (Asterisk runs them by number),
    keeping the first line of a number: Asterisk refuses a second ("priority already in
    use"), as when a context written twice repeats a line."""
    kept: dict[int, Priority] = {}
    for p in prios:
        kept.setdefault(p.number, p)
    return sorted(kept.values(), key=lambda p: p.number)


def parse_queues(text: str) -> dict[str, int]:
    """Return the queues a queues.conf defines, with their member count."""
    queues: dict[str, int] = {}
    current = None
    for raw in text.splitlines():
        line = _strip_comment(raw)
        head = _HEAD.match(line) if "[" in line else None
        if head:
            current = head.group(1).strip()
            if current != "general":
                queues[current] = 0
            continue
        if current in queues and re.match(r"^\s*member\s*=>?", line):
            queues[current] += 1
    return queues
