"""The progress bar: on a terminal's stderr only, erased at the end, never in a report;
and `check` prints each menu's verdict as soon as it is checked."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ivraudit.batch
from ivraudit.cli import main, progress
from tests.conftest import ROOT

MENUS = sorted((ROOT / "menus").glob("*.yaml"))
BAD = "ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n"
# What the bar writes: control sequences, carriage returns, new lines and text.
TOKENS = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+")


def screen(written: str) -> list[str]:
    """Return the lines a terminal shows after `written`: a small emulator of what rich's
    transient bar uses (carriage return, cursor up, erase line); colours are dropped."""
    lines, row, col = [""], 0, 0
    for token in TOKENS.finditer(written):
        text = token.group(0)
        if text == "\r":
            col = 0
        elif text == "\n":
            row, col = row + 1, 0
            lines += [""] * (row + 1 - len(lines))
        elif token.group(2) == "A":
            row = max(0, row - int(token.group(1) or 1))
        elif token.group(2) == "K":
            lines[row] = ""
        elif token.group(2) is None:
            line = lines[row].ljust(col)
            lines[row] = line[:col] + text + line[col + len(text) :]
            col += len(text)
    while lines and not lines[-1]:
        lines.pop()
    return lines


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three menus and a bad file."""
    found = tmp_path / "menus"
    found.mkdir()
    for path in MENUS[:3]:
        shutil.copy(path, found / path.name)
    (found / "bad.yaml").write_text(BAD, "utf-8")
    return found


@pytest.fixture
def bar_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stderr is a terminal, and draw the bar at once rather than after a second."""
    monkeypatch.setattr(progress, "wanted", lambda stream, files: files > 1)
    monkeypatch.setattr(progress, "DELAY", 0)


def test_a_bar_only_on_a_terminal_that_redraws_for_many_files() -> None:
    leader, follower = os.openpty()
    with open(follower, "w") as tty, open(os.devnull, "w") as null:
        assert progress.wanted(tty, 2, {"TERM": "xterm"})
        assert progress.wanted(tty, 2, {"NO_COLOR": "1"})  # plain, but still a bar
        assert not progress.wanted(tty, 1, {"TERM": "xterm"})
        assert not progress.wanted(tty, 2, {"TERM": "dumb"})
        assert not progress.wanted(null, 2, {"TERM": "xterm"})
    os.close(leader)


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "--format", "github"],
        ["check", "--format", "json"],
        ["check", "-j", "2"],
        ["score"],
        ["suggest"],
    ],
    ids=" ".join,
)
def test_the_bar_leaves_the_output_as_it_was(
    folder: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    plain = runner.invoke(main, [*command, str(folder)])
    monkeypatch.setattr(progress, "wanted", lambda stream, files: files > 1)
    monkeypatch.setattr(progress, "DELAY", 0)
    shown = runner.invoke(main, [*command, str(folder)])
    assert shown.exit_code == plain.exit_code == 2  # the bad file
    assert shown.stdout == plain.stdout
    if command[0] == "score":  # not a command with a bar
        assert shown.stderr == plain.stderr
        return
    assert "auditing" in shown.stderr and "\x1b[" in shown.stderr  # the bar was drawn
    # On the screen, stderr's lines are whole (the bar was taken off before each), and
    # the bar is gone at the end.
    assert screen(shown.stderr) == plain.stderr.splitlines()


def test_the_bar_never_reaches_a_report_file(
    folder: Path, tmp_path: Path, bar_at_once: None
) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    for args in (
        ["check", "--format", "sarif", "-o", f"{out}/r.sarif"],
        ["check", "-o", f"{out}/r.txt"],
        ["report", "-o", f"{out}/site"],
        ["suggest", "--format", "markdown", "-o", f"{out}/s.md"],
    ):
        result = runner.invoke(main, [*args, str(folder)])
        assert result.exit_code == 2, result.output
        assert "\x1b[" in result.stderr and not result.stdout
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) == 3 + 4  # three reports, and the index and 3 pages of the site
    for path in written:
        text = path.read_text("utf-8")
        assert "\x1b" not in text and "auditing" not in text


def test_no_bar_when_stderr_is_not_a_terminal(folder: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert "\x1b" not in result.stderr and "auditing" not in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_prints_each_verdict_as_its_menu_is_checked(
    folder: Path, jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the next menu's outcome is asked for, the verdicts of all the menus before
    it are on standard output already, in file order."""
    real = ivraudit.batch.audit_files
    printed: list[str] = []

    def audit_files(*args, **kwargs):  # type: ignore[no-untyped-def]
        for outcome in real(*args, **kwargs):
            printed.append(sys.stdout.buffer.getvalue().decode("utf-8"))
            yield outcome

    monkeypatch.setattr(ivraudit.batch, "audit_files", audit_files)
    result = CliRunner().invoke(main, ["check", "-j", jobs, str(folder)])
    assert result.exit_code == 2
    good = sorted(p.name for p in folder.iterdir() if p.name != "bad.yaml")
    assert len(printed) == 4  # bad.yaml first, then the three menus
    for seen, names in zip(printed[1:], ([], good[:1], good[:2]), strict=True):
        verdicts = [v for v in seen.splitlines() if ": score " in v and v[0] != " "]
        assert [Path(v.split(":")[0]).name for v in verdicts] == names
    assert result.stdout.splitlines()[-1].startswith("3 menus checked, ")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_real_terminal_on_stderr_gets_nothing_into_stdout(tmp_path: Path) -> None:
    """The program itself, with stderr on a pseudo-terminal (as in a shell) and stdout a
    pipe: stdout is byte for byte what it is without a terminal."""
    for i in range(3):
        for path in MENUS:
            shutil.copy(path, tmp_path / f"{path.stem}_{i}.yaml")
    args = [sys.executable, "-m", "ivraudit", "check", "-j", "2", str(tmp_path)]
    env = {**os.environ, "COLUMNS": "80", "TERM": "xterm"}
    plain = subprocess.run(args, capture_output=True, env=env, timeout=300)
    leader, follower = os.openpty()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    assert process.stdout is not None
    got = {process.stdout.fileno(): b"", leader: b""}
    open_ = list(got)
    while open_:  # read both, so that neither blocks the program
        ready, _, _ = select.select(open_, [], [], 300)
        if not ready:
            process.send_signal(signal.SIGKILL)
            pytest.fail("no output for 300 s")
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal's other end is closed
                chunk = b""
            got[fd] += chunk
            if not chunk:
                open_.remove(fd)
    process.wait(timeout=300)
    os.close(leader)
    assert process.returncode == plain.returncode == 1  # telecom_hell fails
    assert got[process.stdout.fileno()] == plain.stdout
    shown = got[leader].decode("utf-8").replace("\r\n", "\n")  # the terminal's new lines
    assert "Traceback" not in shown
    assert screen(shown) == plain.stderr.decode("utf-8").splitlines()
