"""Ctrl-C: exit 130 with `ivraudit: interrupted`, no traceback, no process left behind,
no report written half-way; and `-j` never starts more workers than CPUs or files."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import ivraudit.batch
import ivraudit.report.stream
from ivraudit.batch import audit_files, available_cpus, worker_count
from ivraudit.cli import main
from tests.conftest import ROOT

MENUS = sorted((ROOT / "menus").glob("*.yaml"))
HANG_GUARD = 60  # seconds: only for a run that would never end


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A folder of 280 menus: many seconds of work at -j 2 for every command that suggests
    (SARIF, which does not, takes about one), so a run is always interrupted."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        for path in MENUS:
            shutil.copy(path, folder / f"{path.stem}_{i:02}.yaml")
    return folder


def _group(pgid: int) -> list[str]:
    """Return a description of each process still in process group `pgid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name, _, rest = stat.rpartition(")")
        fields = rest.split()
        if int(fields[2]) == pgid:  # state, ppid, pgrp
            found.append(f"{entry} {name.partition('(')[2]} state {fields[0]}")
    return found


def _as_a_shell_starts_it() -> None:
    """Give the command Ctrl-C as a shell does, whatever the test process does with it (a
    command interrupted in-process ignores it as it leaves, and a child would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _interrupt(args: list[str], cwd: Path, after: float) -> tuple[int, str, list[str]]:
    """Run `python -m ivraudit ARGS` in a session of its own, wait until it has printed
    something (or a second), then `after` seconds, and send SIGINT to its process group
    as a terminal does; return its exit code, its stderr and what is left of the group."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ivraudit", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_as_a_shell_starts_it,
    )
    try:
        assert process.stdout is not None
        select.select([process.stdout], [], [], 1.0)
        time.sleep(after)
        if process.poll() is not None:
            pytest.fail(f"the run ended before it was interrupted: {process.communicate()}")
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=HANG_GUARD)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    left = _group(process.pid)
    for _ in range(100):  # a process being reaped may linger a moment
        if not left:
            break
        time.sleep(0.1)
        left = _group(process.pid)
    if left:
        os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, err.decode("utf-8", "replace"), left


def _assert_interrupted(code: int, err: str, left: list[str]) -> None:
    assert code == 130, err
    assert err.rstrip("\n").endswith("ivraudit: interrupted"), err
    assert err.count("ivraudit: interrupted") == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert not left, left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_ctrl_c_during_check_with_workers_ends_every_process(many: Path) -> None:
    """Interrupted at several moments (starting the workers, auditing, streaming), the run
    exits 130 with one line on stderr and leaves no worker behind."""
    for after in (0.0, 0.05, 0.2, 0.5, 1.0):
        code, err, left = _interrupt(["check", "-j", "2", str(many)], many, after)
        _assert_interrupted(code, err, left)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    "command",
    [
        ["check", "-j", "1"],
        ["check", "-j", "2", "--format", "json", "-o", "out/report.json"],
        ["score", "-j", "2", "-o", "out/scores.txt"],
        ["report", "-j", "2", "-o", "out"],
        ["suggest", "-j", "2", "--write-dir", "out"],
    ],
    ids=" ".join,
)
def test_ctrl_c_during_every_command_that_takes_jobs(many: Path, command: list[str]) -> None:
    code, err, left = _interrupt([*command, str(many)], many.parent, 0.3)
    _assert_interrupted(code, err, left)
    assert not (many.parent / "out").exists()  # nothing written, not even a temporary


def test_ctrl_c_while_a_report_is_written_leaves_no_file(
    many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report cut short while it is written is not left behind, whole or in part."""
    real = ivraudit.report.stream.Spool.parts

    def parts(self):  # type: ignore[no-untyped-def]
        for i, part in enumerate(real(self)):
            if i == 1:
                raise KeyboardInterrupt
            yield part

    monkeypatch.setattr(ivraudit.report.stream.Spool, "parts", parts)
    out = tmp_path / "out"
    out.mkdir()
    files = [str(p) for p in sorted(many.iterdir())[:3]]
    result = CliRunner().invoke(main, ["check", "--format", "junit", *files, "-o", f"{out}/r.xml"])
    assert result.exit_code == 130
    assert result.stderr.rstrip("\n").endswith("ivraudit: interrupted")
    assert list(out.iterdir()) == []


def test_ctrl_c_in_a_single_process_run_is_one_line(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def audit_one(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    real = ivraudit.batch.audit_one
    monkeypatch.setattr(ivraudit.batch, "audit_one", audit_one)
    files = [str(p) for p in sorted(many.iterdir())[:4]]
    for command in ("check", "score", "suggest"):
        calls.clear()
        result = CliRunner().invoke(main, [command, *files])
        assert result.exit_code == 130, command
        assert result.stderr.rstrip("\n").endswith("ivraudit: interrupted"), command
        assert "Traceback" not in result.stderr
        assert len(calls) == 2  # it stopped there


def test_workers_are_capped_at_the_cpus_and_the_files() -> None:
    cpus = available_cpus()
    assert worker_count(10_000, 503) == min(cpus, 503)
    assert worker_count(0, 503) == min(cpus, 503)
    assert worker_count(10_000, 1) == 1
    assert worker_count(2, 0) == 1
    assert worker_count(1, 50) == 1
    if hasattr(os, "sched_getaffinity"):
        assert cpus == len(os.sched_getaffinity(0))


def test_a_huge_jobs_count_starts_no_more_workers_than_cpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent import futures

    started = []
    real = futures.ProcessPoolExecutor

    def pool(workers, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(ivraudit.batch, "available_cpus", lambda: 2)
    for path in MENUS:
        shutil.copy(path, tmp_path / path.name)
    runner = CliRunner()
    one = runner.invoke(main, ["check", str(tmp_path)])
    many = runner.invoke(main, ["check", "-j", "10000", str(tmp_path)])
    assert many.exit_code == one.exit_code == 1  # telecom_hell fails the gate
    assert many.stdout == one.stdout and many.stderr == one.stderr
    assert started == [2]  # 2 CPUs here, 7 files


def test_help_says_how_workers_are_capped() -> None:
    result = CliRunner().invoke(main, ["check", "--help"], terminal_width=200)
    assert "at most one per available CPU and one per file" in result.stdout
    assert "(0: one per CPU)" in result.stdout


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
@pytest.mark.skipif(available_cpus() < 2, reason="one CPU: -j 2 runs in one process")
def test_workers_ignore_ctrl_c_and_are_ended_when_the_run_stops(many: Path) -> None:
    """The workers leave Ctrl-C to the parent; a run stopped early (Ctrl-C in the parent,
    or a consumer that stops) ends them at once rather than waiting for their audits."""
    import multiprocessing

    from ivraudit.importers import sources

    run = audit_files(sources(sorted(many.iterdir())), jobs=2)
    next(run)
    workers = multiprocessing.active_children()
    assert len(workers) == 2
    for worker in workers:
        status = dict(
            line.split(":\t", 1)
            for line in Path(f"/proc/{worker.pid}/status").read_text().splitlines()
        )
        # Ignored, or still blocked until the worker's first step ignores it.
        held = int(status["SigIgn"], 16) | int(status["SigBlk"], 16)
        assert held & (1 << (signal.SIGINT - 1)), status["SigIgn"]
    run.close()
    # The pool's own thread may reap a worker at the same moment as `_stop` (both wait on
    # it); the exit code is then set by whichever wins, a moment later.
    deadline = time.monotonic() + 10
    while None in [w.exitcode for w in workers] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [w.exitcode for w in workers] == [-signal.SIGTERM] * 2  # ended, not finished
    assert multiprocessing.active_children() == []
