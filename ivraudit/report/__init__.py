"""Report formats: each renders audits it is given and computes nothing."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from ivraudit.audit import Audit


class Format(str, Enum):
    """The output formats of `ivraudit score`."""

    TEXT = "text"
    JSON = "json"


def render(
    audits: Sequence[Audit],
    fmt: Format,
    *,
    many: bool | None = None,
    color: bool = False,
    width: int = 100,
) -> str:
    """Return the report of `audits` in format `fmt`; `many` makes JSON a list even of one."""
    if fmt is Format.TEXT:
        from ivraudit.report.terminal import render_text

        return render_text(audits, color=color, width=width)
    if fmt is Format.JSON:
        from ivraudit.report.json_report import render_json

        return render_json(audits, as_list=many)
    raise ValueError(f"unknown format {fmt!r}")  # pragma: no cover - the Enum is closed


def write_output(text: str, path: str | Path) -> None:
    """Write `text` to `path` ('-' for stdout) whole or not at all, creating folders."""
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
