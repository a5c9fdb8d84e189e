"""Configs that are broken, hostile or not configs at all: a located line, never a crash,
never a hang, never a silent pass, and never another file's content in a message."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.errors import MenuError
from ivraudit.judge.config import MAX_CONFIG_BYTES, find_config, load_config
from tests.conftest import FIXTURES

CONTRACT = FIXTURES / "city_cabs_contract.yaml"
SECRET = "root:$6$s3cr3tHash:19000:0:99999:7:::"


def project(tmp_path: Path, name: str, text: str | bytes) -> Path:
    """Put a copy of a menu under a config file `name`; return the menu's path."""
    menu = tmp_path / "menus" / "cabs.yaml"
    menu.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTRACT, menu)
    config = tmp_path / name
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text, encoding="utf-8")
    return menu


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


@pytest.mark.parametrize(
    "text",
    ["[tool]\nother = 1\n", '[project]\nname = "x"\n'],
    ids=["other-tool", "no-tool"],
)
def test_a_pyproject_without_an_ivraudit_table_is_not_a_config(tmp_path: Path, text: str) -> None:
    menu = project(tmp_path, "pyproject.toml", text)
    assert find_config(menu) is None
    result = check(str(menu))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("tool.ivraudit = 1\n", "1:1", "[tool.ivraudit] must be a table of settings"),
        # PEP 518 makes `tool` a table: a file where it is not is no valid pyproject.
        ("tool = 1\n", "1:1", "not a valid pyproject.toml: 'tool' must be a table"),
        ('a = 1\ntool = "ivraudit"\n', "2:1", "not a valid pyproject.toml: 'tool' must be"),
        ('tool = ["ivraudit"]\n', "1:1", "not a valid pyproject.toml: 'tool' must be a table"),
        ("[tool]\nivraudit = 3\n", "2:1", "[tool.ivraudit] must be a table of settings"),
        ("[tool.ivraudit]\nfail-on = \n", "2:11", "invalid TOML: Invalid value"),
        ('[tool.ivraudit]\nfail-on = "warning"\n[bad\n', "3:5", "invalid TOML: Expected ']'"),
        (b'[tool.ivraudit]\nfail-on = "\xff"\n', "2:12", "invalid UTF-8"),
    ],
    ids=[
        "not-a-table",
        "tool-number",
        "tool-text",
        "tool-list",
        "ivraudit-number",
        "syntax",
        "unclosed-table",
        "not-utf8",
    ],
)
def test_a_broken_pyproject_is_a_located_error_not_a_silent_pass(
    tmp_path: Path, text: str | bytes, where: str, message: str
) -> None:
    menu = project(tmp_path, "pyproject.toml", text)
    result = check(str(menu))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{tmp_path / 'pyproject.toml'}:{where}: error: {message}"), line
    assert result.stdout == ""


def test_a_broken_pyproject_that_does_not_name_ivraudit_is_not_ours(tmp_path: Path) -> None:
    menu = project(tmp_path, "pyproject.toml", "[project\nname = 'x'\n")
    assert find_config(menu) is None
    assert check(str(menu)).exit_code == 0


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_extends_a_device_is_refused_without_reading_it(tmp_path: Path, target: str) -> None:
    menu = project(tmp_path, ".ivraudit.yaml", f"extends: {target}\n")
    result = check(str(menu))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / '.ivraudit.yaml'}:1:1: error: 'extends' names a preset (default, strict) "
        f"or a config file (.yaml, .yml, pyproject.toml), not '{target}'\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_config_named_like_yaml_that_is_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    menu = project(tmp_path, ".ivraudit.yaml", "extends: zero.yaml\n")
    result = check(str(menu))
    assert result.exit_code == 2
    assert "cannot read config: it is a device, not a regular file" in result.stderr
    result = check(str(menu), "--config", str(tmp_path / "zero.yaml"))
    assert result.exit_code == 2 and "it is a device" in result.stderr


def test_a_foreign_file_is_never_echoed(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    shadow.write_text(SECRET + "\nbin:*:19000::::::\n")
    menu = project(tmp_path, ".ivraudit.yaml", f"extends: {shadow}\n")
    for args in ([str(menu)], [str(menu), "--config", str(shadow)]):
        result = check(*args)
        assert result.exit_code == 2
        assert "s3cr3t" not in result.output and "99999" not in result.output
        assert len(result.stderr.splitlines()) == 1


def test_a_huge_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ".ivraudit.yaml"
    path.write_text("# x\n" * (MAX_CONFIG_BYTES // 4 + 1))
    with pytest.raises(MenuError, match="config is larger than 1 MiB"):
        load_config(path)


def test_control_characters_in_a_config_key_are_shown_as_escapes(tmp_path: Path) -> None:
    menu = project(tmp_path, ".ivraudit.yaml", '"sel\\e[31mect": []\n')
    result = check(str(menu))
    assert result.exit_code == 2
    assert "'sel\\x1b[31mect'" in result.stderr and "\x1b" not in result.stderr


def test_extends_with_a_nul_byte_is_refused(tmp_path: Path) -> None:
    menu = project(tmp_path, ".ivraudit.yaml", 'extends: "a\\0.yaml"\n')
    result = check(str(menu))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / '.ivraudit.yaml'}:1:1: error: 'extends' names a preset (default, strict) "
        "or a config file (.yaml, .yml, pyproject.toml), not 'a\\x00.yaml'\n"
    )


def test_a_number_too_long_for_python_is_a_located_error(tmp_path: Path) -> None:
    menu = project(tmp_path, "pyproject.toml", "[tool.ivraudit]\nfail-under = " + "9" * 5000 + "\n")
    result = check(str(menu))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / 'pyproject.toml'}:2:14: error: a number too long to be a setting\n"
    )
