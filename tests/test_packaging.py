"""What pip installs: tested lower bounds, project links users can follow, real package data."""

from __future__ import annotations

import re
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT

from ivraudit.cli import DOCS_URL, main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - tomli is a dependency below 3.11
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONSTRAINTS = ROOT / ".ci" / "constraints-oldest.txt"


def lower_bounds() -> dict[str, str]:
    """Return each dependency's `>=` bound from pyproject.toml, runtime and test alike."""
    project = PYPROJECT["project"]
    bounds = {}
    for spec in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        found = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([^\s,;]+)", spec)
        assert found, f"{spec!r} has no tested lower bound (name>=version)"
        bounds[found[1].lower()] = found[2]
    return bounds


def pinned() -> dict[str, str]:
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("==") for line in lines if line.strip() and not line.startswith("#"))
    return {name.strip().lower(): version.strip() for name, version in pairs}


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_oldest_set_ci_runs_is_exactly_the_lower_bounds() -> None:
    bounds, pins = lower_bounds(), pinned()
    assert pins.keys() == bounds.keys()
    for name, bound in bounds.items():
        # pyproject may say 8.1 where the pin says 8.1.0: the same release.
        assert _release(pins[name]) == _release(bound) + (0,) * (
            len(_release(pins[name])) - len(_release(bound))
        ), name


def test_help_points_to_the_documentation_of_project_urls() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert {"Homepage", "Documentation", "Issues"} <= urls.keys()
    assert urls["Documentation"] == DOCS_URL
    assert DOCS_URL.startswith(urls["Homepage"])
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert DOCS_URL in result.stdout


def test_every_package_data_pattern_names_files() -> None:
    package = ROOT / "ivraudit"
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["ivraudit"]:
        assert any(p.is_file() for p in package.glob(pattern)), pattern


def test_readme_shows_what_the_first_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's excerpt of `ivraudit score menus/city_cabs.yaml` is real output."""
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = re.search(r"```text\n(.*?)```", readme, re.S)
    assert excerpt, "the README shows no output"
    result = CliRunner().invoke(
        main, ["score", "menus/city_cabs.yaml", "--width", "80", "--no-color"]
    )
    assert result.exit_code == 0
    printed = result.stdout
    at = 0
    for part in excerpt[1].split("⋮\n"):  # each part appears whole, in order
        assert part.strip()
        found = printed.find(part, at)
        assert found >= 0, f"not in today's output (refresh the README):\n{part}"
        at = found + len(part)


def test_ci_starts_with_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"```sh\n(python3 -m venv .*pytest -q)\n```", readme)
    assert command, "the README shows no test command"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # The set-up of the browser for the HTML report's tests comes first, in its own block.
    ci = re.sub(r"# --- browser .*?# --- end browser[^\n]*\n", "", ci, flags=re.S).splitlines()
    steps = [line for line in ci if line and not line.startswith(("#", "set ", "cd ", "failed="))]
    assert steps[0].startswith(command[1] + " ")
