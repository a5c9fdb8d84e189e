"""A menu offers more options than callers are commonly advised to hear at once.

Seven options read out in one breath make every caller listen longer and weigh more
choices; the passing menu keeps five and leaves the rarer requests to a person on 0.

Fails:

    ivraudit: 1
    name: Broad
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 2, label: cancellations, goto: desk}
          - {key: 3, label: opening hours, goto: desk}
          - {key: 4, label: directions, goto: desk}
          - {key: 5, label: gift vouchers, goto: desk}
          - {key: 6, label: lost property, goto: desk}
          - {key: 0, label: anything else, goto: desk}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Focused
    nodes:
      main:
        options:
          - {key: 1, label: bookings, goto: desk}
          - {key: 2, label: cancellations, goto: desk}
          - {key: 3, label: opening hours, goto: desk}
          - {key: 4, label: directions, goto: desk}
          - {key: 0, label: anything else, goto: desk}
      desk: {type: agent}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR202"
NAME = "max-options"
TITLE = "Too many options in one menu"
CATEGORY = "navigation"
SEVERITY = "warning"
RATIONALE = """Callers hear every option before the last one they might want, so a long
list costs time and attention. Vendor guides advise about four or five options a menu,
but research finds broad menus beat deep ones: a broad menu of clear, distinct options is
better than splitting it into more levels. Treat this as a nudge to prune or merge
options, not as a reason to add depth."""
SOURCE = """Avaya Interactive Response R2.0, "Designing voice response applications" (2006):
generally no more than four or five choices; IBM WebSphere Voice Response design guide:
"try to limit menus to about four". Against a hard limit: Commarford, Lewis, Al-Awar
Smither & Gentzler (2008), "A comparison of broad versus deep auditory menu structures",
Human Factors 50(1), 77-89; ACIxD wiki, "phrasing menu options": clear, distinct labels
matter more than their number."""
OPTIONS: dict[str, Any] = {"max_options": 5}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the options of each reachable menu with more than `max_options`."""
    limit = options["max_options"]
    for node in ctx.nodes("menu"):
        count = len(node.options)
        if count > limit:
            yield Problem(
                node.where("options"),
                f"'{node.id}' offers {count} options (more than {limit}); prune or merge "
                "them rather than adding another level of menu",
                node.id,
            )
