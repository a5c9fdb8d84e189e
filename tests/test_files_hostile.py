"""Files the tool reads or writes, made hostile: other line breaks, a logo that is a pipe
or a device, links planted in an output folder, empty paths, names at the length limit
and a pyproject that is not one. Each ends in one line and exit 2, or in files written
only inside -o."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import FIXTURES, ROOT

CONTRACT = FIXTURES / "city_cabs_contract.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
posix_only = pytest.mark.skipif(os.name != "posix", reason="pipes, devices and links of POSIX")


def run(*args: str, cwd: Path | None = None):
    """Run the command in this process; stderr apart."""
    if cwd is None:
        return CliRunner().invoke(main, list(args))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def run_apart(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command in its own process, for inputs that could hang it or fill memory:
    a generous timeout guards against a hang, an address-space cap against /dev/zero."""

    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "ivraudit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        check=False,
    )


def one_error_line(stderr: str) -> str:
    (line,) = [ln for ln in stderr.splitlines() if ln.strip()]
    assert "Traceback" not in stderr and "internal error" not in line, stderr
    return line


# --- 1. YAML with line breaks other than LF -------------------------------------------

BREAKS = {"cr": "\r", "crlf": "\r\n", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}
BAD_ENDINGS = {
    # What goes wrong, on the last line, and the message it must give there.
    "colon": ("  bad: x: y", 9, "a ': ' inside unquoted text starts a mapping"),
    "flow-hash": ("bad: {key: # c", 12, "an unquoted # starts a comment"),
    "unknown-key": ("bogus: 1", 1, "unknown key 'bogus'"),
    "suppression": ("# ivraudit: ignore[] because", 1, "name the rules to ignore"),
    "control": ("  \x07", 3, "control characters are not allowed"),
}


@pytest.mark.parametrize("ending", BAD_ENDINGS, ids=list(BAD_ENDINGS))
@pytest.mark.parametrize("name", BREAKS, ids=list(BREAKS))
def test_line_breaks_yaml_counts_give_the_line_yaml_counts(
    tmp_path: Path, name: str, ending: str
) -> None:
    lines = CONTRACT.read_text(encoding="utf-8").rstrip("\n").split("\n")
    extra, column, message = BAD_ENDINGS[ending]
    menu = tmp_path / f"{name}.yaml"
    menu.write_bytes(BREAKS[name].join([*lines, extra]).encode("utf-8"))
    result = run("check", str(menu))
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert line.startswith(f"{menu}:{len(lines) + 1}:{column}: error: "), line
    assert message in line


@pytest.mark.parametrize("name", BREAKS, ids=list(BREAKS))
def test_a_nul_byte_after_other_line_breaks_is_on_its_own_line(tmp_path: Path, name: str) -> None:
    menu = tmp_path / "m.yaml"
    menu.write_bytes(BREAKS[name].join(["ivraudit: 1", "name: x", "  y: \0"]).encode("utf-8"))
    result = run("score", str(menu))
    assert result.exit_code == 2
    assert one_error_line(result.stderr) == (
        f"{menu}:3:6: error: binary content (a NUL byte): not a menu file"
    )


@pytest.mark.parametrize("name", ["cr", "ls"])
def test_a_config_with_other_line_breaks_is_located_too(tmp_path: Path, name: str) -> None:
    menu = tmp_path / "m.yaml"
    menu.write_bytes(CONTRACT.read_bytes())
    config = tmp_path / ".ivraudit.yaml"
    text = BREAKS[name].join(["# a config", "fail-on: error", "report:", "  title: a: b"])
    config.write_bytes(text.encode("utf-8"))
    result = run("check", str(menu))
    assert result.exit_code == 2
    assert one_error_line(result.stderr).startswith(f"{config}:4:")


def test_an_export_with_lone_cr_names_its_placeholder(tmp_path: Path) -> None:
    # JSON counts lines at LF only, so the whole file is line 1, as the parser said.
    flow = tmp_path / "flow.json"
    flow.write_bytes(b'{"Version": "2019-10-30",\r "StartAction": "a",\r "Actions": [${a}]}')
    result = run("score", str(flow))
    assert result.exit_code == 2
    assert one_error_line(result.stderr).startswith(
        f"{flow}:1:61: error: template placeholder '${{a}}' where a value belongs"
    )


# --- 2. The logo: read only for a report, a regular file only -------------------------


@posix_only
def test_a_logo_that_is_a_pipe_never_makes_check_or_score_wait(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_bytes(CONTRACT.read_bytes())
    os.mkfifo(tmp_path / "logo.png")
    (tmp_path / ".ivraudit.yaml").write_text("report:\n  title: T\n  logo: logo.png\n")
    for args in (
        ["check", "m.yaml"],
        ["score", "m.yaml"],
        ["score", "m.yaml", "--logo", "logo.png"],
    ):
        done = run_apart(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    done = run_apart("report", "m.yaml", "-o", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (
        f"{tmp_path / '.ivraudit.yaml'}:3:3: error: cannot read logo {tmp_path / 'logo.png'}: "
        "it is a named pipe, not a regular file"
    )
    assert not (tmp_path / "out").exists()  # nothing written half-way
    done = run_apart("score", "m.yaml", "--format", "html", "--logo", "logo.png", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    line = one_error_line(done.stderr)
    # (`python -m ivraudit score` names itself so; the console script `ivraudit score`.)
    assert "ivraudit score: error: invalid value for '--logo': cannot read logo" in line
    assert "a named pipe, not a regular file (see '" in line


@posix_only
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_logo_that_links_to_dev_zero_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_bytes(CONTRACT.read_bytes())
    (tmp_path / "zero.png").symlink_to("/dev/zero")
    done = run_apart("report", "m.yaml", "-o", "out", "--logo", "zero.png", cwd=tmp_path)
    assert done.returncode == 2
    assert "cannot read logo zero.png: it is a device, not a regular file" in one_error_line(
        done.stderr
    )
    (tmp_path / ".ivraudit.yaml").write_text("report:\n  logo: zero.png\n")
    done = run_apart("score", "m.yaml", "--format", "html", cwd=tmp_path)
    assert done.returncode == 2
    assert one_error_line(done.stderr).startswith(f"{tmp_path / '.ivraudit.yaml'}:2:3: error: ")


def test_a_logo_over_the_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(PNG + b"\0" * (256 * 1024))
    out = tmp_path / "p.html"
    result = run("score", str(CONTRACT), "--format", "html", "--logo", str(big), "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert "is larger than 256 KiB" in one_error_line(result.stderr)


def test_a_missing_logo_matters_only_to_a_report(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_bytes(CONTRACT.read_bytes())
    (tmp_path / ".ivraudit.yaml").write_text("report:\n  logo: gone.png\n")
    assert run("check", str(tmp_path / "m.yaml")).exit_code == 0
    result = run("report", str(tmp_path / "m.yaml"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert one_error_line(result.stderr).startswith(f"{tmp_path / '.ivraudit.yaml'}:2:3: error:")


# --- 3. Links planted in an output folder ---------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@posix_only
def test_report_replaces_links_in_its_folder_and_leaves_their_targets(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim").write_text("do not touch\n")
    (outside / "kept.html").write_text("mine\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").symlink_to("../outside/victim")
    (out / "city_cabs_contract.html").symlink_to(outside / "kept.html")
    (out / "telecom_hell.html").symlink_to("../outside/not-yet")  # dangling
    os.link(outside / "victim", out / "hard.html")  # hard links share the file
    before = _snapshot(outside)
    menus = [str(CONTRACT), str(ROOT / "menus/telecom_hell.yaml")]
    result = run("report", *menus, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert _snapshot(outside) == before  # nothing outside -o changed or appeared
    for name in ("index.html", "city_cabs_contract.html", "telecom_hell.html"):
        page = out / name
        assert not page.is_symlink() and page.read_text(encoding="utf-8").startswith("<!")


@posix_only
def test_a_pipe_planted_in_the_folder_is_replaced_not_waited_on(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "index.html")
    done = run_apart("report", str(CONTRACT), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file()


@posix_only
def test_suggest_write_dir_replaces_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.yaml"
    victim.write_text("precious\n")
    out = tmp_path / "suggested"
    out.mkdir()
    (out / "telecom_hell.yaml").symlink_to(victim)
    result = run("suggest", str(ROOT / "menus/telecom_hell.yaml"), "--write-dir", str(out))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious\n"
    assert not (out / "telecom_hell.yaml").is_symlink()
    assert "ivraudit: 1" in (out / "telecom_hell.yaml").read_text(encoding="utf-8")


@posix_only
def test_a_named_output_file_that_is_a_link_still_updates_what_it_names(tmp_path: Path) -> None:
    # The documented behaviour for `-o FILE`, which the user names: the link stays.
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run("score", str(CONTRACT), "--format", "json", "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{")


# --- 4. Empty paths and empty --only ---------------------------------------------------

EMPTY = {
    "score -o": (["score", str(CONTRACT), "-o", ""], "'-o' / '--output'"),
    "check -o": (["check", str(CONTRACT), "-o", ""], "'-o' / '--output'"),
    "report -o": (["report", str(CONTRACT), "-o", ""], "'-o' / '--output'"),
    "diff -o": (["diff", str(CONTRACT), str(CONTRACT), "-o", ""], "'-o' / '--output'"),
    "schema -o": (["schema", "-o", ""], "'-o' / '--output'"),
    "import -o": (["import", str(CONTRACT), "-o", ""], "'-o' / '--output'"),
    "suggest -o": (["suggest", str(CONTRACT), "-o", ""], "'-o' / '--output'"),
    "--write": (["suggest", str(CONTRACT), "--write", ""], "'--write'"),
    "--write-dir": (["suggest", str(CONTRACT), "--write-dir", ""], "'--write-dir'"),
    "--only ''": (["suggest", str(CONTRACT), "--only", "", "--write", "x.yaml"], "'--only'"),
    "--only ,,,": (["suggest", str(CONTRACT), "--only", ",,,", "--write", "x.yaml"], "'--only'"),
}


@pytest.mark.parametrize("case", EMPTY, ids=list(EMPTY))
def test_an_empty_path_or_id_list_is_a_usage_error(tmp_path: Path, case: str) -> None:
    args, flag = EMPTY[case]
    result = run(*args, cwd=tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    command = args[0]
    assert re.fullmatch(
        rf"ivraudit {command}: error: invalid value for {re.escape(flag)}: .+ "
        rf"\(see 'ivraudit {command} --help'\)",
        one_error_line(result.stderr),
    )
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder


# --- 5. Menu file names at the length limit -------------------------------------------


@posix_only
def test_a_255_byte_menu_name_gets_a_page_the_index_links_to(tmp_path: Path) -> None:
    menus = tmp_path / "menus"
    menus.mkdir()
    names = ["a" * 250 + ".yaml", "a" * 249 + "b.yaml", "A" * 250 + ".yaml", "short.yaml"]
    for name in names:
        (menus / name).write_bytes(CONTRACT.read_bytes())
    out = tmp_path / "out"
    result = run("report", str(menus), "-o", str(out))
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    links = sorted(set(re.findall(r'href="([^"#]+\.html)"', index)))
    assert len(links) == len(names)  # distinct, one per menu
    for link in links:
        assert len(link.encode()) <= 120 and (out / link).is_file(), link
    again = tmp_path / "again"
    assert run("report", str(menus), "-o", str(again)).exit_code == 0
    assert _snapshot(again) == _snapshot(out)  # deterministic names and bytes


@posix_only
def test_a_named_output_file_at_the_length_limit_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 250 + ".json")  # its temporary name would be too long
    result = run("score", str(CONTRACT), "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("{")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# --- 6. --only with an unknown id ------------------------------------------------------


def test_an_unknown_only_id_names_at_most_five_near_ones(tmp_path: Path) -> None:
    menu = str(ROOT / "menus/telecom_hell.yaml")
    out = tmp_path / "x.yaml"
    result = run("suggest", menu, "--only", "zero-out:mian", "--write", str(out))
    assert result.exit_code == 2 and not out.exists()
    line = one_error_line(result.stderr)
    assert len(line) < 200, line
    near = line.split("nearest: ", 1)[1].split(", ")
    assert near[0] == "zero-out:main" and 1 <= len(near) <= 5
    result = run("suggest", menu, "--only", "nope:x", "--write", str(out))
    assert result.exit_code == 2 and not out.exists()
    line = one_error_line(result.stderr)
    assert len(line) < 200 and "no suggestion 'nope:x'" in line, line


# --- 7. A pyproject.toml that is no valid pyproject ------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("tool = 1\n", "1:1"),
        ('# a project\ntool = [1, 2]\n[project]\nname = "x"\n', "2:1"),
        ('tool = "ivraudit"\n', "1:1"),
        ("[tool]\nivraudit = 3\n", "2:1"),
    ],
    ids=["number", "list", "string", "ivraudit-number"],
)
def test_a_pyproject_whose_tool_is_no_table_is_refused(
    tmp_path: Path, text: str, where: str
) -> None:
    (tmp_path / "m.yaml").write_bytes(CONTRACT.read_bytes())
    (tmp_path / "pyproject.toml").write_text(text)
    for args in (["check", "m.yaml"], ["check", "m.yaml", "--config", "pyproject.toml"]):
        result = run(*args, cwd=tmp_path)
        assert result.exit_code == 2 and result.stdout == ""
        line = one_error_line(result.stderr)
        assert re.fullmatch(rf".*pyproject\.toml:{where}: error: .*must be a table.*", line)
