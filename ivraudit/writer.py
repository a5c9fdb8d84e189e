"""Write a menu model back as a menu file: flat, keys in a stable order."""

from __future__ import annotations

from typing import Any

import yaml

from ivraudit import schema
from ivraudit.model import Handler, Menu, Node, Option, Route, Timing


def menu_to_data(menu: Menu) -> dict[str, Any]:
    """Return the menu as plain data in the order of the format's fields."""
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
        data["timing"] = timing
    if menu.intents:
        data["intents"] = dict(menu.intents)
    data["nodes"] = {node.id: _node(node) for node in menu.nodes}
    return data


def dump_menu(menu: Menu) -> str:
    """Return the menu as YAML text that loads back to the same graph."""
    body = yaml.safe_dump(
        menu_to_data(menu), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"# Written by ivraudit from {menu.source}\n{body}"


def _node(node: Node) -> dict[str, Any]:
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
        out[f.name] = _value(value)
    return out


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, Option):
        item: dict[str, Any] = {"key": value.key}
        for name in ("label", "say", "say_seconds"):
            if getattr(value, name) is not None:
                item[name] = getattr(value, name)
        item["goto"] = value.goto
        if value.intents:
            item["intents"] = list(value.intents)
        return item
    if isinstance(value, Handler):
        handler: dict[str, Any] = {} if value.retries is None else {"retries": value.retries}
        handler["goto"] = value.goto
        return handler
    if isinstance(value, Route):
        route: dict[str, Any] = {"when": value.when} if value.when else {}
        return {**route, "share": value.share, "goto": value.goto}
    return value
