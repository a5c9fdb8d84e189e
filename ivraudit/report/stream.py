"""The `check` report built one menu at a time, byte for byte as `render_check` writes it.

A folder is audited file by file (`batch.audit_files`); each menu is rendered as it comes
and its text spooled to temporary files, so memory stays flat whatever the number of
menus. What depends on every menu (counts in a heading, totals of a JUnit document) is
written around the spooled parts at the end. SARIF, which keeps the most severe results
of all the menus, is rendered at the end from the slimmed audits (`batch.summary`).

The text and GitHub formats have nothing before the menus, so they can also be written
as each menu comes (`Spool(fmt, sink)`, `LIVE`): a reader of standard output sees each
verdict when its menu is checked rather than all of them at the end.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from ivraudit.judge.gate import Verdict
from ivraudit.report import Format

# The formats rendered one menu at a time.
STREAMED = (Format.TEXT, Format.JSON, Format.GITHUB, Format.JUNIT, Format.MARKDOWN)
# The formats whose menus' parts can be written as they come: nothing precedes them.
LIVE = (Format.TEXT, Format.GITHUB)
_CHUNK = 1 << 16


def _temporary() -> IO[str]:
    return tempfile.TemporaryFile("w+", encoding="utf-8", newline="")


class Spool:
    """The menus' parts of one `check` report, written to temporary files as they come,
    or handed to `sink` as they come for the formats in `LIVE`."""

    def __init__(self, fmt: Format, sink: Callable[[str], None] | None = None) -> None:
        self.fmt = fmt
        self._sink = sink if fmt in LIVE else None
        self.count = 0
        self.failed = 0
        self._tests = self._failures = 0  # JUnit's totals
        # Closed by close(), which the command calls in a finally block. Markdown has two
        # parts per menu: its row in the table of menus, and its details after the table.
        self._file = _temporary()
        self._later = _temporary() if fmt is Format.MARKDOWN else None

    def add_verdict(self, v: Verdict) -> None:
        """Add one menu's part of the `check` report (nothing if rendering it fails)."""
        later = ""
        if self.fmt is Format.JSON:
            from ivraudit.report.json_report import check_item
            from ivraudit.report.safe import json_text

            text, separator = _indent(json_text(check_item(v))[:-1], "    "), ",\n"
        elif self.fmt is Format.GITHUB:
            from ivraudit.report.github import verdict_commands

            text, separator = verdict_commands(v), ""
        elif self.fmt is Format.JUNIT:
            from ivraudit.report.junit import SUITE_SEPARATOR, suite_xml

            text, tests, failures = suite_xml(v)
            separator = SUITE_SEPARATOR
            self._tests += tests
            self._failures += failures
        elif self.fmt is Format.MARKDOWN:
            from ivraudit.report.markdown import menu_details, table_row

            text, separator = table_row(v) + "\n", ""
            later = "".join(line + "\n" for line in menu_details(v))
        else:
            from ivraudit.report.lines import verdict_lines

            text, separator = verdict_lines(v), ""
        if self._sink is not None:
            self._sink(text)  # a live format has no separators
        else:
            self._file.write(separator + text if self.count else text)
        if self._later is not None:
            self._later.write(later)
        self.count += 1
        self.failed += not v.passed

    def parts(self) -> Iterator[str]:
        """Yield the whole report in pieces, as `render_check` would write it (with a
        sink: what follows the parts the sink was given)."""
        if self.fmt is Format.JSON:
            yield f'{{\n  "passed": {json.dumps(self.failed == 0)},\n  "menus": '
            yield from self._list("  ")
            yield "\n}\n"
        elif self.fmt is Format.GITHUB:
            if self._sink is None:
                yield from _chunks(self._file)
        elif self.fmt is Format.JUNIT:
            from ivraudit.report.junit import junit_close, junit_open

            yield junit_open(self._tests, self._failures, self.count)
            yield from _chunks(self._file)
            yield junit_close(self.count)
        elif self.fmt is Format.MARKDOWN:
            yield from _one_final_newline(self._markdown())
        else:
            from ivraudit.report.lines import checked_line

            if self._sink is None:
                yield from _chunks(self._file)
            yield checked_line(self.count, self.failed) + "\n"

    def close(self) -> None:
        """Remove the temporary files."""
        self._file.close()
        if self._later is not None:
            self._later.close()

    def _list(self, closing: str) -> Iterator[str]:
        if not self.count:
            yield "[]"
            return
        yield "[\n"
        yield from _chunks(self._file)
        yield f"\n{closing}]"

    def _markdown(self) -> Iterator[str]:
        from ivraudit.report.markdown import markdown_head

        yield "".join(line + "\n" for line in markdown_head(self.count, self.failed))
        yield from _chunks(self._file)
        if self.count:
            yield "\n"  # the blank line after the table
        if self._later is not None:
            yield from _chunks(self._later)


def _chunks(file: IO[str]) -> Iterator[str]:
    file.seek(0)
    while chunk := file.read(_CHUNK):
        yield chunk


def _one_final_newline(parts: Iterator[str]) -> Iterator[str]:
    """Yield the text of `parts` ending in exactly one newline, as `text.rstrip("\\n") +
    "\\n"` would, without holding more than one part."""
    pending = ""  # newlines that end the text so far: kept only if more text follows
    for part in parts:
        body = part.rstrip("\n")
        if body:
            yield pending + body
            pending = part[len(body) :]
        else:
            pending += part
    yield "\n"


def _indent(text: str, indent: str) -> str:
    """Return dumped JSON nested one level deeper; JSON text holds no raw newline (strings
    escape it), so indenting each line is exact."""
    return "\n".join(indent + line for line in text.split("\n"))
