"""A node's own prompt is long-winded.

The failing menu prompt takes 16 seconds to say what the passing one says in under 2.

Fails:

    ivraudit: 1
    name: Long-winded
    nodes:
      main:
        prompt: >-
          Thank you for calling the Bloom florist order line, where we have been
          arranging flowers for every occasion since 1985, from weddings and
          birthdays to anniversaries and corporate events, with free same-day
          delivery to every address across the whole city.
        options:
          - {key: 0, label: our florists, goto: florist}
      florist: {type: agent}

Passes:

    ivraudit: 1
    name: Brief
    nodes:
      main:
        prompt: "Bloom florists, same-day delivery."
        options:
          - {key: 0, label: our florists, goto: florist}
      florist: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.analysis.timing import prompt_seconds
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR305"
NAME = "long-prompt"
TITLE = "Long-winded prompt"
CATEGORY = "prompts"
SEVERITY = "info"
RATIONALE = """Speech is slow and cannot be skimmed: a long prompt holds every caller who
passes through it, and the detail it carries is soon forgotten. Short prompts that say
only what the caller needs at that step are quicker and easier to follow."""
SOURCE = """GetHuman Standard v1.0 (2007), point 6: callers should not be forced to
listen to long or verbose prompts; Avaya Interactive Response R2.0 design guidelines
(2006): keep prompts as short as possible."""
OPTIONS: dict[str, Any] = {"max_seconds": 15}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the prompt of each reachable node that speaks for too long."""
    limit = options["max_seconds"]
    tm = ctx.menu.timing
    for node in ctx.nodes():
        seconds = prompt_seconds(node, tm)
        if seconds <= limit:
            continue
        how = (
            "as recorded"
            if node.prompt_seconds is not None
            else f"{len((node.prompt or '').split())} words"
        )
        # Point at the wording to shorten; a recording without its text at its length.
        pos = node.where("prompt" if "prompt" in node.field_pos else "prompt_seconds")
        yield Problem(
            pos,
            f"the prompt of '{node.id}' lasts {seconds_text(seconds)} ({how}), more than {limit} s",
            node.id,
        )
