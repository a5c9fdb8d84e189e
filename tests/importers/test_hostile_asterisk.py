"""Asterisk and AEL dialplans built to be slow: each finishes in linear work, or is
refused in one located line. Sizes are ones that took from seconds to hours before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.errors import MenuError
from ivraudit.importers import (
    asterisk,
    asterisk_ael,
    asterisk_apps,
    asterisk_conf,
    asterisk_pattern,
    asterisk_walk,
)

MENU = (
    "exten => s,1,Background(welcome)\n"
    " same => n,WaitExten(5)\n"
    "exten => 1,1,Goto({target},1)\n"
    "exten => 2,1,Hangup()\n"
)


def score(path: Path):
    """Run `score` on a file and check it ended as the CLI promises: 0, 1 or 2, no trace."""
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: ", result.stderr)
    return result


def searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each context a look-up searches (its patterns are asked for once per visit)."""
    seen: list[str] = []
    original = asterisk_walk.Runner.patterns_of

    def counting(self: asterisk_walk.Runner, c: asterisk_conf.Context) -> list:
        seen.append(c.name)
        return original(self, c)

    monkeypatch.setattr(asterisk_walk.Runner, "patterns_of", counting)
    return seen


# -- includes ----------------------------------------------------------------------


def test_a_context_that_includes_itself_twelve_times_is_searched_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: every include was followed again, 12^9 calls for one look-up.
    plan = tmp_path / "extensions.conf"
    plan.write_text("[main]\n" + "include => main\n" * 12 + MENU.format(target="nope"))
    seen = searched(monkeypatch)
    assert score(plan).exit_code in (0, 1)
    assert seen.count("main") <= 2  # the menu's own look-ups aside, one visit per search


def test_mutual_includes_visit_each_context_once_per_look_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "[main]\n" + "include => a\ninclude => b\n" * 6 + MENU.format(target="nope")
    text += "[a]\n" + "include => b\ninclude => main\n" * 6
    text += "[b]\n" + "include => a\ninclude => main\n" * 6
    contexts = asterisk.parse(text, "x.conf")
    seen = searched(monkeypatch)
    runner = asterisk_walk.Runner(contexts, {}, "x.conf")
    assert runner.find("main", "nope") is None
    assert sorted(seen) == ["a", "b", "main"]
    assert runner.find("main", "nope") is None  # asked again: remembered
    assert len(seen) == 3


def test_includes_are_followed_as_deep_as_the_documented_limit() -> None:
    depth = asterisk_walk.MAX_INCLUDE_DEPTH
    text = "".join(f"[c{i}]\ninclude => c{i + 1}\n" for i in range(depth + 5))
    text += f"[c{depth}]\nexten => 7,1,Hangup()\n[c{depth + 1}]\nexten => 8,1,Hangup()\n"
    runner = asterisk_walk.Runner(asterisk.parse(text, "x.conf"), {}, "x.conf")
    assert runner.find("c0", "7") == (f"c{depth}", "7")
    assert runner.find("c0", "8") is None


def test_many_includes_of_many_contexts_are_followed_once_each(tmp_path: Path) -> None:
    # 300 contexts included 300 times over, and 3,000 look-ups that find nothing.
    asks = "".join(f" same => n,GotoIf($[x]?{900000 + i},1)\n" for i in range(3000))
    menu = " same => n,Background(x)\n same => n,WaitExten(5)\nexten => 1,1,Hangup()\n"
    text = "[main]\nexten => s,1,Answer()\n" + asks + menu
    text += "".join(f"[c{i}]\n" for i in range(300))
    text += "[main]\n" + "".join(f"include => c{i}\n" for i in range(300)) * 300
    plan = tmp_path / "extensions.conf"
    plan.write_text(text)
    assert score(plan).exit_code in (0, 1)


def test_an_extension_that_doubles_itself_stops_at_asterisks_longest_name(
    tmp_path: Path,
) -> None:
    # Before: Goto(${EXTEN}${EXTEN}) doubled the number at every step, without end.
    plan = tmp_path / "extensions.conf"
    plan.write_text(
        "[main]\n" + MENU.format(target="11") + "exten => _1.,1,Goto(${EXTEN}${EXTEN},1)\n"
    )
    assert score(plan).exit_code in (0, 1)
    flow = asterisk.read(plan.read_text(), "x.conf")
    longest = max(len(s.id.split(",")[1]) for s in flow.steps if s.id.startswith("main,"))
    assert longest <= asterisk_walk.MAX_NAME


def test_a_long_extension_name_is_never_where_a_call_is(tmp_path: Path) -> None:
    plan = tmp_path / "extensions.conf"
    body = "exten => {},1,Background(x)\n same => n,WaitExten(5)\nexten => 1,1,Hangup()\n"
    plan.write_text("[main]\n" + body.format("s" * 100000) + " same => n,NoOp()\n" * 5000)
    result = score(plan)
    assert result.exit_code == 2
    assert "no menu in this dialplan" in result.stderr


def test_expanding_exten_without_bound_is_refused_where_it_is_written(tmp_path: Path) -> None:
    asks = "".join(f" same => n,GotoIf($[x]?{1000000 + i},1)\n" for i in range(4000))
    plan = tmp_path / "extensions.conf"
    plan.write_text(
        "[main]\n"
        + MENU.format(target="11")
        + "exten => _1.,1,Queue("
        + "${EXTEN}" * 100000
        + ")\n"
        + asks
    )
    result = score(plan)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{plan}:6:1: error: dialplan too costly to follow")


# -- patterns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "number", "matches"),
    [
        ("_X.", "12", True),
        ("_X.", "1", False),  # `.` is one or more
        ("_X!", "1", True),  # `!` is zero or more
        ("_NXX", "234", True),
        ("_NXX", "134", False),
        ("_NXX", "2345", False),
        ("_Z1", "11", True),
        ("_Z1", "01", False),
        ("_[1-3]5", "25", True),
        ("_[1-3]5", "45", False),
        ("_[13]", "3", True),
        ("_[13]", "2", False),
        ("_x.", "55", True),
        ("_*9X", "*95", True),
        # Asterisk's matcher stops at the wildcard and ignores what follows it.
        ("_..............0", "1" * 40, True),
        ("_X.0", "12", True),
    ],
)
def test_patterns_match_as_asterisk_does(written: str, number: str, matches: bool) -> None:
    pattern = asterisk_pattern.pattern(written)
    assert pattern is not None
    assert pattern.matches(number) is matches


def test_a_pattern_of_many_wildcards_is_matched_in_one_pass(tmp_path: Path) -> None:
    # Before: `.+.+...0$`, a regular expression that backtracked for hours on 40 digits.
    plan = tmp_path / "extensions.conf"
    plan.write_text(
        "[main]\n" + MENU.format(target="1" * 40) + "exten => _" + "." * 30 + "0,1,Hangup()\n"
    )
    assert score(plan).exit_code in (0, 1)


def test_too_many_pattern_comparisons_are_refused_in_one_line(tmp_path: Path) -> None:
    patterns = "".join(f"exten => _{i:03d}{'1' * 196},1,Hangup()\n" for i in range(200))
    asks = "".join(f" same => n,GotoIf($[x]?{900000 + i},1)\n" for i in range(1000))
    plan = tmp_path / "extensions.conf"
    menu = " same => n,Background(welcome)\n same => n,WaitExten(5)\nexten => 1,1,Hangup()\n"
    plan.write_text("\n[main]\nexten => s,1,Answer()\n" + asks + menu + patterns)
    result = score(plan)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{plan}:2:1: error: dialplan too costly to follow")


# -- scans within an extension -----------------------------------------------------


class CountingSet(set):
    """A set that counts the membership tests made of it."""

    asked = 0

    def __contains__(self, item: object) -> bool:
        CountingSet.asked += 1
        return super().__contains__(item)


def test_many_backgrounds_before_a_wait_are_read_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before: each Background scanned every line after it (60k lines took 20 s).
    monkeypatch.setattr(asterisk_walk, "_PASS", CountingSet(asterisk_walk._PASS))
    CountingSet.asked = 0
    lines = " same => n,Background(x)\n" * 20000
    text = "[main]\nexten => s,1,Answer()\n" + lines + " same => n,WaitExten(5)\n"
    flow = asterisk.read(text + "exten => 1,1,Hangup()\n", "x.conf")
    prompts = [s for s in flow.steps if s.pos.line > 2 and s.pos.line < 20003]
    assert prompts and all(s.kind == "pass" for s in prompts)  # part of the menu
    assert CountingSet.asked <= 20010  # each line asked about once, not once per prompt


def test_a_menu_after_many_set_prompts_names_each_file_once(tmp_path: Path) -> None:
    sets = "".join(f" same => n,Set(M{i}=f{i})\n" for i in range(3000))
    plays = "".join(f" same => n,Background(${{M{i}}})\n" for i in range(3000))
    text = "[main]\nexten => s,1,Answer()\n" + sets + plays + " same => n,WaitExten(5)\n"
    text += "exten => 1,1,Hangup()\n"
    runner = asterisk_walk.Runner(asterisk.parse(text, "x.conf"), {}, "x.conf")
    files = runner.prompts_before("main", "s", 6001)
    assert files == [("audio", f"f{i}") for i in range(3000)]


def test_a_context_of_many_prompted_extensions_without_keys_is_refused_fast(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "extensions.conf"
    plan.write_text("[main]\n" + "".join(f"exten => e{i},1,Background(x)\n" for i in range(20000)))
    result = score(plan)
    assert result.exit_code == 2
    assert "no menu in this dialplan" in result.stderr


def test_a_note_on_dial_by_extension_names_ten(tmp_path: Path) -> None:
    numbers = "".join(f"exten => {100 + i},1,Hangup()\n" for i in range(20000))
    flow = asterisk.read("[main]\n" + MENU.format(target="2") + numbers, "x.conf")
    [note] = [n for n in flow.notes if "dial-by-extension" in n]
    assert note.startswith("[main]: extensions 100, 101, 102,")
    assert "109 and 19990 more (dial-by-extension)" in note


@pytest.mark.parametrize(
    "line",
    [
        "exten =>" + " " * 5000 + "x",
        "exten => 1," + " " * 20000 + "x",
        "exten => 1,1,NoOp" + " " * 20000 + "x",
        "exten => 1,1,NoOp(" + ") " * 20000 + "x",
    ],
)
def test_a_long_line_that_is_no_dialplan_line_fails_in_one_pass(tmp_path: Path, line: str) -> None:
    # Before: runs of spaces that two parts of the line could take were split every way
    # (a line of 2,000 spaces took over a minute).
    plan = tmp_path / "extensions.conf"
    plan.write_text("[main]\n" + MENU.format(target="2") + line + "\n")
    assert score(plan).exit_code in (0, 1)


def test_unclosed_variables_and_backgrounds_on_one_long_line_finish(tmp_path: Path) -> None:
    plan = tmp_path / "extensions.conf"
    plan.write_text(
        "[main]\nexten => s,1,ExecIf(1?" + "Background(" * 30000 + ")\n"
        " same => n,WaitExten(5)\nexten => 1,1,Dial(" + "${" * 50000 + ")\n"
    )
    assert score(plan).exit_code in (0, 1)


def test_variables_are_dropped_from_a_dial_target_as_before() -> None:
    for text in ["SIP/${EXTEN}", "${A${B}}x", "a${b", "${}${c}d", "plain"]:
        assert asterisk_apps.drop_variables(text) == re.sub(r"\$\{[^}]*\}", "", text)


# -- AEL ---------------------------------------------------------------------------

AEL_MENU = "context main {\n  s => {\n    Background(welcome);\n    WaitExten(5);\n  };\n"


def test_a_large_ael_file_places_each_statement_without_counting_from_the_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: each statement's line was counted from the start (1.9 MB took 48 s).
    def refuse(text: str, offset: int) -> tuple[int, int]:
        raise AssertionError("counted from the start of the file")

    monkeypatch.setattr(asterisk_ael, "line_col", refuse)
    text = AEL_MENU + "  1 => {\n" + "    NoOp(something);\n" * 30000 + "    Hangup();\n  };\n};\n"
    contexts = asterisk_ael.contexts_of(text, "x.ael")
    last = contexts["main"].extens["1"][-1]
    assert (last.app, last.line, last.column) == ("hangup", 30007, 5)
    ael = tmp_path / "extensions.ael"
    ael.write_text(text)
    assert score(ael).exit_code in (0, 1)


def test_a_statement_with_many_labels_keeps_the_last_one(tmp_path: Path) -> None:
    # Before: each label was cut off a copy of the rest (160k labels took 29 s).
    labels = "".join(f"l{i}: " for i in range(100000))
    text = AEL_MENU + "  1 => {\n    " + labels + "NoOp(x);\n    Hangup();\n  };\n};\n"
    first = asterisk_ael.contexts_of(text, "x.ael")["main"].extens["1"][0]
    assert (first.label, first.app, first.args) == ("l99999", "noop", ("x",))
    ael = tmp_path / "extensions.ael"
    ael.write_text(text)
    assert score(ael).exit_code in (0, 1)


def test_a_long_ael_statement_that_is_no_application_fails_in_one_pass() -> None:
    text = AEL_MENU + "  1 => {\n    Foo" + " " * 20000 + "x;\n  };\n};\n"
    first = asterisk_ael.contexts_of(text, "x.ael")["main"].extens["1"][0]
    assert first.app == "set"  # read as an assignment, as before


def test_a_refusal_is_a_menu_error() -> None:
    with pytest.raises(MenuError, match="no menu in this dialplan"):
        asterisk.read("[main]\nexten => s,1,Hangup()\n", "x.conf")
