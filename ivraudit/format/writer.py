"""Write a menu model back as a menu file: flat, keys in a stable order."""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from ivraudit.format import schema
from ivraudit.format.model import Costs, Handler, Menu, Node, Option, Queue, Route, Timing, Traffic


def menu_to_data(menu: Menu, flow: bool = False) -> dict[str, Any]:
    """Return the menu as plain data in the order of the format's fields; integral
    numbers as integers; with `flow` (for `dump_menu`), options, handlers and routes as
    short mappings, which `_fold` marks to be written on one line if they fit."""
    data: dict[str, Any] = {"ivraudit": schema.FORMAT_VERSION, "name": menu.name}
    if menu.description is not None:
        data["description"] = menu.description
    if not menu.nodes or menu.nodes[0].id != menu.entry:
        data["entry"] = menu.entry
    timing = {
        f.name: getattr(menu.timing, f.name)
        for f in schema.TIMING
        if getattr(menu.timing, f.name) != getattr(Timing(), f.name)
    }
    if timing:
        data["timing"] = {k: _number(v) for k, v in timing.items()}
    if menu.intents:
        data["intents"] = {k: _number(v) for k, v in dict(menu.intents).items()}
    if menu.traffic is not None:
        data["traffic"] = _short(_traffic(menu.traffic, flow), flow)
    if menu.queues:
        # Only the queues an agent node still names: a listed queue nobody names does not
        # load, and an edited menu (a suggestion that removed a desk) may have left one.
        named = {n.queue for n in menu.nodes if n.type in ("agent", "callback")}
        queues = {name: _short(_queue(q, flow), flow) for name, q in menu.queues if name in named}
        if queues:
            data["queues"] = queues
    if menu.costs is not None:
        data["costs"] = _short(_costs(menu.costs), flow)
    data["nodes"] = {node.id: _node(node, flow) for node in menu.nodes}
    return data


def _traffic(traffic: Traffic, flow: bool = False) -> dict[str, Any]:
    out = {"calls_per_hour": _number(traffic.calls_per_hour)}
    if traffic.hours_per_month != Traffic(1).hours_per_month:
        out["hours_per_month"] = _number(traffic.hours_per_month)
    if traffic.profile:
        out["profile"] = _Row(_number(calls) for calls in traffic.profile)
    if traffic.opens_at is not None:
        out["opens_at"] = traffic.opens_at
    if traffic.retry_share > 0:
        retry = {
            "share": _number(traffic.retry_share),
            "after_seconds": _number(traffic.retry_after_seconds),
        }
        out["retry"] = _short(retry, flow)
    return out


def _queue(queue: Queue, flow: bool = False) -> dict[str, Any]:
    out = {
        "agents": queue.agents,
        "handle_seconds": _spread(queue.handle_seconds, queue.handle_cv, flow),
    }
    if queue.patience_seconds is not None:
        out["patience_seconds"] = _spread(queue.patience_seconds, queue.patience_cv, flow)
    if queue.schedule:
        out["schedule"] = _Row(queue.schedule)
    return out


def _spread(mean: float, cv: float | None, flow: bool = False) -> Any:
    """Return a time as written: its mean (exponential), or {mean, cv} (log-normal)."""
    if cv is None:
        return _number(mean)
    return _short({"mean": _number(mean), "cv": _number(cv)}, flow)


def _costs(costs: Costs) -> dict[str, Any]:
    # Both rates always, even at 0: a `costs:` that says nothing would read oddly.
    out = {"agent_hour": _number(costs.agent_hour), "line_minute": _number(costs.line_minute)}
    if costs.currency:
        out["currency"] = costs.currency
    return out


def _number(value: Any) -> Any:
    """Return an integral float as an int (12 not 12.0): the loader reads both alike."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _key(key: str) -> Any:
    """Return an option key as YAML writes it unquoted where it reads back the same: the
    loader reads a number key as its digits."""
    return int(key) if key.isdecimal() and str(int(key)) == key else key


def _short(item: dict[str, Any], flow: bool) -> dict[str, Any]:
    # Whether it fits on one line is decided for all items at once (`_fold`).
    return _Flow(item) if flow else item


class _Flow(dict):
    """A short mapping (an option, a handler, a route) written on one line, as people do,
    if `one_line` (else as a block)."""

    one_line = True


class _Row(list):
    """A list of one number per hour, written on one line ([20, 60, 40]) as people do."""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with short mappings in flow style."""


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping(
        "tag:yaml.org,2002:map", data.items(), flow_style=True if data.one_line else None
    )


def _row(dumper: yaml.SafeDumper, data: _Row) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_Row, _row)

# LibYAML's emitter is 10-50 times faster (issue 16: `import` of a 150k-choice menu took
# 45 s in the pure one). It writes the same text as the pure one for strings that need no
# escapes; it differs on the rest (it escapes characters beyond U+FFFF and folds long
# double-quoted strings elsewhere), so those are written by the pure emitter.
_CDumper: type | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CDumper(yaml.CSafeDumper):  # type: ignore[no-redef]
        """The LibYAML safe dumper, with short mappings in flow style."""

    _CDumper.add_representer(_Flow, _flow)
    _CDumper.add_representer(_Row, _row)


@functools.cache
def _plain() -> re.Pattern[str]:
    """Return the printable characters that both emitters write as they are, in plain or
    single quotes: compiled when first written, as it takes 2 ms (`score` never writes)."""
    return re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def _dumper(data: Any) -> type:
    """Return the fast dumper if every string in `data` is written alike by both."""
    if _CDumper is None:
        return _Dumper
    plain = _plain()
    work = [data]
    while work:
        value = work.pop()
        if isinstance(value, str):
            if not plain.fullmatch(value):
                return _Dumper
        elif isinstance(value, dict):
            work.extend(value)
            work.extend(value.values())
        elif isinstance(value, list):
            work.extend(value)
    return _CDumper


_RESOLVER = yaml.resolver.Resolver()
_REPRESENTER = yaml.representer.SafeRepresenter()
_Span = tuple[_Flow, yaml.MappingStartEvent, int, int]  # a short mapping's events


@functools.lru_cache(maxsize=4096)
def _scalar(tag: str, value: str) -> yaml.ScalarEvent:
    """Return the event of a scalar, with whether it may be written without its tag (an
    emitter only reads events, so one event serves each place a word like `goto` is)."""
    implicit = (
        tag == _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)),
        tag == _RESOLVER.resolve(yaml.ScalarNode, value, (False, True)),
    )
    return yaml.ScalarEvent(None, tag, implicit, value)


def _document(data: Any) -> tuple[list[yaml.Event], list[_Span]]:
    """Return the events PyYAML's safe representer and serializer make of `data` (plain
    data: no object appears twice, so there are no aliases) and where each short mapping
    is among them, without building nodes: for a large menu, nodes cost more than the
    fast emitter itself."""
    events: list[yaml.Event] = [yaml.StreamStartEvent(), yaml.DocumentStartEvent()]
    spans: list[_Span] = []
    add = events.append

    def walk(value: Any) -> None:
        if isinstance(value, str):
            add(_scalar("tag:yaml.org,2002:str", value))
        elif isinstance(value, dict):
            start = yaml.MappingStartEvent(None, None, True, flow_style=False)
            at = len(spans)  # a short mapping may hold another ({mean, cv} in a queue)
            if isinstance(value, _Flow):
                start.flow_style = value.one_line
                spans.append((value, start, len(events), 0))
            add(start)
            for key, item in value.items():
                walk(key)
                walk(item)
            add(yaml.MappingEndEvent())
            if isinstance(value, _Flow):
                spans[at] = (*spans[at][:3], len(events))
        elif isinstance(value, list):
            row = isinstance(value, _Row)
            add(yaml.SequenceStartEvent(None, None, True, flow_style=row))
            for item in value:
                walk(item)
            add(yaml.SequenceEndEvent())
        else:  # numbers, booleans, None: as the safe representer writes them
            node = _REPRESENTER.represent_data(value)
            add(_scalar(node.tag, node.value))

    walk(data)
    events += [yaml.DocumentEndEvent(), yaml.StreamEndEvent()]
    return events, spans


def _emit(events: list[yaml.Event], dumper: type, width: int) -> str:
    return yaml.emit(events, Dumper=dumper, width=width, allow_unicode=True)


def _fold(events: list[yaml.Event], spans: list[_Span], dumper: type) -> None:
    """Mark each short mapping to be written on one line if it fits (in `events` too)."""
    if not spans:
        return
    # One pass of the emitter for all items, one item per line ("- {...}").
    batch = [
        yaml.StreamStartEvent(),
        yaml.DocumentStartEvent(),
        yaml.SequenceStartEvent(None, None, True, flow_style=False),
    ]
    for _, start, begin, end in spans:
        start.flow_style = True
        batch += events[begin:end]
    batch += [yaml.SequenceEndEvent(), yaml.DocumentEndEvent(), yaml.StreamEndEvent()]
    lines = _emit(batch, dumper, 10**6).splitlines()
    if len(lines) == len(spans):
        for (item, start, _, _), line in zip(spans, lines, strict=True):
            item.one_line = start.flow_style = len(line) - 1 <= FLOW_WIDTH  # "- {..}"
        return
    # A text written over several lines (a line break in single quotes): item by item.
    for item, start, _, _ in spans:
        one = yaml.dump(
            dict(item), Dumper=_Dumper, default_flow_style=True, width=10**6, allow_unicode=True
        )
        item.one_line = start.flow_style = len(one) <= FLOW_WIDTH


# A flow mapping longer than this is written as a block, so lines stay readable.
FLOW_WIDTH = 94


def dump_menu(menu: Menu, header: str = "") -> str:
    """Return the menu as YAML text that loads back to the same graph; `header` (the
    original file's leading comments) follows the "Written by ivraudit" line."""
    data = menu_to_data(menu, flow=True)
    dumper = _dumper(data)
    events, spans = _document(data)
    _fold(events, spans, dumper)
    body = _emit(events, dumper, 100)
    return f"# Written by ivraudit from {menu.source}\n{header}{body}"


def leading_comments(text: str) -> str:
    """Return the comment block a menu file starts with (blank lines kept), without an
    earlier "Written by ivraudit" line, so that writing a written file gives the same."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        if line.startswith("# Written by ivraudit"):
            continue
        lines.append(line if line.endswith("\n") else line + "\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(lines)


def _node(node: Node, flow: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in schema.NODE_FIELDS[node.type]:
        if f.name == "type":
            if node.type != "menu":
                out["type"] = node.type
            continue
        value = getattr(node, f.name)
        if f.name == "ignore":
            value = {rule: sup.reason for sup in value for rule in sup.rules} or None
        if value is None or value == () or (f.default is not None and value == f.default):
            continue
        out[f.name] = _value(value, flow)
    return out


def _value(value: Any, flow: bool = False) -> Any:
    if isinstance(value, tuple):
        return [_value(v, flow) for v in value]
    if isinstance(value, Option):
        item: dict[str, Any] = {"key": _key(value.key) if flow else value.key}
        for name in ("label", "say", "say_seconds"):
            if getattr(value, name) is not None:
                item[name] = _number(getattr(value, name))
        item["goto"] = value.goto
        if value.intents:
            item["intents"] = list(value.intents)
        return _short(item, flow)
    if isinstance(value, Handler):
        handler: dict[str, Any] = {} if value.retries is None else {"retries": value.retries}
        handler["goto"] = value.goto
        return _short(handler, flow)
    if isinstance(value, Route):
        route: dict[str, Any] = {"when": value.when} if value.when else {}
        return _short({**route, "share": _number(value.share), "goto": value.goto}, flow)
    return _number(value)
