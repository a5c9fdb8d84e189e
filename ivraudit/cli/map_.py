"""`ivraudit map`: the menu as a picture for slides and docs (Mermaid or Graphviz DOT)."""

from __future__ import annotations

import sys

import click

from ivraudit.cli.common import Importing, _audits, _collect, _write
from ivraudit.cli.options import _PATHS, _config_option, _import_options, _output_option
from ivraudit.cli.program import EXIT_INPUT


@click.command("map")
@click.argument("path", type=_PATHS)
@_config_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["svg", "mermaid", "dot"]),
    default="mermaid",
    show_default=True,
    help="mermaid: renders on GitHub and GitLab; dot: for Graphviz (dot -Tsvg).",
)
@_output_option("Write the picture here.")
@_import_options
def map_(
    path: str,
    config_path: str | None,
    fmt: str,
    output: str,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: str | None,
    calls: str | None,
) -> None:
    """Draw a menu as a flowchart: what callers hear on each node, the key and label on
    each option, a branch's shares; silence and wrong keys dashed.

    \b
    Examples:
      ivraudit map menus/city_cabs.yaml                      # Mermaid, to paste in Markdown
      ivraudit map menus/city_cabs.yaml --format dot | dot -Tsvg -o city_cabs.svg
      ivraudit map flow.json -o docs/flow.mmd                # a platform export works too
    """
    from ivraudit.report.mapexport import render_map

    files, missing = _collect((path,))
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls)
    audits, bad = _audits(files, config_path, importing=importing)
    if bad or missing or not audits:
        sys.exit(EXIT_INPUT)
    _write(render_map(audits[0], fmt), output, "the map")
