"""Hostile numbers (issue 6): refused with one located line, or answered correctly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import audit_menu, loads_menu
from ivraudit.cli import main
from ivraudit.format.errors import MenuError
from ivraudit.format.numbers import MAX_RETRIES, MAX_SECONDS, MAX_WPM, MIN_WPM
from tests.test_solver import RING

NINES = "9" * 400

MENU = """\
ivraudit: 1
name: Numbers
{timing}nodes:
  main:
    prompt: "Welcome."
    options:
      - {{key: 1, label: opening hours, goto: hours{say}}}
      - {{key: 0, label: an adviser, goto: desk{say}}}
  hours: {{type: self_service, prompt: "We open at nine."}}
  desk: {{type: agent, hold_seconds: {hold}}}
"""


def menu(*, timing: str = "", say: str = "", hold: str = "30") -> str:
    return MENU.format(timing=f"timing: {{{timing}}}\n" if timing else "", say=say, hold=hold)


def run(tmp_path: Path, text: str, *args: str, config: str | None = None, name: str = "m.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if config is not None:
        (tmp_path / ".ivraudit.yaml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, [*args[:1], str(path), *args[1:]])
    return path, result


def one_error(result, where: str, message: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{where}: error: "), lines[0]
    assert message in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "at", "message"),
    [
        (menu(hold=NINES), "10:37", "'hold_seconds' must be a number from 0 to 86400"),
        (menu(timing=f"retries: {NINES}"), "3:19", "'retries' must be a whole number from 0"),
        (menu(hold="1.0e+308"), "10:37", "'hold_seconds' must be a number from 0 to 86400"),
        (menu(say=", say_seconds: 1.0e+308"), "7:66", "'say_seconds' must be a number from 0"),
        (menu(timing="speech_rate_wpm: .nan"), "3:27", "must be a finite number from 40 to 400"),
        (menu(timing="speech_rate_wpm: 1.0e-320"), "3:27", "must be a number from 40 to 400"),
        (menu(timing="speech_rate_wpm: 0"), "3:27", "must be a number from 40 to 400"),
        (menu(timing="response_seconds: .inf"), "3:28", "must be a finite number from 0 to"),
    ],
    ids=[
        "hold-400-nines",
        "retries-400",
        "hold-1e308",
        "say-1e308",
        "wpm-nan",
        "wpm-tiny",
        "wpm-0",
        "response-inf",
    ],
)
def test_bad_numbers_in_a_menu_are_one_located_line(
    tmp_path: Path, text: str, at: str, message: str
) -> None:
    for command in ("score", "check"):
        path, result = run(tmp_path, text, command)
        one_error(result, f"{path}:{at}", message)


def test_a_prompt_of_1e308_seconds_is_refused_before_anything_overflows(tmp_path: Path) -> None:
    text = menu(hold="1.0e+308").replace('prompt: "Welcome."', "prompt_seconds: 1.0e+308")
    path, result = run(tmp_path, text, "score", "--format", "json")
    one_error(result, f"{path}:5:21", "'prompt_seconds' must be a number from 0 to 86400")
    assert result.stdout == ""


def test_the_largest_numbers_allowed_give_finite_json(tmp_path: Path) -> None:
    # Issue 6: two say_seconds of 1e308 gave Infinity, which is not JSON. At the bound,
    # every figure stays finite and the report parses.
    text = menu(say=", say_seconds: 86400", hold="86400", timing="retries: 100")
    _, result = run(tmp_path, text, "score", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    # The prompt (1 word at 150 wpm: 0.4 s), both options (2 x 86400 s), a 1 s answer,
    # then the hold: key 0 is spoken second, so both options are heard.
    assert data["metrics"]["time_to_human_seconds"] == pytest.approx(0.4 + 2 * 86400 + 1 + 86400)


def test_huge_shares_are_refused_and_large_ones_normalise_correctly(tmp_path: Path) -> None:
    branch = """\
ivraudit: 1
name: Shares
nodes:
  hours:
    type: branch
    routes:
      - {{when: open, share: {a}, goto: desk}}
      - {{when: closed, share: {b}, goto: late}}
  desk: {{type: agent, hold_seconds: 10}}
  late: {{type: agent, hold_seconds: 30}}
"""
    # Issue 6: shares of 1e308 overflowed their sum, so every probability became 0 and the
    # menu scored time to a person 0.0 s and 100 points.
    path, result = run(tmp_path, branch.format(a="1.0e+308", b="1.0e+308"), "score")
    one_error(result, f"{path}:7:29", "'share' must be a number from 0 to 1000000000000000")
    _, result = run(tmp_path, branch.format(a="1.0e+15", b="1.0e+15"), "score", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["metrics"]["time_to_human_seconds"] == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("config", "at", "message"),
    [
        ("fail-under: 200\n", "1:1", "'fail-under' must be a number from 0 to 100"),
        ("fail-under: .nan\n", "1:1", "'fail-under' must be a finite number"),
        ("max-time-to-human: .nan\n", "1:1", "'max-time-to-human' must be a finite number"),
        (f"max-time-to-human: {NINES}\n", "1:1", "'max-time-to-human' must be a number"),
        (f"timing: {{hold: 1, retries: {NINES}}}\n", "1:10", "'timing' sets some of"),
        (f"timing: {{retries: {NINES}}}\n", "1:10", "'retries' must be a whole number"),
        ("timing: {speech_rate_wpm: 0}\n", "1:10", "'speech_rate_wpm' must be a number"),
        (f"rules:\n  max-depth: {{max_presses: {NINES}}}\n", "2:15", "max_presses' must be"),
    ],
    ids=[
        "fail-under-200",
        "fail-under-nan",
        "max-time-nan",
        "max-time-400",
        "timing-unknown",
        "timing-retries-400",
        "timing-wpm-0",
        "rule-option-400",
    ],
)
def test_bad_numbers_in_a_config_are_one_located_line(
    tmp_path: Path, config: str, at: str, message: str
) -> None:
    _, result = run(tmp_path, menu(), "check", config=config)
    one_error(result, f"{tmp_path / '.ivraudit.yaml'}:{at}", message)


def test_nan_in_a_pyproject_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ivraudit]\nfail-under = nan\n")
    _, result = run(tmp_path, menu(), "check")
    one_error(result, f"{tmp_path / 'pyproject.toml'}:2:1", "'fail-under' must be a finite")


@pytest.mark.parametrize(
    "flag",
    [
        ("--fail-under", "nan"),
        ("--fail-under", "inf"),
        ("--fail-under", "200"),
        ("--max-time-to-human", "nan"),
        ("--max-time-to-human", "inf"),
        ("--max-time-to-human", NINES),
    ],
)
def test_bad_numbers_on_the_command_line_are_usage_errors(
    tmp_path: Path, flag: tuple[str, str]
) -> None:
    # Issue 6: nan passed click's range check, and every comparison with nan is false,
    # so the gate could never fail.
    _, result = run(tmp_path, menu(), "check", *flag)
    assert result.exit_code == 2
    assert flag[0] in result.stderr
    assert "Traceback" not in result.output


def test_a_gate_of_nan_no_longer_passes_what_it_should_fail(tmp_path: Path) -> None:
    _, result = run(tmp_path, menu(hold="600"), "check", "--max-time-to-human", "60")
    assert result.exit_code == 1


def test_the_ring_is_exact_through_the_cli(tmp_path: Path) -> None:
    _, result = run(tmp_path, RING, "score", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["metrics"]["time_to_human_seconds"] == 10_000_000.0


def test_a_loop_left_too_rarely_for_a_float_is_a_located_error(tmp_path: Path) -> None:
    # 1e-320 is a valid share, but 10 s / 1e-320 is beyond any float: say so, not "never".
    text = RING.replace("0.999999", "1").replace("0.000001", "1.0e-320")
    path, result = run(tmp_path, text, "score")
    one_error(result, f"{path}:1:1", "an expected time is too large to compute")
    with pytest.raises(MenuError, match="too large to compute"):
        audit_menu(loads_menu(text, "ring.yaml"))


def test_the_documented_ranges_are_the_enforced_ones(root: Path) -> None:
    doc = (root / "docs" / "menu-format.md").read_text(encoding="utf-8")
    for figure in (MAX_SECONDS, MIN_WPM, MAX_WPM, MAX_RETRIES):
        assert f"{int(figure):,}" in doc or str(int(figure)) in doc
