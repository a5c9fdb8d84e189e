"""`-o FILE`: the whole report or nothing, where the user asked, with normal permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.report import output, write_output
from tests.conftest import FIXTURES

CONTRACT = FIXTURES / "city_cabs_contract.yaml"
posix_only = pytest.mark.skipif(os.name != "posix", reason="modes and links as on POSIX")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@posix_only
def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "sub" / "report.json"
    result = CliRunner().invoke(
        main, ["score", str(CONTRACT), "--format", "json", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert _mode(target) == 0o644  # 0666 less the umask; it was 0600 from mkstemp
    os.umask(0o077)
    write_output("x", tmp_path / "private.txt")
    assert _mode(tmp_path / "private.txt") == 0o600


@posix_only
def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o664)
    write_output("new", target)
    assert target.read_text() == "new" and _mode(target) == 0o664


@posix_only
def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "real.txt"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_output("new", link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.txt"]  # no temp file left


@posix_only
def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    write_output("new", link)
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "new"


@posix_only
def test_a_device_is_written_directly_not_replaced(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(CONTRACT), "-o", "/dev/null"])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@posix_only
def test_a_named_pipe_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so opening it to write won't block
    try:
        write_output("through the pipe\n", fifo)
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(CONTRACT), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: error: cannot write the report: it is a folder\n"


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    result = CliRunner().invoke(main, ["score", str(CONTRACT), "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{target}: error: cannot write the report: No space left")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
