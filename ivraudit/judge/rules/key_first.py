"""An option's wording names the key before what the key does ("Press 2 for billing").

The failing option says the key first, so callers must remember "2" until they know
whether billing is theirs; the passing one says the function first, as the default
wording does ("For billing, press 2.").

Fails:

    ivraudit: 1
    name: Key first
    nodes:
      main:
        options:
          - {key: 2, say: "Press 2 for billing.", goto: desk}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Function first
    nodes:
      main:
        options:
          - {key: 2, label: billing, goto: desk}
      desk: {type: agent}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR301"
NAME = "key-first"
TITLE = "Key named before its function"
CATEGORY = "prompts"
SEVERITY = "info"
RATIONALE = """When the key is spoken first, callers must hold the number in mind until
they learn whether the option is theirs, and many have forgotten it by then and wait for
the menu to repeat. Saying the function first ("For billing, press 2") lets callers
ignore the options that are not theirs and act at once on the one that is."""
SOURCE = """IBM WebSphere Voice Response (now Blueworx) application design guide, "Wording
your prompts": put the goal before the means ("to contact the operator, press 0"), as a
caller may forget a key heard first; ISO/IEC 13714:1995, menus phrased function then
action ("To ..., press ..."), as commonly summarised."""
OPTIONS: dict[str, Any] = {}

_VERB = r"(?:press|dial|select|push|touch|hit|choose|enter)"
_KEY = (
    r"(?:the\s+)?(?:option\s+|number\s+)?"
    r"(?P<key>[0-9*#]|zero|one|two|three|four|five|six|seven|eight|nine|star|hash|pound|asterisk)"
    r"(?![a-z0-9])(?:\s+key\b)?"
)
# The key must be followed by words (the function): a bare "Press 1." is not key-first.
_KEY_FIRST = re.compile(
    rf"^\W*(?:please\W+)?{_VERB}\s+{_KEY}[\s,:;-]+(?P<rest>[a-z].*)$",
    re.IGNORECASE | re.DOTALL,
)
# Only a single clause of these kinds is turned round into a suggestion.
_CLAUSE = re.compile(r"^(?:for|to|if|when)\b[^.!?]*[.!?]?\s*$", re.IGNORECASE)


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem for each option of a reachable menu whose wording starts with its key."""
    for node in ctx.nodes("menu"):
        for option in node.options:
            spoken = " ".join(option.spoken.split())
            match = _KEY_FIRST.match(spoken)
            if not match:
                continue
            message = (
                f"option {option.key} of '{node.id}' names the key before its function "
                f'("{spoken}")'
            )
            rest = match["rest"]
            if _CLAUSE.match(rest):
                function = rest.rstrip(".!? ")
                message += (
                    f'; say "{function[0].upper()}{function[1:]}, press {match["key"]}" instead'
                )
            yield Problem(option.pos, message, node.id)
