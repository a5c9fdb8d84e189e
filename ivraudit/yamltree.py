"""Parse YAML or JSON text into a small positioned tree, safely and within bounds.

PyYAML's loaders keep the last of duplicate keys, expand aliases without limit and
recurse on nesting; reading the event stream ourselves avoids all three and keeps
the position of every value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ivraudit.errors import MenuError

try:  # LibYAML is several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
# Values after alias expansion: far above any real menu, far below a billion laughs.
MAX_VALUES = 2_000_000

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {_STD + "map", _STD + "seq", _STD + "omap"}


@dataclass(eq=False)
class YNode:
    """A YAML value with its 1-based position; `value` is a dict, a list or a scalar."""

    kind: str  # "map", "seq" or "scalar"
    line: int
    column: int
    value: Any = None
    raw: str = ""
    plain: bool = False
    size: int = 1
    # For maps: key text -> (key node, value node), in file order.
    items: dict[str, tuple[YNode, YNode]] = field(default_factory=dict)


def decode(data: bytes, source: str) -> str:
    """Return the text of a file, or raise MenuError for binary or non-UTF-8 content."""
    if len(data) > MAX_BYTES:
        raise MenuError(source, 1, 1, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
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


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def parse(text: str, source: str, *, json_mode: bool = False) -> YNode:
    """Return the single document in `text` as a YNode tree."""
    if json_mode:
        _check_json(text, source)
        # In valid JSON a tab can only be white space between tokens; YAML rejects some.
        text = text.replace("\t", " ")
    try:
        return _build(yaml.parse(text, Loader=_EventLoader), source, json_mode)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise MenuError(source, line, col, _explain(problem, text, line, col)) from None
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        raise MenuError(source, line, col, f"invalid YAML: {_one_line(str(exc))}") from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before this
        raise MenuError(source, 1, 1, "nesting too deep to read") from None


def _check_json(text: str, source: str) -> None:
    try:
        json.loads(text, object_pairs_hook=lambda pairs: None)
    except json.JSONDecodeError as exc:
        raise MenuError(source, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise MenuError(source, 1, 1, f"nesting deeper than {MAX_DEPTH} levels") from None


def _explain(problem: str, text: str, line: int, col: int) -> str:
    """Add a hint to the YAML errors that `*` and `#` keys cause."""
    lines = text.splitlines()
    here = lines[line - 1][max(col - 2, 0) :] if 0 < line <= len(lines) else ""
    if "alias" in problem or "alphabetic or numeric" in problem or here.lstrip().startswith("*"):
        return f"{problem} (quote a '*' key: key: \"*\")"
    return _one_line(problem)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _build(events: Any, source: str, json_mode: bool) -> YNode:
    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    anchors: dict[str, YNode] = {}
    stack: list[YNode] = []
    pending_key: list[YNode | None] = []
    root: YNode | None = None
    documents = 0

    def err(node_or_event: Any, message: str) -> MenuError:
        mark = getattr(node_or_event, "start_mark", None)
        if mark is not None:
            return MenuError(source, mark.line + 1, mark.column + 1, message)
        return MenuError(source, node_or_event.line, node_or_event.column, message)

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
            pending_key[-1] = node
        else:
            key = pending_key[-1]
            assert key is not None
            pending_key[-1] = None
            name = key.raw
            if name in parent.items:
                first = parent.items[name][0]
                raise MenuError(
                    source,
                    key.line,
                    key.column,
                    f"duplicate key '{name}' (first at line {first.line}); YAML would "
                    "silently keep only the last one",
                )
            parent.items[name] = (key, node)
        if parent.kind != "scalar":
            parent.size += node.size
            if parent.size > MAX_VALUES:
                raise err(event, f"too many values after expanding aliases (over {MAX_VALUES})")

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise err(event, "more than one YAML document: a menu file holds one")
        elif isinstance(event, yaml.ScalarEvent):
            node = _scalar(event, resolver, constructor, json_mode, err)
            if event.anchor:
                anchors[event.anchor] = node
            attach(node, event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if event.tag and event.tag != "!" and event.tag not in _COLLECTION_TAGS:
                raise err(event, f"tag '{event.tag}' is not allowed: menus are plain data")
            if len(stack) >= MAX_DEPTH:
                raise err(event, f"nesting deeper than {MAX_DEPTH} levels")
            is_map = isinstance(event, yaml.MappingStartEvent)
            mark = event.start_mark
            node = YNode("map" if is_map else "seq", mark.line + 1, mark.column + 1)
            node.value = node.items if is_map else []
            node.size = 1
            if event.anchor:
                anchors[event.anchor] = node
            stack.append(node)
            pending_key.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node = stack.pop()
            pending_key.pop()
            attach(node, event)
        elif isinstance(event, yaml.AliasEvent):
            target = anchors.get(event.anchor)
            if target is None:  # pragma: no cover - the parser rejects unknown anchors
                raise err(event, f"unknown alias '*{event.anchor}'")
            if any(target is open_node for open_node in stack):
                raise err(event, f"alias '*{event.anchor}' refers to itself")
            attach(target, event)
    if root is None:
        raise MenuError(source, 1, 1, "the file is empty: a menu file needs 'ivraudit: 1'")
    return root


def _scalar(event: Any, resolver: Any, constructor: Any, json_mode: bool, err: Any) -> YNode:
    mark = event.start_mark
    plain = not event.style  # LibYAML says "" for plain, the Python parser None
    raw = event.value
    tag = event.tag
    node = YNode("scalar", mark.line + 1, mark.column + 1, raw=raw, plain=plain)
    if tag and tag != "!" and tag not in _SCALAR_TAGS:
        raise err(event, f"tag '{tag}' is not allowed: menus are plain data")
    if json_mode and plain:
        node.value = json.loads(raw)
        return node
    if not tag or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, raw, (True, False)) if plain else _STD + "str"
    if tag not in _SCALAR_TAGS:  # timestamps and the like stay text
        tag = _STD + "str"
    if tag == _STD + "str":
        node.value = raw
        return node
    try:
        node.value = constructor.yaml_constructors[tag](constructor, yaml.ScalarNode(tag, raw))
    except (ValueError, TypeError, yaml.YAMLError):
        raise err(event, f"'{raw}' is not a valid {tag.rsplit(':', 1)[-1]}") from None
    return node
