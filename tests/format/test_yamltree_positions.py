"""The positioned tree read from LibYAML's events agrees with PyYAML's own composer.

`yamltree.parse` places scalars without a call per event (issue 22); PyYAML's
pure-Python composer, an independent reader, gives every node's marks and its
constructor every value, so each must match on YAML written in odd ways.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from ivraudit.format.errors import MenuError
from ivraudit.format.loader import loads_menu
from ivraudit.format.yamltree import YNode, parse

ODD = {
    "anchors and aliases": (
        "base: &b {goto: main, retries: 2}\n"
        "other: *b\n"
        "list: [&x 1, *x, 'two', \"three\"]\n"
        "again: *x\n"
    ),
    "flow style": "{a: [1, 2, {b: c}], d: {e: [f, g]}, 'h': \"i\"}\n",
    "multi-line scalars": (
        "folded: >-\n  one two\n  three\n"
        "literal: |\n  line one\n  line two\n"
        "plain: a plain scalar\n  that goes on\n"
        'quoted: "over\n  two lines"\n'
        "next: 5\n"
    ),
    "comments": (
        "# a comment\n"
        "key: value   # ivraudit: ignore[IVR101] why\n"
        "text: 'ivraudit: ignore[IVR101] inside text'\n"
        "seq:\n  - 1  # one\n  # alone\n  - 2\n"
    ),
    "BOM": "\ufeffkey: value\nn: 3\n",
    "CRLF": "key: value\r\nlist:\r\n  - a\r\n  - 'b'\r\nnum: 1.5\r\n",
    "types": "a: true\nb: ~\nc: 0x1F\nd: 1e3\ne: '1'\nf: !!str 2\ng: 2026-01-01\nh: .inf\n",
    "indentless sequences": "options:\n- key: 1\n  goto: m\n- {key: 2, goto: n}\nx: [\n 1,\n 2]\n",
    "unicode": "naïve: \"café ☕\"\n'ключ': значение\n",
}


def _walk(y: YNode, node: yaml.Node, seen: set[int]) -> None:
    mark, end = node.start_mark, node.end_mark
    assert (y.line, y.column) == (mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        assert y.kind == "scalar"
        assert y.raw == node.value
        # Only text that holds "ivraudit:" keeps its end, to tell it from a comment.
        expected_end = (end.line + 1, end.column + 1) if "ivraudit:" in y.raw else (0, 0)
        assert y.end == expected_end
        return
    if id(y) in seen:  # an alias: the same node, walked once
        return
    seen.add(id(y))
    if isinstance(node, yaml.SequenceNode):
        assert y.kind == "seq"
        assert len(y.value) == len(node.value)
        for child, theirs in zip(y.value, node.value, strict=True):
            _walk(child, theirs, seen)
    else:
        assert y.kind == "map"
        assert len(y.items) == len(node.value)
        for (key, value), (k, v) in zip(y.items.values(), node.value, strict=True):
            _walk(key, k, seen)
            _walk(value, v, seen)


def _plain(y: YNode) -> Any:
    if y.kind == "seq":
        return [_plain(v) for v in y.value]
    if y.kind == "map":
        return {k.value: _plain(v) for k, v in y.items.values()}
    return y.value


@pytest.mark.parametrize("name", sorted(ODD))
def test_marks_and_values_match_pyyaml(name: str) -> None:
    text = ODD[name]
    ours = parse(text, "t.yaml")
    theirs = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure-Python composer
    _walk(ours, theirs, set())
    expected = yaml.safe_load(text)
    if name == "types":  # dates stay text in a menu; everything else as PyYAML reads it
        expected["g"] = "2026-01-01"
    assert _plain(ours) == expected


def test_repeated_plain_text_is_read_once_but_placed_each_time() -> None:
    text = "".join(f"k{i}: [yes, 12, yes, 12]\n" for i in range(5))
    root = parse(text, "t.yaml")
    for line, (_, value) in enumerate(root.items.values(), start=1):
        assert [v.value for v in value.value] == [True, 12, True, 12]
        assert [(v.line, v.column) for v in value.value] == [
            (line, 6),
            (line, 11),
            (line, 15),
            (line, 20),
        ]


def test_mentions_are_the_scalars_that_hold_ivraudit() -> None:
    mentions: list[YNode] = []
    parse(ODD["comments"] + 'x: ["ivraudit: two"]\n', "t", mentions=mentions)
    assert [(m.raw, m.line) for m in mentions] == [
        ("ivraudit: ignore[IVR101] inside text", 3),
        ("ivraudit: two", 8),
    ]


def test_a_suppression_comment_is_found_and_text_is_not() -> None:
    text = (
        "ivraudit: 1\nname: T\nnodes:\n"
        "  main:\n"
        "    prompt: 'Say ivraudit: ignore[IVR303] as text'  # ivraudit: ignore[IVR302] why\n"
        "    options:\n      - {key: 0, goto: desk}\n"
        "  desk: {type: agent}\r\n"
    )
    menu = loads_menu(text, "t.yaml")
    assert [(s.rules, s.reason, s.pos.line) for s in menu.suppressions] == [(("IVR302",), "why", 5)]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("a: 1\na: 2\n", (2, 1), "duplicate key 'a' (first at line 1)"),
        ("m: {x: 1, x: 2}\n", (1, 11), "duplicate key 'x'"),
        ("base: &b {a: 1}\nm:\n  <<: *b\n", (3, 3), "merge keys ('<<') are not supported"),
        ("a: *nope\n", (1, 4), "unknown alias '*nope'"),
    ],
)
def test_refusals_keep_their_place(text: str, where: tuple[int, int], words: str) -> None:
    with pytest.raises(MenuError) as caught:
        parse(text, "t.yaml")
    assert (caught.value.line, caught.value.column) == where
    assert words in caught.value.message


def test_values_are_counted_as_before() -> None:
    # Keys count as values too: the bound on aliases reads these sizes.
    root = parse("a: [1, 2]\nb: {c: d}\n", "t.yaml")
    assert root.size == 1 + 1 + (1 + 2) + 1 + (1 + 2)
