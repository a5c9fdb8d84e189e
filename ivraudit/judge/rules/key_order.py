"""Options not read in ascending key order, or numbered with gaps.

Digits 1-9 should be read in ascending order and numbered from 1 without gaps; 0, * and
# (and a 9 that repeats the menu or goes back) may follow the digits in any order. The
failing menu reads 2 before 1; the passing one renumbers so the first option read is 1.

Fails:

    ivraudit: 1
    name: Shuffled
    nodes:
      main:
        options:
          - {key: 2, label: bookings, goto: desk}
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: In order
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 2, label: opening hours, goto: hours}
          - {key: 0, label: a person, goto: desk}
          - {key: 9, label: these options again, goto: main}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.format.model import Node, Option
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR206"
NAME = "key-order"
TITLE = "Keys not in ascending order, or with gaps"
CATEGORY = "navigation"
SEVERITY = "info"
RATIONALE = """Callers expect options to count up from 1: keys read out of order or with
a number missing make them wonder whether they misheard, and make the key harder to
remember while the rest of the menu is read. When options are reordered (for instance
to put the most frequent first), the keys should be renumbered too."""
SOURCE = """Avaya Interactive Response R2.0, "Designing voice response applications"
(2006): present numbered options in numerical order, avoid skipping numbers, renumber
after reordering; ISO/IEC 13714:1995 as commonly summarised: ascending numerical order
without gaps."""
OPTIONS: dict[str, Any] = {}

_DIGITS = "123456789"


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield one problem per reachable menu whose keys are out of order or have gaps."""
    for node in ctx.nodes("menu"):
        # A 9 that repeats the menu or goes back is a control key like 0, * and #.
        control = {
            o.key
            for o in node.options
            if o.key not in _DIGITS or (o.key == "9" and ctx.leads_back(node.id, o.goto))
        }
        late = _first_out_of_order(node, control)
        digits = sorted({int(o.key) for o in node.options if o.key not in control})
        missing = [d for d in range(1, digits[-1]) if d not in digits] if digits else []
        skips = _skips(missing) if missing else ""
        if late is not None:
            option, before = late
            extra = f", and {skips}" if missing else ""
            yield Problem(
                option.pos,
                f"'{node.id}' reads key {option.key} after key {before}{extra}; read keys "
                "1-9 in ascending order, then 0, * and #",
                node.id,
            )
        elif missing:
            offered = ", ".join(map(str, digits))
            yield Problem(
                node.pos,
                f"'{node.id}' {skips} (it offers {offered}); number the options from 1 "
                "without gaps",
                node.id,
            )


def _first_out_of_order(node: Node, control: set[str]) -> tuple[Option, str] | None:
    """Return the first option read after a key it should precede, and that key."""
    highest: Option | None = None  # the highest digit read so far
    first_control: Option | None = None
    for option in node.options:
        if option.key in control:
            first_control = first_control or option
        elif first_control is not None:
            return option, first_control.key
        elif highest is not None and option.key < highest.key:
            return option, highest.key
        elif highest is None or option.key > highest.key:
            highest = option
    return None


def _skips(missing: list[int]) -> str:
    if len(missing) == 1:
        return f"skips key {missing[0]}"
    return f"skips keys {', '.join(map(str, missing[:-1]))} and {missing[-1]}"
