"""A progress bar on standard error while the command works through many files.

The bar is rich's, transient (erased when the work ends) and drawn only after a second,
so a quick run never flashes one. It goes to standard error and only when that is a
terminal that can redraw a line (not TERM=dumb), so it never reaches standard output, a
pipe or a file. What the command prints while the bar may be on screen goes through
`quiet()`, which takes the bar off first and puts it back after. There is one bar per
run (module state, as click's current context) from `start()` to `end()`, which the
command group also calls whenever a command ends; `task`, `advance` and `quiet` do
nothing when there is none.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from ivraudit.report.colour import cursor_ok

if TYPE_CHECKING:
    from rich.progress import TaskID

# Seconds before the bar is drawn: a run that ends sooner shows none.
DELAY = 1.0

_bar: _Bar | None = None


def wanted(stream: IO[str], files: int, environ: Mapping[str, str] | None = None) -> bool:
    """Return whether a bar belongs on `stream` for a run over `files` files: more than
    one file, and a terminal that can redraw a line (not TERM=dumb)."""
    return files > 1 and cursor_ok(stream, environ)


def start(files: int, description: str = "auditing") -> None:
    """Show a bar on standard error, when `wanted`, until `end()` (one at a time)."""
    global _bar
    if _bar is None and wanted(sys.stderr, files):
        _bar = _Bar(sys.stderr, description, files)


def end() -> None:
    """Erase the bar, if one is shown, before the command writes its report or leaves."""
    global _bar
    bar, _bar = _bar, None
    if bar is not None:
        bar.close()


def task(description: str, total: int) -> None:
    """Count a new stage of the work: `total` items, described as `description`."""
    if _bar is not None:
        _bar.task(description, total)


def advance() -> None:
    """Count one item of the current stage as done."""
    if _bar is not None:
        _bar.advance()


@contextmanager
def quiet() -> Iterator[None]:
    """Take the bar off the screen while the block writes to the terminal."""
    if _bar is None:
        yield
        return
    with _bar.quiet():
        yield


class _Bar:
    """rich's transient progress display, drawn after `DELAY` seconds."""

    def __init__(self, stream: IO[str], description: str, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        # One lock for the screen: the timer's thread draws the bar, the command writes.
        self._lock = threading.RLock()
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            # wanted() said it is a terminal; rich would not redraw a stream it doubts.
            console=Console(file=stream, force_terminal=True),
            transient=True,
            # Standard output stays the command's: a redirected stream would send the
            # report to standard error when only standard error is a terminal.
            redirect_stdout=False,
            redirect_stderr=False,
            refresh_per_second=4,
        )
        self._task: TaskID = self._progress.add_task(description, total=total)
        self._due = self._on_screen = self._closed = False
        self._hiding = 0
        self._timer = threading.Timer(DELAY, self._show)
        self._timer.daemon = True  # never keeps the program alive
        if DELAY > 0:
            self._timer.start()
        else:
            self._show()

    def task(self, description: str, total: int) -> None:
        with self._lock:
            self._progress.reset(self._task, total=total, description=description)

    def advance(self) -> None:
        with self._lock:
            self._progress.advance(self._task)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        with self._lock:
            self._hiding += 1
            try:
                if self._on_screen:
                    self._progress.stop()  # transient: erased, the cursor where it began
                    self._on_screen = False
                yield
            finally:
                self._hiding -= 1
                self._draw()

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._on_screen:
                self._progress.stop()
                self._on_screen = False

    def _show(self) -> None:
        with self._lock:
            self._due = True
            self._draw()

    def _draw(self) -> None:
        if self._due and not (self._on_screen or self._hiding or self._closed):
            self._progress.start()
            self._on_screen = True
