"""Conventions users know from ruff and friends: NO_COLOR, FORCE_COLOR and TERM=dumb; `-`
for standard input; quiet closed pipes; discovery that respects .gitignore and --exclude;
check --quiet and --statistics; --show-settings."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import ivraudit.format.errors
import ivraudit.format.yamltree
from ivraudit.cli import main
from ivraudit.discovery import Pattern, excluded, find_menus
from ivraudit.format.files import Piped, read_stdin
from ivraudit.judge.rules import REGISTRY, rule_id
from ivraudit.report.colour import cursor_ok, use_colour
from tests.conftest import FIXTURES, ROOT

CONTRACT = FIXTURES / "city_cabs_contract.yaml"
ESC = "\x1b["
# A small Amazon Connect flow: a menu whose key 1 goes to the Billing queue.
CONNECT = (FIXTURES / "connect_billing.json").read_text(encoding="utf-8")


def run(*args: str, env: dict[str, str] | None = None, stdin: bytes | str | None = None):
    return CliRunner().invoke(main, list(args), env=env, input=stdin)


# Colour -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "flags", "coloured"),
    [
        ({}, [], False),  # CliRunner's output is no terminal
        ({"FORCE_COLOR": "1"}, [], True),
        ({"FORCE_COLOR": "0"}, [], False),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, [], False),
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, [], True),  # empty NO_COLOR means nothing
        ({"NO_COLOR": "1"}, ["--color"], True),  # the flag wins over the environment
        ({"FORCE_COLOR": "1"}, ["--no-color"], False),
    ],
    ids=["pipe", "force", "force-0", "no-color-wins", "dumb-wins", "empty-no-color", "flag", "no"],
)
def test_colour_follows_the_environment_and_the_flags(
    env: dict[str, str], flags: list[str], coloured: bool
) -> None:
    base = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm"}
    result = run("score", str(CONTRACT), *flags, env={**base, **env})  # type: ignore[dict-item]
    assert result.exit_code == 0, result.output
    assert (ESC in result.stdout) is coloured
    assert "City Cabs" in result.stdout


def test_a_report_file_is_coloured_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    assert run("score", str(CONTRACT), "-o", str(out), env={"FORCE_COLOR": "1"}).exit_code == 0
    assert ESC not in out.read_text("utf-8")
    assert run("score", str(CONTRACT), "-o", str(out), "--color").exit_code == 0
    assert ESC in out.read_text("utf-8")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_colour_decision_on_a_terminal() -> None:
    tty = _Tty()
    assert use_colour(None, tty, {})
    assert not use_colour(None, tty, {"NO_COLOR": "yes"})
    assert not use_colour(None, tty, {"TERM": "dumb"})
    assert use_colour(True, tty, {"TERM": "dumb"})
    assert not use_colour(None, io.StringIO(), {})
    assert use_colour(None, io.StringIO(), {"FORCE_COLOR": "true"})
    # Progress lines redraw in place only on a terminal that can move its cursor.
    assert cursor_ok(tty, {}) and not cursor_ok(tty, {"TERM": "dumb"})
    assert not cursor_ok(io.StringIO(), {"FORCE_COLOR": "1"})


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("extra", "coloured"), [({}, True), ({"NO_COLOR": "1"}, False)])
def test_a_real_terminal_is_coloured_unless_no_color(extra: dict[str, str], coloured: bool) -> None:
    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm", "COLUMNS": "100", **extra})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "ivraudit", "score", str(CONTRACT)],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once everything is read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert done.returncode == 0, done.stderr
    text = b"".join(chunks).decode("utf-8", "replace")
    assert "City Cabs" in text
    assert (ESC in text) is coloured


# Standard input ----------------------------------------------------------------------


def test_dash_reads_standard_input_named_stdin() -> None:
    result = run("check", "-", stdin=CONTRACT.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert "<stdin>:6:5: warning IVR402" in result.stdout
    assert "<stdin>: score 90/100" in result.stdout


def test_stdin_filename_names_it_in_reports_and_errors() -> None:
    result = run(
        "score", "-", "--stdin-filename", "menus/cabs.yaml", "--format", "json",
        stdin=CONTRACT.read_bytes(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["file"] == "menus/cabs.yaml"
    bad = "ivraudit: 1\nname: x\nmenus: [\n"
    result = run("check", "-", stdin=bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:4:1: error: ")
    result = run("check", "-", "--stdin-filename", "menus/cabs.yaml", stdin=bad)
    assert result.stderr.startswith("menus/cabs.yaml:4:1: error: ")


def test_stdin_scores_as_the_file_does_with_the_other_paths() -> None:
    from_file = json.loads(run("score", str(CONTRACT), "--format", "json").stdout)
    result = run("score", str(CONTRACT), "-", "--format", "json", stdin=CONTRACT.read_bytes())
    assert result.exit_code == 0, result.stderr
    first, second = json.loads(result.stdout)
    assert second["file"] == "<stdin>"
    assert {**second, "file": first["file"]} == first == from_file


def test_json_on_stdin_is_read_as_json_by_content_or_name() -> None:
    import yaml

    text = json.dumps(yaml.safe_load(CONTRACT.read_text("utf-8")))
    for extra in ([], ["--stdin-filename", "cabs.json"]):
        result = run("score", "-", "--format", "json", *extra, stdin=text)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["score"] == 90
    # JSON mode refuses what YAML would take: a duplicate key is located in JSON terms.
    twice = '{"ivraudit": 1, "ivraudit": 1}'
    result = run("check", "-", stdin=twice)
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:1:")


def test_an_export_on_stdin_is_imported() -> None:
    result = run("import", "-", "--stdin-filename", "flow.json", stdin=CONNECT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Imported by ivraudit from flow.json\n")
    assert "Billing" in result.stdout
    assert run("score", "-", stdin=CONNECT).exit_code == 0


def test_suggest_writes_a_menu_read_from_stdin_with_its_header(tmp_path: Path) -> None:
    text = "# Cabs, kept by the night shift\n" + CONTRACT.read_text("utf-8")
    out = tmp_path / "better.yaml"
    result = run("suggest", "-", "--write", str(out), stdin=text)
    assert result.exit_code == 0, result.stderr
    assert "# Cabs, kept by the night shift" in out.read_text("utf-8")
    result = run("suggest", "-", "--write-dir", str(tmp_path), stdin=text)
    assert result.exit_code == 2 and "--stdin-filename" in result.stderr


def test_stdin_over_the_cap_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ivraudit.format.yamltree, "MAX_BYTES", 1024)
    result = run("check", "-", str(CONTRACT), stdin=b"#" * 5000)
    assert result.exit_code == 2
    assert result.stderr == "<stdin>:1:1: error: standard input is larger than 1 KiB\n"
    assert "1 menu checked" in result.stdout


def test_read_stdin_stops_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless(io.RawIOBase):
        reads = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            Endless.reads += 1
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with pytest.raises(ivraudit.format.errors.MenuError, match="larger than 2 MiB"):
        read_stdin(2 << 20, "x.yaml")
    assert Endless.reads < 10  # it stopped at the cap rather than reading on
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"ivraudit: 1\n")))
    assert read_stdin(100, "./a/b.yaml") == Piped("a/b.yaml", b"ivraudit: 1\n")


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["check", "-", "-"], "'-' (standard input) can be given once"),
        (["score", str(CONTRACT), "--stdin-filename", "x.yaml"], "give '-' as a path"),
    ],
)
def test_stdin_usage_errors(args: list[str], phrase: str) -> None:
    result = run(*args, stdin="")
    assert result.exit_code == 2
    assert phrase in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_real_pipe_into_score() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ivraudit", "check", "-", "--stdin-filename", "cabs.yaml"],
        input=CONTRACT.read_bytes(),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"cabs.yaml: score 90/100" in done.stdout


# Closed pipes --------------------------------------------------------------------------


def _closed_pipe_run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """Run ivraudit with its standard output a pipe whose reader has already left."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "ivraudit", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=cwd,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ["rules"],
        ["rules", "--format", "json"],
        ["rules", "IVR101"],
        ["schema"],
        ["--help"],
        ["--version"],
        ["check", "--help"],
        ["import", "--list"],
        ["score", "menus/"],
        ["score", "menus/city_cabs.yaml", "--format", "json"],
        ["check", "menus/city_cabs.yaml"],
        ["check", "menus/city_cabs.yaml", "--statistics"],
        ["check", "menus/city_cabs.yaml", "--show-settings"],
        ["suggest", "menus/city_cabs.yaml"],
    ],
    ids=lambda args: " ".join(args),
)
def test_a_closed_pipe_ends_quietly_with_exit_0(args: list[str]) -> None:
    done = _closed_pipe_run(*args)
    assert done.stderr == b""
    assert done.returncode == 0


def test_check_keeps_its_verdict_when_the_reader_leaves() -> None:
    done = _closed_pipe_run("check", "menus/")
    assert done.stderr == b""
    assert done.returncode == 1  # some of the example menus fail the gate


def test_head_reading_one_line_then_leaving() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ivraudit", "rules"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert first.startswith(b"IVR101")
    assert error == b""


# Discovery ------------------------------------------------------------------------------


def _fake_repo(root: Path) -> None:
    """A repository with two menus and everything else a repository holds."""
    (root / "menus").mkdir()
    shutil.copy(CONTRACT, root / "menus" / "cabs.yaml")
    shutil.copy(CONTRACT, root / "menus" / "taxi.yml")
    (root / "scratch").mkdir()
    shutil.copy(CONTRACT, root / "scratch" / "draft.yaml")  # ignored by .gitignore
    (root / "scratch" / "broken.yaml").write_text("ivraudit: 1\nmenus: [\n", "utf-8")
    (root / ".gitignore").write_text("# local files\nscratch/\n*.log\n", "utf-8")
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    (root / "tool.py").write_text("print('hi')\n", "utf-8")
    (root / ".ivraudit.yaml").write_text("fail-under: 40\n", "utf-8")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n", "utf-8")
    (root / "schemas").mkdir()
    (root / "schemas" / "menu.schema.json").write_text('{"type": "object"}\n', "utf-8")
    (root / "compose.yaml").write_text("services:\n  web: {image: nginx}\n", "utf-8")
    (root / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n', "utf-8")
    (root / ".venv" / "lib").mkdir(parents=True)
    shutil.copy(CONTRACT, root / ".venv" / "lib" / "m.yaml")
    (root / "node_modules" / "x").mkdir(parents=True)
    shutil.copy(CONTRACT, root / "node_modules" / "x" / "m.yaml")


def _checked(result) -> list[str]:  # type: ignore[no-untyped-def]
    """Return the menus a `check` report judged, sorted."""
    return sorted(m.group(1) for m in re.finditer(r"(?m)^(\S+): score \d+/100", result.stdout))


@pytest.mark.parametrize("with_git", [True, False], ids=["git", "no-git"])
def test_check_dot_audits_only_the_menus_of_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_git: bool
) -> None:
    if with_git and shutil.which("git") is None:
        pytest.skip("needs git")
    _fake_repo(tmp_path)
    if with_git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        subprocess.run(["git", "-C", str(tmp_path), "add", "menus/cabs.yaml"], check=True)
    monkeypatch.chdir(tmp_path)
    result = run("check", ".")
    assert result.exit_code == 0, result.stderr
    assert _checked(result) == ["menus/cabs.yaml", "menus/taxi.yml"]
    assert "2 menus checked, 0 failed" in result.stdout
    # pyproject.toml, tool.py, compose.yaml, package.json and the schema: counted only.
    assert (
        result.stderr == ".: note: skipped 5 file(s) that are neither menus nor platform exports\n"
    )
    assert run("check", ".", "-q").stderr == ""


def test_a_folder_git_ignores_is_read_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    _fake_repo(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    result = run("check", "scratch")
    assert result.exit_code == 2
    assert result.stderr.startswith("scratch/broken.yaml:3:1: error:")
    assert _checked(result) == ["scratch/draft.yaml"]


def test_a_gitignore_negation_takes_a_file_back(tmp_path: Path) -> None:
    shutil.copy(CONTRACT, tmp_path / "a.yaml")
    shutil.copy(CONTRACT, tmp_path / "b.yaml")
    (tmp_path / ".gitignore").write_text("*.yaml\n!b.yaml\n", "utf-8")
    found = find_menus([str(tmp_path)])
    assert [p.name for p in found.inputs] == ["b.yaml"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        ([], ["menus/cabs.yaml", "menus/taxi.yml"]),
        (["taxi.yml"], ["menus/cabs.yaml"]),
        (["*.yml"], ["menus/cabs.yaml"]),
        (["menus/c*.yaml"], ["menus/taxi.yml"]),
        (["**/cabs.yaml", "taxi.*"], []),
    ],
)
def test_exclude_leaves_out_what_it_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: list[str], expected: list[str]
) -> None:
    _fake_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    flags = [arg for p in patterns for arg in ("--exclude", p)]
    result = run("check", "menus", "menus/cabs.yaml", *flags)
    named = ["menus/cabs.yaml"] if "menus/cabs.yaml" in expected else []
    assert _checked(result) == sorted(expected + named)


def test_exclude_a_folder_by_name_at_any_depth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_repo(tmp_path)
    (tmp_path / "menus" / "drafts").mkdir()
    shutil.copy(CONTRACT, tmp_path / "menus" / "drafts" / "d.yaml")
    monkeypatch.chdir(tmp_path)
    assert "menus/drafts/d.yaml" in _checked(run("check", "menus", "--exclude", "x"))
    result = run("check", "menus", "--exclude", "drafts/")
    assert _checked(result) == ["menus/cabs.yaml", "menus/taxi.yml"]


def test_check_skips_named_files_that_are_not_menus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As pre-commit passes every YAML and JSON file of a commit."""
    _fake_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    named = ["compose.yaml", ".github/workflows/ci.yml", "schemas/menu.schema.json"]
    result = run("check", *named, "menus/cabs.yaml")
    assert result.exit_code == 0, result.stderr
    assert _checked(result) == ["menus/cabs.yaml"]
    assert result.stderr == "note: skipped 3 named file(s) that are not menus\n"
    assert run("check", *named).exit_code == 0
    # A file that says it is a menu is still checked, and its errors reported.
    result = run("check", "scratch/broken.yaml", "compose.yaml")
    assert result.exit_code == 2
    assert "\nscratch/broken.yaml:3:1: error: " in result.stderr
    # score is asked for a menu: a file that is none is an error there.
    assert run("score", "compose.yaml").exit_code == 2


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "matched"),
    [
        ("drafts", ("a", "drafts"), True, True),
        ("drafts/", ("a", "drafts"), False, False),
        ("*.json", ("x", "y.json"), False, True),
        ("menus/*.yaml", ("menus", "a.yaml"), False, True),
        ("menus/*.yaml", ("menus", "b", "a.yaml"), False, False),
        ("menus/**/*.yaml", ("menus", "b", "a.yaml"), False, True),
        ("/top.yaml", ("sub", "top.yaml"), False, False),
        ("[!a]*.yaml", ("b.yaml",), False, True),
        ("[!a]*.yaml", ("a.yaml",), False, False),
    ],
)
def test_patterns_are_gitignore_like(
    pattern: str, path: tuple[str, ...], is_dir: bool, matched: bool
) -> None:
    parsed = Pattern.parse(pattern)
    assert parsed is not None
    assert parsed.matches(path, is_dir) is matched


def test_a_path_below_an_excluded_folder_is_excluded() -> None:
    patterns = [Pattern.parse("drafts/")]
    assert excluded(patterns, ("menus", "drafts", "a.yaml"), False)  # type: ignore[arg-type]
    assert not excluded(patterns, ("menus", "a.yaml"), False)  # type: ignore[arg-type]


# check --quiet and --statistics --------------------------------------------------------


def test_quiet_prints_nothing_and_the_exit_code_is_the_verdict(tmp_path: Path) -> None:
    result = run("check", str(CONTRACT), "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    result = run("check", str(CONTRACT), "--quiet", "--fail-under", "95")
    assert (result.exit_code, result.stdout) == (1, "")
    result = run("check", str(CONTRACT), "no/such.yaml", "-q")
    assert result.exit_code == 2
    assert result.stderr == "no/such.yaml:1:1: error: no such file or folder\n"
    out = tmp_path / "r.sarif"
    result = run("check", str(CONTRACT), "-q", "--format", "sarif", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text("utf-8"))["version"] == "2.1.0"


def test_statistics_count_each_rule_most_first(tmp_path: Path) -> None:
    menus = ROOT / "menus"
    data = json.loads(run("score", str(menus), "--format", "json").stdout)
    counts = Counter((f["rule"], f["name"]) for menu in data for f in menu["findings"])
    result = run("check", str(menus), "--statistics")
    assert result.exit_code == 1  # the verdict stands: some menus fail the gate
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[1], r[2]) for r in rows] == sorted(counts, key=lambda k: (-counts[k], k))
    assert [int(r[0]) for r in rows] == sorted(counts.values(), reverse=True)
    widths = {len(r[0]) for r in rows}
    assert len(widths) == 1  # right-aligned
    result = run("check", str(menus), "--statistics", "--format", "json")
    assert result.exit_code == 2 and "--statistics" in result.stderr


# --show-settings -----------------------------------------------------------------------


def test_show_settings_prints_the_resolved_configuration(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    menu = tmp_path / "sub" / "cabs.yaml"
    shutil.copy(CONTRACT, menu)
    config = tmp_path / ".ivraudit.yaml"
    config.write_text(
        "ignore: [max-depth]\nseverity: {no-zero-out: error}\nfail-under: 60\n"
        "per-file-ignores:\n  'sub/*.yaml': [IVR402]\n"
        "rules:\n  slow-to-queue: {max_seconds: 30}\n",
        "utf-8",
    )
    result = run("check", str(menu), "--show-settings", "--fail-on", "warning")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert f"config: {config}\n" in text
    assert "  fail-on: warning\n  fail-under: 60.0\n" in text
    assert f"ignore: [{rule_id('max-depth')}]\n" in text
    assert "  IVR104:  # no-zero-out\n    severity: error\n" in text
    assert "  IVR102:  # slow-to-queue\n    severity: warning\n    max_seconds: 30\n" in text
    assert "  IVR402:" not in text  # per-file-ignores apply to the file named
    assert "IVR402" in text.split("not run: ")[1]
    assert run("check", str(menu), "--show-settings", "--fail-on", "warning").stdout == text
    # From elsewhere, standard input takes the config of its --stdin-filename.
    result = run("score", "-", "--stdin-filename", str(menu), "--show-settings")
    assert f"config: {config}\n" in result.stdout


def test_show_settings_of_the_defaults_and_of_a_bad_config(tmp_path: Path) -> None:
    menu = tmp_path / "cabs.yaml"
    shutil.copy(CONTRACT, menu)
    result = run("score", str(menu), "--show-settings")
    assert result.exit_code == 0
    assert "config: built-in defaults\n" in result.stdout
    assert f"rules:  # {len(REGISTRY)} of {len(REGISTRY)} run on this file\n" in result.stdout
    (tmp_path / ".ivraudit.yaml").write_text("fail-under: lots\n", "utf-8")
    result = run("check", str(menu), "--show-settings")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and ".ivraudit.yaml:1:" in result.stderr
