"""Find the menus that command-line paths name, as linters find the files they check.

A file named is read as it is; `-` is standard input; a folder is walked for menus and
platform exports, leaving out what git ignores (`git ls-files`, or the folder's
.gitignore files when git cannot say), hidden files and folders, folders of installed
packages, and what `--exclude` patterns match. While walking, a YAML or JSON file that
is neither a menu (no `ivraudit:` key) nor an export an importer recognises (a CI
workflow, a schema, a preset) is skipped and counted, never reported as an error.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import field
from functools import cache
from pathlib import Path

from ivraudit.format.errors import MenuError
from ivraudit.format.files import (
    MENU_SUFFIXES,
    STDIN,
    STDIN_NAME,
    Piped,
    read_file,
    read_stdin,
    shown,
)
from ivraudit.frozen import frozen

# Folders of installed or built code, skipped when walking as ruff skips them by default;
# hidden ones (.git, .venv, .tox) are skipped for being hidden.
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "venv", "__pypackages__", "site-packages", "__pycache__", "buck-out"}
)


@frozen
class Found:
    """What the paths name: the inputs to audit in order (files, and standard input read
    once), an error line per path that cannot be read, and notes on files skipped."""

    inputs: tuple[Path | Piped, ...]
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@frozen
class Pattern:
    """One exclusion pattern, gitignore-like: without a slash it matches a file or folder
    name at any depth (`drafts`, `*.json`); with one, a path from where it applies
    (`menus/old/*.yaml`, `**/drafts`); a trailing slash matches folders only; a leading
    `!` (in a .gitignore) takes a path back in."""

    text: str
    base: tuple[str, ...] = ()  # the folder it applies under, as path parts
    negated: bool = False
    folders_only: bool = False
    anchored: bool = False
    regex: re.Pattern[str] = field(default=re.compile(""), repr=False, compare=False)

    @classmethod
    def parse(cls, text: str, base: tuple[str, ...] = ()) -> Pattern | None:
        """Return the pattern a line states, or None for a blank line or a comment."""
        raw = text.rstrip("\n\r")
        if not raw.strip() or raw.startswith("#"):
            return None
        negated = raw.startswith("!")
        body = raw[1:] if negated else raw
        body = body.rstrip(" ") if not body.endswith("\\ ") else body
        folders_only = body.endswith("/")
        body = body.rstrip("/")
        while body.startswith("./"):
            body = body[2:]
        anchored = "/" in body
        body = body.lstrip("/")
        if not body:
            return None
        return cls(text, base, negated, folders_only, anchored, _glob(body))

    def matches(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        """Return whether the path `parts` (a file, or a folder when `is_dir`) matches."""
        if self.folders_only and not is_dir:
            return False
        if self.base:
            if parts[: len(self.base)] != self.base:
                return False
            parts = parts[len(self.base) :]
        if not parts:
            return False
        if not self.anchored:
            return self.regex.match(parts[-1]) is not None
        return self.regex.match("/".join(parts)) is not None


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """Return the regex of a glob: `*` and `?` within a name, `**` across folders,
    `[abc]` and `[!abc]` a character class."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) > i:
            inside = pattern[i + 1 : end]
            inside = "^" + inside[1:] if inside.startswith("!") else inside
            out.append("[" + inside.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def excluded(patterns: Sequence[Pattern], parts: tuple[str, ...], is_dir: bool) -> bool:
    """Return whether the last pattern that matches the path, or a folder above it,
    excludes it (a `!` pattern takes it back in, as in .gitignore)."""
    for depth in range(1, len(parts) + 1):
        state = None
        for pattern in patterns:
            if pattern.matches(parts[:depth], is_dir or depth < len(parts)):
                state = not pattern.negated
        if state:
            return True
    return False


def _parts(path: Path) -> tuple[str, ...]:
    """Return a path's parts relative to the current folder when it is below it (where
    --exclude patterns apply), without `.`."""
    if path.is_absolute():
        with contextlib.suppress(ValueError):  # elsewhere: matched as it is
            path = path.relative_to(Path.cwd())
    return tuple(p for p in path.parts if p not in (".", ""))


def find_menus(
    paths: Iterable[str],
    *,
    exclude: Sequence[str] = (),
    stdin_name: str | None = None,
    skip_named: bool = False,
    limit: int | None = None,
) -> Found:
    """Return the inputs `paths` name, in order: files as named (with `skip_named`, a
    YAML or JSON file that is not a menu is left out, as pre-commit names every YAML
    file), folders walked and sorted, `-` standard input read once (up to `limit`
    bytes) under `stdin_name`. `exclude` patterns apply to files named and found."""
    from ivraudit.format.yamltree import MAX_BYTES

    patterns = [p for text in exclude if (p := Pattern.parse(text)) is not None]
    inputs: list[Path | Piped] = []
    problems: list[str] = []
    notes: list[str] = []
    named_skipped = 0
    for raw in paths:
        if raw == STDIN:
            try:
                inputs.append(
                    read_stdin(MAX_BYTES if limit is None else limit, stdin_name or STDIN_NAME)
                )
            except MenuError as exc:
                problems.append(str(exc))
            continue
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as exc:  # a folder on the way that cannot be entered
            problems.append(f"{shown(raw)}:1:1: error: cannot read: {exc.strerror or exc}")
            continue
        if not exists:
            problems.append(f"{shown(raw)}:1:1: error: no such file or folder")
        elif is_dir:
            if patterns and excluded(patterns, _parts(path), True):
                continue
            found, unreadable, skipped = folder_menus(path, patterns)
            problems += unreadable
            if skipped:
                notes.append(
                    f"{shown(raw)}: note: skipped {skipped} file(s) that are neither menus "
                    "nor platform exports"
                )
            if not found and not unreadable:
                problems.append(
                    f"{shown(raw)}:1:1: error: no menu files or platform exports in folder"
                )
            inputs.extend(found)
        elif patterns and excluded(patterns, _parts(path), False):
            continue
        elif skip_named and path.suffix.lower() in MENU_SUFFIXES and _is_menu(path) is False:
            named_skipped += 1
        else:
            inputs.append(path)  # the loader refuses what is not a regular file
    if named_skipped:
        notes.append(f"note: skipped {named_skipped} named file(s) that are not menus")
    return Found(tuple(inputs), tuple(problems), tuple(notes))


def _is_menu(path: Path) -> bool | None:
    """Return whether a file is a menu or an export, by its content; None when it cannot
    be read as text or is not a regular file (reading it then reports why)."""
    from ivraudit.format.yamltree import MAX_BYTES, decode
    from ivraudit.importers import declares_own, is_menu_text

    if not path.is_file():
        return None
    own = path.suffix.lower() in MENU_SUFFIXES
    if own:
        # A menu says `ivraudit: 1` near its top: its first 64 KiB settle it without
        # reading a large file twice (the audit reads it again).
        try:
            with open(path, "rb") as handle:
                head = handle.read(_HEAD)
        except OSError:
            return None
        if declares_own(head.decode("utf-8", "ignore")):
            return True
    try:
        text = decode(read_file(path, MAX_BYTES, shown(path)), shown(path))
    except MenuError:
        return None
    # Only a YAML or JSON file may be our own format: a README quoting `ivraudit: 1`
    # is not a menu.
    return is_menu_text(text, own=own)


_HEAD = 64 * 1024


def folder_menus(
    folder: Path, patterns: Sequence[Pattern] = ()
) -> tuple[list[Path], list[str], int]:
    """Return the menu files under `folder`, sorted; an error line for each folder inside
    it that cannot be read; and how many files were skipped for not being menus."""
    listed = _git_files(folder)
    if listed is None:
        candidates, problems = _walk(folder, patterns)
    else:
        candidates, problems = [], []
        for rel in listed:
            if _hidden_or_skipped(rel[:-1]) or rel[-1].startswith("."):
                continue
            path = folder.joinpath(*rel)
            if patterns and excluded(patterns, _parts(path), False):
                continue
            candidates.append(path)
    found: list[Path] = []
    skipped = 0
    for path in candidates:
        menu_suffix = path.suffix.lower() in MENU_SUFFIXES
        if not menu_suffix and not path.is_file():
            continue  # a link to a folder, a submodule, a socket: not for us
        kind = _is_menu(path)
        # A YAML or JSON file that cannot be read is reported when read (a named pipe
        # called x.yaml, a file too large), as when it is named on the command line.
        if kind or (kind is None and menu_suffix):
            found.append(path)
        else:
            skipped += 1
    return sorted(found), sorted(problems), skipped


def _hidden_or_skipped(folders: tuple[str, ...]) -> bool:
    return any(name.startswith(".") or name in SKIPPED_FOLDERS for name in folders)


def _git_files(folder: Path) -> list[tuple[str, ...]] | None:
    """Return the files under `folder` that git tracks or would track (not ignored), as
    path parts below it; None when git is not installed, the folder is not in a work
    tree, or git ignores the folder itself (it was named: it is read as it is)."""
    import subprocess  # only to walk a folder

    try:
        done = subprocess.run(
            [
                "git",
                "-C",
                str(folder),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
                "--",
                ".",
            ],
            capture_output=True,
            check=False,
        )
    except (OSError, ValueError):  # no git, or a path git cannot be given
        return None
    if done.returncode != 0:
        return None
    names = [n for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    if not names and _git_ignores(folder):
        return None
    # `--cached` lists files deleted from the work tree but not from the index.
    return sorted(
        {tuple(n.split("/")) for n in names if os.path.lexists(folder.joinpath(*n.split("/")))}
    )


def _git_ignores(folder: Path) -> bool:
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "check-ignore", "-q", "."], capture_output=True, check=False
        )
    except (OSError, ValueError):
        return False
    return done.returncode == 0


def _walk(folder: Path, patterns: Sequence[Pattern]) -> tuple[list[Path], list[str]]:
    """Return the files under `folder` that are not hidden, excluded or ignored by a
    .gitignore file inside it, and an error line per folder that cannot be listed."""
    problems: list[str] = []
    files: list[Path] = []
    top_parts = _parts(folder)
    ignores: dict[tuple[str, ...], list[Pattern]] = {}  # by folder, below `folder`

    def unreadable(exc: OSError) -> None:
        name = shown(exc.filename) if exc.filename is not None else shown(folder)
        problems.append(f"{name}:1:1: error: cannot read folder: {exc.strerror or exc}")

    # os.walk reports folders it cannot list (rglob skips them silently) and does not
    # follow links to folders, so a link loop cannot make the walk endless.
    for top, dirs, names in os.walk(folder, onerror=unreadable):
        here = Path(top)
        rel = here.relative_to(folder).parts
        # Each folder's .gitignore adds to those of the folders above it.
        rules = (
            [*ignores.get(rel[:-1], []), *_gitignore(here, rel)] if rel else _gitignore(here, rel)
        )
        ignores[rel] = rules
        kept = []
        for d in sorted(dirs):
            sub = (*rel, d)
            if d.startswith(".") or d in SKIPPED_FOLDERS or excluded(rules, sub, True):
                continue
            if patterns and excluded(patterns, (*top_parts, *sub), True):
                continue
            kept.append(d)
        dirs[:] = kept
        for name in names:
            sub = (*rel, name)
            if name.startswith(".") or excluded(rules, sub, False):
                continue
            if patterns and excluded(patterns, (*top_parts, *sub), False):
                continue
            files.append(here / name)
    return files, problems


def _gitignore(folder: Path, base: tuple[str, ...]) -> list[Pattern]:
    """Return the patterns of the .gitignore file in `folder` (none if there is none or
    it cannot be read), applying below `base`."""
    try:
        data = read_file(folder / ".gitignore", 1 << 20, what=".gitignore")
    except MenuError:
        return []
    lines = data.decode("utf-8", "replace").splitlines()
    return [p for line in lines if (p := Pattern.parse(line, base)) is not None]
