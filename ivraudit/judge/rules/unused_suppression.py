"""A suppression that silences nothing, or names no rule.

Fails:

    ivraudit: 1
    name: Stale
    nodes:
      main:
        ignore: {IVR202: "we have many products"}
        options:
          - {key: 0, label: a person, goto: desk}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Kept
    nodes:
      main:
        options:
          - {key: 0, label: a person, goto: desk}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR901"
NAME = "unused-suppression"
TITLE = "Unused or unknown suppression"
CATEGORY = "meta"
SEVERITY = "warning"
RATIONALE = """A suppression that no longer silences anything hides the next real problem
of that kind at the same place; one naming an unknown rule is a typo."""
SOURCE = """ruff's RUF100 (unused-noqa): unused suppression comments are reported."""
OPTIONS: dict[str, Any] = {}
# Runs after the other rules' findings are suppressed, with ctx.suppressions filled.
AFTER_SUPPRESSION = True


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem for each suppressed rule that silenced nothing or does not exist."""
    for use in ctx.suppressions:
        if use.rule_id is None:
            message = f"suppression names '{use.rule}', which is no rule (see `ivraudit rules`)"
        elif not use.used:
            message = f"suppression of {use.rule} silences nothing here; remove it"
        else:
            continue
        yield Problem(use.suppression.pos, message, use.suppression.node)
