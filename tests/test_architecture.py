"""The layout shows the pipeline: each stage imports only from the stages before it, the
package root holds few modules, and every package says what its stage takes and gives."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ivraudit
from tests.conftest import ROOT

PACKAGE = ROOT / "ivraudit"
# Each top-level module or package of ivraudit and its place in the pipeline: a module
# may import from its own stage and from earlier ones (docs/architecture.md).
STAGES = {
    "frozen": 0,
    "format": 1,
    "importers": 2,
    "discovery": 2,
    "analysis": 3,
    "judge": 4,
    "audit": 5,
    "suggest": 6,
    "diff": 7,
    "batch": 8,
    "simulate": 8,
    "report": 9,
    "cli": 10,
    "__main__": 11,
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _top(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imported(tree: ast.Module) -> list[tuple[int, str]]:
    """Return the ivraudit modules a module imports (line, top-level name), leaving out
    imports only type checkers run (`if TYPE_CHECKING:`)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != "ivraudit":
                continue
            if len(parts) > 1:
                found.append((node.lineno, parts[1]))
            else:  # from ivraudit import x: x is a module, or a public name
                found += [(node.lineno, a.name) for a in node.names if a.name in STAGES]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "ivraudit" and len(parts) > 1:
                    found.append((node.lineno, parts[1]))
    return found


def test_every_top_level_module_has_a_stage() -> None:
    tops = {_top(p) for p in _modules()} - {"__init__"}
    assert tops == set(STAGES), "give the new module a stage here and in docs/architecture.md"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_from_a_later_stage(path: Path) -> None:
    here = _top(path)
    if here == "__init__":  # the public API names every stage, importing each on first use
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    later = [
        f"line {line}: ivraudit.{name} (stage {STAGES[name]})"
        for line, name in _imported(tree)
        if STAGES.get(name, -1) > STAGES[here]
    ]
    assert not later, f"{path.name} (stage {STAGES[here]}) imports from later stages: {later}"


def test_the_direction_check_can_fail() -> None:
    tree = ast.parse(
        "from ivraudit.report import render\n"
        "import ivraudit.cli\n"
        "from ivraudit import batch\n"
        "if TYPE_CHECKING:\n    from ivraudit.cli import main\n"
    )
    assert _imported(tree) == [(1, "report"), (2, "cli"), (3, "batch")]


def test_the_root_holds_at_most_eight_modules() -> None:
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= 8, root


def test_no_module_is_over_700_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700
    }
    assert not long


def test_every_package_says_what_its_stage_takes_and_gives() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{init.relative_to(ROOT)} has no docstring"


def test_the_architecture_document_names_every_package() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name in STAGES:
        if (PACKAGE / name).is_dir():
            assert f"`{name}/`" in text, name


def test_the_public_api_is_unchanged() -> None:
    assert ivraudit.__all__ == [
        "Audit", "Config", "Finding", "Handler", "Menu", "MenuError", "Metrics", "Node",
        "Option", "Position", "Route", "Score", "Severity", "Step", "Suggestion",
        "Suggestions", "Timing", "__version__", "audit_file", "audit_menu", "build_graph",
        "compute_metrics", "dump_menu", "load_config", "load_menu", "loads_menu",
        "score_audit", "suggest_audit", "suggest_menu",
    ]  # fmt: skip
    for name in ivraudit.__all__:
        assert getattr(ivraudit, name) is not None, name


@pytest.mark.parametrize(
    ("old", "new"),
    [("ivraudit.loader", "ivraudit.format.loader"), ("ivraudit.rules", "ivraudit.judge.rules")],
)
def test_the_old_import_paths_still_work_and_warn(old: str, new: str) -> None:
    import importlib
    import sys

    for name in (old, f"{old}.x"):
        sys.modules.pop(name, None)
    with pytest.warns(DeprecationWarning, match=new):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)
    sys.modules.pop(old, None)
