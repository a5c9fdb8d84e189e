"""Offer a callback before a long hold (listed only: the format cannot model one)."""

from __future__ import annotations

from collections.abc import Iterator

from ivraudit.format.units import message_seconds
from ivraudit.judge.rules import long_hold
from ivraudit.suggest.base import Change, Site

KIND = "callback"
TITLE = "Callback offer"
FIXES = ("IVR106",)
RATIONALE = """A caller offered a call back instead of a long hold keeps their place
without holding the line; callers told their wait abandon far less often than callers
left with music. The menu format has no callback node, so the change is listed with no
figures and never applied."""
SOURCE = """GetHuman Standard v1.0, point 4 (offer a callback when no one is available);
Amazon Connect's sample queued-callback flow (offered past 5 minutes); rule IVR106."""


def propose(site: Site) -> Iterator[Change]:
    """Yield a change for each queue that rule IVR106 finds too long and unannounced."""
    options = {name: site.option(long_hold.ID, name) for name in long_hold.OPTIONS}
    limit = options["max_hold_seconds"]
    for problem in long_hold.check(site.ctx, options):
        agent = site.menu.node(problem.node or "")
        yield Change(
            key=agent.id,
            title=f"Offer a callback before the {agent.queue or agent.id} queue",
            why=(
                f"'{agent.id}' holds callers for {message_seconds(agent.hold_seconds)} (more than "
                f"{message_seconds(limit)}) with no offer to call them back"
            ),
            change=(
                f"before '{agent.id}', offer to call the caller back when the wait is long "
                "(the menu format cannot model a callback, so this change is not measured "
                "or applied)"
            ),
            nodes=(agent.id,),
            pos=agent.pos,
            apply=None,
            decision="needs a callback service in the contact centre",
        )
