"""`ivraudit report`: an HTML portfolio of menus, one page each and an index."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ivraudit.cli.common import Importing, _audits, _collect, _write
from ivraudit.cli.options import (
    _PATHS,
    _branding,
    _branding_options,
    _config_option,
    _import_options,
    _jobs_option,
    _path_given,
    _paths_options,
)
from ivraudit.cli.program import EXIT_INPUT, EXIT_OK


@click.command()
@click.argument("paths", nargs=-1, required=True, type=_PATHS)
@_config_option
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    callback=_path_given,
    help="Folder to write index.html and one page per menu into (created if missing).",
)
@_jobs_option
@_import_options
@_branding_options
@_paths_options
def report(
    paths: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    stdin_filename: str | None,
    out_dir: str,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    open_share: float | None,
    jobs: int,
    **brand: str | None,
) -> None:
    """Write an HTML portfolio: menus ranked by score, and one page per menu.

    \b
    Examples:
      ivraudit report menus -o reports/html
      ivraudit report menus -o out --client "Nimbus Telecom" --accent "#6a4c93"

    Each page is one self-contained file (no network, no scripts needed to read it):
    the score and how it was made, what to fix first, key figures, a map of the menu,
    time per intent, findings and suggestions. Branding flags override the `report:`
    section of the config file.
    """
    from ivraudit.cli import progress
    from ivraudit.report.fixes import suggestions_for
    from ivraudit.report.html import build_site

    files, missing = _collect(paths, exclude=exclude, stdin_filename=stdin_filename)
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
    progress.start(len(files))
    audits, bad = _audits(files, config_path, importing=importing, jobs=jobs)
    bad = bad or bool(missing)
    fixes = []
    progress.task("suggesting", len(audits))
    for a in audits:
        fixes.append(suggestions_for(a))
        progress.advance()
    progress.end()
    if audits:
        site = build_site(audits, _branding(audits[0].config, brand), fixes)
        # The pages first, the index that links to them last: a page that cannot be
        # written stops the run before an index links to it.
        for name in sorted(site, key=lambda name: name == "index.html"):
            _write(site[name], str(Path(out_dir) / name), in_folder=True)
        click.echo(f"wrote {len(site)} files to {out_dir}", err=True)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)
