"""`ivraudit diff` through click's CliRunner: OLD NEW, formats, and --base in a git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ivraudit.cli import main
from tests.report.common import CABS, DEEP

# The clean menu with wrong keys sent to the desk too: no finding at all.
GOOD = CABS.replace(
    "    no_input: {goto: desk}\n", "    no_input: {goto: desk}\n    no_match: {goto: desk}\n"
)
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def diff(*args: str) -> Result:
    """Invoke `ivraudit diff ARGS`."""
    return CliRunner().invoke(main, ["diff", *args])


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder holding good.yaml (the clean menu) and bad.yaml (the deep one)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(DEEP, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "flags", "code"),
    [
        ("good.yaml", "good.yaml", [], 0),
        ("good.yaml", "good.yaml", ["--fail-on-regression"], 0),
        ("good.yaml", "bad.yaml", [], 0),
        ("good.yaml", "bad.yaml", ["--fail-on-regression"], 1),
        ("bad.yaml", "good.yaml", ["--fail-on-regression"], 0),
    ],
    ids=["same", "same-gated", "worse", "worse-gated", "better-gated"],
)
def test_exit_code_fails_only_a_regression_asked_about(
    pair: Path, old: str, new: str, flags: list[str], code: int
) -> None:
    """Exit 1 only with --fail-on-regression and a worse new menu."""
    result = diff(old, new, *flags)
    assert result.exit_code == code, result.output
    assert result.stderr == ""


def test_text_report(pair: Path) -> None:
    """Text names the menu, the score change, the reasons, the figures and the new findings."""
    lines = diff("good.yaml", "bad.yaml").stdout.splitlines()
    assert lines[0].startswith("bad.yaml (Deep): score ")
    assert "REGRESSED: score fell from " in lines[0]
    assert "a person can no longer be reached" in lines[0]
    assert "  a person can be reached: yes → no" in lines
    assert "  a typical call: 15.6 s → never" in lines
    assert not [line for line in lines if "intent_seconds" in line or "_seconds" in line]
    assert any(ln.startswith("  + bad.yaml:4:6: error IVR101 ") for ln in lines)
    assert lines[-1] == "1 menu compared, 1 regressed"
    back = diff("bad.yaml", "good.yaml").stdout.splitlines()
    assert "— no regression" in back[0]
    assert any(ln.startswith("  - ") and ln.endswith("(fixed)") for ln in back)


def test_json_report(pair: Path) -> None:
    """JSON carries both scores, the reasons and every figure before and after."""
    data = json.loads(diff("good.yaml", "bad.yaml", "--format", "json").stdout)
    assert data["regressed"] is True
    (menu,) = data["menus"]
    assert menu["file"] == "bad.yaml" and menu["added"] is False
    assert menu["new_score"] - menu["old_score"] == menu["score_delta"] < 0
    assert "a person can no longer be reached" in menu["reasons"]
    assert menu["metrics"]["human_reachable"] == {
        "title": "a person can be reached",
        "old": True,
        "new": False,
        "delta": None,
        "changed": True,
    }
    assert "IVR101" in {f["rule"] for f in menu["new_findings"]}
    same = json.loads(diff("good.yaml", "good.yaml", "--format", "json").stdout)
    assert same["regressed"] is False and same["menus"][0]["new_findings"] == []


def test_markdown_report(pair: Path) -> None:
    """Markdown opens with a heading and a table row per menu."""
    out = diff("good.yaml", "bad.yaml", "--format", "markdown").stdout
    assert out.startswith("## ivraudit diff: 1 of 1 menu regressed\n")
    assert "| bad.yaml | " in out and "❌ **regressed**" in out


@pytest.mark.parametrize(
    "args",
    [
        ["good.yaml"],
        ["good.yaml", "bad.yaml", "good.yaml"],
        ["good.yaml", "bad.yaml", "--format", "sarif"],
    ],
    ids=["one-path", "three-paths", "bad-format"],
)
def test_usage_errors_exit_2(pair: Path, args: list[str]) -> None:
    """OLD NEW needs exactly two paths and a known format."""
    result = diff(*args)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()  # one line, as every usage error
    assert result.stdout == "" and line.startswith("ivraudit diff: error: ")


def test_bad_menu_exits_2_with_a_located_line(pair: Path) -> None:
    """A menu that cannot be read is one located line on stderr and exit 2."""
    (pair / "broken.yaml").write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n")
    result = diff("good.yaml", "broken.yaml", "--fail-on-regression")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("broken.yaml:4:13: error: unknown node type 'agnet'")
    missing = diff("good.yaml", "nowhere.yaml")
    assert missing.exit_code == 2 and missing.stderr.startswith("nowhere.yaml:1:1: error: ")


# -- --base: the menus at a git revision against the working tree --------------------


def _git(repo: Path, *args: str) -> None:
    """Run git in `repo` as a throwaway identity, failing the test if it fails."""
    subprocess.run(
        ["git", "-c", "user.email=a@b", "-c", "user.name=t", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a repository (and working folder) where one menu got worse and one was added."""
    # HEAD holds menus/line.yaml and menus/same.yaml, both clean; since then line.yaml
    # became the deep menu, new.yaml was added and same.yaml is unchanged.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    root = tmp_path / "repo"
    menus = root / "menus"
    menus.mkdir(parents=True)
    for name in ("line.yaml", "same.yaml"):
        (menus / name).write_text(GOOD, encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "menus")
    _git(root, "commit", "-q", "-m", "two menus")
    (menus / "line.yaml").write_text(DEEP, encoding="utf-8")
    (menus / "new.yaml").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


@needs_git
def test_base_reports_the_worse_and_the_added_menu(repo: Path) -> None:
    """--base HEAD on a folder: the worse menu regresses, the new one is reported as new."""
    result = diff("--base", "HEAD", "menus", "--fail-on-regression")
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    heads = [ln for ln in lines if not ln.startswith("  ")]
    assert heads[0].startswith("menus/line.yaml (Deep): score ")
    assert "REGRESSED" in heads[0] and "a person can no longer be reached" in heads[0]
    assert heads[1].startswith("menus/new.yaml (City Cabs booking line): new menu, score ")
    assert heads[2].startswith("menus/same.yaml (City Cabs booking line): score ")
    assert heads[2].endswith("(+0) — no regression")
    assert heads[3] == "3 menus compared, 1 regressed"
    assert diff("--base", "HEAD", "menus").exit_code == 0


@needs_git
@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_base_in_other_formats(repo: Path, fmt: str) -> None:
    """JSON and Markdown tell the same story as text."""
    out = diff("--base", "HEAD", "menus", "--format", fmt).stdout
    if fmt == "json":
        data = json.loads(out)
        assert data["regressed"] is True
        got = {m["file"]: (m["added"], m["regressed"]) for m in data["menus"]}
        assert got == {
            "menus/line.yaml": (False, True),
            "menus/new.yaml": (True, False),
            "menus/same.yaml": (False, False),
        }
    else:
        assert out.startswith("## ivraudit diff: 1 of 3 menus regressed\n")
        assert "| menus/new.yaml | " in out and "| new menu |" in out


@needs_git
def test_base_with_files_and_after_committing(repo: Path) -> None:
    """Named files work like a folder; once committed, HEAD shows no regression."""
    result = diff("--base", "HEAD", "menus/line.yaml", "menus/same.yaml", "--fail-on-regression")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 menus compared, 1 regressed"
    _git(repo, "add", "menus")
    _git(repo, "commit", "-q", "-m", "worse")
    assert diff("--base", "HEAD", "menus", "--fail-on-regression").exit_code == 0
    assert diff("--base", "HEAD~1", "menus", "--fail-on-regression").exit_code == 1


@needs_git
@pytest.mark.parametrize("ref", ["no-such-branch", "-p", "HEAD~5"])
def test_base_bad_ref_exits_2(repo: Path, ref: str) -> None:
    """A revision that is no commit is bad input: a line per menu on stderr, exit 2."""
    result = diff("--base", ref, "menus", "--fail-on-regression")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [ln.split(":")[0] for ln in lines] == [
        "menus/line.yaml",
        "menus/new.yaml",
        "menus/same.yaml",
    ]
    assert all(f"error: '{ref}' is not a" in ln for ln in lines)


@needs_git
def test_base_outside_a_repository_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A menu outside any git repository cannot have a baseline."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(CABS, encoding="utf-8")
    result = diff("--base", "HEAD", "m.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("m.yaml:1:1: error: not in a git repository")


@needs_git
def test_check_base_fails_a_menu_that_regressed_since_the_revision(repo: Path) -> None:
    """check --base fails the worse menu for its regressions, and passes the others."""
    result = CliRunner().invoke(
        main, ["check", "menus", "--base", "HEAD", "--fail-under", "0", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    verdicts = {m["file"]: m for m in json.loads(result.stdout)["menus"]}
    assert verdicts["menus/new.yaml"]["passed"] and verdicts["menus/same.yaml"]["passed"]
    line = verdicts["menus/line.yaml"]
    assert "regressed: a person can no longer be reached" in line["reasons"]
    plain = CliRunner().invoke(main, ["check", "menus", "--fail-under", "0", "--format", "json"])
    assert "regressed: a person can no longer be reached" not in plain.stdout


@needs_git
def test_check_base_that_is_no_revision_is_bad_input(repo: Path) -> None:
    result = CliRunner().invoke(main, ["check", "menus/same.yaml", "--base", "nosuchref"])
    assert result.exit_code == 2
    assert "'nosuchref' is not a commit" in result.stderr


def test_a_count_that_no_longer_exists_reads_none(tmp_path: Path) -> None:
    before = tmp_path / "a.yaml"
    before.write_text(
        "ivraudit: 1\nname: A\nnodes:\n  main:\n    options:\n"
        "      - {key: 1, label: hours, goto: hours}\n"
        "      - {key: 0, label: a person, goto: desk}\n"
        '  hours: {type: self_service, prompt: "We open at nine."}\n'
        "  desk: {type: agent}\n",
        encoding="utf-8",
    )
    after = tmp_path / "b.yaml"
    after.write_text(
        "ivraudit: 1\nname: A\nnodes:\n  main:\n    options:\n"
        "      - {key: 1, label: hours, goto: hours}\n"
        '  hours: {type: self_service, prompt: "We open at nine."}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["diff", str(before), str(after)])
    assert "  key presses to a person: 1 → none" in result.output.splitlines()
    assert "null" not in result.output
