"""Read a menu file into the model, checking it against the declared schema."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from ivraudit.format import numbers, schema
from ivraudit.format.callkeys import CallsKeys
from ivraudit.format.errors import MenuError
from ivraudit.format.files import read_file, shown
from ivraudit.format.hints import close_matches, kind_name, short
from ivraudit.format.model import (
    NODE_TYPES,
    PHONE_KEYS,
    Handler,
    Menu,
    Node,
    Option,
    Position,
    Route,
    Suppression,
)
from ivraudit.format.model import Timing as TimingModel
from ivraudit.format.schema import Field
from ivraudit.format.yamltree import (
    MAX_BYTES,
    YNode,
    collector_paused,
    decode,
    parse,
    visible,
    yaml_lines,
)

_ID = re.compile(schema.ID_PATTERN)


@cache
def _surrogates() -> re.Pattern[str]:
    """Return the pattern of a lone surrogate, compiled only for text beyond ASCII."""
    return re.compile("[\ud800-\udfff]")


def load_menu(
    path: str | Path, *, display_name: str | None = None, timing: TimingModel | None = None
) -> Menu:
    """Read and validate the menu file at `path`; raise MenuError if it is not valid.

    `timing` gives the defaults for what the file's own `timing:` does not set."""
    source = display_name or shown(path)
    data = read_file(path, MAX_BYTES, source)
    return loads_menu(data, source, json_mode=str(path).lower().endswith(".json"), timing=timing)


def loads_menu(
    data: str | bytes,
    source: str = "<string>",
    *,
    json_mode: bool = False,
    timing: TimingModel | None = None,
) -> Menu:
    """Read a menu from text or bytes; `source` names it in positions and errors."""
    text = decode(data, source) if isinstance(data, bytes) else data
    if not text.strip() or _only_comments(text):
        raise MenuError(source, 1, 1, "the file is empty: a menu file needs 'ivraudit: 1'")
    mentions: list[YNode] = []  # the scalars whose text holds "ivraudit:"
    with collector_paused():  # the tree and the model hold no cycles
        root = parse(text, source, json_mode=json_mode, mentions=mentions)
        menu = _Reader(source, timing or TimingModel()).menu(root)
        menu = replace(menu, digest=file_digest(data))
        if json_mode:  # JSON has no comments
            return menu
        return replace(menu, suppressions=_comment_suppressions(text, source, mentions))


def file_digest(data: str | bytes) -> str:
    """Return the first 12 hex digits of the SHA-256 of a file's bytes (text as UTF-8):
    what names the version of a menu file in reports."""
    import hashlib

    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:12]


# `# ivraudit: ignore[IVR101, max-depth] reason`, after white space or at a line's start.
_SUPPRESSION = re.compile(r"(?:^|\s)#\s*ivraudit:\s*ignore\[([^\]]*)\]\s*(.*)$")


def _comment_suppressions(text: str, source: str, mentions: list[YNode]) -> tuple[Suppression, ...]:
    """Return the suppression comments in a menu file, each naming its rules and why;
    `mentions` are the file's scalars that hold "ivraudit:" (such words are text)."""
    out = []
    inside = [((y.line, y.column), y.end) for y in mentions]
    # Numbered as the parser numbers lines (a lone CR or U+2028 ends one too).
    for number, line in enumerate(yaml_lines(text), start=1):
        if "ivraudit:" not in line:
            continue
        match = _SUPPRESSION.search(line)
        if not match:
            continue
        column = match.start() + (1 if line[match.start()] != "#" else 0) + 1
        if any(start <= (number, column) < end for start, end in inside):
            continue  # the words are part of a prompt, not a comment
        rules = tuple(r for r in re.split(r"[\s,]+", match.group(1)) if r)
        if not rules:
            raise MenuError(
                source,
                number,
                column,
                "name the rules to ignore: # ivraudit: ignore[IVR101] reason",
            )
        reason = match.group(2).strip()
        if not reason:
            raise MenuError(
                source,
                number,
                column,
                f"say why {', '.join(rules)} does not apply: # ivraudit: ignore[...] reason",
            )
        out.append(Suppression(rules, reason, Position(source, number, column)))
    return tuple(out)


def _looks_numeric(value: Any) -> bool:
    """Return whether `value` is text that reads as a number, such as a quoted "3"."""
    if not isinstance(value, str):
        return False
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


class _Reader(CallsKeys):
    """Build the model from one file's tree; remembers references to check at the end."""

    def __init__(self, source: str, timing: TimingModel) -> None:
        self.source = source
        self.base_timing = timing
        self.intent_pos: dict[str, Position] = {}
        self.nodes: dict[str, Node] = {}
        self.node_at: dict[str, YNode] = {}
        self.refs: list[tuple[str, YNode, str]] = []  # (target id, where, what refers)
        self.handles: list[tuple[str, YNode, str]] = []
        self.names: dict[int, frozenset[str]] = {}  # the keys of each spec (schema.names)
        self.traffic_at: YNode | None = None
        self.schedule_at: dict[str, YNode] = {}  # queue id -> its `schedule` list

    # -- helpers -------------------------------------------------------------------

    def pos(self, y: YNode) -> Position:
        return Position(self.source, y.line, y.column)

    def fail(self, y: YNode, message: str) -> MenuError:
        # Keys and ids are quoted into messages: a line break in one must not split the line.
        return MenuError(self.source, y.line, y.column, visible(message))

    def fields(
        self,
        y: YNode,
        spec: tuple[Field, ...],
        what: str,
        other_fields: frozenset[str] | None = None,
    ) -> dict[str, tuple[YNode, YNode]]:
        """Return the mapping's entries, rejecting unknown keys and missing required ones."""
        if y.kind != "map":
            raise self.fail(y, f"{what} must be a mapping, not {kind_name(self.plain(y))}")
        # By identity: hashing a spec hashes each of its fields, tens of thousands of times.
        known = self.names.get(id(spec))
        if known is None:
            known = self.names[id(spec)] = schema.names(spec)
        for name, (key, _) in y.items.items():
            if name in known:
                continue
            if other_fields and name in other_fields:
                raise self.fail(key, f"'{name}' is not a field of {what}")
            hint = close_matches(name, sorted(known))
            suggestion = (
                f"; did you mean '{hint[0]}'?" if hint else f" (known: {', '.join(sorted(known))})"
            )
            raise self.fail(key, f"unknown key '{name}' in {what}{suggestion}")
        for f in spec:
            if f.required and f.name not in y.items:
                raise self.fail(y, f"{what} is missing required key '{f.name}'")
        return y.items

    def plain(self, y: YNode) -> Any:
        if y.kind == "map":
            return {}
        if y.kind == "seq":
            return []
        return y.value

    def text(self, y: YNode, name: str) -> str:
        if y.kind != "scalar" or not isinstance(y.value, str):
            got = kind_name(self.plain(y))
            hint = f' (quote it: "{y.raw}")' if y.kind == "scalar" and y.value is not None else ""
            raise self.fail(y, f"'{name}' must be text, not {got}{hint}")
        return self.characters(y, y.value)

    def characters(self, y: YNode, value: str) -> str:
        """Return `value`, refusing a lone surrogate: JSON's "\\ud800" is no character at all,
        and no output (UTF-8 text, a terminal) can hold one."""
        if not value.isascii():
            found = _surrogates().search(value)
            if found:
                raise self.fail(
                    y,
                    f"text holds a lone surrogate (U+{ord(found.group()):04X}), which is not a "
                    "character: write the character itself, or both halves of its pair",
                )
        return value

    def number(self, y: YNode, name: str, bounds: numbers.Range = numbers.SECONDS) -> float:
        value = y.value if y.kind == "scalar" else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(y, f"'{name}' must be a number, not {kind_name(self.plain(y))}")
        return float(self.bounded(y, name, value, bounds))

    def count(self, y: YNode, name: str, bounds: numbers.Range = numbers.RETRIES) -> int:
        value = y.value if y.kind == "scalar" else None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(y, f"'{name}' must be a whole number, not {kind_name(self.plain(y))}")
        return int(self.bounded(y, name, value, bounds))

    def whole(self, y: YNode, name: str, bounds: numbers.Range) -> int:
        """Return a whole number in `bounds`; unlike `count`, a 2.5 is quoted in the error."""
        value = y.value if y.kind == "scalar" else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            got = kind_name(self.plain(y))
            hint = " (write it without quotes)" if _looks_numeric(value) else ""
            raise self.fail(y, f"'{name}' must be a whole number, not {got}{hint}")
        return int(self.bounded(y, name, value, bounds))

    def bounded(self, y: YNode, name: str, value: float, bounds: numbers.Range) -> float:
        """Return `value` if it lies in `bounds`; the error quotes it as written."""
        problem = bounds.problem(value)
        if problem:
            raise self.fail(y, f"'{name}' {problem} (got {short(y.raw)})")
        return value

    def boolean(self, y: YNode, name: str) -> bool:
        if y.kind != "scalar" or not isinstance(y.value, bool):
            raise self.fail(y, f"'{name}' must be true or false, not {kind_name(self.plain(y))}")
        return bool(y.value)

    def ident(self, y: YNode, what: str) -> str:
        name = y.raw if y.kind == "scalar" else ""
        if y.kind != "scalar" or y.value is None or not _ID.match(name):
            raise self.fail(y, f"{what} '{name}' must match [A-Za-z0-9_.-]+")
        return name

    # -- the file ------------------------------------------------------------------

    def menu(self, root: YNode) -> Menu:
        if root.kind != "map":
            got = kind_name(self.plain(root))
            raise self.fail(root, f"a menu file must be a mapping with 'ivraudit: 1', not {got}")
        if "ivraudit" not in root.items:
            raise self.fail(root, "missing required key 'ivraudit' (the format version: 1)")
        version_node = root.items["ivraudit"][1]
        version = version_node.value if version_node.kind == "scalar" else None
        if type(version) is not int:  # the integer 1: not "1", 1.0 or true
            raise self.fail(
                version_node,
                "the format version must be the number 1 (ivraudit: 1), "
                f"not {kind_name(self.plain(version_node))}"
                + (f" '{version_node.raw}'" if version is not None else ""),
            )
        if version != schema.FORMAT_VERSION:
            raise self.fail(
                version_node,
                f"unsupported format version {version}: this ivraudit reads version 1",
            )
        top = self.fields(root, schema.TOP, "the menu file")
        name = self.text(top["name"][1], "name")
        description = (
            self.text(top["description"][1], "description") if "description" in top else None
        )
        timing = self.timing(top["timing"][1]) if "timing" in top else self.base_timing
        intents = self.intents(top["intents"][1]) if "intents" in top else ()
        traffic = self.traffic(top["traffic"][1]) if "traffic" in top else None
        queues = self.queues(top["queues"][1]) if "queues" in top else ()
        costs = self.costs(top["costs"][1]) if "costs" in top else None

        nodes_y = top["nodes"][1]
        if nodes_y.kind != "map":
            raise self.fail(
                nodes_y,
                f"'nodes' must be a mapping of id to node, not {kind_name(self.plain(nodes_y))}",
            )
        if not nodes_y.items:
            raise self.fail(nodes_y, "'nodes' is empty: a menu needs at least one node")
        for key_y, value_y in nodes_y.items.values():
            self.node(self.ident(key_y, "node id"), value_y, key_y)

        entry_y = top.get("entry", (None, None))[1]
        if entry_y is None:
            entry = next(iter(nodes_y.items))
        elif entry_y.kind == "map":
            entry = self.node("entry", entry_y, entry_y)
        else:
            entry = self.ident(entry_y, "entry")
            self.refs.append((entry, entry_y, "entry"))

        for target, where, what in self.refs:
            if target not in self.nodes:
                close = close_matches(target, sorted(self.nodes))
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise self.fail(where, f"{what} '{target}' names no node{hint}")
        declared = {intent for intent, _ in intents}
        for intent, where, field_name in self.handles:
            if intent not in declared:
                close = close_matches(intent, sorted(declared))
                hint = f"; did you mean '{close[0]}'?" if close else ""
                verb = "handles" if field_name == "handles" else "an option's intents name"
                raise self.fail(
                    where, f"{verb} '{intent}', which is not declared under 'intents'{hint}"
                )
        self.check_callbacks(queues)
        if queues:
            self.check_queues_named(top["queues"][1])
            self.check_schedules(traffic, queues, entry, intents)

        ordered = sorted(self.nodes.values(), key=lambda n: (n.pos.line, n.pos.column))
        return Menu(
            name=name,
            entry=entry,
            nodes=tuple(ordered),
            source=self.source,
            pos=self.pos(root),
            timing=timing,
            intents=intents,
            description=description,
            intent_pos=self.intent_pos,
            traffic=traffic,
            queues=queues,
            costs=costs,
        )

    def timing(self, y: YNode) -> TimingModel:
        items = self.fields(y, schema.TIMING, "timing")
        values: dict[str, Any] = {}
        for f in schema.TIMING:
            if f.name in items:
                v = items[f.name][1]
                if f.kind == schema.COUNT:
                    values[f.name] = self.count(v, f.name, schema.bounds_of(f))
                else:
                    values[f.name] = self.number(v, f.name, schema.bounds_of(f))
        return replace(self.base_timing, **values)

    def named_items(self, y: YNode, must: str, noun: str) -> Iterator[tuple[str, YNode, YNode]]:
        """Yield a mapping's entries (name, key, value), each name checked; `must` says what
        the mapping must be (`'intents' must be ...`), `noun` what each entry is."""
        if y.kind != "map":
            raise self.fail(y, f"{must}, not {kind_name(self.plain(y))}")
        for name, (key_y, value_y) in y.items.items():
            if not name.strip():
                raise self.fail(key_y, f"{noun} needs a name")
            self.characters(key_y, name)
            yield name, key_y, value_y

    def intents(self, y: YNode) -> tuple[tuple[str, float], ...]:
        out = []
        must = "'intents' must be a mapping of intent to share"
        for name, key_y, value_y in self.named_items(y, must, "an intent"):
            out.append((name, self.number(value_y, f"intents.{name}", numbers.SHARE)))
            self.intent_pos[name] = self.pos(key_y)
        return tuple(out)

    # -- calls as they happen: traffic, queues, costs -----------------------------

    def record(self, y: YNode, spec: tuple[Field, ...], what: str, path: str) -> dict[str, Any]:
        """Return the checked values of a mapping of numbers and text, by field name;
        errors name each field by its path in the file (`queues.care.agents`)."""
        items = self.fields(y, spec, what)
        values: dict[str, Any] = {}
        for f in spec:
            if f.name not in items:
                continue
            v, name = items[f.name][1], f"{path}.{f.name}"
            if f.kind == schema.COUNT:
                values[f.name] = self.whole(v, name, schema.bounds_of(f))
            elif f.kind == schema.NUMBER:
                values[f.name] = self.number(v, name, schema.bounds_of(f))
            elif f.kind in (schema.NUMBERS, schema.COUNTS):
                values[f.name] = self.hourly(v, name, f)
            elif f.kind == schema.CLOCK:
                values[f.name] = self.clock(v, name)
            elif f.kind == schema.SPREAD:
                values[f.name] = self.spread(v, name, schema.bounds_of(f))
            elif f.kind == schema.OBJECT:
                item = schema.SPECS[f.item or ""]
                values[f.name] = self.record(v, item, f"'{name}'", name)
            else:
                values[f.name] = self.text(v, name)
        return values

    def node(self, node_id: str, y: YNode, key_y: YNode) -> str:
        if node_id in self.nodes:
            raise self.fail(
                key_y,
                f"node id '{node_id}' is used twice (first at line {self.node_at[node_id].line})",
            )
        if y.kind != "map":
            raise self.fail(
                y, f"node '{node_id}' must be a mapping, not {kind_name(self.plain(y))}"
            )
        node_type = "menu"
        if "type" in y.items:
            type_y = y.items["type"][1]
            node_type = self.text(type_y, "type")
            if node_type not in NODE_TYPES:
                close = close_matches(node_type, NODE_TYPES)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise self.fail(
                    type_y,
                    f"unknown node type '{node_type}' ({hint}types: {', '.join(NODE_TYPES)})",
                )
        spec = schema.NODE_FIELDS[node_type]
        what = f"{'an' if node_type[0] in 'aeiou' else 'a'} {node_type} node"
        items = self.fields(y, spec, what, schema.all_node_field_names())
        # Reserve the id first so an inline child cannot take it.
        self.node_at[node_id] = y
        self.nodes[node_id] = None  # type: ignore[assignment]
        args: dict[str, Any] = {}
        for f in spec:
            if f.name not in items or f.name == "type":
                continue
            v = items[f.name][1]
            if f.kind == schema.TEXT:
                args[f.name] = self.text(v, f.name)
            elif f.kind == schema.NUMBER:
                args[f.name] = self.number(v, f.name, schema.bounds_of(f))
            elif f.kind == schema.BOOL:
                args[f.name] = self.boolean(v, f.name)
            elif f.kind == schema.TARGET:
                args[f.name] = self.target(v, f"{node_id}.{f.name}", f.name)
            elif f.kind == schema.IDS:
                args[f.name] = self.intent_list(v, f.name)
            elif f.kind == schema.IGNORE:
                args[f.name] = self.ignore(node_id, v)
            elif f.name == "options":
                args[f.name] = self.options(node_id, v)
            elif f.name in ("no_input", "no_match"):
                args[f.name] = self.handler(node_id, f.name, v)
            elif f.name == "routes":
                args[f.name] = self.routes(node_id, v)
        self.nodes[node_id] = Node(
            id=node_id,
            type=node_type,  # type: ignore[arg-type]
            pos=self.pos(y),
            field_pos={name: self.pos(k) for name, (k, _) in items.items()},
            key_pos=self.pos(key_y),
            **args,
        )
        return node_id

    def target(self, y: YNode, derived_id: str, what: str) -> str:
        if y.kind == "map":
            return self.node(derived_id, y, y)
        target = self.ident(y, what)
        self.refs.append((target, y, what))
        return target

    def ignore(self, node_id: str, y: YNode) -> tuple[Suppression, ...]:
        if y.kind != "map":
            raise self.fail(
                y, f"'ignore' must map rule ids to reasons, not {kind_name(self.plain(y))}"
            )
        out = []
        for rule, (key_y, reason_y) in y.items.items():
            self.characters(key_y, rule)
            reason = self.text(reason_y, f"ignore.{rule}")
            if not reason.strip():
                raise self.fail(reason_y, f"say why {rule} does not apply to '{node_id}'")
            out.append(Suppression((rule,), reason.strip(), self.pos(key_y), node_id))
        return tuple(out)

    def intent_list(self, y: YNode, name: str) -> tuple[str, ...]:
        if y.kind != "seq":
            raise self.fail(
                y, f"'{name}' must be a list of intents, not {kind_name(self.plain(y))}"
            )
        out = []
        for item in y.value:
            intent = self.text(item, f"{name} item")
            self.handles.append((intent, item, name))
            out.append(intent)
        return tuple(out)

    def options(self, node_id: str, y: YNode) -> tuple[Option, ...]:
        if y.kind != "seq":
            raise self.fail(y, f"'options' must be a list, not {kind_name(self.plain(y))}")
        if not y.value:
            raise self.fail(
                y, f"menu '{node_id}' has no options (use type: message for an announcement)"
            )
        out = []
        for item in y.value:
            items = self.fields(item, schema.OPTION, "an option")
            key = self.key(items["key"][1])
            args: dict[str, Any] = {}
            for name in ("label", "say"):
                if name in items:
                    args[name] = self.text(items[name][1], name)
            if "say_seconds" in items:
                args["say_seconds"] = self.number(items["say_seconds"][1], "say_seconds")
            if "intents" in items:
                args["intents"] = self.intent_list(items["intents"][1], "intents")
            slug = schema.KEY_SLUGS.get(key, key)
            goto = self.target(items["goto"][1], f"{node_id}.{slug}", "goto")
            out.append(Option(key=key, goto=goto, pos=self.pos(item), **args))
        return tuple(out)

    def key(self, y: YNode) -> str:
        value = y.value if y.kind == "scalar" else None
        if value is None:
            hint = ' (an unquoted # starts a comment: write key: "#")' if y.kind == "scalar" else ""
            raise self.fail(y, f"an option key must be one of 0-9, *, #{hint}")
        if isinstance(value, bool):
            raise self.fail(y, f"key '{y.raw}' is not a key a phone has (0-9, *, #)")
        key = y.raw if isinstance(value, int) else str(value)
        if key not in PHONE_KEYS:
            raise self.fail(y, f"key '{key}' is not a key a phone has: use one of 0-9, *, #")
        return key

    def handler(self, node_id: str, name: str, y: YNode) -> Handler:
        items = self.fields(y, schema.HANDLER, f"'{name}'")
        retries = self.count(items["retries"][1], "retries") if "retries" in items else None
        goto = self.target(items["goto"][1], f"{node_id}.{name}", "goto")
        return Handler(goto=goto, pos=self.pos(y), retries=retries)

    def routes(self, node_id: str, y: YNode) -> tuple[Route, ...]:
        if y.kind != "seq" or not y.value:
            raise self.fail(y, f"'routes' of branch '{node_id}' must be a non-empty list")
        out = []
        for i, item in enumerate(y.value, start=1):
            items = self.fields(item, schema.ROUTE, "a route")
            when = self.text(items["when"][1], "when") if "when" in items else ""
            share = self.number(items["share"][1], "share", numbers.SHARE)
            goto = self.target(items["goto"][1], f"{node_id}.route{i}", "goto")
            out.append(Route(when=when, share=share, goto=goto, pos=self.pos(item)))
        if max(r.share for r in out) <= 0:
            raise self.fail(y, f"the shares of branch '{node_id}' add up to 0")
        return tuple(out)
