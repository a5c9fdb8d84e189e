"""Reading platform documents safely: bounded JSON and YAML with positions, placeholders
and server templates named where they are."""

from __future__ import annotations

import re
from typing import Any

from ivraudit.errors import MenuError
from ivraudit.model import Position
from ivraudit.yamltree import YNode, parse

MAX_CHARS = 8 * 1024 * 1024  # far above any real flow export


class PosDict(dict):  # type: ignore[type-arg]
    """A mapping from a document that remembers where it starts."""

    line: int = 1
    column: int = 1


def _plain(y: YNode) -> Any:
    if y.kind == "map":
        out = PosDict((k, _plain(v)) for k, (_, v) in y.items.items())
        out.line, out.column = y.line, y.column
        return out
    if y.kind == "seq":
        return [_plain(v) for v in y.value]
    return y.value


def where(value: Any, source: str) -> Position:
    """Return where a mapping read by `load_json`/`load_yaml` starts (else line 1)."""
    if isinstance(value, PosDict):
        return Position(source, value.line, value.column)
    return Position(source, 1, 1)


def check_size(text: str, source: str) -> None:
    """Refuse text too large to be a flow export."""
    if len(text) > MAX_CHARS:
        raise MenuError(source, 1, 1, f"file is larger than {MAX_CHARS // (1024 * 1024)} MiB")


def _placeholder_error(exc: MenuError, text: str, source: str) -> MenuError:
    """Name a template placeholder when it is what broke the parse."""
    lines = text.splitlines()
    if 1 <= exc.line <= len(lines):
        line = lines[exc.line - 1]
        for match in re.finditer(r"\$\{[^}\n]*\}|%%[^%\n]*%%|\{\{[^}\n]*\}\}|<%", line):
            return MenuError(
                source,
                exc.line,
                match.start() + 1,
                f"template placeholder {match.group(0)!r} where a value belongs: "
                "render the template (Terraform, CI) first, then import the result",
            )
    return exc


def load_json(text: str, source: str) -> Any:
    """Return a JSON document as plain data whose mappings know their position."""
    check_size(text, source)
    try:
        return _plain(parse(text, source, json_mode=True))
    except MenuError as exc:
        raise _placeholder_error(exc, text, source) from None
    except RecursionError:
        raise MenuError(source, 1, 1, "JSON nested too deeply") from None


# Terraform/Jinja templates write `key: {{var}}` unquoted, which YAML reads as a mapping.
_BARE_TEMPLATE = re.compile(r"(?m)^(\s*[^#\n:]+:\s+)(\{\{[^{}\n]*\}\})\s*$")


def load_yaml(text: str, source: str) -> Any:
    """Return a YAML document as plain data; bare `{{placeholders}}` are read as text."""
    check_size(text, source)
    quoted = _BARE_TEMPLATE.sub(lambda m: f"{m.group(1)}'{m.group(2)}'", text)
    try:
        return _plain(parse(quoted, source))
    except MenuError as exc:
        raise _placeholder_error(exc, text, source) from None
    except RecursionError:
        raise MenuError(source, 1, 1, "YAML nested too deeply") from None


def find(text: str, needle: str, source: str, start: int = 0) -> Position:
    """Return where `needle` first occurs in `text` (from `start`), else line 1."""
    at = text.find(needle, start)
    if at < 0:
        return Position(source, 1, 1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return Position(source, line, column)


def text_of(value: Any) -> str | None:
    """Return a scalar as text (None for nothing, mappings and lists)."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def dig(value: Any, *keys: str) -> Any:
    """Return value[k1][k2]... or None when a step is missing or not a mapping."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def items(value: Any) -> list[Any]:
    """Return a list value, or [] for anything else."""
    return value if isinstance(value, list) else []
