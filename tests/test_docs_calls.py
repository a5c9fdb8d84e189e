"""docs/calls.md quotes real output: each JSON block is what `ivraudit score --format
json` prints for the menu shown (or named) just before it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ivraudit.cli import main
from tests.conftest import ROOT

DOC = ROOT / "docs" / "calls.md"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.S | re.M)
_SCORED = re.compile(r"ivraudit score (menus/\S+\.yaml) --format json")


def _blocks() -> list[tuple[str, str]]:
    return [(m[1], m[2]) for m in _FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def _quoted() -> list[tuple[str, str | None, dict[str, Any]]]:
    """Return each JSON block with the menu it describes: YAML text, or a file of menus/."""
    found = []
    source: tuple[str, str | None] | None = None
    for lang, text in _blocks():
        if lang == "yaml":
            source = (text, None)
        elif lang == "sh" and (named := _SCORED.search(text)):
            source = ("", named[1])
        elif lang == "json":
            assert source is not None, f"a JSON block with no menu before it:\n{text}"
            found.append((source[0], source[1], json.loads(text)))
    return found


def _score(tmp_path: Path, yaml_text: str, path: str | None) -> dict[str, Any]:
    if path is None:
        menu = tmp_path / "menu.yaml"
        menu.write_text(yaml_text, encoding="utf-8")
        target = str(menu)
    else:
        target = str(ROOT / path)
    result = CliRunner().invoke(main, ["score", target, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _differences(quoted: Any, printed: Any, where: str = "") -> list[str]:
    """Return where `quoted` is not a part of `printed` (a dict may quote some keys)."""
    if isinstance(quoted, dict):
        if not isinstance(printed, dict):
            return [f"{where}: {printed!r} is no object"]
        out = []
        for key, value in quoted.items():
            if key not in printed:
                out.append(f"{where}.{key}: not printed")
            else:
                out += _differences(value, printed[key], f"{where}.{key}")
        return out
    return [] if quoted == printed else [f"{where}: the doc says {quoted!r}, printed {printed!r}"]


def test_the_doc_quotes_output_for_every_example() -> None:
    quoted = _quoted()
    assert len(quoted) >= 4
    assert {path for _, path, _ in quoted} >= {"menus/city_cabs.yaml", "menus/telecom_hell.yaml"}


@pytest.mark.parametrize("index", range(len(_quoted())))
def test_each_quoted_calls_object_is_what_score_prints(tmp_path: Path, index: int) -> None:
    yaml_text, path, quoted = _quoted()[index]
    printed = _score(tmp_path, yaml_text, path)
    assert _differences(quoted, printed) == []


def test_the_council_example_has_the_figures_the_prose_gives(tmp_path: Path) -> None:
    council = next(text for lang, text in _blocks() if lang == "yaml" and "Council" in text)
    metrics = _score(tmp_path, council, None)["metrics"]
    assert metrics["human_share"] == 0.6
    assert metrics["time_to_human_seconds"] == 123.4
    assert metrics["intent_seconds"] == {"repair": 123.4, "bins": 7.0}


def test_a_wrong_figure_in_the_doc_would_be_caught() -> None:
    printed = {"calls": {"seconds": 36.81, "queues": {"care": {"load": 0.6}}}}
    assert _differences({"calls": {"queues": {"care": {"load": 0.6}}}}, printed) == []
    assert _differences({"calls": {"seconds": 36.8}}, printed) == [
        ".calls.seconds: the doc says 36.8, printed 36.81"
    ]
    assert _differences({"calls": {"month": {}}}, printed) == [".calls.month: not printed"]
