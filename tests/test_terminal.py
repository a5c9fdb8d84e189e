"""The command in a real terminal: a pseudo-terminal of a given size, colour on by default.

CliRunner's output is never a terminal, so these run the program itself on a pty, as a
person's shell would, and read what the terminal receives.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from ivraudit.cli import MIN_WIDTH
from tests.conftest import ROOT

CITY_CABS = "menus/city_cabs.yaml"
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def on_pty(args: list[str], columns: int, env_columns: str | None = None) -> tuple[int, str]:
    """Run `ivraudit ARGS` on a pty `columns` wide; return its exit code and what it printed."""
    try:
        import fcntl
        import select
        import struct
        import termios

        master, slave = os.openpty()
    except (ImportError, AttributeError, OSError) as exc:
        pytest.skip(f"no pseudo-terminal here: {exc}")
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**clean_env(), "TERM": "xterm-256color"}
    if env_columns is not None:
        env["COLUMNS"] = env_columns
    with subprocess.Popen(
        [sys.executable, "-m", "ivraudit", *args],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        close_fds=True,
    ) as proc:
        os.close(slave)
        chunks = []
        try:
            # A safety net against a hung child, not a timing assertion.
            while select.select([master], [], [], 120)[0]:
                chunk = os.read(master, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:  # EIO: the child closed the terminal
            pass
        finally:
            os.close(master)
        code = proc.wait(timeout=120)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def clean_env() -> dict[str, str]:
    """Return the environment without a terminal size or colour choice of the caller's.

    Passed explicitly: readline, once imported, may export COLUMNS behind os.environ's back.
    """
    drop = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR")
    return {k: v for k, v in os.environ.items() if k not in drop}


def plain_lines(out: str) -> list[str]:
    return _SGR.sub("", out).splitlines()


@pytest.mark.parametrize("columns", [80, 160])
def test_score_follows_the_terminal_width_in_colour(columns: int) -> None:
    code, out = on_pty(["score", CITY_CABS], columns)
    assert code == 0, out
    assert "Traceback" not in out
    assert "\x1b[" in out  # coloured, as a terminal is
    lines = plain_lines(out)
    assert lines[0] == "╭" + "─" * (columns - 2) + "╮"
    assert max(len(line) for line in lines) == columns
    assert any(re.search(r"Score \d+/100", line) for line in lines)


def test_columns_overrides_the_terminal_size() -> None:
    code, out = on_pty(["score", CITY_CABS], 120, env_columns="70")
    assert code == 0, out
    assert max(len(line) for line in plain_lines(out)) == 70


def test_width_flag_overrides_columns() -> None:
    code, out = on_pty(["score", CITY_CABS, "--width", "90"], 120, env_columns="70")
    assert code == 0, out
    assert max(len(line) for line in plain_lines(out)) == 90


def test_a_tiny_terminal_gets_the_narrowest_readable_report_whole() -> None:
    """Below MIN_WIDTH the report keeps that width (the terminal wraps) and loses nothing."""
    code, out = on_pty(["score", CITY_CABS], 12)
    assert code == 0, out
    lines = plain_lines(out)
    assert max(len(line) for line in lines) == MIN_WIDTH
    piped = subprocess.run(
        [sys.executable, "-m", "ivraudit", "score", CITY_CABS],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert max(len(line) for line in piped.splitlines()) == 100
    # Narrow columns wrap and fold words, but every letter and digit is still there.
    assert Counter(re.findall(r"\w", "".join(lines))) == Counter(re.findall(r"\w", piped))


@pytest.mark.parametrize(
    "args",
    [
        ["score", "menus/"],
        ["check", CITY_CABS],
        ["diff", CITY_CABS, "menus/trattoria.yaml"],
        ["rules"],
        ["rules", "IVR104"],
        ["schema"],
        ["--help"],
        ["score", "--help"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_every_command_works_in_a_terminal(args: list[str]) -> None:
    code, out = on_pty(args, 80)
    assert code == 0, out
    assert "Traceback" not in out and "Error" not in out
    assert out.strip()


@pytest.mark.parametrize("columns", [80, 160])
def test_help_fits_the_terminal(columns: int) -> None:
    code, out = on_pty(["--help"], columns)
    assert code == 0, out
    assert max(len(line) for line in plain_lines(out)) <= columns


def test_json_in_a_terminal_is_plain_json() -> None:
    code, out = on_pty(["score", CITY_CABS, "--format", "json"], 80)
    assert code == 0, out
    assert "\x1b" not in out
    assert json.loads(out)["name"] == "City Cabs booking line"


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`ivraudit score ... | head -1`: the program leaves quietly when the pipe closes, and
    its exit code still says how the audit went."""
    files = ["menus/telecom_hell.yaml"] * 4  # a report larger than a pipe's buffer (64 KiB)
    with subprocess.Popen(
        [sys.executable, "-m", "ivraudit", "score", "--verbose", *files],
        cwd=ROOT,
        env={**clean_env(), "COLUMNS": "100"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        errors = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert first.strip()
    assert "Traceback" not in errors and "Exception" not in errors, errors
    assert code == 0
