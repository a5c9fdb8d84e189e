"""Pure edits of a menu model: each returns a new frozen Menu and leaves its input alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ivraudit.format.model import PHONE_KEYS, Handler, Menu, Node, Option

# Keys a new option may take, in the order callers expect them.
DIGITS = ("1", "2", "3", "4", "5", "6", "7", "8", "9")


def with_node(menu: Menu, node: Node) -> Menu:
    """Return `menu` with the node of the same id replaced by `node`."""
    return replace(menu, nodes=tuple(node if n.id == node.id else n for n in menu.nodes))


def add_node(menu: Menu, node: Node, before: str) -> Menu:
    """Return `menu` with `node` added just before node `before` in file order."""
    out: list[Node] = []
    for n in menu.nodes:
        if n.id == before:
            out.append(node)
        out.append(n)
    return replace(menu, nodes=tuple(out))


def drop_node(menu: Menu, node_id: str, instead: str) -> Menu:
    """Return `menu` without node `node_id`, every reference to it sent to `instead`."""
    kept = replace(menu, nodes=tuple(n for n in menu.nodes if n.id != node_id))
    return redirect(kept, node_id, instead, lambda _n: True)


def redirect(menu: Menu, old: str, new: str, where: Callable[[Node], bool]) -> Menu:
    """Return `menu` with references to `old` from the nodes `where` accepts sent to `new`
    (the entry too, when the entry is `old`)."""

    def to(target: str) -> str:
        return new if target == old else target

    nodes = []
    for n in menu.nodes:
        if not where(n):
            nodes.append(n)
            continue
        nodes.append(
            replace(
                n,
                next=None if n.next is None else to(n.next),
                options=tuple(replace(o, goto=to(o.goto)) for o in n.options),
                routes=tuple(replace(r, goto=to(r.goto)) for r in n.routes),
                no_input=None
                if n.no_input is None
                else replace(n.no_input, goto=to(n.no_input.goto)),
                no_match=None
                if n.no_match is None
                else replace(n.no_match, goto=to(n.no_match.goto)),
            )
        )
    return replace(menu, nodes=tuple(nodes), entry=to(menu.entry))


def free_id(menu: Menu, wanted: str) -> str:
    """Return `wanted`, or `wanted_2`, `wanted_3`... if a node already has that id."""
    taken = set(menu.by_id)
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}_{n}" in taken:
        n += 1
    return f"{wanted}_{n}"


def free_digit(node: Node) -> str | None:
    """Return the lowest digit 1-9 the menu does not use, or None."""
    used = {o.key for o in node.options}
    return next((d for d in DIGITS if d not in used), None)


def person_handler(target: str, node: Node) -> Handler:
    """Return a no-input/no-match handler that sends a caller to `target` after one repeat."""
    return Handler(goto=target, pos=node.pos, retries=1)


_KEY_WORDS = {
    "0": "zero",
    "1": "one",
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
    "*": "star",
    "#": "hash",
}


def rekey(option: Option, key: str) -> Option | None:
    """Return the option under a new key, its `say` rewritten to name it; None when the
    wording names the key in a way this cannot rewrite (as a word, or more than once)."""
    if option.key == key:
        return option
    if key not in PHONE_KEYS:
        return None
    if option.say is None:
        return replace(option, key=key)
    old = re.escape(option.key)
    digit = re.compile(rf"(?<![\w*#]){old}(?![\w*#])")
    if len(digit.findall(option.say)) != 1:
        return None
    if re.search(rf"\b{_KEY_WORDS[option.key]}\b", option.say, re.IGNORECASE):
        return None
    return replace(option, key=key, say=digit.sub(key, option.say))


def insert_option(node: Node, option: Option) -> Node:
    """Return the menu with `option` placed where its key is read: digits 1-9 in order,
    then 0, * and #."""
    rank = {k: i for i, k in enumerate((*DIGITS, "0", "*", "#"))}
    at = next(
        (i for i, o in enumerate(node.options) if rank[o.key] > rank[option.key]),
        len(node.options),
    )
    return replace(node, options=(*node.options[:at], option, *node.options[at:]))
