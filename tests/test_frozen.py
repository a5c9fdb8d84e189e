"""`@frozen` behaves as `@dataclass(frozen=True)`: the standard decorator is the reference.

The cheap definition (`frozen._make`) is what runs before Python 3.13; it is tested
directly so that it stays tested on any Python.
"""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import re
from dataclasses import FrozenInstanceError, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivraudit.frozen import SHAPES, _make, frozen, shapes_module

NAMES = ["a", "b", "c", "d", "e"]
VALUES = st.one_of(
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=False, width=16),
    st.text("xy", max_size=2),
    st.none(),
    st.tuples(st.integers(0, 2)),
)


@st.composite
def specs(draw: Any) -> list[dict[str, Any]]:
    """Fields: a name each, maybe a default or a factory, and compare/repr/hash flags."""
    count = draw(st.integers(0, len(NAMES)))
    out, defaulted = [], False
    for name in NAMES[:count]:
        kind = draw(st.sampled_from(["plain", "default", "factory"]))
        if defaulted and kind == "plain":  # a field without a default cannot follow one
            kind = "default"
        defaulted = defaulted or kind != "plain"
        out.append(
            {
                "name": name,
                "kind": kind,
                "default": draw(VALUES),
                "compare": draw(st.booleans()),
                "repr": draw(st.booleans()),
                "hash": draw(st.sampled_from([None, True, False])),
            }
        )
    return out


def build(spec: list[dict[str, Any]], make: Any, order: bool) -> type:
    """Return a class of these fields made by `make`."""
    body: dict[str, Any] = {"__annotations__": {}, "__doc__": "A record.", "__module__": __name__}
    body["__qualname__"] = "Outer.Record"  # repr names the qualified name
    for f in spec:
        body["__annotations__"][f["name"]] = "Any"
        options = {"compare": f["compare"], "repr": f["repr"], "hash": f["hash"]}
        if f["kind"] == "default":
            body[f["name"]] = field(default=f["default"], **options)
        elif f["kind"] == "factory":
            body[f["name"]] = field(default_factory=lambda v=f["default"]: v, **options)
        else:
            body[f["name"]] = field(**options)
    return make(type("Record", (), body), order)


def standard(cls: type, order: bool) -> type:
    return dataclass(frozen=True, order=order)(cls)


def outcome(fn: Any) -> Any:
    """Return what `fn()` gives, or the type of what it raises."""
    try:
        return ("value", fn())
    except Exception as exc:  # the kind of failure is what is compared
        return ("raises", type(exc))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(spec=specs(), order=st.booleans(), args=st.lists(VALUES, min_size=5, max_size=5))
def test_same_behaviour_as_dataclass(spec: list[dict[str, Any]], order: bool, args: list) -> None:
    ours, theirs = build(spec, _make, order), build(spec, standard, order)
    given_args = args[: sum(f["kind"] == "plain" for f in spec)]
    x, y = ours(*given_args), theirs(*given_args)
    x2, y2 = ours(*reversed(given_args)), theirs(*reversed(given_args))

    assert repr(x) == repr(y)
    assert [(f.name, f.compare, f.repr, f.hash, f.default) for f in dataclasses.fields(ours)] == [
        (f.name, f.compare, f.repr, f.hash, f.default) for f in dataclasses.fields(theirs)
    ]
    assert ours.__match_args__ == theirs.__match_args__
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert repr(ours.__dataclass_params__) == repr(theirs.__dataclass_params__)
    assert dataclasses.asdict(x) == dataclasses.asdict(y)
    assert outcome(lambda: x == x2) == outcome(lambda: y == y2)
    assert outcome(lambda: x == ours(*given_args)) == outcome(lambda: y == theirs(*given_args))
    assert (x == y) is False and (x != y) is True  # other classes: never equal
    assert outcome(lambda: hash(x)) == outcome(lambda: hash(y))
    assert outcome(lambda: hash(x) == hash(x2)) == outcome(lambda: hash(y) == hash(y2))
    for op in ("__lt__", "__le__", "__gt__", "__ge__"):
        assert outcome(lambda op=op: getattr(x, op)(x2)) == outcome(
            lambda op=op: getattr(y, op)(y2)
        )
    if spec:
        name = spec[0]["name"]
        assert repr(dataclasses.replace(x, **{name: 9})) == repr(
            dataclasses.replace(y, **{name: 9})
        )
    assert outcome(lambda: setattr(x, "a", 1)) == outcome(lambda: setattr(y, "a", 1))
    assert outcome(lambda: delattr(x, "b")) == outcome(lambda: delattr(y, "b"))
    assert outcome(lambda: ours(*given_args, 1, 2, 3, 4, 5, 6)) == outcome(
        lambda: theirs(*given_args, 1, 2, 3, 4, 5, 6)
    )


@frozen
class Point:
    """A point."""

    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list, compare=False)


def test_frozen_objects_cannot_change_and_factories_are_fresh() -> None:
    p = Point(1)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'y'"):
        del p.y  # type: ignore[misc]
    assert Point(1).tags is not Point(1).tags
    assert Point(1, 2) == Point(1, 2, ["ignored in comparisons"])
    assert pickle.loads(pickle.dumps(p)) == p
    assert dataclasses.is_dataclass(Point) and Point.__dataclass_params__.frozen


def test_a_method_the_class_defines_is_kept() -> None:
    @frozen
    class Named:
        """A name that shows itself plainly."""

        name: str

        def __repr__(self) -> str:
            return self.name

    assert repr(Named("desk")) == "desk"
    assert Named("desk") == Named("desk") and hash(Named("desk")) == hash(Named("desk"))


def test_what_the_fast_path_does_not_handle_is_made_by_dataclasses() -> None:
    @frozen
    class Later:
        """A record with a field set after __init__."""

        a: int
        b: int = field(init=False, default=3)

        def __post_init__(self) -> None:
            object.__setattr__(self, "b", self.a * 2)

    assert Later(2).b == 4
    assert repr(Later(2)).endswith(".<locals>.Later(a=2, b=4)")


def test_the_package_declares_frozen_data_with_frozen() -> None:
    """Each `@dataclass(frozen=True)` would cost a run 0.5 ms more to start (issue 11)."""
    package = Path(__file__).resolve().parent.parent / "ivraudit"
    found = [
        f"{path.relative_to(package)}:{n}"
        for path in package.rglob("*.py")
        if path.parent.name != "frozen"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"@(dataclasses\.)?dataclass\(.*frozen\s*=\s*True", line)
    ]
    assert not found, f"use @frozen (ivraudit.frozen) in {found}"


def test_a_field_without_default_after_one_with_is_refused_as_dataclass_refuses_it() -> None:
    body = {"__annotations__": {"a": "int", "b": "int"}, "a": 1, "__doc__": "A record."}
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        _make(type("Record", (), dict(body)), False)
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        standard(type("Record", (), dict(body)), False)


def test_fields_are_given_by_name_and_a_traceback_names_the_class() -> None:
    assert Point(y=2, x=1) == Point(1, 2)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
        Point()  # type: ignore[call-arg]
    assert Point.__init__.__code__.co_varnames[:3] == ("self", "x", "y")


@pytest.mark.parametrize(
    "body",
    [
        {"__annotations__": {"a": "list"}, "a": []},  # a mutable default
        {"__annotations__": {"a": "int"}, "b": field(default=1)},  # a field with no type
    ],
    ids=["mutable default", "field without annotation"],
)
def test_what_dataclass_refuses_is_refused_alike(body: dict[str, Any]) -> None:
    def made(make: Any) -> Any:
        return outcome(lambda: make(type("Record", (), {**body, "__doc__": "A record."}), False))

    assert made(_make)[0] == "raises"
    assert made(_make) == made(standard)


def test_class_attributes_are_left_as_dataclass_leaves_them() -> None:
    body = {
        "__annotations__": {"a": "int", "b": "int", "c": "list[int]"},
        "b": field(default=2, repr=False),
        "c": field(default_factory=list),
        "__doc__": "A record.",
    }
    ours = frozen(type("Record", (), dict(body)))
    theirs = standard(type("Record", (), dict(body)), False)
    for name in "abc":
        assert outcome(lambda n=name: getattr(ours, n)) == outcome(
            lambda n=name: getattr(theirs, n)
        )
    assert [f.name for f in dataclasses.fields(ours)] == ["a", "b", "c"]
    assert ours(1) == ours(1, 2, []) and ours(1).c is not ours(1).c


def test_a_class_variable_is_read_by_dataclasses_itself() -> None:
    @frozen
    class Counted:
        """A record with a class variable."""

        a: int
        seen: ClassVar[int] = 0

    assert [f.name for f in dataclasses.fields(Counted)] == ["a"]
    assert Counted.seen == 0 and Counted(1).a == 1


def test_the_written_init_bodies_are_what_the_package_writes() -> None:
    # `_shapes.py` is generated: regenerate it as its docstring says when this fails.
    written = Path(__file__).resolve().parent.parent / "ivraudit" / "frozen" / "_shapes.py"
    assert written.read_text(encoding="utf-8") == shapes_module()


@pytest.mark.parametrize("count", [SHAPES, SHAPES + 3])
@pytest.mark.parametrize("factories", [0, 1, 3])
def test_wide_classes_as_dataclass_makes_them(count: int, factories: int) -> None:
    # The last `factories` fields have one; beyond SHAPES fields the body is compiled.
    names = [f"f{n}" for n in range(count)]
    body: dict[str, Any] = {"__annotations__": dict.fromkeys(names, "Any"), "__doc__": "Wide."}
    body.update({name: field(default_factory=list) for name in names[count - factories :]})
    ours = _make(type("Wide", (), dict(body)), False)
    theirs = standard(type("Wide", (), dict(body)), False)
    given = range(count - factories)
    x, y = ours(*given), theirs(*given)
    assert repr(x) == repr(y) and dataclasses.asdict(x) == dataclasses.asdict(y)
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    if factories:
        assert getattr(x, names[-1]) == [] and getattr(x, names[-1]) is not getattr(
            ours(*given), names[-1]
        )
        assert getattr(ours(*given, *range(factories)), names[-1]) == factories - 1
