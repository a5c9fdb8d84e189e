"""The command line is a package with one module per command: each is on the group once."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

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
    ctx = click.Context(main)
    assert {name: main.get_command(ctx, name) for name in main.list_commands(ctx)} == defined


def test_a_run_imports_its_own_command_alone() -> None:
    # Commands are imported when they run (start-up): the group names them all the same.
    program = (
        "import sys\nfrom ivraudit.cli import main\n"
        "main(['rules', '--format', 'json'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('ivraudit.cli.')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = done.stderr.strip().splitlines()[-1]
    assert "'ivraudit.cli.rules'" in loaded
    assert "'ivraudit.cli.check'" not in loaded and "'ivraudit.cli.simulate'" not in loaded
