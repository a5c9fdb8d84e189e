"""Configuration: lookup, presets, keys, and errors located in the config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivraudit import MenuError
from ivraudit.judge.config import find_config, load_config
from ivraudit.judge.findings import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_nearest_config_upward_wins(tmp_path: Path) -> None:
    write(tmp_path / ".ivraudit.yaml", "ignore: [IVR305]\n")
    inner = write(tmp_path / "a" / "b" / "pyproject.toml", "[tool.ivraudit]\nignore = ['IVR301']\n")
    menu = write(tmp_path / "a" / "b" / "c" / "menu.yaml", "")
    assert find_config(menu) == inner
    assert load_config(inner).ignore == frozenset({"IVR301"})


def test_pyproject_without_tool_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / ".ivraudit.yaml", "fail-on: warning\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "sub" / "menu.yaml") == outer


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.fail_on is Severity.ERROR
    assert config.select is None and config.ignore == frozenset()


def test_aliases_resolve_and_settings_merge_over_the_preset(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".ivraudit.yaml",
        """
extends: strict
select: [no-human, IVR201]
extend-select: [key-first]
ignore: [max-options]
per-file-ignores: {"legacy/*.yaml": [filler-phrase]}
severity: {max-depth: error}
rules: {max-depth: {max_presses: 5}}
timing: {speech_rate_wpm: 180}
fail-under: 70
max-time-to-human: 90
""",
    )
    c = load_config(path)
    assert c.select == frozenset({"IVR101", "IVR201"})
    assert c.extend_select == frozenset({"IVR301"})
    assert "IVR202" in c.ignore
    assert c.severity["IVR201"] is Severity.ERROR
    assert c.severity["IVR104"] is Severity.ERROR  # from the strict preset
    assert c.options["IVR201"] == {"max_presses": 5}
    assert c.options["IVR102"] == {"max_seconds": 30}  # strict preset kept
    assert c.fail_on is Severity.WARNING and c.fail_under == 70
    assert c.base_timing().speech_rate_wpm == 180
    assert c.enabled(["IVR101", "IVR201", "IVR301", "IVR303"], "menus/legacy/x.yaml") == [
        "IVR101",
        "IVR201",
        "IVR301",
    ]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("selekt: [IVR101]\n", 1, 1, "did you mean 'select'"),
        ("fail-on: warning\nignore: [IVR999]\n", 2, 10, "unknown rule 'IVR999'"),
        ("rules:\n  max-depth: {max_depth: 2}\n", 2, 15, "has no option 'max_depth'"),
        ("rules:\n  max-depth: {max_presses: lots}\n", 2, 15, "must be like 3"),
        ("severity: {IVR101: fatal}\n", 1, 12, "must be error, warning or info"),
        ("extends: nowhere.yaml\n", 1, 1, "cannot read config"),
        ("fail-under: -3\n", 1, 1, "must be a number from 0 to 100"),
        # issue 6: numbers out of range, not finite, or too big for a float
        ("fail-under: 200\n", 1, 1, "'fail-under' must be a number from 0 to 100"),
        ("fail-under: .nan\n", 1, 1, "'fail-under' must be a finite number from 0 to 100"),
        ("max-time-to-human: .nan\n", 1, 1, "'max-time-to-human' must be a finite number"),
        ("max-time-to-human: .inf\n", 1, 1, "'max-time-to-human' must be a finite number"),
        (f"max-time-to-human: {'9' * 400}\n", 1, 1, "must be a number from 0 to 31536000"),
        (f"fail-under: {'9' * 400}\n", 1, 1, "must be a number from 0 to 100"),
        ("timing: {speech_rate_wpm: 0}\n", 1, 10, "'speech_rate_wpm' must be a number from 40"),
        ("timing: {speech_rate_wpm: .nan}\n", 1, 10, "must be a finite number from 40 to 400"),
        ("timing: {response_seconds: .inf}\n", 1, 10, "must be a finite number from 0 to 86400"),
        (f"timing: {{retries: {'9' * 400}}}\n", 1, 10, "must be a whole number from 0 to 100"),
        ("timing: {retries: 2.5}\n", 1, 10, "'retries' must be a whole number from 0 to 100"),
        ("timing: {hold: 1}\n", 1, 10, "'timing' sets some of"),
        (
            f"rules:\n  max-depth: {{max_presses: {'9' * 400}}}\n",
            2,
            15,
            "option 'max_presses' must be a number from 0 to 1000000000",
        ),
        ("rules:\n  max-depth: {max_presses: .nan}\n", 2, 15, "must be a finite number"),
        ("rules:\n  long-hold: {max_hold_seconds: -1}\n", 2, 15, "must be a number from 0"),
        ("[unclosed\n", 2, 1, ""),
    ],
)
def test_config_errors_are_located(
    tmp_path: Path, text: str, line: int, col: int, message: str
) -> None:
    path = write(tmp_path / ".ivraudit.yaml", text)
    with pytest.raises(MenuError) as info:
        load_config(path)
    err = info.value
    if err.file == str(path):
        assert (err.line, err.column) == (line, col)
    assert message in err.message


def test_toml_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.ivraudit]\nfail-on = 'warning'\nselekt = []\n")
    with pytest.raises(MenuError, match="did you mean 'select'") as info:
        load_config(path)
    assert info.value.line == 3


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(MenuError, match="extends itself"):
        load_config(tmp_path / "a.yaml")


def test_rule_options_are_validated_on_load(tmp_path: Path) -> None:
    path = write(tmp_path / ".ivraudit.yaml", "rules:\n  long-hold: {announce_patterns: ['(']}\n")
    with pytest.raises(MenuError, match="not a valid regular expression") as info:
        load_config(path)
    assert (info.value.line, info.value.column) == (2, 3)


def test_the_service_level_targets_set_agents_needed(tmp_path: Path) -> None:
    from ivraudit.audit import audit_file

    menu = tmp_path / "line.yaml"
    menu.write_text(
        "ivraudit: 1\nname: Line\ntraffic: {calls_per_hour: 100}\n"
        "queues:\n  desk: {agents: 5, handle_seconds: 120, patience_seconds: 60}\n"
        "nodes:\n  main: {type: agent, queue: desk}\n",
        encoding="utf-8",
    )

    def needed() -> int:
        calls = audit_file(menu).metrics.calls
        assert calls is not None
        return calls.queues[0].figures.agents_needed

    loose = needed()
    (tmp_path / ".ivraudit.yaml").write_text("answer-target: 2\nabandon-target: 0.001\n")
    assert needed() > loose
    (tmp_path / ".ivraudit.yaml").write_text("abandon-target: 0\n")
    with pytest.raises(MenuError, match="'abandon-target' must be a number greater than 0"):
        needed()


def test_the_service_level_reaches_the_findings_and_the_report(tmp_path: Path) -> None:
    from ivraudit.audit import audit_file
    from ivraudit.report.terminal import render_text

    menu = tmp_path / "line.yaml"
    menu.write_text(
        "ivraudit: 1\nname: Line\ntraffic: {calls_per_hour: 24}\n"
        "queues:\n  leaks: {agents: 2, handle_seconds: 200}\n"
        "nodes:\n  main: {type: agent, queue: leaks}\n",
        encoding="utf-8",
    )
    (tmp_path / ".ivraudit.yaml").write_text("answer-target: 20\nabandon-target: 0.02\n")
    audit = audit_file(menu)
    (slow,) = [f for f in audit.findings if f.rule == "IVR110"]
    assert "(target 20 s)" in slow.message
    assert "answer in 20 s on average with at most 2% of callers" in render_text(
        [audit], width=160
    ).replace("\u00a0", " ")
