"""Abuses of the command line: each is one line on stderr and exit 2, the other paths
still run, nothing blocks, and a bug of ivraudit's own is reported as one, never exit 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ivraudit.audit
import ivraudit.format.files
import ivraudit.report.lines
from ivraudit.cli import main
from tests.conftest import FIXTURES, ROOT

CONTRACT = FIXTURES / "city_cabs_contract.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        ([], "missing argument 'PATHS...'"),
        ([str(CONTRACT), "--format", "xml"], "'xml' is not one of 'text', 'json'"),
        ([str(CONTRACT), "--bogus"], "--bogus"),
        ([str(CONTRACT), "--config", "no/such.yaml"], "'no/such.yaml' does not exist"),
    ],
    ids=["missing-argument", "bad-choice", "unknown-option", "missing-config"],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], phrase: str) -> None:
    """Click's own four lines (usage, hint, blank, error) become one; its wording varies."""
    result = run("score", *args)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("ivraudit score: error: ") and phrase in line
    assert line.endswith(" (see 'ivraudit score --help')")
    assert result.stdout == ""


def test_an_unknown_command_is_one_line() -> None:
    result = run("scroe")
    assert result.exit_code == 2
    assert result.stderr.startswith("ivraudit: error: no such command 'scroe'")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("flag", ["--select", "--extend-select", "--ignore"])
def test_an_empty_selection_is_refused(flag: str) -> None:
    for value in (",,,", "", " , "):
        result = run("check", str(CONTRACT), flag, value)
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f"ivraudit check: error: invalid value for '{flag}': names no rule "
            "(see 'ivraudit check --help')"
        ]


def test_a_missing_path_is_located_and_the_others_still_run() -> None:
    result = run("check", "no/such.yaml", str(CONTRACT))
    assert result.exit_code == 2
    assert result.stderr == "no/such.yaml:1:1: error: no such file or folder\n"
    assert "1 menu checked" in result.stdout


def test_a_folder_without_menus_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", str(tmp_path / "empty"), str(CONTRACT))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / 'empty'}:1:1: error: no menu files or platform exports in folder\n"
    )
    assert "1 menu checked" in result.stdout


def test_an_unreadable_file_is_one_line_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked.yaml"
    shutil.copy(CONTRACT, locked)
    real_open = open

    def guarded(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(ivraudit.format.files, "open", guarded, raising=False)
    result = run("check", str(locked), str(CONTRACT))
    assert result.exit_code == 2
    assert result.stderr == f"{locked}:1:1: error: cannot read file: Permission denied\n"
    assert "1 menu checked" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "menu.yaml"
    os.mkfifo(fifo)
    result = run("score", str(fifo), str(CONTRACT), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{fifo}:1:1: error: cannot read file: it is a named pipe, not a regular file\n"
    )
    assert "City Cabs" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_a_folder_is_reported_not_skipped(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    shutil.copy(CONTRACT, tmp_path / "cabs.yaml")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / 'pipe.yaml'}:1:1: error: cannot read file: it is a named pipe, "
        "not a regular file\n"
    )
    assert "1 menu checked" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="needs /dev/urandom")
def test_a_device_is_refused_without_reading_it() -> None:
    result = run("score", "/dev/urandom", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "/dev/urandom:1:1: error: cannot read file: it is a device, not a regular file",
        "/dev/zero:1:1: error: cannot read file: it is a device, not a regular file",
    ]


def test_a_file_over_the_size_cap_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ivraudit.format.loader

    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 2048)
    monkeypatch.setattr(ivraudit.format.loader, "MAX_BYTES", 1024)
    result = run("score", str(big))
    assert result.exit_code == 2
    assert result.stderr == f"{big}:1:1: error: file is larger than 1 KiB\n"


def _unprivileged() -> list[str] | None:
    """Return a command prefix under which file permissions apply, or None."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    # Root reads anything: drop the capabilities that let it, as a user would be.
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_unreadable_files_and_folders_are_reported_in_a_real_run(tmp_path: Path) -> None:
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("no way to run without the right to read everything")
    tree = tmp_path / "menus"
    for sub in ("ok", "locked"):
        (tree / sub).mkdir(parents=True)
        shutil.copy(CONTRACT, tree / sub / "m.yaml")
    shutil.copy(CONTRACT, tree / "secret.yaml")
    (tree / "secret.yaml").chmod(0)
    (tree / "locked").chmod(0)
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "ivraudit", "check", str(tree)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            timeout=120,
        )
    finally:
        (tree / "locked").chmod(0o755)
    if done.returncode != 2 and "Operation not permitted" in done.stderr:
        pytest.skip("setpriv may not change capabilities here")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"{tree / 'locked'}:1:1: error: cannot read folder: Permission denied",
        f"{tree / 'secret.yaml'}:1:1: error: cannot read file: Permission denied",
    ]
    assert "1 menu checked" in done.stdout


# -- bugs of ivraudit's own ------------------------------------------------------------


@pytest.fixture
def buggy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the score stage fail on the menu named 'Boom', as a bug would."""
    real = ivraudit.audit.score_audit

    def score_audit(metrics, findings, shares):  # type: ignore[no-untyped-def]
        if "boom" in shares:
            raise ZeroDivisionError("float division by zero")
        return real(metrics, findings, shares)

    monkeypatch.setattr(ivraudit.audit, "score_audit", score_audit)


def _boom(tmp_path: Path) -> Path:
    path = tmp_path / "boom.yaml"
    path.write_text(
        "ivraudit: 1\nname: Boom\nintents: {boom: 1}\nnodes:\n  a: {type: agent, handles: [boom]}\n"
    )
    return path


BUG_LINE = (
    "{file}:1:1: error: internal error (ZeroDivisionError: float division by zero); this is a "
    "bug in ivraudit {version}: please report it with the file (--debug shows the traceback)"
)


def test_an_internal_error_names_the_file_exits_2_and_spares_the_others(
    tmp_path: Path, buggy: None
) -> None:
    boom = _boom(tmp_path)
    for command in ("score", "check"):
        result = run(command, str(boom), str(CONTRACT))
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            BUG_LINE.format(file=boom, version=ivraudit.__version__)
        ]
        assert "City Cabs" in result.stdout or "city_cabs_contract" in result.stdout


def test_debug_shows_the_traceback(tmp_path: Path, buggy: None) -> None:
    result = run("--debug", "check", str(_boom(tmp_path)))
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: float division by zero" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("(--debug shows the traceback)")


def test_a_report_that_fails_to_render_loses_only_its_own_menu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One menu's lines (check renders menu by menu as the files come, batch/stream.py).
    real = ivraudit.report.lines.verdict_lines
    other = tmp_path / "other.yaml"
    shutil.copy(CONTRACT, other)

    def verdict_lines(v):  # type: ignore[no-untyped-def]
        if v.audit.file == str(other):
            raise KeyError("oops")
        return real(v)

    monkeypatch.setattr(ivraudit.report.lines, "verdict_lines", verdict_lines)
    result = run("check", str(other), str(CONTRACT))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{other}:1:1: error: internal error (KeyError: 'oops')")
    assert "1 menu checked" in result.stdout


def test_a_bug_exits_2_in_a_real_process(tmp_path: Path) -> None:
    """Through `run()`, the console script's entry: exit 2, never 1, and no traceback."""
    script = (
        "import sys, ivraudit.audit as a\n"
        "def boom(*args):\n"
        "    raise RuntimeError('bug')\n"
        "a.score_audit = boom\n"
        "from ivraudit.cli import run\n"
        "sys.argv = ['ivraudit', 'check', sys.argv[1]]\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(CONTRACT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"{CONTRACT}:1:1: error: internal error (RuntimeError: bug)")
    assert "Traceback" not in done.stderr
