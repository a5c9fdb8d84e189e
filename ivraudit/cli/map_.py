"""`ivraudit map`: the menu as a picture for slides and docs (SVG, Mermaid or Graphviz DOT)."""

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
    help="svg: a finished picture for slides and documents, laid out like the HTML "
    "report's map; mermaid: text that GitHub and GitLab draw in Markdown; dot: text for "
    "Graphviz (dot -Tsvg) and the tools that read it.",
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
    hold_seconds: tuple[str, ...],
    calls: str | None,
    open_share: float | None,
) -> None:
    """Draw a menu as a flowchart: what callers hear on each node, the key and label on
    each option, a branch's shares.

    \b
    Formats:
      --format svg       a picture to put on slides or in a document: top to
                         bottom, a box per step with the option's words, the
                         prompt's first words and when callers get there;
                         silence, wrong keys and jumps back are notes in the box
      --format mermaid   text that GitHub and GitLab draw in Markdown (the default)
      --format dot       text for Graphviz: dot -Tsvg menu.dot -o menu.svg

    \b
    Examples:
      ivraudit map menus/city_cabs.yaml --format svg -o city_cabs.svg
      ivraudit map menus/city_cabs.yaml                      # Mermaid, to paste in Markdown
      ivraudit map menus/city_cabs.yaml --format dot | dot -Tsvg -o city_cabs.svg
      ivraudit map flow.json -o docs/flow.mmd                # a platform export works too
    """
    from ivraudit.report.mapexport import render_map

    files, missing = _collect((path,))
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
    audits, bad = _audits(files, config_path, importing=importing)
    if bad or missing or not audits:
        sys.exit(EXIT_INPUT)
    _write(render_map(audits[0], fmt), output, "the map")
