"""Menu text is data in every report: markup, escape sequences and line breaks are shown,
never obeyed, and a name no output can encode is refused where it is read."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.report.safe import json_text, one_line
from tests.conftest import FIXTURES

CONTRACT = FIXTURES / "city_cabs_contract.yaml"

# What a name or label may hold: rich markup, an OSC 8 hyperlink, an ESC colour and
# a terminal title, a line break that starts a Markdown heading and an image, a bidi
# override, and a mention.
HOSTILE_NAME = (
    "[red]Red[/red] [link=https://evil.example]click[/link]\n# Heading\n"
    "![x](https://evil.example/x.png) @octocat \x1b]0;title\x07 \u202eevil"
)
HOSTILE_LABEL = "[bold]x\x1b[31mRED\nsecond line\r\x9b2J"
HOSTILE_INTENT = "[/bold]"
# Quoted by a finding (no node handles it).
UNHANDLED = "lost\x1b[31m\nitem\r\x9b2J"


def hostile_menu(tmp_path: Path) -> Path:
    """Write a menu whose every piece of free text is hostile, with findings that quote it."""
    menu = {
        "ivraudit": 1,
        "name": HOSTILE_NAME,
        "intents": {HOSTILE_INTENT: 0.5, "a\x1b[31mb": 0.4, UNHANDLED: 0.1},
        "nodes": {
            "main": {
                "prompt": "Hi.\x1b[2J",
                "options": [
                    {"key": "1", "label": HOSTILE_LABEL, "goto": "desk"},
                    {"key": "1", "label": "[link=https://e.x]L[/link]", "goto": "desk"},
                    {"key": "2", "label": "please hold", "goto": "gone"},
                ],
            },
            "gone": {"type": "hangup"},
            "desk": {
                "type": "agent",
                "hold_seconds": 10,
                "handles": [HOSTILE_INTENT, "a\x1b[31mb"],
            },
        },
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(menu), encoding="utf-8")
    return path


# Controls a report may hold: line breaks between lines (and ESC only as SGR colour).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


FORMATS = [
    ("score", "text"),
    ("score", "json"),
    ("score", "html"),
    ("check", "text"),
    ("check", "github"),
    ("check", "junit"),
    ("check", "sarif"),
    ("check", "markdown"),
    ("check", "json"),
]


@pytest.mark.parametrize(("command", "fmt"), FORMATS, ids=[f"{c}-{f}" for c, f in FORMATS])
def test_no_control_character_reaches_any_report(tmp_path: Path, command: str, fmt: str) -> None:
    result = run(command, str(hostile_menu(tmp_path)), "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    assert not RAW_CONTROL.findall(result.stdout)
    assert "\\x1b" in result.stdout or "\\u001b" in result.stdout  # shown, not dropped


def test_markup_in_menu_text_is_printed_not_rendered(tmp_path: Path) -> None:
    """`[/bold]` raised MarkupError; `[red]` and `[link=...]` were rendered."""
    result = run("score", str(hostile_menu(tmp_path)), "--color", "--width", "160")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[red]Red[/red] [link=https://evil.example]click[/link]" in out
    assert "[/bold]" in out and "[link=https://e.x]L[/link]" in out
    assert "\x1b]8;" not in out  # no OSC 8 hyperlink
    # Colour is the only escape sequence: SGR, nothing else.
    assert not re.sub(r"\x1b\[[0-9;]*m", "", out).count("\x1b")


def test_a_label_with_a_line_break_stays_one_finding_line(tmp_path: Path) -> None:
    result = run("check", str(hostile_menu(tmp_path)), "--format", "text")
    lines = [ln for ln in result.stdout.splitlines() if not ln.startswith("  suggest: ")]
    for line in lines[:-2]:  # each finding, then the verdict (and its suggestions), the total
        assert re.match(r"^\S+:\d+:\d+: (error|warning|info) IVR\d{3} ", line), line
    assert any("intent 'lost\\x1b[31m\\nitem\\r\\x9b2J'" in line for line in lines)


def test_markdown_cannot_be_given_headings_images_or_mentions(tmp_path: Path) -> None:
    result = run("check", str(hostile_menu(tmp_path)), "--format", "markdown")
    out = result.stdout
    assert [ln for ln in out.splitlines() if ln.startswith("#")] == [
        "## ivraudit: 1 of 1 menu failed"
    ]
    assert "![x](" not in out and "\n# Heading" not in out
    assert "@octocat" not in out  # escaped as \@octocat: no notification


def test_json_reports_keep_the_text_exactly(tmp_path: Path) -> None:
    for command in ("score", "check"):
        out = json.loads(run(command, str(hostile_menu(tmp_path)), "--format", "json").stdout)
        menu = out if command == "score" else out["menus"][0]
        assert menu["name"] == HOSTILE_NAME


def test_junit_and_sarif_are_well_formed(tmp_path: Path) -> None:
    menu = str(hostile_menu(tmp_path))
    ET.fromstring(run("check", menu, "--format", "junit").stdout)
    sarif = json.loads(run("check", menu, "--format", "sarif").stdout)
    assert sarif["runs"][0]["results"]


def test_diff_reports_are_safe_too(tmp_path: Path) -> None:
    menu = hostile_menu(tmp_path)
    for fmt in ("text", "json", "markdown"):
        result = run("diff", str(CONTRACT), str(menu), "--format", fmt)
        assert result.exit_code == 0, result.output
        assert not RAW_CONTROL.findall(result.stdout)


def test_a_lone_surrogate_is_a_located_error_and_the_other_files_still_report(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "surrogate.json"
    bad.write_text(
        '{"ivraudit": 1, "name": "x \\ud800 y", "nodes": {"a": {"type": "agent"}}}',
        encoding="utf-8",
    )
    for fmt in ("text", "json"):
        result = run("score", str(bad), str(CONTRACT), "--format", fmt)
        assert result.exit_code == 2
        assert result.stderr == (
            f"{bad}:1:25: error: text holds a lone surrogate (U+D800), which is not a "
            "character: write the character itself, or both halves of its pair\n"
        )
        assert "City Cabs" in result.stdout


def test_a_surrogate_pair_is_one_character_and_fine(tmp_path: Path) -> None:
    good = tmp_path / "emoji.json"
    good.write_text(
        '{"ivraudit": 1, "name": "taxi \\ud83d\\ude95", "nodes": {"a": {"type": "agent"}}}'
    )
    result = run("score", str(good), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["name"] == "taxi \U0001f695"


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes on POSIX only")
def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(
    tmp_path: Path,
) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")  # Python keeps the byte as a lone surrogate
    try:
        (tmp_path / name).write_bytes(CONTRACT.read_bytes())
    except (OSError, UnicodeEncodeError):  # pragma: no cover - a file system that refuses
        pytest.skip("the file system refuses the name")
    for fmt in ("text", "json"):
        result = run("score", str(tmp_path / name), "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "caf\ufffd.yaml" in result.stdout
    result = run("check", str(tmp_path), "--format", "sarif")
    assert result.exit_code == 0 and "caf%EF%BF%BD.yaml" in result.stdout


def test_one_line_keeps_every_printable_character() -> None:
    text = "Grüß Gott, 你好, مرحبا, नमस्ते, \u200dzwj \u200cznj, tab\there"
    assert one_line(text) == text.replace("\t", "\\t")
    assert one_line("a\nb\x1b\u2028\ud800") == "a\\nb\\x1b\\u2028\\ud800"


def test_json_text_refuses_nan_and_escapes_c1_controls() -> None:
    with pytest.raises(ValueError):
        json_text({"x": float("nan")})
    assert json_text({"x": "\x9b\u202e"}) == '{\n  "x": "\\u009b\\u202e"\n}\n'


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names may hold control characters")
def test_control_characters_in_a_file_name_are_shown_as_escapes(tmp_path: Path) -> None:
    good = tmp_path / "red\x1b[31m\nname.yaml"
    good.write_bytes(CONTRACT.read_bytes())
    bad = tmp_path / "bad\x1b]0;x\x07.yaml"
    bad.write_text("ivraudit: 1\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert not RAW_CONTROL.findall(result.output)
    assert "red\\x1b[31m\\nname.yaml" in result.stdout
    assert result.stderr.startswith(f"{tmp_path}/bad\\x1b]0;x\\x07.yaml:1:1: error: ")
