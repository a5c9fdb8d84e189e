"""Frozen dataclasses that cost less to define: `@frozen` is `@dataclass(frozen=True)`.

Before Python 3.13, a frozen dataclass compiles six methods when it is defined; with the
fifty a run defines, that is 30 ms, a sixth of a small menu's whole run (issue 11). Here
only `__init__` is compiled; equality, hashing, ordering, `repr` and the frozen guard
are shared functions bound to the class's fields, and `dataclasses.fields`, `replace`,
`asdict` and pickling work as on any dataclass. From Python 3.13, where defining one
costs a third as much, and for any field option not handled here (`init=False`,
`kw_only`, `InitVar`), it is `dataclass(frozen=True)` itself.
"""

from __future__ import annotations

import abc
import dataclasses
import sys
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field
from functools import cache
from operator import attrgetter
from reprlib import recursive_repr
from types import CodeType, FunctionType
from typing import Any, TypeVar

try:
    from typing import dataclass_transform
except ImportError:  # pragma: no cover - Python 3.10

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:  # type: ignore[misc]
        return lambda decorated: decorated


T = TypeVar("T")

# dataclasses' mark of a field (`fields`, `replace` and `asdict` read it): without it, as
# in a Python that changed it, every class is made by dataclasses itself.
_FIELD = getattr(dataclasses, "_FIELD", None)
_STANDARD = sys.version_info >= (3, 13) or _FIELD is None


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def frozen(cls: type[T] | None = None, /, *, order: bool = False) -> Any:
    """Return `cls` as `dataclass(frozen=True, order=order)` makes it."""

    def wrap(cls: type[T]) -> type[T]:
        if _STANDARD or not _plain(cls):
            return dataclass(frozen=True, order=order)(cls)
        return _make(cls, order)

    return wrap if cls is None else wrap(cls)


def _plain(cls: type) -> bool:
    """Return whether every field of `cls` is one `_make` builds exactly as dataclasses
    does: given to `__init__` by name, with or without a default."""
    if "__post_init__" in vars(cls) or any(
        dataclasses.is_dataclass(base) for base in cls.__mro__[1:]
    ):
        return False
    for value in vars(cls).values():
        if isinstance(value, Field) and (not value.init or value.kw_only is True):
            return False
    hints = vars(cls).get("__annotations__", {})
    special = ("InitVar", "KW_ONLY", "ClassVar")  # not fields, or not plain ones
    return not any(word in str(h) for h in hints.values() for word in special)


def _make(cls: type[T], order: bool) -> type[T]:
    body = vars(cls)
    documented = body.get("__doc__") is not None
    if not documented:
        # Else dataclasses writes one from the signature of the `__init__` not yet made,
        # object's, whose text signature compiles tokenize's patterns (5 ms).
        cls.__doc__ = cls.__name__
    fields = _fields(cls)
    names = tuple(f.name for f in fields)
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))

    _add(cls, "__init__", _init(cls, fields))
    _add(cls, "__repr__", _repr(tuple(f.name for f in fields if f.repr)))
    key = _key(compared)
    _add(cls, "__eq__", _compare(key, lambda a, b: a == b))
    if "__hash__" not in body or (body["__hash__"] is None and "__eq__" in body):
        cls.__hash__ = _hash(_key(hashed))  # type: ignore[method-assign]
    if order:
        for name, test in (
            ("__lt__", lambda a, b: a < b),
            ("__le__", lambda a, b: a <= b),
            ("__gt__", lambda a, b: a > b),
            ("__ge__", lambda a, b: a >= b),
        ):
            _add(cls, name, _compare(key, test))
    for name, method in (
        ("__setattr__", _frozen_set(cls, names)),
        ("__delattr__", _frozen_del(cls, names)),
    ):
        if name in body:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
        _add(cls, name, method)
    # Said as `dataclass(frozen=True)` says it: introspection, and dataclasses' check that
    # a frozen class only inherits from frozen ones, see what the class does.
    cls.__dataclass_params__ = _params(order)  # type: ignore[attr-defined]
    if not documented:
        import inspect

        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _fields(cls: type) -> tuple[Field[Any], ...]:
    """Return the fields of `cls`, set on it as `dataclass` sets them: its annotations in
    order, each default checked and left on the class (a factory's removed).

    `dataclass(init=False, ...)` did this for 3 of the 9 ms the 74 classes of a small
    menu's run cost to define. Only the plain fields `_plain` lets through come here."""
    body = vars(cls)
    hints = body.get("__annotations__", {})
    for name, value in body.items():
        if isinstance(value, Field) and name not in hints:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    out = {}
    for name, kind in hints.items():
        default = body.get(name, MISSING)
        f = default if isinstance(default, Field) else field(default=default)
        f.name, f.type = name, kind
        f._field_type = _FIELD  # type: ignore[attr-defined]
        if f.kw_only is MISSING:
            f.kw_only = False  # type: ignore[assignment]
        if f.default is not MISSING and _mutable(f.default):
            raise ValueError(
                f"mutable default {type(f.default)} for field {name} is not allowed: "
                "use default_factory"
            )
        if isinstance(default, Field):
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        out[name] = f
    cls.__dataclass_fields__ = out  # type: ignore[attr-defined]
    if "__match_args__" not in body:
        cls.__match_args__ = tuple(out)  # type: ignore[attr-defined]
    abc.update_abstractmethods(cls)
    return tuple(out.values())


def _mutable(value: Any) -> bool:
    """Return whether dataclasses refuses `value` as a default."""
    if sys.version_info >= (3, 11):
        return value.__class__.__hash__ is None
    return isinstance(value, (list, dict, set))  # pragma: no cover - Python 3.10


@cache
def _params(order: bool) -> Any:
    """Return what `dataclass(frozen=True, order=order)` puts in `__dataclass_params__`."""
    said = {
        **dict.fromkeys(("init", "repr", "eq", "frozen", "match_args"), True),
        **dict.fromkeys(("unsafe_hash", "kw_only", "slots", "weakref_slot"), False),
        "order": order,
    }
    kind = getattr(dataclasses, "_DataclassParams", None)
    names = getattr(kind, "__slots__", ())
    if kind is None or not names or not set(names) <= set(said):  # pragma: no cover
        # A Python whose parameters we do not know: let dataclasses make them.
        template = type("Template", (), {"__doc__": "Parameters."})
        return dataclass(frozen=True, order=order)(template).__dataclass_params__
    # Made without a class to make them for: two template dataclasses cost 0.6 ms.
    params = object.__new__(kind)
    for name in names:
        setattr(params, name, said[name])
    return params


def _add(cls: type, name: str, method: Callable[..., Any]) -> None:
    """Set a method the class does not define itself, as dataclasses does."""
    if name in vars(cls):
        return
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, method)


def _init(cls: type, fields: tuple[Field[Any], ...]) -> Callable[..., None]:
    """Return `__init__`: a compiled body, as it runs for every object and must be fast.

    The body is the same for every class of as many fields (with a factory or without),
    given the class's field names and defaults: compiling one per class cost 8 of a
    small menu's 35 ms of imports, and the bodies of up to `SHAPES` fields are written
    out in `_shapes.py`, so they load from bytecode with the rest of the package."""
    names = tuple(f.name for f in fields)
    factory = False
    defaults = []
    for f in fields:
        if f.default is not MISSING:
            defaults.append(f.default)
        elif f.default_factory is not MISSING:
            defaults.append(_FACTORY)
            factory = True
        elif defaults:  # as dataclasses says it
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    code = _shape(len(names), factory)
    renamed = dict(zip(_placeholders(len(names)), names, strict=True))
    code = code.replace(
        co_name="__init__",
        co_varnames=("self", *names),
        co_consts=tuple(renamed.get(c, c) if isinstance(c, str) else c for c in code.co_consts),
    )
    if hasattr(code, "co_qualname"):  # Python 3.11 and 3.12: tracebacks name the class
        code = code.replace(co_qualname=f"{cls.__qualname__}.__init__")
    scope: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    for n, f in enumerate(fields):
        if f.default_factory is not MISSING:
            scope[f"_f{n}"] = f.default_factory
    init = FunctionType(code, scope, "__init__", tuple(defaults) or None)
    init.__module__ = cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    return init


# The most fields whose `__init__` body `_shapes.py` holds; beyond, it is compiled.
SHAPES = 32


def _placeholders(count: int) -> tuple[str, ...]:
    return tuple(f"_a{n}" for n in range(count))


def shape_text(count: int, factory: bool) -> str:
    """Return the source of the `__init__` body that sets `count` fields `_a0`, `_a1`...,
    on one line; with `factory`, a field given `_FACTORY` gets its `_fN()` instead."""
    names = _placeholders(count)
    sets = [
        f"_set(self, {a!r}, _f{n}() if {a} is _FACTORY else {a})"
        if factory
        else f"_set(self, {a!r}, {a})"
        for n, a in enumerate(names)
    ]
    params = ", ".join(("self", *names))
    return f"def {_shape_name(count, factory)}({params}): {'; '.join(sets) or 'pass'}"


def _shape_name(count: int, factory: bool) -> str:
    return f"{'factory' if factory else 'plain'}_{count}"


def shapes_module() -> str:
    """Return the text of `_shapes.py`: `shape_text` for 0 to `SHAPES` fields, both ways."""
    bodies = [shape_text(n, factory) for factory in (False, True) for n in range(SHAPES + 1)]
    return (
        '"""The `__init__` bodies of frozen classes, written out by `frozen.shapes_module()`\n'
        "so that they load from bytecode instead of being compiled at start-up; a test checks\n"
        "that this file is what it writes. Do not edit: run\n\n"
        "    python -c \"from ivraudit.frozen import shapes_module as m; print(m(), end='')\"\n"
        '        > ivraudit/frozen/_shapes.py\n"""\n'
        "# ruff: noqa\n# fmt: off\n"
        "# The names `_set`, `_FACTORY` and `_fN` are the class's own, given when its\n"
        "# `__init__` is made from one of these bodies (`frozen._init`).\n\n"
        + "\n".join(bodies)
        + "\n"
    )


@cache
def _shape(count: int, factory: bool) -> CodeType:
    """Return the code of the `__init__` body of `count` fields (`shape_text`)."""
    from ivraudit.frozen import _shapes

    name = _shape_name(count, factory)
    written = getattr(_shapes, name, None)
    if written is not None:
        return written.__code__  # type: ignore[no-any-return]
    # The text holds only placeholders: no input, not even a field name, ever reaches it.
    scope: dict[str, Any] = {}
    exec(shape_text(count, factory), scope)
    return scope[name].__code__  # type: ignore[no-any-return]


class _Factory:
    """The default of a field with a default factory: call it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """Return a function giving an object's values of `names` as a tuple."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _compare(
    key: Callable[[Any], tuple[Any, ...]], test: Callable[[Any, Any], bool]
) -> Callable[[Any, Any], Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return test(key(self), key(other))
        return NotImplemented

    return method


def _hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    @recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _frozen_set(cls: type, names: tuple[str, ...]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _frozen_del(cls: type, names: tuple[str, ...]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__
