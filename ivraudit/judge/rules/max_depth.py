"""A call takes too many key presses to reach where it ends.

Fails:

    ivraudit: 1
    name: Deep
    nodes:
      a: {options: [{key: 1, label: more, goto: b}, {key: 0, label: a person, goto: desk}]}
      b: {options: [{key: 1, label: more, goto: c}, {key: 0, label: a person, goto: desk}]}
      c: {options: [{key: 1, label: more, goto: d}, {key: 0, label: a person, goto: desk}]}
      d: {options: [{key: 1, label: the news, goto: news}, {key: 0, label: a person, goto: desk}]}
      news: {type: self_service, prompt: "No news."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Shallow
    nodes:
      a: {options: [{key: 1, label: the news, goto: news}, {key: 0, label: a person, goto: desk}]}
      news: {type: self_service, prompt: "No news."}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import EXITS, Context

ID = "IVR201"
NAME = "max-depth"
TITLE = "Menu too deep"
CATEGORY = "navigation"
SEVERITY = "warning"
RATIONALE = """Every level of menu is another prompt to hear and another choice to hold in
mind; callers do better with broad, shallow menus than deep ones, and most want to reach
their goal within three choices."""
SOURCE = """Commarford, Lewis, Al-Awar Smither & Gentzler (2008), "A comparison of broad
versus deep auditory menu structures", Human Factors 50(1), 77-89; Software Advice,
"IVR Design Lessons From the Fortune 500" (2014)."""
OPTIONS: dict[str, Any] = {"max_presses": 3}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield one problem per outcome that lies deeper than `max_presses` choices."""
    limit = options["max_presses"]
    for node_id, presses in ctx.presses.items():
        if presses <= limit or ctx.type_of(node_id) not in EXITS or ctx.is_synthetic(node_id):
            continue
        yield Problem(
            ctx.pos(node_id),
            f"'{node_id}' takes {presses} key presses to reach (more than {limit})",
            node_id,
        )
