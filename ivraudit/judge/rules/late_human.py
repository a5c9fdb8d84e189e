"""A person is offered only after the third menu.

In the failing menu the only person sits behind a fourth menu; the passing one offers
"0 for anything else" on the first menu, so no caller needs more than one choice to reach a
person.

Fails:

    ivraudit: 1
    name: Person at menu four
    nodes:
      main: {options: [{key: 1, label: accounts, goto: accounts}]}
      accounts: {options: [{key: 1, label: your bill, goto: bill}]}
      bill: {options: [{key: 1, label: a charge, goto: charge}]}
      charge: {options: [{key: 1, label: an adviser, goto: desk}]}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Person at menu one
    nodes:
      main:
        options:
          - {key: 1, label: accounts, goto: accounts}
          - {key: 0, label: anything else, goto: desk}
      accounts: {options: [{key: 1, label: your bill, goto: bill}]}
      bill: {options: [{key: 1, label: a charge, goto: charge}]}
      charge: {options: [{key: 1, label: an adviser, goto: desk}]}
      desk: {type: agent}

The count is the contract's `time_to_human_presses`: the fewest menu choices (silence and a
wrong key included) on any route to any person. The finding points at that nearest person and
shows the route. A line with no person at all is left to IVR101.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, route_text

ID = "IVR105"
NAME = "late-human"
TITLE = "A person is offered only after the third menu"
CATEGORY = "reach"
SEVERITY = "warning"
RATIONALE = """A caller whose need the menus do not fit has to get through every menu in front
of a person, each one another prompt to sit through and another chance to choose wrongly.
Software Advice's study of 50 Fortune 500 phone lines recommends offering the option to speak
to an agent by the third menu at the latest."""
SOURCE = """Harris, D. (2014), "IVR Design Lessons From the Fortune 500", Software Advice
(IndustryView): "Provide the Option to Speak to an Agent by the Third Menu"; in its zero-out
test 28% of the companies needed about three menus before an agent (as commonly summarised)."""
OPTIONS: dict[str, Any] = {"max_menus": 3}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the nearest person when more than `max_menus` choices lead there."""
    limit = options["max_menus"]
    presses = ctx.metrics.time_to_human_presses
    if presses is None or presses <= limit:
        return
    # The nearest person; of several equally near, the one written first.
    agent = min(ctx.nodes("agent"), key=lambda n: ctx.presses[n.id])
    choices = "1 menu choice" if presses == 1 else f"{presses} menu choices"
    route = route_text(ctx.press_path(agent.id), seconds=False)
    yield Problem(
        agent.pos,
        f"the nearest person, '{agent.id}', takes {choices} to reach (more than {limit}), "
        f"via {route}",
        agent.id,
    )
