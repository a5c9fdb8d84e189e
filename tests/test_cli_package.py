"""The command line is a package with one module per command: each is on the group once."""

from __future__ import annotations

import importlib
import pkgutil

import click

import ivraudit.cli
from ivraudit.cli import main


def test_every_command_module_is_registered_on_the_group() -> None:
    defined = {}
    for info in pkgutil.iter_modules(ivraudit.cli.__path__):
        module = importlib.import_module(f"ivraudit.cli.{info.name}")
        for value in vars(module).values():
            if isinstance(value, click.Command) and value is not main:
                defined[value.name] = value
    assert sorted(defined) == [
        "check",
        "diff",
        "import",
        "map",
        "report",
        "rules",
        "schema",
        "score",
        "simulate",
        "suggest",
    ]
    assert main.commands == defined
