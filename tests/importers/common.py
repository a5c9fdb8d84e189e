"""What the importer tests share: the check that an imported menu scores as its export,
and the nodes a menu reaches."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from ivraudit.cli import main
from ivraudit.format.model import Menu


def run(*args: str):
    """Return the result of running ivraudit with these arguments."""
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write `text`, dedented, as a file `name` in `tmp_path`."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def _score(path: Path) -> dict:
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_imports_as_it_scores(export: Path, tmp_path: Path) -> None:
    """Assert that `ivraudit import` writes a menu with the export's score, figures and
    findings (their positions aside: they point into the written file)."""
    written = tmp_path / "imported.yaml"
    result = CliRunner().invoke(main, ["import", str(export), "-o", str(written)])
    assert result.exit_code == 0, result.output
    before, after = _score(export), _score(written)
    assert (after["score"], after["metrics"]) == (before["score"], before["metrics"])

    def findings(report: dict) -> list:
        return sorted((f["rule"], f["node"], f["message"]) for f in report["findings"])

    assert findings(after) == findings(before)


def reachable(menu: Menu, start: str | None = None) -> set[str]:
    """Return the ids of the nodes a call can reach from `start` (the entry by default)."""
    seen, todo = set(), [start or menu.entry]
    while todo:
        node = menu.node(todo.pop())
        if node.id in seen:
            continue
        seen.add(node.id)
        todo += [o.goto for o in node.options] + [r.goto for r in node.routes]
        todo += [h.goto for h in (node.no_input, node.no_match) if h is not None]
        todo += [node.next] if node.next else []
    return seen
