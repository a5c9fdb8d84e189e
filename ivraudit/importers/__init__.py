"""Importers of platform exports, stage 2 of the pipeline: each takes a platform's export
(JSON, XML, a dialplan) and gives the `Menu` a menu file would, with what it assumed.
They are registered once; the most confident one reads a file.

Each importer is one module defining NAME (what `--from` takes), TITLE, SYSTEM, ROLE
("flow" for a file that holds a menu, "companion" for one that only completes another),
`detect(text)` (how sure it is, 0 to 1) and, for flows, `read(text, source, companions)`
returning a `Flow`; optionally `holds_no_menu(text)`, true for a file of the format that
holds none (a configuration that includes its menus from elsewhere), which a folder
search passes over and which, named on its own, is an error saying so. Adding a format
means adding a module and one line below.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ivraudit.format.errors import MenuError
from ivraudit.frozen import frozen

if TYPE_CHECKING:
    from ivraudit.format.files import Piped
    from ivraudit.format.model import Menu, Timing
    from ivraudit.importers.flow import Flow, Settings

# The importer modules. Detection order matters only for ties; our own format is checked
# before all of these. They are imported when first needed (`registry`): a menu in our own
# format, the common case, needs none of them, and importing them all costs ~10 ms.
_MODULES: tuple[str, ...] = (
    "amazon_connect",
    "amazon_connect_modules",
    "twilio_studio",
    "voicexml",
    "asterisk",
    "asterisk_queues",
    "asterisk_ael",
    "freeswitch",
    "freeswitch_phrases",
    "freeswitch_dialplan",
    "genesys_archy",
    "webex",
)

OWN_FORMAT = "ivraudit"
# Our format declares itself on a line of its own: `ivraudit: 1` or `{"ivraudit": 1`.
_OWN = re.compile(r"""(?m)^[ \t{]*["']?ivraudit["']?[ \t]*:""")
# Below this, a guess is not trusted and the file is read as our format (its errors).
_SURE = 0.5


@frozen
class Importer:
    """One registered format."""

    name: str
    title: str
    system: str
    role: str  # "flow" or "companion"
    detect: Callable[[str], float] = field(repr=False)
    read: Callable[[str, str, tuple[tuple[str, str], ...]], Flow] | None = field(
        default=None, repr=False
    )
    holds_no_menu: Callable[[str], bool] | None = field(default=None, repr=False)

    @classmethod
    def from_module(cls, module: ModuleType) -> Importer:
        """Return the importer a module defines."""
        return cls(
            name=module.NAME,
            title=module.TITLE,
            system=module.SYSTEM,
            role=module.ROLE,
            detect=module.detect,
            read=getattr(module, "read", None),
            holds_no_menu=getattr(module, "holds_no_menu", None),
        )


@cache
def registry() -> dict[str, Importer]:
    """Return every importer by name, in detection order (importing their modules)."""
    modules = (importlib.import_module(f"{__name__}.{name}") for name in _MODULES)
    return {m.NAME: Importer.from_module(m) for m in modules}


def __getattr__(name: str) -> Any:
    # REGISTRY and FORMAT_NAMES (what --from takes) are made on first use, by `registry`.
    if name == "REGISTRY":
        return registry()
    if name == "FORMAT_NAMES":
        return (OWN_FORMAT, *registry())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    REGISTRY: dict[str, Importer]
    FORMAT_NAMES: tuple[str, ...]


def guess(text: str) -> Importer | None:
    """Return the importer most sure that `text` is its format, or None for our own
    format (and for text no importer recognises)."""
    if "ivraudit" in text and _OWN.search(text):
        return None
    best, sure = None, _SURE
    for importer in registry().values():
        try:
            confidence = importer.detect(text)
        except Exception:  # a detector is a guess: a failing guess is "no"
            confidence = 0.0
        if confidence > sure:
            best, sure = importer, confidence
    return best


def declares_own(text: str) -> bool:
    """Return whether `text` declares our own format (`ivraudit: 1` on a line of its own)."""
    return "ivraudit" in text and _OWN.search(text) is not None


def is_menu_text(text: str, *, own: bool = True) -> bool:
    """Return whether `text` is a menu: our own format (when `own`: it declares
    `ivraudit:`) or an export an importer is sure of (a flow or a companion file) that
    holds a menu."""
    if declares_own(text):
        return own
    importer = guess(text)
    if importer is None:
        return False
    return importer.holds_no_menu is None or not importer.holds_no_menu(text)


@frozen
class Source:
    """One menu to load: its main file, the companion files that complete it, and the
    format chosen for it (None: our own). `data` holds the main file's bytes when it
    came from standard input (`path` is then the name it goes by)."""

    path: Path
    importer: Importer | None
    companions: tuple[Path | Piped, ...] = ()
    data: bytes | None = field(default=None, repr=False)


def input_name(item: Path | Piped) -> str:
    """Return the name of a file, or of standard input, as messages give it."""
    from ivraudit.format.files import shown

    return item.name if not isinstance(item, Path) else shown(item)


def _read_text(item: Path | Piped) -> str:
    from ivraudit.format.files import read_file
    from ivraudit.format.yamltree import MAX_BYTES, decode

    name = input_name(item)
    if not isinstance(item, Path):
        return decode(item.data, name)
    # Regular files only, within the cap: a named pipe or /dev/urandom would never end.
    return decode(read_file(item, MAX_BYTES, name), name)


def sources(paths: Sequence[Path | Piped], fmt: str | None = None) -> list[Source | MenuError]:
    """Group files into menus: a companion file joins the first flow file of its system
    given with it; a companion given alone is an error saying what the file is. A file
    from standard input (`Piped`) keeps its bytes in its source."""
    chosen = None if fmt in (None, OWN_FORMAT) else registry()[fmt]
    out: list[Source | MenuError] = []
    pending: list[tuple[Path | Piped, Importer]] = []
    for item in paths:
        path, data = (item, None) if isinstance(item, Path) else (item.path, item.data)
        if fmt == OWN_FORMAT:
            out.append(Source(path, None, data=data))
            continue
        try:
            guessed = guess(_read_text(item))
        except MenuError:
            guessed = None  # the loader reports it, as for any menu file
        importer = guessed
        if chosen is not None and not (
            guessed is not None and guessed.role == "companion" and guessed.system == chosen.system
        ):
            importer = chosen
        if importer is not None and importer.role == "companion":
            pending.append((item, importer))
        else:
            out.append(Source(path, importer, data=data))
    for extra, companion in pending:
        for i, found in enumerate(out):
            if (
                isinstance(found, Source)
                and found.importer is not None
                and found.importer.system == companion.system
            ):
                out[i] = replace(found, companions=(*found.companions, extra))
                break
        else:
            out.append(
                MenuError(
                    input_name(extra),
                    1,
                    1,
                    f"this is {companion.title}, which only completes a menu: give it "
                    f"together with the {companion.system} file that uses it",
                )
            )
    return out


def load_source(
    source: Source, settings: Settings | None = None, timing: Timing | None = None
) -> Menu:
    """Return the menu of one source; our own format is read exactly as `load_menu` does."""
    from ivraudit.format.loader import load_menu, loads_menu

    if source.importer is None:
        if source.data is not None:
            from ivraudit.format.files import json_named_or_shaped, shown

            name = shown(source.path)
            json_mode = json_named_or_shaped(name, source.data)
            return loads_menu(source.data, name, json_mode=json_mode, timing=timing)
        return load_menu(source.path, timing=timing)
    from ivraudit.importers.flow import Settings, to_menu

    importer = source.importer
    if importer.read is None:
        raise MenuError(
            str(source.path), 1, 1, f"this is {importer.title}, which holds no menu of its own"
        )
    from ivraudit.format.files import Piped, read_file, shown
    from ivraudit.format.yamltree import MAX_BYTES

    name = shown(source.path)
    # Regular files only, within the cap: a named pipe or /dev/urandom would never end.
    data = read_file(source.path, MAX_BYTES, name) if source.data is None else source.data
    text = _read_text(Piped(name, data))
    companions = tuple((input_name(p), _read_text(p)) for p in source.companions)
    flow = importer.read(text, str(source.path), companions)
    if not flow.steps or flow.entry is None:
        raise MenuError(str(source.path), 1, 1, f"no call flow found in this {importer.title}")
    return _imported(
        to_menu(flow, settings or Settings(), str(source.path), timing), importer, data
    )


def _imported(menu: Menu, importer: Importer, data: bytes) -> Menu:
    """Return `menu` stamped with the format it was imported from and its file's digest."""
    from ivraudit.format.loader import file_digest

    return replace(menu, platform=importer.title, digest=file_digest(data))


def import_file(
    path: str | Path,
    fmt: str | None = None,
    settings: Settings | None = None,
    timing: Timing | None = None,
    companions: Sequence[str | Path] = (),
) -> Menu:
    """Return the menu of a platform export (or of our own format); raise MenuError."""
    grouped = sources([Path(path), *(Path(p) for p in companions)], fmt)
    first = grouped[0]
    if isinstance(first, MenuError):
        raise first
    return load_source(first, settings, timing)


def import_header(menu: Menu, companions: Sequence[str | Path | Piped] = ()) -> str:
    """Return the comment that opens an imported menu file: its source, the companion
    files read with it, and the assumptions."""
    from ivraudit.format.yamltree import visible

    lines = [f"# Imported by ivraudit from {visible(menu.source)}"]
    if companions:
        names = (p if isinstance(p, str) else input_name(p) for p in companions)
        lines.append(f"# with {', '.join(visible(n) for n in names)}")
    if menu.assumptions:
        lines.append("# Assumptions (the export does not say):")
        lines += [f"#   - {visible(a)}" for a in menu.assumptions]
    return "\n".join(lines) + "\n"


def loads_source(
    data: bytes,
    source: str,
    settings: Settings | None = None,
    timing: Timing | None = None,
) -> Menu:
    """Return the menu in `data` (an export or our own format, as detected), named
    `source`; raise MenuError. Companion files cannot be given this way."""
    from ivraudit.format.loader import loads_menu
    from ivraudit.format.yamltree import decode
    from ivraudit.importers.flow import Settings, to_menu

    text = decode(data, source)
    importer = guess(text)
    if importer is None:
        return loads_menu(data, source, json_mode=source.lower().endswith(".json"), timing=timing)
    if importer.read is None:
        raise MenuError(source, 1, 1, f"this is {importer.title}, which only completes a menu")
    flow = importer.read(text, source, ())
    if not flow.steps or flow.entry is None:
        raise MenuError(source, 1, 1, f"no call flow found in this {importer.title}")
    return _imported(to_menu(flow, settings or Settings(), source, timing), importer, data)
