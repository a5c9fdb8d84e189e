"""Write a report whole or not at all, where the user asked, as other tools would."""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

# Paths that name a stream, not a file to replace: /dev/stdout, /dev/null, /proc/self/fd/1.
_STREAM_FOLDERS = ("/dev/", "/proc/")


def write_output(text: str | Iterable[str], path: str | Path) -> None:
    """Write `text` (or its parts, in order: a report too large to hold) to `path` ('-' for
    standard output) whole or not at all.

    A file is written beside itself and renamed into place: a new one gets the
    permissions the umask allows, an existing one keeps its own, and a symbolic link is
    followed, so the link stays and the file it names is replaced. A device or a pipe
    (/dev/stdout) cannot be replaced and is written directly."""
    parts = [text] if isinstance(text, str) else text
    if str(path) == "-":
        for part in parts:
            _write_stdout(part)
        return
    target = Path(path)
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
    real.parent.mkdir(parents=True, exist_ok=True)
    tmp, fd = _new_file(real)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.writelines(_encoded(part, "utf-8"))
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, real)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file(beside: Path) -> tuple[Path, int]:
    """Create a hidden temporary file next to `beside`, mode 0666 less the umask."""
    while True:
        tmp = beside.with_name(f".{beside.name}.{secrets.token_hex(4)}.tmp")
        try:
            # O_EXCL: never write through a file or link someone else put there.
            return tmp, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue


_BINARY = getattr(os, "O_BINARY", 0)


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
