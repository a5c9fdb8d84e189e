"""The `check` report built one menu at a time, byte for byte as `render_check` writes it.

A folder is audited file by file (`batch.audit_files`); in text and JSON each menu is
rendered as it comes and its text spooled to a temporary file, so memory stays flat
whatever the number of menus. Formats that need every menu at once (SARIF, JUnit, GitHub,
Markdown) are rendered at the end from the slimmed audits (`batch.summary`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

from ivraudit.gate import Verdict
from ivraudit.report import Format

# The formats rendered one menu at a time.
STREAMED = (Format.TEXT, Format.JSON)
_CHUNK = 1 << 16


class Spool:
    """The menus' parts of one `check` report, written to a temporary file as they come."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.count = 0
        self.failed = 0
        # Closed by close(), which the command calls in a finally block.
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115

    def add_verdict(self, v: Verdict) -> None:
        """Add one menu's part of the `check` report (nothing if rendering it fails)."""
        if self.fmt is Format.JSON:
            from ivraudit.report.json_report import check_item

            item = check_item(v)
            from ivraudit.report.safe import json_text

            text, separator = _indent(json_text(item)[:-1], "    "), ",\n"
        else:
            from ivraudit.report.lines import verdict_lines

            text, separator = verdict_lines(v), ""
        self._file.write(separator + text if self.count else text)
        self.count += 1
        self.failed += not v.passed

    def parts(self) -> Iterator[str]:
        """Yield the whole report in pieces, as `render_check` would write it."""
        if self.fmt is Format.JSON:
            yield f'{{\n  "passed": {json.dumps(self.failed == 0)},\n  "menus": '
            yield from self._list("  ")
            yield "\n}\n"
            return
        from ivraudit.report.lines import checked_line

        yield from self._body()
        yield checked_line(self.count, self.failed) + "\n"

    def close(self) -> None:
        """Remove the temporary file."""
        self._file.close()

    def _list(self, closing: str) -> Iterator[str]:
        if not self.count:
            yield "[]"
            return
        yield "[\n"
        yield from self._body()
        yield f"\n{closing}]"

    def _body(self) -> Iterator[str]:
        self._file.seek(0)
        while chunk := self._file.read(_CHUNK):
            yield chunk


def _indent(text: str, indent: str) -> str:
    """Return dumped JSON nested one level deeper; JSON text holds no raw newline (strings
    escape it), so indenting each line is exact."""
    return "\n".join(indent + line for line in text.split("\n"))
