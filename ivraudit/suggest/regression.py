"""Whether a rewrite is a regression for callers: what `combined` and each suggestion
must never be (suggest contract 0.3, "combined is not a regression").

The judgement is `diff`'s (`Figures.regressions`) plus, where both menus have `calls`,
the three 0.3 rules of calls as they happen: an intent's resolved share falling by more
than 0.02, the abandon share of all calls rising by more than 0.01, and a queue becoming
overloaded.
"""

from __future__ import annotations

from ivraudit.analysis.calls import Calls
from ivraudit.suggest.figures import Figures

RESOLVED_FALL = 0.02  # an intent's resolved share may fall by this much at most
ABANDON_RISE = 0.01  # the abandon share of all calls may rise by this much at most


def calls_regressions(before: Calls | None, after: Calls | None) -> tuple[str, ...]:
    """Return how `after` treats callers worse than `before` by the 0.3 rules, read from
    the figures as `score --format json` rounds them; () when either has no `calls`."""
    if before is None or after is None:
        return ()
    out = []
    if before.declared:
        for old in before.intents:
            new = after.intent(old.intent)
            was, now = round(old.resolved_share, 4), round(new.resolved_share if new else 0.0, 4)
            if was - now > RESOLVED_FALL + 1e-9:
                out.append(f"calls for {old.intent} resolved {was:.1%} → {now:.1%}")
    was, now = round(before.abandon_share, 4), round(after.abandon_share, 4)
    if now - was > ABANDON_RISE + 1e-9:
        out.append(f"calls that hang up in a queue {was:.1%} → {now:.1%}")
    already = {q.queue for q in before.overloaded}
    for q in after.overloaded:
        if q.queue not in already:
            out.append(f"queue {q.queue} is overloaded: its calls wait without end")
    return tuple(out)


def regressions(before: Figures, after: Figures) -> tuple[str, ...]:
    """Return how `after` is worse for callers than `before`: `diff`'s judgement, then
    the 0.3 rules on `calls`."""
    return (*before.regressions(after), *calls_regressions(before.calls, after.calls))
