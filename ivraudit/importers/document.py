"""Reading platform documents safely: bounded JSON and YAML with positions, placeholders
and server templates named where they are."""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

from ivraudit.format.errors import MenuError
from ivraudit.format.model import Position
from ivraudit.format.text import one_line
from ivraudit.format.yamltree import YNode, parse, yaml_lines

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


def _placeholder_error(exc: MenuError, text: str, source: str, *, json: bool) -> MenuError:
    """Name a template placeholder when it is what broke the parse."""
    # The line the parser named, counted as it counts them: JSON ends lines at LF only,
    # YAML at a lone CR, NEL, LS and PS too.
    lines = text.split("\n") if json else yaml_lines(text)
    if 1 <= exc.line <= len(lines):
        line = lines[exc.line - 1]
        at = exc.column - 1
        found = list(re.finditer(r"\$\{[^}\n]*\}|%%[^%\n]*%%|\{\{[^}\n]*\}\}|<%", line))
        # The placeholder at fault is the one at the parser's column (or the first after
        # it): one earlier on the line may sit harmlessly inside a string.
        for match in [m for m in found if m.start() <= at < m.end()] or [
            m for m in found if m.start() >= at
        ][:1]:
            return MenuError(
                source,
                exc.line,
                match.start() + 1,
                f"template placeholder {match.group(0)!r} where a value belongs: "
                "render the template (Terraform, CI) first, then import the result",
            )
    return exc


MAX_JSON_DEPTH = 64
# Strings (kept whole, so their brackets do not count), brackets, and everything else:
# pieces that cover the text, so their lengths give each bracket's offset.
_JSON_PIECES = re.compile(r'"(?:[^"\\]|\\.)*"?|[{}\[\]]|[^"{}\[\]]+')


def load_json(text: str, source: str) -> Any:
    """Return a JSON document as plain data whose mappings know their position.

    json.loads reads the values; one regex pass finds where each object opens, in the
    order json.loads closes them, so positions cost little even for large exports."""
    check_size(text, source)
    pieces = _JSON_PIECES.findall(text)
    offsets = list(itertools.accumulate(map(len, pieces), initial=0))
    opened: list[int] = []
    stack: list[int] = []
    for i in [i for i, p in enumerate(pieces) if len(p) == 1 and p in "{}[]"]:
        ch = pieces[i]
        if ch == "{" or ch == "[":
            stack.append(offsets[i] if ch == "{" else -1)
            if len(stack) > MAX_JSON_DEPTH:
                line, column = line_col(text, offsets[i])
                raise MenuError(
                    source, line, column, f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
                )
        elif stack:
            at = stack.pop()
            if ch == "}" and at >= 0:
                opened.append(at)
    closing = iter(opened)
    lines = Lines(text)

    def hook(pairs: list[tuple[str, Any]]) -> PosDict:
        out = PosDict(pairs)
        at = next(closing, None)
        if at is not None:
            out.line, out.column = lines.at(at)
        return out

    try:
        return json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        error = MenuError(source, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
        raise _placeholder_error(error, text, source, json=True) from None
    except RecursionError:
        raise MenuError(source, 1, 1, "JSON nested too deeply") from None


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of `offset`, lines ending at LF."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_LF = re.compile("\n")


class Lines:
    """Where each line of a text starts (lines end where `breaks` matches: LF unless
    told), so an offset's line and column cost a bisect, not a count from the start of
    the file for every place asked."""

    def __init__(self, text: str, breaks: re.Pattern[str] = _LF) -> None:
        self.starts = [0] + [m.end() for m in breaks.finditer(text)]

    def at(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of `offset`."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# Terraform/Jinja templates write `key: {{var}}` unquoted, which YAML reads as a mapping.
_BARE_TEMPLATE = re.compile(r"(?m)^(\s*[^#\n:]+:\s+)(\{\{[^{}\n]*\}\})\s*$")
_TEMPLATE_KEY = re.compile(r"(?m)^(\s*(?:-\s+)?)(\{\{[^{}\n]*\}\})(\s*:)")


def load_yaml(text: str, source: str) -> Any:
    """Return a YAML document as plain data; bare `{{placeholders}}` are read as text."""
    check_size(text, source)
    quoted = _BARE_TEMPLATE.sub(lambda m: f"{m.group(1)}'{m.group(2)}'", text)
    quoted = _TEMPLATE_KEY.sub(lambda m: f"{m.group(1)}'{m.group(2)}'{m.group(3)}", quoted)
    try:
        return _plain(parse(quoted, source))
    except MenuError as exc:
        raise _placeholder_error(exc, text, source, json=False) from None
    except RecursionError:
        raise MenuError(source, 1, 1, "YAML nested too deeply") from None


def find(text: str, needle: str, source: str, start: int = 0) -> Position:
    """Return where `needle` first occurs in `text` (from `start`), else line 1."""
    at = text.find(needle, start)
    if at < 0:
        return Position(source, 1, 1)
    return Position(source, *line_col(text, at))


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


@dataclass
class Element:
    """An XML element with its position: tag (namespace dropped), attributes, children
    and the text directly inside it."""

    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # text chunks inside, in order

    def get(self, name: str) -> str | None:
        """Return an attribute's value."""
        return self.attrs.get(name)

    def all_text(self) -> str:
        """Return every piece of text inside, as one line."""
        parts = list(self.text)
        for child in self.children:
            parts.append(child.all_text())
        return " ".join(" ".join(parts).split())

    def iter(self, tag: str) -> list[Element]:
        """Return every element with this tag below (and including) this one."""
        out = [self] if self.tag == tag else []
        for child in self.children:
            out += child.iter(tag)
        return out


MAX_XML_DEPTH = 200
MAX_XML_ELEMENTS = 200_000


class _Builder(ContentHandler):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.count = 0

    def startElement(self, name: str, attrs: Any) -> None:
        loc = self._locator
        line, column = (loc.getLineNumber(), loc.getColumnNumber() + 1) if loc else (1, 1)
        self.count += 1
        if len(self.stack) >= MAX_XML_DEPTH or self.count > MAX_XML_ELEMENTS:
            raise MenuError(self.source, line, column, "XML nested too deeply or too large")
        el = Element(name.rsplit(":", 1)[-1], dict(attrs.items()), line, column)
        if self.stack:
            self.stack[-1].children.append(el)
        else:
            self.root = el
        self.stack.append(el)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack and content.strip():
            self.stack[-1].text.append(content)


def load_xml(text: str, source: str) -> Element:
    """Return an XML document's root, read by defusedxml: DTDs, entities and external
    references are refused with their place, as are server-template tags (JSP, PHP)."""
    import defusedxml.sax
    from defusedxml import DefusedXmlException

    check_size(text, source)
    for needle, what in (("<%", "JSP/ASP"), ("<?php", "PHP")):
        if needle in text:
            pos = find(text, needle, source)
            raise MenuError(
                source,
                pos.line,
                pos.column,
                f"server-template markup ({what} {needle!r}): save the page the server "
                "renders, then import that",
            )
    builder = _Builder(source)
    # The text is already decoded; expat reads it as the UTF-8 it is given.
    text = re.sub(
        r"""\A(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"'>]*\2""", r'\1"UTF-8"', text, count=1
    )
    try:
        defusedxml.sax.parseString(text.encode("utf-8"), builder, forbid_dtd=True)
    except DefusedXmlException as exc:
        needle = "<!DOCTYPE" if type(exc).__name__ == "DTDForbidden" else "<!ENTITY"
        pos = find(text, needle, source)
        raise MenuError(
            source,
            pos.line,
            pos.column,
            "DTDs, entities and external references are refused in XML (defusedxml): "
            f"{type(exc).__name__}",
        ) from None
    except (ValueError, LookupError) as exc:
        raise MenuError(source, 1, 1, f"not readable XML: {one_line(str(exc))}") from None
    except SAXParseException as exc:
        raise MenuError(
            source,
            exc.getLineNumber() or 1,
            (exc.getColumnNumber() or 0) + 1,
            f"not well-formed XML: {exc.getMessage()}",
        ) from None
    if builder.root is None:
        raise MenuError(source, 1, 1, "no XML element in the file")
    return builder.root
