"""A menu with every key of "Calls as they happen", and helpers to break one value."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit import MenuError, loads_menu
from ivraudit.cli import main

# The format contract's worked example for calls as they happen, verbatim.
WATER = """\
ivraudit: 1
name: Water line at the busy hour
intents: {pay_bill: 0.5, leak: 0.2, other: 0.3}
traffic: {calls_per_hour: 120, hours_per_month: 200}
queues:
  care: {agents: 6, handle_seconds: 240, patience_seconds: 180}
  leaks: {agents: 3, handle_seconds: 300}
costs: {agent_hour: 30, line_minute: 0.02, currency: USD}
nodes:
  main:
    prompt: "Riverside Water."
    options:
      - {key: 1, label: a payment, goto: pay, intents: [pay_bill]}
      - {key: 2, label: a leak, goto: leak_desk, intents: [leak]}
      - {key: 0, label: anything else, goto: care_desk, intents: [other]}
    no_input: {goto: care_desk}
  pay: {type: self_service, prompt: "Your card on file has paid your balance.",
        handles: [pay_bill], resolves: 0.7, next: care_desk}
  leak_desk: {type: agent, queue: leaks, handles: [leak]}
  care_desk: {type: agent, queue: care, handles: [pay_bill, other, leak]}
"""


def error_of(text: str, source: str = "m.yaml", *, json_mode: bool = False) -> MenuError:
    """Return the one MenuError that reading `text` raises."""
    with pytest.raises(MenuError) as info:
        loads_menu(text, source, json_mode=json_mode)
    return info.value


def cli_error(path: Path) -> str:
    """Return the one line `ivraudit score path` prints for a bad file (exit 2)."""
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
