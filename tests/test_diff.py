"""Comparing a menu with its baseline: matching findings, figures, regressions, git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ivraudit.diff import RevisionError, diff_audits, diff_file, finding_key, load_at_revision
from ivraudit.format.errors import MenuError
from ivraudit.judge.config import Config
from ivraudit.judge.findings import Severity
from tests.report.common import CABS, DEEP, DEEPER, SELECT, audit


def _metric(diff, name: str):  # type: ignore[no-untyped-def]
    return next(m for m in diff.metrics if m.metric == name)


def test_same_menu_no_change() -> None:
    d = diff_audits(audit(DEEP, "m.yaml"), audit(DEEP, "m.yaml"))
    assert (d.score_delta, d.regressed, d.reasons) == (0, False, ())
    assert d.new_findings == d.fixed_findings == d.changed_findings == ()
    assert not any(m.changed for m in d.metrics)


def test_a_number_changed_in_a_message_is_a_changed_finding() -> None:
    d = diff_audits(audit(DEEP, "m.yaml"), audit(DEEPER, "m.yaml"))
    assert d.new_findings == d.fixed_findings == ()
    (change,) = d.changed_findings
    assert change.old.rule == change.new.rule == "IVR201"
    assert "4 key presses" in change.old.message and "5 key presses" in change.new.message
    assert finding_key(change.old) == finding_key(change.new)
    assert _metric(d, "depth").delta == 1


def test_findings_are_matched_with_multiplicity() -> None:
    twice = DEEP.replace("  b: {", "  # ivraudit: ignore[IVR105] again\n  b: {")
    d = diff_audits(audit(twice, "m.yaml"), audit(DEEP, "m.yaml"))
    assert [f.rule for f in d.fixed_findings] == ["IVR901"]
    assert d.new_findings == () and d.changed_findings == ()
    back = diff_audits(audit(DEEP, "m.yaml"), audit(twice, "m.yaml"))
    assert [f.rule for f in back.new_findings] == ["IVR901"]
    assert back.regressed and "1 new finding at warning or above" in back.reasons


def test_fixing_problems_is_no_regression() -> None:
    d = diff_audits(audit(DEEP, "m.yaml"), audit(CABS, "m.yaml"))
    assert {f.rule for f in d.fixed_findings} == {"IVR101", "IVR201", "IVR901"}
    assert d.score_delta is not None and d.score_delta > 0
    assert not d.regressed
    tth = _metric(d, "time_to_human_seconds")
    assert (tth.old, tth.new, tth.delta) == (None, 36.6, None)
    reachable = _metric(d, "human_reachable")
    assert (reachable.old, reachable.new, reachable.delta, reachable.changed) == (
        False,
        True,
        None,
        True,
    )


def test_losing_the_person_regresses_for_every_reason() -> None:
    d = diff_audits(audit(CABS, "m.yaml"), audit(DEEP, "m.yaml"))
    assert d.regressed
    assert d.reasons[0].startswith("score fell from ")
    assert "3 new findings at warning or above" in d.reasons
    assert "calls for book_later can no longer be resolved (took 36.6 s)" in d.reasons
    assert "a person can no longer be reached" in d.reasons


def test_slower_person_regresses() -> None:
    slower = CABS.replace("hold_seconds: 30", "hold_seconds: 40")
    d = diff_audits(audit(CABS, "m.yaml"), audit(slower, "m.yaml"))
    assert "calls for book_later got slower: 36.6 s → 46.6 s" in d.reasons
    assert d.notes == (
        "the fastest way to a person got slower: 36.6 s → 46.6 s (not a regression alone)",
    )
    assert _metric(d, "time_to_human_seconds").delta == 10.0


def test_new_info_finding_alone_is_not_a_new_finding_reason() -> None:
    old = audit(DEEP, "m.yaml", ignore=frozenset({"IVR201"}))
    new = audit(DEEP, "m.yaml", severity={"IVR201": Severity.INFO})
    d = diff_audits(old, new)
    assert [f.rule for f in d.new_findings] == ["IVR201"]
    assert not any("new finding" in r for r in d.reasons)


def test_intents_compared_one_by_one_and_lists_by_value() -> None:
    fewer = CABS.replace("intents: {taxi_now: 0.7, book_later: 0.3}", "intents: {taxi_now: 1}")
    fewer = fewer.replace("handles: [book_later, taxi_now]", "handles: [taxi_now]")
    stray = fewer + "  stray: {type: hangup}\n"
    d = diff_audits(audit(CABS, "m.yaml"), audit(stray, "m.yaml"))
    taxi = _metric(d, "intent_seconds.taxi_now")
    assert (taxi.old, taxi.new, taxi.delta, taxi.changed) == (6.6, 6.6, 0.0, False)
    gone = _metric(d, "intent_seconds.book_later")
    assert (gone.old, gone.new, gone.delta) == (36.6, None, None)
    unreachable = _metric(d, "unreachable_nodes")
    assert (unreachable.old, unreachable.new, unreachable.delta) == ((), ("stray",), None)
    assert all(m.metric != "best_route_to_human" for m in d.metrics)


def test_an_added_menu() -> None:
    d = diff_audits(None, audit(DEEP, "m.yaml"))
    assert d.added and d.old_score is None and d.score_delta is None
    assert len(d.new_findings) == 3
    assert d.reasons == ("3 new findings at warning or above",)


# -- diff --base: reading the baseline from git -------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.email=test@example.com",
            "-c",
            "user.name=Test",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a repository whose one commit holds menus/line.yaml (the clean menu)."""
    # Keep git from finding a repository above tmp_path or the user's own settings.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    root = tmp_path / "repo"
    (root / "menus").mkdir(parents=True)
    (root / "menus" / "line.yaml").write_text(CABS, encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "menus/line.yaml")
    _git(root, "commit", "-q", "-m", "a menu")
    return root


@needs_git
def test_load_at_revision_and_diff(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    menu = repo / "menus" / "line.yaml"
    menu.write_text(DEEP, encoding="utf-8")
    monkeypatch.chdir(repo / "menus")  # a path relative to the working folder
    base = load_at_revision("line.yaml", "HEAD")
    assert base == CABS.encode("utf-8")
    d = diff_audits(audit(base.decode(), "menus/line.yaml"), audit(DEEP, "menus/line.yaml"))
    assert d.regressed and "a person can no longer be reached" in d.reasons


@needs_git
def test_diff_file_audits_both_sides_under_one_config(repo: Path) -> None:
    menu = repo / "menus" / "line.yaml"
    menu.write_text(DEEP, encoding="utf-8")
    d = diff_file(menu, "HEAD", Config(select=SELECT))
    assert d.file == str(menu) and not d.added
    assert len(d.new_findings) == 3 and d.regressed
    _git(repo, "commit", "-q", "-am", "worse")
    again = diff_file(menu, "HEAD~1", Config(select=SELECT))
    assert again.reasons == d.reasons
    assert not diff_file(menu, "HEAD", Config(select=SELECT)).regressed


@needs_git
def test_a_menu_added_since_the_revision(repo: Path) -> None:
    new = repo / "menus" / "new.yaml"
    new.write_text(DEEP, encoding="utf-8")
    assert load_at_revision(new, "HEAD") is None
    d = diff_file(new, "HEAD", Config(select=SELECT))
    assert d.added and d.score_delta is None


@needs_git
@pytest.mark.parametrize("ref", ["no-such-branch", "-p", ""])
def test_a_bad_revision_is_a_clear_error(repo: Path, ref: str) -> None:
    with pytest.raises(RevisionError) as caught:
        load_at_revision(repo / "menus" / "line.yaml", ref)
    assert isinstance(caught.value, MenuError)  # the CLI's exit 2
    message = str(caught.value)
    assert message.startswith(f"{repo / 'menus' / 'line.yaml'}:1:1: error: '{ref}' ")


@needs_git
def test_a_folder_at_the_revision_is_an_error(repo: Path) -> None:
    with pytest.raises(RevisionError, match="is a tree"):
        load_at_revision(repo / "menus", "HEAD")


@needs_git
def test_outside_a_repository_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    menu = tmp_path / "line.yaml"
    menu.write_text(CABS, encoding="utf-8")
    with pytest.raises(RevisionError, match="not in a git repository"):
        load_at_revision(menu, "HEAD")


@needs_git
def test_an_invalid_baseline_names_the_revision(repo: Path) -> None:
    menu = repo / "menus" / "line.yaml"
    menu.write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    menu.write_text(CABS, encoding="utf-8")
    with pytest.raises(MenuError) as caught:
        diff_file(menu, "HEAD", Config(select=SELECT))
    assert caught.value.file == f"{menu}@HEAD" and caught.value.line == 4


@needs_git
def test_git_missing_is_a_clear_error(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "nothing-here"))
    with pytest.raises(RevisionError, match="cannot run git"):
        load_at_revision(repo / "menus" / "line.yaml", "HEAD")
