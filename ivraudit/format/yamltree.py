"""Parse YAML or JSON text into a small positioned tree, safely and within bounds.

PyYAML's loaders keep the last of duplicate keys, expand aliases without limit and
recurse on nesting; reading the event stream ourselves avoids all three and keeps
the position of every value. JSON, once json.loads has accepted it, gets a small
reader of its own, since YAML does not read all valid JSON.
"""

from __future__ import annotations

import bisect
import gc
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from types import MappingProxyType
from typing import Any

import yaml

from ivraudit.format.errors import MenuError

try:  # LibYAML is several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
# Values after alias expansion. Written out, a value takes at least two bytes ("1," or
# "- 1" and a line break) and a real menu takes ten or more, so every file within
# MAX_BYTES loads unless it is built of empty keys and values; aliases, the only way
# to more values than bytes, are bounded below.
MAX_VALUES = MAX_BYTES // 2
# Values reached through aliases: sharing small pieces stays far below this, while a
# few hundred bytes of nested aliases could otherwise make a menu of 100,000 nodes.
MAX_ALIAS_VALUES = 100_000

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {_STD + "map", _STD + "seq", _STD + "omap"}


_NO_ITEMS = MappingProxyType({})
_UNSEEN = object()


@dataclass(eq=False, slots=True)
class YNode:
    """A YAML value with its 1-based position; `value` is a dict, a list or a scalar."""

    kind: str  # "map", "seq" or "scalar"
    line: int
    column: int
    value: Any = None
    raw: str = ""
    plain: bool = False
    size: int = 1
    # For scalars whose text holds "ivraudit:" (the only ones read for it): where the value
    # ends (line, column), to tell such text from a suppression comment. Others keep
    # (0, 0): a large menu has hundreds of thousands of scalars, and a tuple each was a
    # sixth of the tree's memory.
    end: tuple[int, int] = (0, 0)
    # For maps: key text -> (key node, value node), in file order. Other nodes share one
    # empty, read-only mapping: a large menu has hundreds of thousands of scalars.
    items: dict[str, tuple[YNode, YNode]] = field(
        default_factory=lambda: _NO_ITEMS  # type: ignore[arg-type,return-value]
    )


def decode(data: bytes, source: str) -> str:
    """Return the text of a file, or raise MenuError for binary or non-UTF-8 content."""
    if len(data) > MAX_BYTES:
        raise MenuError(source, 1, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    # Windows editors and shells often save "Unicode" text as UTF-16, full of NUL bytes.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MenuError(source, 1, 1, "UTF-16 text: save the menu file as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise MenuError(source, line, col, "binary content (a NUL byte): not a menu file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        raise MenuError(
            source, line, col, "invalid UTF-8: a menu file must be UTF-8 text"
        ) from None


# YAML's line breaks (YAML 1.1 section 5.4, which PyYAML and LibYAML follow): LF, CR LF,
# a lone CR, NEL, LS and PS. The parser's marks count lines by these, so every line
# looked up or counted for a message must be too; str.split("\n") sees fewer lines.
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def yaml_lines(text: str) -> list[str]:
    """Return the lines of YAML text as the parser counts them (line N is item N - 1)."""
    if any(b in text for b in _RARE_BREAKS):
        return _BREAK.split(text)
    return text.split("\n")  # the usual text, several times faster than the pattern


_RARE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of character `offset` in YAML text."""
    line, start = 1, 0
    for found in _BREAK.finditer(text, 0, offset):
        line, start = line + 1, found.end()
    return line, offset - start + 1


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    # Columns count characters, as editors and YAML's own marks do, not bytes.
    before = data[:offset].decode("utf-8-sig", "replace")
    return line_col(before, len(before))


def parse(
    text: str, source: str, *, json_mode: bool = False, mentions: list[YNode] | None = None
) -> YNode:
    """Return the single document in `text` as a YNode tree; `mentions`, if given, gets
    every YAML scalar whose text holds "ivraudit:" (to tell suppression comments from text)."""
    if json_mode:
        _check_json(text, source)
        return _JsonReader(text, source).value(0, 0)[0]
    try:
        # The parser's own events, without the Python generator yaml.parse wraps them in.
        loader = _EventLoader(text)
        try:
            with collector_paused():
                return _build(iter(loader.get_event, None), source, mentions)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if exc.problem == _LIBYAML_TOO_DEEP and exc.problem_mark is not None:
            raise _too_deep(text, source, exc.problem_mark) from None
        raise MenuError(source, *_explain(exc, text)) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        # LibYAML counts `position` in bytes; the character itself gives the column.
        found = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        position = found if found >= 0 else min(exc.position, len(text))
        line, col = line_col(text, position)
        code = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        raise MenuError(source, line, col, f"invalid YAML: {exc.reason}{code}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - every other error carries a mark
        raise MenuError(source, 1, 1, f"invalid YAML: {_one_line(str(exc))}") from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before this
        raise MenuError(source, 1, 1, "nesting too deep to read") from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that builds acyclic data.

    Such data is freed by reference counting alone, yet each of the collector's passes
    walks all of it: on a large menu they took about half of the loading. Restored as
    found, so a caller that turned it off keeps it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# LibYAML 0.2.6 (bundled since PyYAML 6.0.4) bounds nesting at 1,000 levels itself.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _too_deep(text: str, source: str, mark: Any) -> MenuError:
    """Return our error for text nested deeper than LibYAML's own bound.

    LibYAML's scanner looks ahead of the events, so its bound can speak before ours
    has seen level 65; that level lies before the place LibYAML stopped, so reading
    the text up to there finds it (or an error earlier in the file)."""
    try:
        with collector_paused():
            _build(yaml.parse(text[: mark.index], Loader=_EventLoader), source)
    except MenuError as ours:
        return ours
    except yaml.YAMLError:  # pragma: no cover - the text up to there was read once already
        pass
    return MenuError(  # pragma: no cover - as above
        source, mark.line + 1, mark.column + 1, f"nesting deeper than {MAX_DEPTH} levels"
    )


def _check_json(text: str, source: str) -> None:
    try:
        # Only the syntax is checked here: skip building values, and long integers.
        json.loads(text, object_pairs_hook=lambda pairs: None, parse_int=lambda raw: 0)
    except json.JSONDecodeError as exc:
        raise MenuError(source, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        # The text is valid up to where json gave up, far deeper than MAX_DEPTH, so the
        # reader below stops at MAX_DEPTH with its position before it reads anything else.
        pass


# JSON keeps to its own reader: YAML rejects valid JSON such as the escaped surrogate
# pairs json.dumps writes for emoji, and characters like U+0085 inside strings.
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_WORDS = {
    "true": True,
    "false": False,
    "null": None,
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
}


class _JsonReader:
    """Build the tree of text that json.loads has accepted, keeping each value's place."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def node(self, kind: str, index: int) -> YNode:
        """Return an empty node of `kind` at character `index`."""
        line = bisect.bisect_right(self.line_starts, index)
        return YNode(kind, line, index - self.line_starts[line - 1] + 1)

    def skip(self, index: int) -> int:
        """Return the index of the first character from `index` on that is not white space."""
        if self.text[index] in " \t\n\r":
            index = _JSON_SPACE.match(self.text, index).end()  # type: ignore[union-attr]
        return index

    def value(self, index: int, depth: int) -> tuple[YNode, int]:
        """Return the value at `index` (after white space) and the index just past it."""
        text = self.text
        index = self.skip(index)
        char = text[index]
        if char == '"':
            node = self.node("scalar", index)
            node.value, end = scanstring(text, index + 1)
            node.raw = node.value
            return node, end
        if char not in "{[":
            return self.word(index)
        node = self.node("map" if char == "{" else "seq", index)
        if depth >= MAX_DEPTH:
            raise MenuError(
                self.source, node.line, node.column, f"nesting deeper than {MAX_DEPTH} levels"
            )
        if char == "{":
            node.items = {}
        node.value = node.items if char == "{" else []
        close = "}" if char == "{" else "]"
        index = self.skip(index + 1)
        while text[index] != close:
            if char == "{":
                key, index = self.value(index, depth + 1)
                index = self.skip(index) + 1  # past the colon
                item, index = self.value(index, depth + 1)
                _add(node, key, item, self.source, "JSON")
            else:
                item, index = self.value(index, depth + 1)
                node.value.append(item)
            index = self.skip(index)
            if text[index] == ",":
                index = self.skip(index + 1)
        return node, index + 1

    def word(self, index: int) -> tuple[YNode, int]:
        """Return the number, true, false or null at `index` and the index past it."""
        node = self.node("scalar", index)
        node.plain = True
        word = next((w for w in _JSON_WORDS if self.text.startswith(w, index)), None)
        if word is not None:
            node.raw, node.value = word, _JSON_WORDS[word]
            return node, index + len(word)
        match = NUMBER_RE.match(self.text, index)
        assert match is not None  # json.loads accepted the text
        node.raw = match.group()
        try:
            node.value = float(node.raw) if match.group(2, 3) != (None, None) else int(node.raw)
        except ValueError:  # Python refuses to read integers of thousands of digits
            raise MenuError(
                self.source,
                node.line,
                node.column,
                f"a number of {len(node.raw)} digits is too long to read",
            ) from None
        return node, match.end()


def _add(parent: YNode, key: YNode, value: YNode, source: str, language: str) -> None:
    """Add `key: value` to the map `parent`, refusing a key written twice."""
    if key.raw in parent.items:
        first = parent.items[key.raw][0]
        raise MenuError(
            source,
            key.line,
            key.column,
            f"duplicate key '{visible(key.raw)}' (first at line {first.line}); {language} "
            "would silently keep only the last one",
        )
    parent.items[key.raw] = (key, value)


# `key: #` inside `{...}`: the rest of the line is a comment, so the mapping never closes.
_FLOW_HASH = re.compile(r"[{,]\s*key\s*:\s+(#)")


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Return the line, column and message of a YAML error, with hints for `*` and `#`."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if exc.context == "while scanning an alias" and exc.context_mark:
        # `key: *` reads as an alias without a name: point at the `*`, not after it.
        at = exc.context_mark
        return (
            at.line + 1,
            at.column + 1,
            "an unquoted * starts an alias (a reference to an &anchor): "
            "quote a '*' key: key: \"*\"",
        )
    lines = yaml_lines(text)
    for number, text_line in enumerate(lines[:line], start=1):
        found = _FLOW_HASH.search(text_line)
        if found:
            return (
                number,
                found.start(1) + 1,
                "an unquoted # starts a comment, which hides the rest of the line: "
                "quote a '#' key: key: \"#\"",
            )
    problem = _one_line(exc.problem or exc.context or "invalid YAML")
    if mark and text[mark.index : mark.index + 1] == "\t":
        problem += " (a tab: indent YAML with spaces)"
    elif problem.startswith("mapping values are not allowed"):
        problem += _colon_hint(lines[line - 1] if mark and line <= len(lines) else "")
    elif mark and problem.startswith(_FLOW_NOT_ENDED) and _at_colon(text, mark):
        problem += _colon_hint("")  # `{say: Press 1: sales}`: the colon ends the text early
    return line, col, problem


# `prompt: Hours: 9 to 5`: a key, then unquoted text holding ': ' (and maybe a comment).
_TEXT_WITH_COLON = re.compile(
    r"\s*(?:-\s+)?([A-Za-z0-9_.-]+):\s+([^\s\"'#{\[][^#]*?)\s*(?:\s#.*)?$"
)


# LibYAML's words, then the pure-Python parser's, for a flow collection that goes on.
_FLOW_NOT_ENDED = ("did not find expected ','", "expected ',' or")


def _at_colon(text: str, mark: Any) -> bool:
    return text[mark.index : mark.index + 2] in (":", ": ", ":\n")


def _colon_hint(line: str) -> str:
    """Return the hint for ': ' inside unquoted text, quoting the line's text if it can."""
    hint = "; a ': ' inside unquoted text starts a mapping: quote the text"
    found = _TEXT_WITH_COLON.fullmatch(line)
    if found and ": " in found.group(2) and "\\" not in found.group(2):
        key, value = found.groups()
        return f'{hint}: {key}: "{value.replace(chr(34), chr(92) + chr(34))}"'
    return hint


def _one_line(message: str) -> str:
    return " ".join(message.split())


def visible(text: str) -> str:
    """Return `text` on one line, with line breaks and invisible characters escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _build(events: Iterator[Any], source: str, mentions: list[YNode] | None = None) -> YNode:
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    plain_values: dict[str, Any] = {}
    anchors: dict[str, YNode] = {}
    stack: list[YNode] = []
    pending_key: list[YNode | None] = []
    root: YNode | None = None
    documents = 0
    expanded = 0  # values reached through aliases

    def err(node_or_event: Any, message: str) -> MenuError:
        mark = getattr(node_or_event, "start_mark", None)
        if mark is not None:
            return MenuError(source, mark.line + 1, mark.column + 1, visible(message))
        return MenuError(source, node_or_event.line, node_or_event.column, visible(message))

    def attach(node: YNode, event: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            parent.value.append(node)
        elif pending_key[-1] is None:
            if node.kind != "scalar":
                raise err(event, "a mapping key must be plain text")
            if node.plain and node.raw == "<<":
                raise err(
                    event,
                    "merge keys ('<<') are not supported: write the keys out, "
                    "or alias the whole mapping",
                )
            pending_key[-1] = node
        else:
            key = pending_key[-1]
            assert key is not None
            pending_key[-1] = None
            _add(parent, key, node, source, "YAML")
        if parent.kind != "scalar":
            parent.size += node.size
            if parent.size > MAX_VALUES:
                raise err(event, f"too many values (over {MAX_VALUES})")

    # Events are told apart by their class (the parser makes exactly these), and the most
    # common event, a scalar after a key or in a list, is placed here without a call: a
    # large menu has hundreds of thousands of them.
    scalar_event = yaml.ScalarEvent
    collection_start = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in events:
        cls = event.__class__
        if cls is scalar_event:
            raw = event.value
            tag = event.tag
            known = _UNSEEN
            if not event.style and (not tag or tag == "!"):  # plain text, type implicit
                known = plain_values.get(raw, _UNSEEN)
            mark = event.start_mark
            if known is not _UNSEEN:
                node = YNode("scalar", mark.line + 1, mark.column + 1, known, raw, True)
            else:
                node = _scalar(event, resolver, constructor, err, plain_values)
            if "ivraudit:" in raw:
                end = event.end_mark
                node.end = (end.line + 1, end.column + 1)
                if mentions is not None:
                    mentions.append(node)
            if event.anchor or not stack:
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node, event)
                continue
            parent = stack[-1]
            key = pending_key[-1]
            if parent.kind == "seq":
                parent.value.append(node)
            elif key is None:
                if node.plain and raw == "<<":
                    attach(node, event)  # refuses the merge key
                pending_key[-1] = node
            elif key.raw in parent.items:
                _add(parent, key, node, source, "YAML")  # refuses the duplicate
            else:
                pending_key[-1] = None
                parent.items[key.raw] = (key, node)
            parent.size += 1
            if parent.size > MAX_VALUES:
                raise err(event, f"too many values (over {MAX_VALUES})")
        elif cls in collection_end:
            node = stack.pop()
            pending_key.pop()
            attach(node, event)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise err(event, "more than one YAML document: a menu file holds one")
        elif isinstance(event, collection_start):
            if event.tag and event.tag != "!" and event.tag not in _COLLECTION_TAGS:
                raise err(
                    event, f"tag '{_show_tag(event.tag)}' is not allowed: menus are plain data"
                )
            if len(stack) >= MAX_DEPTH:
                raise err(event, f"nesting deeper than {MAX_DEPTH} levels")
            is_map = isinstance(event, yaml.MappingStartEvent)
            mark = event.start_mark
            node = YNode("map" if is_map else "seq", mark.line + 1, mark.column + 1)
            if is_map:
                node.items = {}
            node.value = node.items if is_map else []
            node.size = 1
            if event.anchor:
                anchors[event.anchor] = node
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, yaml.AliasEvent):
            target = anchors.get(event.anchor)
            if target is None:  # the parser leaves this to the composer we replace
                raise err(
                    event,
                    f"unknown alias '*{event.anchor}': no '&{event.anchor}' before it "
                    "(quote text that starts with '*')",
                )
            if any(target is open_node for open_node in stack):
                raise err(event, f"alias '*{event.anchor}' refers to itself")
            expanded += target.size
            if expanded > MAX_ALIAS_VALUES:
                raise err(
                    event,
                    f"aliases expand to over {MAX_ALIAS_VALUES} values: share small pieces only",
                )
            attach(target, event)
    if root is None:
        raise MenuError(source, 1, 1, "the file is empty: a menu file needs 'ivraudit: 1'")
    return root


def _scalar(
    event: Any, resolver: Any, constructor: Any, err: Any, plain_values: dict[str, Any]
) -> YNode:
    """Return the node of a scalar event; `plain_values` remembers what each plain text
    already read resolved to (a menu repeats its keys and numbers thousands of times)."""
    mark = event.start_mark
    plain = not event.style  # LibYAML says "" for plain, the Python parser None
    raw = event.value
    tag = event.tag
    node = YNode("scalar", mark.line + 1, mark.column + 1, raw=raw, plain=plain)
    implicit = not tag or tag == "!"
    if implicit and plain:
        known = plain_values.get(raw, _UNSEEN)
        if known is not _UNSEEN:
            node.value = known
            return node
    if not implicit and tag not in _SCALAR_TAGS:
        raise err(event, f"tag '{_show_tag(tag)}' is not allowed: menus are plain data")
    if implicit:
        tag = resolver.resolve(yaml.ScalarNode, raw, (True, False)) if plain else _STD + "str"
    if tag not in _SCALAR_TAGS:  # timestamps and the like stay text
        tag = _STD + "str"
    if tag == _STD + "str":
        node.value = raw
    else:
        try:
            node.value = constructor.yaml_constructors[tag](constructor, yaml.ScalarNode(tag, raw))
        except (ValueError, TypeError, yaml.YAMLError):
            shown = raw if len(raw) <= 40 else raw[:37] + "..."
            raise err(event, f"'{shown}' is not a valid {tag.rsplit(':', 1)[-1]}") from None
    if implicit and plain:
        plain_values[raw] = node.value
    return node
    try:
        node.value = constructor.yaml_constructors[tag](constructor, yaml.ScalarNode(tag, raw))
    except (ValueError, TypeError, yaml.YAMLError):
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise err(event, f"'{shown}' is not a valid {tag.rsplit(':', 1)[-1]}") from None
    return node
