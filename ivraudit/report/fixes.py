"""Suggestions as reports show them: the suggest contract's objects, formatted once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ivraudit.format.units import duration
from ivraudit.frozen import frozen
from ivraudit.report.callsview import month_effect
from ivraudit.report.menuname import intent_label
from ivraudit.report.wording import client_text

if TYPE_CHECKING:
    from ivraudit.audit import Audit
    from ivraudit.suggest.engine import Suggestions


from ivraudit.suggest.top import MAX_SUGGEST_NODES


def suggestions_for(audit: Audit) -> Mapping[str, Any] | None:
    """Return the suggest contract's object for a menu, or None where ivraudit has no
    suggestions or the menu is too large to wait for them (reports then leave their
    sections out)."""
    if audit.metrics.nodes > MAX_SUGGEST_NODES:
        return None
    from ivraudit.suggest.engine import suggest_audit

    result = suggest_audit(audit)
    data = result.to_dict()
    effect = result.combined_saves_per_month
    if effect is not None:
        # What the combined rewrite saves in a month, for the page's "all together".
        data["combined"].setdefault("saves_per_month", effect.to_dict())
    before, after = from_best(result)
    # How far the menu is from the best one, measured as `suggest` measures it, so the
    # score page and the suggest page give one figure (not the typical call as calls
    # happen against the best menu's holds as stated).
    data["optimum"].update({"from_before": before, "from_after": after})
    return data


def from_best(result: Suggestions) -> tuple[float | None, float | None]:
    """Return the seconds the menu's typical call is from the best menu's for the same
    calls, now and with every change (None where either is unknown)."""

    def gap(typical: float | None, best: float | None) -> float | None:
        return None if typical is None or best is None else round(max(0.0, typical - best), 2)

    resolved = result.optimum_resolved or result.optimum
    combined = result.optimum_combined or result.optimum
    return (
        gap(result.before.route_typical, resolved.typical_call_seconds),
        gap(result.combined.after.route_typical, combined.typical_call_seconds),
    )


def ranked_for(audit: Audit) -> Mapping[str, Any] | None:
    """Return the suggest contract's `before` and ranked `suggestions` for a menu, what
    the text report's things to fix first are chosen from; the combined menu and the
    optimum, which take as long again to work out, are left out. None as for
    `suggestions_for`."""
    if audit.metrics.nodes > MAX_SUGGEST_NODES:
        return None
    from ivraudit.suggest.engine import ranked_suggestions
    from ivraudit.suggest.figures import Figures

    before = Figures.of(audit)
    ranked = ranked_suggestions(audit, before)
    return {"before": before.to_dict(), "suggestions": [s.to_dict() for s in ranked]}


@frozen
class Fix:
    """One suggestion as the page shows it."""

    title: str
    why: str
    change: str
    where: str
    saves: str
    score_before: str
    score_after: str
    typical_before: str
    typical_after: str
    fixes: str
    measured: bool
    gain: str  # what the change buys in one phrase: `saves 19.6 s`, or `score +3`
    # What it does to a month of calls (with `traffic`): "saves 101 caller-hours, 12
    # agent-hours and GBP 1,234.56 a month", and the money (else the hours) alone.
    month: str = ""
    month_short: str = ""
    id: str = ""  # for `suggest --only ID --write`

    @property
    def first(self) -> bool:
        """Whether this can be one of the things to fix first: a measured, positive gain."""
        return self.measured and bool(self.gain)

    @property
    def minor(self) -> bool:
        """Whether the model measures it and finds no time saved and no score gained: such
        changes are listed together, not each in full."""
        return self.measured and not self.gain


def seconds_text(value: Any) -> str:
    """Return a duration from contract data, or a dash when it has none."""
    return duration(value) if isinstance(value, (int, float)) else "—"


def fix_first(fixes: Sequence[Fix], limit: int = 3) -> tuple[Fix, ...]:
    """Return the suggestions to fix first: only measured ones that gain something."""
    return tuple(f for f in fixes if f.first)[:limit]


def fix_view(s: Mapping[str, Any], before: Mapping[str, Any]) -> Fix:
    """Return one suggestion of the suggest contract as reports show it."""
    after = s.get("after") or {}
    saves = s.get("saves_seconds")
    line = s.get("line")
    month, month_short = month_effect(s.get("saves_per_month"))
    return Fix(
        title=client_text(str(s.get("title", ""))),
        why=client_text(str(s.get("why", ""))),
        change=client_text(str(s.get("change", ""))),
        where=f"line {line}" if isinstance(line, int) else "",
        saves=seconds_text(saves) if saves is not None else "not measured",
        score_before=str(before.get("score", "")),
        score_after=str(after.get("score", "")) if after else "",
        typical_before=seconds_text(before.get("typical_call_seconds")),
        typical_after=seconds_text(after.get("typical_call_seconds")) if after else "",
        fixes=", ".join(str(r) for r in s.get("fixes", ())),
        measured=saves is not None,
        gain=_gain(saves, s.get("score_gain"), s.get("resolves_more"), s.get("resolves") or ()),
        month=month,
        month_short=month_short,
        id=str(s.get("id", "")),
    )


def _gain(saves: Any, score_gain: Any, more: Any = None, resolves: Sequence[Any] = ()) -> str:
    """Return `saves 19.6 s` when a change saves time, else `resolves 35% more calls
    (supply problem)` when it resolves more, else `score +3`, else ''."""
    if isinstance(saves, (int, float)) and saves >= 0.05:
        return f"saves {duration(saves)}"
    if isinstance(more, (int, float)) and more >= 0.005:
        names = ", ".join(str(i).replace("_", " ") for i in resolves)
        return f"resolves {more:.0%} more calls" + (f" ({names})" if names else "")
    if isinstance(score_gain, (int, float)) and score_gain > 0:
        return f"score +{score_gain:g}"
    return ""


def optimum_lines(
    menu: Sequence[Any], labels: Mapping[str, str], level: int = 0
) -> list[tuple[int, str]]:
    """Return the best menu as indented lines in callers' words: `1 → Billing query,
    Pay bill` (`labels` maps intent ids to what the page calls them)."""
    out: list[tuple[int, str]] = []
    for key, option in enumerate(menu, start=1):
        if option and all(isinstance(x, str) for x in option):
            names = ", ".join(labels.get(x, intent_label(x)) for x in option)
            out.append((level, f"{key} → {names}"))
        else:
            out.append((level, f"{key} → a menu of"))
            out.extend(optimum_lines(option, labels, level + 1))
    return out
