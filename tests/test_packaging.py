"""What pip installs: tested lower bounds, project links users can follow, real package data."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from ivraudit.cli import DOCS_URL, main
from tests.conftest import ROOT

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


def pinned(python: str) -> dict[str, str]:
    """Return the pins .ci/run installs on Python `python` ("3.10"), markers applied."""
    pins: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        req = Requirement(line)
        if req.marker and not req.marker.evaluate({"python_version": python}):
            continue
        assert req.name.lower() not in pins, f"two pins of {req.name} on Python {python}"
        (spec,) = req.specifier
        assert spec.operator == "==", line
        pins[req.name.lower()] = spec.version
    return pins


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def supported() -> list[str]:
    """Return each Python the classifiers claim, oldest first ("3.10", ...)."""
    prefix = "Programming Language :: Python :: "
    found = [c.removeprefix(prefix) for c in PYPROJECT["project"]["classifiers"]]
    return sorted((v for v in found if re.fullmatch(r"3\.\d+", v)), key=_release)


def test_the_oldest_set_ci_runs_is_exactly_the_lower_bounds() -> None:
    """On the oldest Python each pin is its bound; a newer one may need a later release
    (one that builds there), never an older one."""
    bounds = lower_bounds()
    pythons = supported()
    assert pythons[0] == PYPROJECT["project"]["requires-python"].removeprefix(">=")
    for python in pythons:
        pins = pinned(python)
        assert pins.keys() == bounds.keys(), python
        for name, bound in bounds.items():
            # pyproject may say 8.1 where the pin says 8.1.0: the same release.
            pin, low = _release(pins[name]), _release(bound)
            low += (0,) * (len(pin) - len(low))
            if python == pythons[0]:
                assert pin == low, (name, python)
            else:
                assert pin >= low, (name, python)


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


# -- what a user installs: the sdist and the wheel built from it, as `python -m build` does


@dataclass(frozen=True)
class Built:
    """The sdist and the wheel built from the unpacked sdist: their file names."""

    sdist: list[str]
    wheel: list[str]
    metadata: str


def _build(step: str, source: Path, out: Path) -> Path:
    """Run one PEP 517 step of setuptools in `source`; return the file it made."""
    code = f"import sys; from setuptools import build_meta; print(build_meta.{step}(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    # A copy, so that the build's egg-info and build/ never land in the checkout.
    source = tmp_path_factory.mktemp("source")
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", ".hypothesis")
    for name in ("ivraudit", "tests"):
        shutil.copytree(ROOT / name, source / name, ignore=junk)
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        shutil.copy(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    sdist = _build("build_sdist", source, dist)
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
        tar.extractall(dist, filter="data") if sys.version_info >= (3, 12) else tar.extractall(dist)
    unpacked = dist / names[0].split("/")[0]
    wheel = _build("build_wheel", unpacked, dist)
    with zipfile.ZipFile(wheel) as whl:
        files = whl.namelist()
        metadata = whl.read(next(n for n in files if n.endswith(".dist-info/METADATA")))
    return Built([name.split("/", 1)[1] for name in names if "/" in name], files, metadata.decode())


def test_the_wheel_holds_every_file_the_package_reads(built: Built) -> None:
    """Templates, stylesheet, presets and py.typed: without them `report` exits 2."""
    for pattern in ("templates/*.j2", "templates/report.css", "presets/*.yaml", "py.typed"):
        found = sorted((ROOT / "ivraudit").glob(pattern))
        assert found, pattern
        for path in found:
            assert path.relative_to(ROOT).as_posix() in built.wheel, pattern
    # And in general: every file of the package that is not Python, nor a cache.
    data = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "ivraudit").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert data <= set(built.wheel)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in built.wheel)


def test_the_wheel_says_license_version_and_pythons(built: Built) -> None:
    import ivraudit

    head = built.metadata.split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in head
    assert f"Version: {ivraudit.__version__}" in head
    assert f"Requires-Python: {PYPROJECT['project']['requires-python']}" in head
    assert supported() == ["3.10", "3.11", "3.12", "3.13"]
    for python in supported():
        assert f"Classifier: Programming Language :: Python :: {python}" in head


def test_the_sdist_builds_the_package_and_leaves_the_tests_out(built: Built) -> None:
    """The tests need the whole repository, so they run from a clone (MANIFEST.in)."""
    assert {"pyproject.toml", "README.md", "LICENSE", "ivraudit/templates/report.css"} <= set(
        built.sdist
    )
    assert not [name for name in built.sdist if name.startswith("tests")]


def test_the_version_is_written_once() -> None:
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    attr = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "ivraudit.__version__"
    written = re.findall(r"\b\d+\.\d+\.\d+\b", (ROOT / "ivraudit" / "__init__.py").read_text())
    assert len(written) == 1


# The name a module is imported by -> the distribution that provides it.
DISTRIBUTION = {"yaml": "pyyaml"}


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """A module the package imports directly (markupsafe) is declared, not borrowed."""
    declared = {
        re.match(r"[A-Za-z0-9_.-]+", spec)[0].lower()  # type: ignore[index]
        for spec in PYPROJECT["project"]["dependencies"]
    }
    imported: set[str] = set()
    for path in (ROOT / "ivraudit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = {
        DISTRIBUTION.get(name, name)
        for name in imported
        if name not in sys.stdlib_module_names and name not in ("ivraudit", "tomllib")
    }
    assert "markupsafe" in third_party
    assert third_party <= declared, third_party - declared


# -- CI integration: the GitHub Action and the pre-commit hook


def _yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_the_action_installs_checks_uploads_then_fails_as_the_check_did() -> None:
    action = _yaml("action.yml")
    assert {"path", "args", "version", "python-version"} <= action["inputs"].keys()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/setup-python@")
    runs = [step.get("run", "") for step in steps]
    install = next(i for i, run in enumerate(runs) if "pip install" in run)
    check = next(i for i, run in enumerate(runs) if "ivraudit check" in run)
    upload = next(i for i, use in enumerate(uses) if "codeql-action/upload-sarif@" in use)
    verdict = next(i for i, run in enumerate(runs) if 'exit "$CODE"' in run)
    assert install < check < upload < verdict == len(steps) - 1
    # The check must not end the job before the upload: its exit code is kept for later.
    assert "set +e" in runs[check] and "--format sarif" in runs[check]
    assert "exit-code=" in runs[check]
    assert "github.action_path" in str(steps[install]["env"])
    # Inputs reach the scripts as environment variables, never pasted into them.
    for run in runs:
        assert "${{" not in run, run


def test_the_pre_commit_hook_takes_yaml_and_json_menus() -> None:
    (hook,) = _yaml(".pre-commit-hooks.yaml")
    assert hook["id"] == "ivraudit"
    assert hook["entry"] == "ivraudit check"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["yaml", "json"]
    assert "files" not in hook and "types" not in hook
