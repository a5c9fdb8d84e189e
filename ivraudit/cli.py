"""The `ivraudit` command: parse arguments, call the library, map results to exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ivraudit import __version__
from ivraudit.errors import MenuError

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2
MENU_SUFFIXES = (".yaml", ".yml", ".json")


def _menu_files(paths: tuple[str, ...]) -> tuple[list[Path], list[str]]:
    """Return the menu files named by `paths` (folders searched recursively, sorted) and
    the paths that name nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in MENU_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise click.UsageError(f"{raw}: no menu files (*.yaml, *.yml, *.json) in folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ivraudit")
def main() -> None:
    """Audit IVR phone menus for telephone hell.

    A menu is a YAML file (see `ivraudit schema` and docs/menu-format.md). Start with:

        ivraudit score menus/city_cabs.yaml

    Exit codes: 0 fine, 1 the audit failed what you asked it to check, 2 bad input
    or usage (one line naming file, line and column).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a readable report; json: the figures of the menu-format contract.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Write the report to this file ('-' for standard output).",
)
@click.option(
    "--width", type=click.IntRange(60, 400), default=None, help="Width of the text report."
)
@click.option(
    "--color/--no-color", default=None, help="Colour the text report (default: on a terminal)."
)
def score(
    paths: tuple[str, ...], fmt: str, output: str, width: int | None, color: bool | None
) -> None:
    """Score menu files (or folders of them) and report their figures.

    \b
    Examples:
      ivraudit score menus/city_cabs.yaml
      ivraudit score menus/ --format json -o reports/menus.json

    The text report shows the score and how it was made, the key figures, the
    fastest route to a person, the menu as a tree with the second at which each
    option is reached, and how long each intent takes. Bad files are reported on
    standard error (exit code 2) and the others are still scored.
    """
    from ivraudit.audit import audit_file
    from ivraudit.report import Format, render, write_output

    files, missing = _menu_files(paths)
    for raw in missing:
        click.echo(f"{raw}: error: no such file or folder", err=True)
    audits, bad = [], bool(missing)
    for path in files:
        try:
            audits.append(audit_file(path))
        except MenuError as exc:
            click.echo(str(exc), err=True)
            bad = True
    if audits:
        to_terminal = output == "-" and sys.stdout.isatty()
        text = render(
            audits,
            Format(fmt),
            many=len(files) + len(missing) > 1,
            color=to_terminal if color is None else color,
            width=width or (click.get_terminal_size()[0] if to_terminal else 100),
        )
        write_output(text, output)
    sys.exit(EXIT_INPUT if bad else EXIT_OK)


@main.command()
@click.option("-o", "--output", default="-", show_default=True, help="Write the schema here.")
def schema(output: str) -> None:
    """Print the JSON Schema of the menu format, for editors and validators.

    \b
    Example, for VS Code's YAML extension, at the top of a menu file:
      # yaml-language-server: $schema=./menu.schema.json
    after `ivraudit schema -o menu.schema.json`.
    """
    import json

    from ivraudit.report import write_output
    from ivraudit.schema import json_schema

    write_output(json.dumps(json_schema(), indent=2) + "\n", output)


def run() -> None:  # pragma: no cover - the console script calls main()
    main()
