"""A menu does not offer key 0, the key callers press to reach a person.

The failing menu offers its person only as option 3, with no 0; the passing one adds
"for anything else, press 0" leading to the desk. A menu whose first or second option
already reaches a person (directly, or through messages and branches only) is exempt:
callers find that person as quickly as they would find a 0.

Fails:

    ivraudit: 1
    name: No zero
    nodes:
      main:
        prompt: "Acme support."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 2, label: our address, goto: address}
          - {key: 3, label: anything else, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      address: {type: self_service, prompt: "We are at 1 High Street."}
      desk: {type: agent}

Passes:

    ivraudit: 1
    name: Zero out
    nodes:
      main:
        prompt: "Acme support."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 2, label: our address, goto: address}
          - {key: 0, label: anything else, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      address: {type: self_service, prompt: "We are at 1 High Street."}
      desk: {type: agent}

This rule covers a 0 that is not offered at all; a 0 that is offered but leads somewhere other
than a person is IVR207's. The contract's `menus_without_zero_out` counts both, and counts the
exempt menus too. 0 for a person is the convention in the US and much of Europe; where another
key is customary (9 in India, for instance), disable this rule and rely on IVR101 and IVR105.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context

ID = "IVR104"
NAME = "no-zero-out"
TITLE = "Key 0 is not offered"
CATEGORY = "reach"
SEVERITY = "warning"
RATIONALE = """Pressing 0 for a person is the one shortcut callers know without being told, and
they press it when a menu does not fit or they are lost. A menu without it makes them listen
to every option in the hope that one leads to a person, or hang up. Consumer and vendor
guidelines alike reserve 0 for reaching a person from every menu."""
SOURCE = """GetHuman Standard v1.0 (gethuman.com, c. 2006-2007), point 1: callers must always
be able to press 0 to queue for a person; IBM WebSphere Voice Response design guide, "wording
your prompts": use 0 for operator access; Avaya Interactive Response R2.0 design guidelines
(2006): a person reachable by a key such as zero; ISO/IEC 13714:1995, key 0 for help or an
operator where possible (as commonly summarised)."""
OPTIONS: dict[str, Any] = {}

_EARLY = 2  # a person among this many first options is as quick to find as a 0


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each reachable menu that offers no key 0 and no person early on."""
    for menu in ctx.nodes("menu"):
        if any(o.key == "0" for o in menu.options) or menu.id in ctx.metrics.queue_offer_menus:
            continue  # a callback or wait offer in front of a queue needs no 0 of its own
        early = menu.options[:_EARLY]
        if any(ctx.leads_to_human(o.goto) for o in early):
            continue
        if len(early) == 1:
            rest = f"its only option (key {early[0].key}) does not reach a person"
        else:
            keys = f"keys {early[0].key} and {early[1].key}"
            rest = f"neither of its first two options ({keys}) reaches a person"
        yield Problem(menu.pos, f"menu '{menu.id}' offers no key 0, and {rest}", menu.id)
