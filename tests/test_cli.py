"""The `ivraudit` command through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import FIXTURES

CONTRACT = FIXTURES / "city_cabs_contract.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_score_json_is_one_object_per_the_contract() -> None:
    result = run("score", str(CONTRACT), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "City Cabs booking line"
    assert data["file"] == str(CONTRACT)
    assert isinstance(data["score"], int) and 0 <= data["score"] <= 100
    assert data["metrics"]["time_to_human_seconds"] == 36.6
    assert data["metrics"]["intent_seconds"] == {"taxi_now": 6.6, "book_later": 36.6}
    # Silence reaches the desk, but a wrong key three times cuts the call off.
    assert [
        (f["rule"], f["severity"], f["node"], f["line"], f["column"]) for f in data["findings"]
    ] == [("IVR402", "warning", "main", 6, 5)]
    assert list(data)[:5] == ["name", "file", "score", "metrics", "findings"]


def test_score_several_files_gives_a_list(tmp_path: Path) -> None:
    other = tmp_path / "copy.yaml"
    other.write_text(CONTRACT.read_text())
    result = run("score", str(CONTRACT), str(other), "--format", "json")
    assert result.exit_code == 0
    assert [d["file"] for d in json.loads(result.stdout)] == [str(CONTRACT), str(other)]


def test_score_a_folder_skips_nothing_but_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CONTRACT.read_text())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text(CONTRACT.read_text())
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.yaml").write_text("not: a menu")
    (tmp_path / "notes.txt").write_text("ignored")
    result = run("score", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [Path(d["file"]).name for d in json.loads(result.stdout)] == ["a.yaml", "b.yml"]


def test_bad_file_is_reported_and_the_others_still_scored(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ivraudit: 1\nname: x\nnodes:\n  a: {type: agnet}\n")
    result = run("score", str(CONTRACT), str(bad), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bad}:4:13: error: unknown node type 'agnet' (did you mean 'agent'? types: menu, "
        "message, input, branch, agent, self_service, callback, hangup)"
    ]
    assert [d["file"] for d in json.loads(result.stdout)] == [str(CONTRACT)]


def test_missing_file_exits_2_without_a_traceback() -> None:
    result = run("score", "no/such/menu.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == "no/such/menu.yaml:1:1: error: no such file or folder"
    assert "Traceback" not in result.output


def test_usage_error_exits_2() -> None:
    assert run("score").exit_code == 2
    assert run("score", str(CONTRACT), "--format", "xml").exit_code == 2


def test_text_report_shows_score_route_tree_and_intents() -> None:
    result = run("score", str(CONTRACT))
    assert result.exit_code == 0
    out = result.stdout
    assert "City Cabs booking line" in out
    assert "Score " in out and "/100" in out
    assert "main ─2→ desk  at 6.6 s + 30.0 s hold" in out
    assert "1  a taxi now → dispatch (self-service)  at 4.2 s" in out
    assert "wrong key → disconnect (hangup)  at 5.4 s" in out
    assert "Book later" in out and "36.6 s" in out


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "report.json"
    result = run("score", str(CONTRACT), "--format", "json", "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["score"] >= 0
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_reports_are_byte_identical_between_runs() -> None:
    for fmt in ("text", "json"):
        first = run("score", str(CONTRACT), "--format", fmt).stdout
        assert first == run("score", str(CONTRACT), "--format", fmt).stdout


def test_schema_command_prints_the_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["required"] == ["ivraudit", "name", "nodes"]


def test_help_teaches() -> None:
    out = run("score", "--help").output
    assert "ivraudit score menus/city_cabs.yaml" in out
    assert "--format" in out


def test_python_dash_m_runs_the_program() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "ivraudit", "score", str(CONTRACT), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["metrics"]["time_to_human_seconds"] == 36.6


def test_an_output_path_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("score", str(CONTRACT), "-o", str(blocker / "report.txt"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{blocker / 'report.txt'}: error: cannot write the report")
    assert "Traceback" not in result.output


def test_public_api_names_all_resolve() -> None:
    import ivraudit

    for name in ivraudit.__all__:
        assert getattr(ivraudit, name) is not None
    assert set(ivraudit.__all__) - {"__version__"} == set(ivraudit._EXPORTS)
