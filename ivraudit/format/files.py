"""Read input files safely: regular files only, within a size cap, named printably."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import field
from pathlib import Path

from ivraudit.format.errors import MenuError
from ivraudit.format.text import one_line
from ivraudit.frozen import frozen

# `-` among the paths reads standard input; this names it in messages without a
# --stdin-filename (as Python, ruff and yamllint call it).
STDIN = "-"
STDIN_NAME = "<stdin>"
# The file name endings of our own menu format (YAML or JSON).
MENU_SUFFIXES = (".yaml", ".yml", ".json")

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def shown(path: str | os.PathLike[str]) -> str:
    """Return a path as text that can be printed: bytes that are not UTF-8 become U+FFFD
    (Python keeps them as lone surrogates, which no output can encode), and control
    characters, which a file name may hold, are shown as escapes."""
    return one_line(os.fsencode(path).decode("utf-8", "replace"))


def read_file(path: str | Path, limit: int, source: str | None = None, what: str = "file") -> bytes:
    """Return the bytes of the regular file at `path`, refusing anything else or over `limit`.

    A named pipe or a device would block or never end, so the type and size are checked
    before anything is read; `source` names the file in errors."""
    source = source if source is not None else shown(path)

    def check(info: os.stat_result) -> None:
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise MenuError(source, 1, 1, f"cannot read {what}: it is {kind}, not a regular file")
        if info.st_size > limit:
            raise MenuError(source, 1, 1, f"{what} is larger than {_size(limit)}")

    try:
        # Checked before opening (opening a device can do things), and again on what was
        # opened: a pipe put in the file's place in between is caught, and O_NONBLOCK
        # keeps opening such a pipe from waiting for a writer that never comes.
        check(os.stat(path))
        with open(path, "rb", opener=_nonblocking) as handle:
            check(info := os.fstat(handle.fileno()))
            # read(n) sets n bytes aside first: ask for the size the file says, then go on
            # in pieces (files under /proc say 0, files grow), never past the cap.
            chunks = [handle.read(info.st_size + 1)]
            total = len(chunks[0])
            while total <= limit and len(chunks[-1]) > 0 and total > info.st_size:
                chunks.append(handle.read(min(1 << 20, limit + 1 - total)))
                total += len(chunks[-1])
            data = b"".join(chunks)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MenuError(source, 1, 1, f"cannot read {what}: {message}") from None
    if len(data) > limit:
        raise MenuError(source, 1, 1, f"{what} is larger than {_size(limit)}")
    return data


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, where opening a pipe never waits


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | _NONBLOCK)


def _size(limit: int) -> str:
    mib = limit / (1024 * 1024)
    return f"{mib:g} MiB" if mib >= 1 else f"{limit // 1024} KiB"


@frozen
class Piped:
    """A file read from standard input (`-`): its bytes and the name it goes by in
    messages and reports (--stdin-filename, else `<stdin>`)."""

    name: str
    data: bytes = field(repr=False)

    @property
    def path(self) -> Path:
        """Return the name as a path: where its configuration is looked for."""
        return Path(self.name)


def read_stdin(limit: int, name: str = STDIN_NAME) -> Piped:
    """Return standard input read to its end, refusing more than `limit` bytes (it is
    read in pieces, so an endless stream stops at the cap)."""
    name = shown(Path(name))  # as a file's name is shown: `./a.yaml` is `a.yaml`
    source = name
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - closed (python -c ... <&-) or no bytes beneath
        raise MenuError(source, 1, 1, "cannot read standard input: it is closed")
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= limit:
            chunk = stream.read(min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except (OSError, ValueError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MenuError(source, 1, 1, f"cannot read standard input: {message}") from None
    if total > limit:
        raise MenuError(source, 1, 1, f"standard input is larger than {_size(limit)}")
    return Piped(name, b"".join(chunks))


def json_named_or_shaped(name: str, data: bytes) -> bool:
    """Return whether text read from standard input is JSON: by its name's extension
    when it has a menu's, else by its first character (`{` or `[`)."""
    suffix = Path(name).suffix.lower()
    if suffix in MENU_SUFFIXES:
        return suffix == ".json"
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
