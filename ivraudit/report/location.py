"""How reports name a menu file: as the user gave it, relative paths with forward slashes."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath


def is_absolute(path: str) -> bool:
    """Return whether `path` is absolute on POSIX or on Windows."""
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def display_path(path: str) -> str:
    """Return `path` for a report: absolute ones as given, relative ones as `a/b.yaml`."""
    if is_absolute(path):
        return path
    # Backslashes only separate folders on Windows; reports must read the same everywhere.
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:].lstrip("/")
    return posix
