"""The parser's bounds: nesting whoever stops it first, values against bytes, colon hints."""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ivraudit import MenuError, loads_menu
from ivraudit.cli import main
from ivraudit.format import yamltree
from tests.conftest import ROOT

HEAD = "ivraudit: 1\nname: City Cabs\n"

# Nesting 65 levels deep, written three ways, and where level 65 starts.
DEEP = [
    pytest.param("[" * 2000, 1, 65, id="flow-sequences"),
    pytest.param("{a: " * 2000, 1, 257, id="flow-mappings"),
    pytest.param("- " * 2000 + "x\n", 1, 129, id="block-sequences"),
    pytest.param("".join(" " * i + "a:\n" for i in range(1500)), 65, 65, id="block-mappings"),
]


def error_of(text: str) -> MenuError:
    with pytest.raises(MenuError) as info:
        loads_menu(text, "m.yaml")
    return info.value


def assert_too_deep(text: str, line: int, column: int) -> None:
    exc = error_of(text)
    assert (exc.line, exc.column, exc.message) == (line, column, "nesting deeper than 64 levels")


@pytest.mark.parametrize(("text", "line", "column"), DEEP)
def test_our_nesting_bound_speaks_with_the_installed_parser(
    text: str, line: int, column: int
) -> None:
    assert_too_deep(text, line, column)


def _libyaml_nest_level() -> int:
    get_level = getattr(getattr(yaml, "_yaml", None), "_get_max_nest_level", None)
    return get_level() if get_level is not None else -1


@pytest.fixture
def libyaml_bound() -> Iterator[object]:
    """Yield LibYAML's setter of its own nesting bound, restoring the bound afterwards."""
    level = _libyaml_nest_level()
    if level < 0:
        pytest.skip("this LibYAML has no nesting bound of its own (before 0.2.6)")
    set_level = yaml._yaml._set_max_nest_level  # type: ignore[attr-defined]
    try:
        yield set_level
    finally:
        set_level(level)


@pytest.mark.parametrize(("text", "line", "column"), DEEP)
def test_our_bound_speaks_when_libyaml_stops_first(
    libyaml_bound: object, text: str, line: int, column: int
) -> None:
    """LibYAML 0.2.6 stops at 1,000 levels, looking ahead of the events: here at 80."""
    libyaml_bound(80)  # type: ignore[operator]
    with pytest.raises(yaml.YAMLError, match="exceeded maximum nesting depth"):
        yaml.load(text, Loader=yaml.CSafeLoader)
    assert_too_deep(text, line, column)


@pytest.mark.parametrize(("text", "line", "column"), DEEP)
def test_our_bound_speaks_when_libyaml_has_none(
    libyaml_bound: object, text: str, line: int, column: int
) -> None:
    """LibYAML before 0.2.6 has no bound: ours is the only one."""
    libyaml_bound(10**7)  # type: ignore[operator]
    assert_too_deep(text, line, column)


@pytest.mark.parametrize(("text", "line", "column"), DEEP)
def test_our_bound_speaks_with_the_pure_python_parser(
    monkeypatch: pytest.MonkeyPatch, text: str, line: int, column: int
) -> None:
    monkeypatch.setattr(yamltree, "_EventLoader", yaml.SafeLoader)
    assert_too_deep(text, line, column)


def test_an_error_before_the_deep_part_is_reported_first(libyaml_bound: object) -> None:
    libyaml_bound(80)  # type: ignore[operator]
    text = "{a: 1, a: 2, b: " + "[" * 2000
    exc = error_of(text)
    assert (exc.line, exc.column) == (1, 8)
    assert "duplicate key 'a'" in exc.message


# -- values against bytes ---------------------------------------------------------------


def _values(text: str) -> int:
    events = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    return sum(isinstance(e, events) for e in yaml.parse(text, Loader=yaml.CSafeLoader))


def _generate_menu(nodes: int) -> str:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_menu(nodes, 1)


def _fits(text: str) -> bool:
    """Whether a file of MAX_BYTES written as densely as `text` stays within MAX_VALUES."""
    return _values(text) * yamltree.MAX_BYTES <= len(text.encode()) * yamltree.MAX_VALUES


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "menus").glob("*.yaml")))
def test_example_menus_as_large_as_the_size_cap_stay_within_the_value_cap(name: str) -> None:
    assert _fits((ROOT / "menus" / name).read_text(encoding="utf-8"))


def test_generated_menus_as_large_as_the_size_cap_stay_within_the_value_cap() -> None:
    text = _generate_menu(2000)
    loads_menu(text, "generated.yaml")
    assert _fits(text)


@pytest.mark.parametrize(
    "text",
    [
        "[" + ",".join(["1"] * 1000) + "]\n",  # two bytes a value
        "".join("- 1\n" for _ in range(1000)),
        "{" + ", ".join(f"k{i}: 1" for i in range(1000)) + "}\n",
    ],
    ids=["flow-list-of-digits", "block-list-of-digits", "flow-mapping"],
)
def test_dense_files_as_large_as_the_size_cap_stay_within_the_value_cap(text: str) -> None:
    assert _fits(text)


def test_the_value_cap_is_located(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamltree, "MAX_VALUES", 50)
    text = HEAD + "nodes:\n" + "".join(f"  n{i}: {{type: hangup}}\n" for i in range(30))
    exc = error_of(text)
    assert exc.message == "too many values (over 50)"
    assert exc.line > 3


def test_aliases_stay_bounded_far_below_the_value_cap() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    exc = error_of("\n".join(lines) + "\n")
    assert "aliases expand to over 100000 values" in exc.message
    assert yamltree.MAX_ALIAS_VALUES * 100 < yamltree.MAX_VALUES


# -- the garbage collector ------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("text", [HEAD + "nodes: {desk: {type: hangup}}\n", "{a: 1, a: 2}"])
def test_parsing_leaves_the_garbage_collector_as_it_found_it(enabled: bool, text: str) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with contextlib.suppress(MenuError):
            loads_menu(text, "m.yaml")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


# -- a colon in unquoted text -----------------------------------------------------------

COLONS = [
    pytest.param(
        "nodes:\n  closed:\n    type: message\n    prompt: Hours: 9 to 5\n",
        6,
        18,
        'quote the text: prompt: "Hours: 9 to 5"',
        id="block-prompt",
    ),
    pytest.param(
        "nodes:\n  closed:\n    type: message\n    prompt: Hours: 9 to 5  # ask Sam\n",
        6,
        18,
        'quote the text: prompt: "Hours: 9 to 5"',
        id="block-prompt-with-comment",
    ),
    pytest.param(
        "nodes:\n  main:\n    options:\n      - key: 1\n        say: For sales: press 1\n"
        "        goto: main\n",
        7,
        23,
        'quote the text: say: "For sales: press 1"',
        id="block-say-in-a-list",
    ),
    pytest.param(
        "nodes:\n  closed: {type: message, prompt: Hours: 9 to 5}\n",
        4,
        40,
        "a ': ' inside unquoted text starts a mapping: quote the text",
        id="flow-prompt",
    ),
]


@pytest.mark.parametrize(("body", "line", "column", "hint"), COLONS)
def test_a_colon_in_unquoted_text_gets_a_quote_hint(
    body: str, line: int, column: int, hint: str
) -> None:
    exc = error_of(HEAD + body)
    assert (exc.line, exc.column) == (line, column), exc
    assert exc.message.endswith(hint), exc
    assert "\n" not in str(exc)


def test_a_colon_in_unquoted_text_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(HEAD + textwrap.dedent(COLONS[0].values[0]), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:6:18: error: mapping values are not allowed in this context; a ': ' inside "
        'unquoted text starts a mapping: quote the text: prompt: "Hours: 9 to 5"\n'
    )


def test_quoted_text_with_a_colon_loads() -> None:
    menu = loads_menu(
        HEAD + 'nodes:\n  closed: {type: hangup, prompt: "Hours: 9 to 5"}\n', "m.yaml"
    )
    assert menu.node("closed").prompt == "Hours: 9 to 5"
