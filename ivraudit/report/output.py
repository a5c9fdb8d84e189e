"""Write a report whole or not at all, where the user asked, as other tools would."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

# Paths that name a stream, not a file to replace: /dev/stdout, /dev/null, /proc/self/fd/1.
_STREAM_FOLDERS = ("/dev/", "/proc/")


def write_output(text: str | Iterable[str], path: str | Path, *, in_folder: bool = False) -> None:
    """Write `text` (or its parts, in order: a report too large to hold) to `path` ('-' for
    standard output) whole or not at all.

    A file is written beside itself and renamed into place: a new one gets the
    permissions the umask allows, an existing one keeps its own, and a symbolic link is
    followed, so the link stays and the file it names is replaced. A device or a pipe
    (/dev/stdout) cannot be replaced and is written directly.

    `in_folder`: `path` is a file ivraudit names inside an output folder (a report's
    page), not one the user named. Whatever is there already, a link included, is
    replaced by the new file, and nothing is ever written through it."""
    parts = [text] if isinstance(text, str) else text
    if str(path) == "-":
        for part in parts:
            _write_stdout(part)
        return
    target = Path(path)
    if in_folder:
        _replace_in_folder(parts, target)
        return
    try:
        info = os.stat(target)  # follows symbolic links
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if (info is not None and not stat.S_ISREG(info.st_mode)) or str(target).startswith(
        _STREAM_FOLDERS
    ):
        with open(target, "wb") as handle:
            for part in parts:
                handle.writelines(_encoded(part, "utf-8"))
        return
    real = Path(os.path.realpath(target))
    _write_beside(parts, real, stat.S_IMODE(info.st_mode) if info is not None else None)


def _replace_in_folder(parts: Iterable[str], target: Path) -> None:
    """Write `target` as a new file renamed over whatever is there: a file planted in an
    output folder (a link to ../outside/victim, a named pipe, a hard link) loses its
    name to the report, and what it points at is left as it was."""
    try:
        info = os.lstat(target)  # the entry itself, never what a link names
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    # rename(2) replaces the entry `target`, not a file it links to; a regular file that
    # was there keeps its permissions, as with a named -o FILE.
    regular = info is not None and stat.S_ISREG(info.st_mode)
    _write_beside(parts, target, stat.S_IMODE(info.st_mode) if info and regular else None)


def _write_beside(parts: Iterable[str], target: Path, mode: int | None) -> None:
    """Write `parts` to a new file beside `target` and rename it to `target` (with `mode`
    if given), removing the new file if anything fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = _new_file(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.writelines(_encoded(part, "utf-8"))
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file(beside: Path) -> tuple[Path, int]:
    """Create a hidden temporary file next to `beside`, mode 0666 less the umask."""
    while True:
        token = os.urandom(4).hex()
        tmp = beside.with_name(f".{beside.name}.{token}.tmp")
        if len(os.fsencode(tmp.name)) > _NAME_MAX:  # the target's own name is near the limit
            tmp = beside.with_name(f".ivraudit-{token}.tmp")
        try:
            # O_EXCL: never write through a file or link someone else put there.
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


_BINARY = getattr(os, "O_BINARY", 0)
_NAME_MAX = 255  # bytes in a file name, on every file system in common use


def _write_stdout(text: str) -> None:
    """Write to standard output in its encoding, showing what it cannot hold as '?'."""
    out = sys.stdout
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a stream with no bytes beneath it (an IDE's console)
        out.write(text)
        out.flush()
        return
    for chunk in _encoded(text, out.encoding or "utf-8"):
        buffer.write(chunk)  # not writelines: a wrapped stream (a test's) may copy writes only
    buffer.flush()


def _encoded(text: str, encoding: str) -> Iterable[bytes]:
    """Return `text` encoded a slice at a time, what the encoding cannot hold as '?': a
    large report is never held twice, as text and as bytes."""
    step = 1 << 20
    return (text[i : i + step].encode(encoding, "replace") for i in range(0, len(text), step))
