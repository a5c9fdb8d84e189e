"""The typical call takes so long, hold included, that the line fails most callers.

The failing menu is one clear menu, but 80% of its callers, those with a refund, then hold
for 15 minutes; the passing one answers them within 2 minutes.

Fails:

    ivraudit: 1
    name: Long refund queue
    intents: {refund: 0.8, sales: 0.2}
    nodes:
      main:
        prompt: "Acme Air."
        options:
          - {key: 1, label: refunds, goto: refunds, intents: [refund]}
          - {key: 2, label: sales, goto: sales, intents: [sales]}
          - {key: 0, label: a person, goto: sales}
      refunds: {type: agent, hold_seconds: 900, handles: [refund]}
      sales: {type: agent, hold_seconds: 30, handles: [sales, refund]}

Passes:

    ivraudit: 1
    name: Short refund queue
    intents: {refund: 0.8, sales: 0.2}
    nodes:
      main:
        prompt: "Acme Air."
        options:
          - {key: 1, label: refunds, goto: refunds, intents: [refund]}
          - {key: 2, label: sales, goto: sales, intents: [sales]}
          - {key: 0, label: a person, goto: sales}
      refunds: {type: agent, hold_seconds: 120, handles: [refund]}
      sales: {type: agent, hold_seconds: 30, handles: [sales, refund]}

The figure is `typical_call_seconds`: each resolvable intent's time weighted by its share of
calls, as callers who follow the options meant for them live it. A fast queue for a few
callers does not offset a long wait for most of them, which is why this is an error: like a
trap, it caps the score in the poor band. A menu that declares no intents is judged by its
time to a person (IVR103).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR108"
NAME = "slow-typical-call"
TITLE = "A typical call takes too long, hold included"
CATEGORY = "reach"
SEVERITY = "error"
RATIONALE = """The score averages many parts, so a short, clear menu in front of a very long
queue could still look fine. But what most callers live through is the typical call: the
menu and the hold until their request is resolved. When that takes over ten minutes, more
than three times the three-minute answer target, the line has failed most of its callers
whatever its menus look like."""
SOURCE = """Spain, Ley de Servicios de Atención a la Clientela (final approval December 2025):
95% of calls answered within 3 minutes on average, as reported in the press (regulatory
context, not a design standard); GetHuman Standard (gethuman.com, draft 2006, v1.0 c. 2007):
if a person is available, the person should answer."""
OPTIONS: dict[str, Any] = {"max_seconds": 600}


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at the intents when the typical call exceeds `max_seconds`."""
    limit = options["max_seconds"]
    menu, m = ctx.menu, ctx.metrics
    typical = m.typical_call_seconds
    if not menu.intents or typical is None or typical <= limit:
        return
    shares = menu.intent_shares
    timed = [(name, secs) for name, secs in m.intent_seconds if secs is not None]
    # The intent that adds most to the typical call is where a reader should look first.
    name, secs = max(timed, key=lambda item: (shares[item[0]] * item[1], item[0]))
    yield Problem(
        menu.intent_pos.get(name, menu.pos),
        f"a typical call takes {seconds_text(typical)}, hold included (more than "
        f"{seconds_text(limit)}); most of it is '{name}' ({shares[name]:.0%} of calls), "
        f"which takes {seconds_text(secs)}",
        None,
    )
