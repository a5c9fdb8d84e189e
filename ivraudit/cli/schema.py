"""`ivraudit schema`: the JSON Schema of the menu format."""

from __future__ import annotations

import click

from ivraudit.cli.common import _write
from ivraudit.cli.options import _output_option


@click.command()
@_output_option("Write the schema here.")
def schema(output: str) -> None:
    """Print the JSON Schema of the menu format, for editors and validators.

    \b
    Example, for VS Code's YAML extension, at the top of a menu file:
      # yaml-language-server: $schema=./menu.schema.json
    after `ivraudit schema -o menu.schema.json`.
    """
    import json

    from ivraudit.format.schema import json_schema

    _write(json.dumps(json_schema(), indent=2) + "\n", output)
