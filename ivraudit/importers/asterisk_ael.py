"""Asterisk AEL (extensions.ael): read into the same contexts as extensions.conf, then
run the same way. Loops run once; `if`/`ifTime`/`random` become decisions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ivraudit.format.errors import MenuError
from ivraudit.format.text import one_line
from ivraudit.importers.asterisk import flow_of
from ivraudit.importers.asterisk_conf import Context, Priority, split_args
from ivraudit.importers.document import Lines, check_size, line_col
from ivraudit.importers.flow import Flow

NAME = "asterisk-ael"
TITLE = "Asterisk AEL dialplan (extensions.ael)"
SYSTEM = "asterisk"
ROLE = "flow"

_HEAD = re.compile(r"(?m)^[ \t]*(context|macro)[ \t]+[\w-]+[ \t]*\{")


def detect(text: str) -> float:
    """Return how sure we are that `text` is an AEL dialplan."""
    if "context" not in text and "macro" not in text:
        return 0.0
    return 0.9 if _HEAD.search(text) else 0.0


@dataclass
class Block:
    """`header { items }` in AEL; items are statements (text, offset) or blocks."""

    header: str
    offset: int
    items: list[Statement | Block] = field(default_factory=list)


@dataclass
class Statement:
    """One `...;` statement and where it starts."""

    text: str
    offset: int


MAX_DEPTH = 64
_PLAIN = re.compile(r'[^/"(){};]+')


def tokens(text: str, source: str) -> Block:
    """Return the file as nested blocks and statements (comments removed)."""
    root = Block("", 0)
    stack = [root]
    buf: list[str] = []
    start = None
    depth = 0  # parentheses: a ; or { inside them is part of the statement
    i, n = 0, len(text)
    while i < n:
        plain = _PLAIN.match(text, i)
        if plain:  # a run with nothing to decide: taken whole rather than char by char
            chunk = plain.group()
            if start is None and chunk.strip():
                start = i + len(chunk) - len(chunk.lstrip())
            buf.append(chunk)
            i = plain.end()
            continue
        ch = text[i]
        if ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch == '"':
            end = i + 1
            while end < n and text[end] != '"' and text[end] != "\n":
                end += 2 if text[end] == "\\" else 1
            buf.append(text[i : end + 1])
            start = i if start is None else start
            i = end + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch == "{":
            block = Block("".join(buf).strip(), i if start is None else start)
            stack[-1].items.append(block)
            stack.append(block)
            if len(stack) > MAX_DEPTH:
                raise MenuError(source, *line_col(text, i), "AEL nested too deeply")
            buf, start = [], None
        elif depth == 0 and ch == "}":
            if buf and "".join(buf).strip():
                stack[-1].items.append(Statement("".join(buf).strip(), start or i))
            buf, start = [], None
            if len(stack) == 1:
                raise MenuError(source, *line_col(text, i), "'}' closes nothing")
            stack.pop()
        elif depth == 0 and ch == ";":
            if "".join(buf).strip():
                stack[-1].items.append(Statement("".join(buf).strip(), start or i))
            buf, start = [], None
        else:
            if start is None and not ch.isspace():
                start = i
            buf.append(ch)
        i += 1
    if len(stack) > 1:
        # A header can hold a label line before it (`start:` then `for (...)`): name and
        # point at its last line, so the error stays on one line.
        header = stack[-1].header
        last = header.splitlines()[-1].strip() if header.strip() else header
        at = stack[-1].offset + max(header.rfind(last), 0)
        raise MenuError(source, *line_col(text, at), f"'{one_line(last)}' is never closed")
    return root


_APP = re.compile(r"^&?([A-Za-z_][\w]*)\s*(?:\((.*)\)\s*)?$", re.S)  # one run of spaces
_LABEL = re.compile(r"^([\w-]+)\s*:(?!:)\s*(.*)$", re.S)
_LABEL_HEAD = re.compile(r"([\w-]+)\s*:(?!:)\s*")


class _Writer:
    """Turn an extension's AEL statements into dialplan priorities."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = Lines(text)
        self.source = source
        self.count = 0

    def priorities(self, items: list[Statement | Block], out: list[Priority]) -> None:
        pending_label: str | None = None
        j = 0
        while j < len(items):
            item = items[j]
            j += 1
            if isinstance(item, Block):
                head = item.header
                label = _LABEL.match(head)
                if label and not head.startswith(("if", "for", "while")):
                    pending_label, head = label.group(1), label.group(2)
                word = head.split("(")[0].strip().lower()
                if word in ("if", "iftime", "random"):
                    nxt = items[j] if j < len(items) else None
                    other = nxt if isinstance(nxt, Block) and nxt.header == "else" else None
                    if other is not None:
                        j += 1
                    self.branch(item, head, other, out, pending_label)
                    pending_label = None
                elif word in ("for", "while", "else", ""):
                    # A loop runs its body once here; its repeats are the menu's own.
                    before = len(out)
                    self.priorities(item.items, out)
                    if pending_label and len(out) > before:
                        out[before] = _relabel(out[before], pending_label)
                    pending_label = None
                continue
            text = item.text
            if "=>" not in text:
                # Labels in front of a statement (`a: b: NoOp()`), read in one pass: each
                # match starts where the last ended, not on a copy of the rest.
                at = 0
                label = _LABEL_HEAD.match(text)
                while label:
                    pending_label, at = label.group(1), label.end()
                    label = _LABEL_HEAD.match(text, at)
                text = text[at:].strip()
            if not text:
                continue
            out.append(self.statement(text, item.offset, pending_label, len(out) + 1))
            pending_label = None

    def statement(self, text: str, offset: int, label: str | None, number: int) -> Priority:
        line, column = self.lines.at(offset)
        lowered = text.lower()
        if lowered.startswith(("goto ", "jump ")):
            target = text.split(None, 1)[1].strip()
            if lowered.startswith("jump "):  # jump ext[@context]
                ext, _, ctx = target.partition("@")
                args = (ctx, ext, "1") if ctx else (ext, "1")
            else:
                args = split_args(target)
            return Priority(number, label, "goto", args, line, column)
        if lowered in ("return", "break", "continue"):
            return Priority(
                number, label, "return" if lowered == "return" else "noop", (), line, column
            )
        match = _APP.match(text)
        if match is None:  # an assignment (x=1) or something not read
            return Priority(number, label, "set", (text,), line, column)
        app = match.group(1).lower()
        if text.startswith("&"):
            app = "gosub"
        return Priority(number, label, app, split_args(match.group(2) or ""), line, column)

    def branch(
        self,
        block: Block,
        head: str,
        other: Block | None,
        out: list[Priority],
        label: str | None,
    ) -> None:
        self.count += 1
        yes, no, end = f"ael-if{self.count}", f"ael-else{self.count}", f"ael-end{self.count}"
        line, column = self.lines.at(block.offset)
        cond = head[head.find("(") + 1 : head.rfind(")")] if "(" in head else head
        # ifTime (times|weekdays|mdays|months) is GotoIfTime's test, written with bars.
        timed = head.split("(")[0].strip().lower() == "iftime"
        app, cond = ("gotoiftime", cond.replace("|", ",")) if timed else ("gotoif", cond)
        out.append(Priority(len(out) + 1, label, app, (f"{cond}?{yes}:{no}",), line, column))
        out.append(Priority(len(out) + 1, yes, "noop", (), line, column))
        self.priorities(block.items, out)
        out.append(Priority(len(out) + 1, None, "goto", (end,), line, column))
        out.append(Priority(len(out) + 1, no, "noop", (), line, column))
        if other is not None:
            self.priorities(other.items, out)
        out.append(Priority(len(out) + 1, end, "noop", (), line, column))


def _relabel(p: Priority, label: str) -> Priority:
    return Priority(p.number, label, p.app, p.args, p.line, p.column)


def contexts_of(text: str, source: str) -> dict[str, Context]:
    """Return the contexts an AEL file defines, as extensions.conf would."""
    check_size(text, source)
    root = tokens(text, source)
    writer = _Writer(text, source)
    out: dict[str, Context] = {}
    for block in root.items:
        if not isinstance(block, Block):
            continue
        words = block.header.split()
        if len(words) < 2 or words[0] not in ("context", "macro"):
            continue
        name = words[1] if words[0] == "context" else f"macro-{words[1].split('(')[0]}"
        ctx = Context(name, writer.lines.at(block.offset)[0])
        out[name] = ctx
        for item in block.items:
            if isinstance(item, Block) and item.header.strip() == "includes":
                ctx.includes += [
                    s.text.split("|")[0].strip() for s in item.items if isinstance(s, Statement)
                ]
                continue
            head = item.header if isinstance(item, Block) else item.text
            if "=>" not in head:
                continue
            ext, _, rest = head.partition("=>")
            ext = re.sub(r"^hint\([^)]*\)\s*", "", ext.strip()).strip()
            if not ext or ext in ("ignorepat",):
                continue
            prios: list[Priority] = []
            if isinstance(item, Block):
                writer.priorities(item.items, prios)
            elif rest.strip():
                writer.priorities([Statement(rest.strip(), item.offset)], prios)
            ctx.extens[ext] = prios
    return out


def read(text: str, source: str, companions: tuple[tuple[str, str], ...] = ()) -> Flow:
    """Return the typed flow of an AEL dialplan, run like extensions.conf."""
    notes = (
        "AEL read as extensions.conf: a for/while loop runs its body once; if, ifTime and "
        "random are decisions; switch statements are not followed",
    )
    return flow_of(contexts_of(text, source), source, companions, (NAME, TITLE), notes)
