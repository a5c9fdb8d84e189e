"""`ivraudit import`: a platform export written as a menu file (`import` is a keyword,
hence the module's name)."""

from __future__ import annotations

import sys

import click

from ivraudit.cli.common import Importing, _collect, _write
from ivraudit.cli.options import (
    _config_option,
    _import_options,
    _output_option,
    _stdin_filename_option,
)
from ivraudit.cli.program import EXIT_INPUT
from ivraudit.format.errors import MenuError


@click.command(name="import")
@click.argument("paths", nargs=-1, type=click.Path())
@_output_option("Write the menu file here.")
@_config_option
@click.option("--list", "list_formats", is_flag=True, help="List the formats that can be read.")
@_import_options
@_stdin_filename_option
def import_(
    paths: tuple[str, ...],
    output: str,
    config_path: str | None,
    stdin_filename: str | None,
    list_formats: bool,
    from_format: str | None,
    prompt_seconds: float | None,
    hold_seconds: tuple[str, ...],
    calls: str | None,
    open_share: float | None,
) -> None:
    """Write a platform export as a menu file that scores exactly as the export does.

    \b
    Examples:
      ivraudit import flow.json -o menu.yaml
      ivraudit import extensions.conf queues.conf -o menu.yaml
      ivraudit import --list
    Give one export and the companion files that complete it. The menu file starts
    with a comment naming the source and what was assumed (docs/importers.md).
    """
    from ivraudit.format.writer import dump_menu
    from ivraudit.importers import REGISTRY, Source, import_header, load_source, sources
    from ivraudit.judge.config import find_config, load_config

    if list_formats:
        click.echo("ivraudit                 ivraudit's own menu format (YAML or JSON)")
        for importer in REGISTRY.values():
            click.echo(f"{importer.name:<24} {importer.title}")
        return
    if not paths:
        raise click.UsageError("give the export to import (or --list)")
    files, missing = _collect(paths, stdin_filename=stdin_filename)
    if missing:
        sys.exit(EXIT_INPUT)
    importing = Importing(from_format, prompt_seconds, hold_seconds, calls, open_share)
    try:
        grouped = sources(files, importing.fmt)
        for item in grouped:
            if isinstance(item, MenuError):
                raise item
        if len(grouped) != 1:
            raise click.UsageError(
                "give one export (and the companion files that complete it) per import"
            )
        source = grouped[0]
        assert isinstance(source, Source)
        where = config_path if config_path is not None else find_config(source.path)
        config = load_config(where)
        menu = load_source(source, importing.settings(config), config.base_timing())
    except MenuError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INPUT)
    body = dump_menu(menu).split("\n", 1)[1]
    _write(import_header(menu, source.companions) + body, output)
