"""Propose, measure, rank and combine the suggestions for one menu.

Each kind proposes Changes; each change is applied to a copy of the model, written out
and read back (so the menu measured is the menu `--write` writes), audited and compared
with the original. A change that is a regression (`regression.regressions`: the
judgement `diff` uses, with the 0.3 rules on `calls`), that slows the calls it already
resolved without resolving more, or that drops an input a caller's route collected, is
not suggested.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Any

from ivraudit.audit import Audit, audit_menu
from ivraudit.format.loader import loads_menu
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen
from ivraudit.judge.config import Config
from ivraudit.suggest.base import Change, Site
from ivraudit.suggest.figures import Figures, MonthEffect
from ivraudit.suggest.registry import KINDS

if TYPE_CHECKING:
    from ivraudit.suggest.optimum import Optimum

# The writer, the optimum and the regression rules load when a change applies or the
# optimum is asked for: a report's top suggestions for a menu with nothing to change
# (the text report of `score`) need none of them.


@frozen
class Suggestion:
    """One measured (or, for what the format cannot model, listed) change to a menu."""

    id: str
    kind: str
    title: str
    why: str
    change: str
    nodes: tuple[str, ...]
    file: str
    line: int
    column: int
    fixes: tuple[str, ...]
    after: Figures | None
    saves_seconds: float | None
    score_gain: int | None
    decision: str | None = None  # what a person must decide first, if anything
    slower: tuple[tuple[str, float], ...] = ()  # intents it slows, with the seconds added
    # The share of all calls it makes resolved (None when listed only), and the intents
    # whose calls become resolved, most calls first.
    resolves_more: float | None = None
    resolves: tuple[str, ...] = ()
    # What it saves in a month of calls (with `traffic`): caller-hours, agent-hours, cost.
    saves_per_month: MonthEffect | None = None
    menu: Menu | None = field(default=None, compare=False, repr=False)
    apply: Callable[[Menu], Menu | None] | None = field(default=None, compare=False, repr=False)

    @property
    def measured(self) -> bool:
        """Return whether the change was applied and measured (else it is only listed)."""
        return self.after is not None

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's suggestion object (with `decision` and `slower` added)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "why": self.why,
            "change": self.change,
            "nodes": list(self.nodes),
            "line": self.line,
            "column": self.column,
            "fixes": list(self.fixes),
            "after": None if self.after is None else self.after.to_dict(),
            "saves_seconds": self.saves_seconds,
            "resolves_more": self.resolves_more,
            "score_gain": self.score_gain,
            "decision": self.decision,
            "slower": dict(self.slower),
            "resolves": list(self.resolves),
            "saves_per_month": None
            if self.saves_per_month is None
            else self.saves_per_month.to_dict(),
        }

    @property
    def gains(self) -> tuple[str, ...]:
        """Return what the change buys callers in words: `saves 3.2 s a typical call`,
        `resolves 35% more calls (supply problem)`; the score is left to the report."""
        return gains_text(self.saves_seconds, self.resolves_more, self.resolves)


def gains_text(
    saves: float | None, resolves_more: float | None, resolves: Sequence[str]
) -> tuple[str, ...]:
    """Return a suggestion's saving and its newly resolved calls as report phrases:
    calls made resolvable are never called time saved (suggest contract 0.3)."""
    out = []
    if saves is not None and saves >= 0.05:
        out.append(f"saves {saves:.1f}\u00a0s a typical call")
    if resolves_more is not None and resolves_more >= 0.005:
        names = ", ".join(i.replace("_", " ") for i in resolves)
        out.append(f"resolves {resolves_more:.0%} more calls" + (f" ({names})" if names else ""))
    return tuple(out)


@frozen
class Combined:
    """The menu with every non-conflicting measured suggestion applied in ranked order."""

    applied: tuple[str, ...]
    after: Figures
    menu: Menu = field(compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's `combined` object."""
        return {"applied": list(self.applied), "after": self.after.to_dict()}


@frozen
class Suggestions:
    """The suggestions for one menu: figures before, ranked changes, combined, optimum."""

    file: str
    name: str
    before: Figures
    suggestions: tuple[Suggestion, ...]
    combined: Combined
    optimum: Optimum
    menu: Menu = field(compare=False, repr=False)
    # The optimum for only the calls the menu resolves, before and once combined: a
    # typical call covers only those, so it is compared with the best menu for them.
    optimum_resolved: Optimum | None = field(default=None, compare=False, repr=False)
    optimum_combined: Optimum | None = field(default=None, compare=False, repr=False)

    @property
    def combined_saves_per_month(self) -> MonthEffect | None:
        """Return what the combined rewrite saves in a month of calls (None: no `traffic`)."""
        return self.before.month_effect(self.combined.after)

    @property
    def optimum_ratio(self) -> float | None:
        """Return the menu's typical call as a multiple of the optimum's for the same calls
        (those the menu resolves): 2.3 = 2.3x. Both are the route's time with each hold
        as the file states it (the optimum's definition), queues' load left out."""
        return _ratio(self.before.route_typical, self.optimum_resolved or self.optimum)

    @property
    def combined_ratio(self) -> float | None:
        """Return the combined menu's typical call as a multiple of the optimum's for the
        calls it resolves."""
        return _ratio(self.combined.after.route_typical, self.optimum_combined or self.optimum)

    def times_optimum(self, typical: float | None) -> float | None:
        """Return a typical call's seconds as a multiple of the optimum's."""
        best = self.optimum.typical_call_seconds
        if best is None or typical is None or best <= 0:
            return None
        return typical / best

    def get(self, suggestion_id: str) -> Suggestion:
        """Return the suggestion with this id; KeyError names at most five of the nearest,
        in one short line (a large menu has hundreds)."""
        for s in self.suggestions:
            if s.id == suggestion_id:
                return s
        # Imported here: only a mistake needs a hint, and difflib costs start-up time.
        import difflib

        from ivraudit.format.text import one_line

        ids = [s.id for s in self.suggestions]
        near = difflib.get_close_matches(suggestion_id, ids, n=5, cutoff=0.4)
        if near:
            hint = f"; nearest: {', '.join(near)}"
        elif ids:  # nothing alike: show what ids look like, the best first
            hint = f"; none is like it (of {len(ids)}, the first: {', '.join(ids[:3])})"
        else:
            hint = " (the menu has none)"
        asked = one_line(suggestion_id)
        asked = asked if len(asked) <= 60 else asked[:57] + "..."
        raise KeyError(f"no suggestion '{asked}'{hint}")

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's JSON object for this file."""
        return {
            "file": self.file,
            "name": self.name,
            "before": self.before.to_dict(),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "combined": self.combined.to_dict(),
            "optimum": self.optimum.to_dict(),
        }


def _ratio(typical: float | None, best: Optimum) -> float | None:
    seconds = best.typical_call_seconds
    if seconds is None or typical is None or seconds <= 0:
        return None
    return typical / seconds


def _resolved(figures: Figures) -> frozenset[str] | None:
    """Return the intents `figures` can resolve, or None when all are (no restriction)."""
    if figures.resolvable_share >= 1.0:
        return None
    return frozenset(i for i, s in figures.intent_seconds if s is not None)


def menu_with(result: Suggestions, ids: Sequence[str], config: Config | None = None) -> Menu:
    """Return the menu with only the suggestions `ids` applied, in ranked order; one id
    gives exactly the menu its `after` measured. Raise KeyError for an unknown or listed-only
    id and ValueError for one that conflicts with another."""
    config = config or Config()
    chosen = [result.get(i) for i in dict.fromkeys(ids)]
    for s in chosen:
        if s.menu is None:
            raise KeyError(f"'{s.id}' is listed only: the menu format cannot model it")
    if len(chosen) == 1:
        return chosen[0].menu  # type: ignore[return-value]
    current = result.menu
    for s in _applying(sorted(chosen, key=_rank)):
        edited = s.apply(current) if s.apply else None
        if edited is None:
            raise ValueError(f"'{s.id}' no longer applies once the others are made")
        current = _written(edited, config)
    return current


def menu_text(menu: Menu, path: str = "", header: str = "") -> str:
    """Return the text of a written menu: JSON for a `.json` path, else YAML, with
    `header` (the original's leading comments, `writer.leading_comments`) kept."""
    from ivraudit.format.writer import dump_menu, menu_to_data

    if path.lower().endswith(".json"):
        return json.dumps(menu_to_data(menu), indent=2, ensure_ascii=False) + "\n"
    return dump_menu(menu, header)


def suggest_menu(menu: Menu, config: Config | None = None) -> Suggestions:
    """Return the measured, ranked suggestions for `menu` under `config`."""
    return suggest_audit(audit_menu(menu, config or Config()))


def suggest_audit(base: Audit) -> Suggestions:
    """Return the measured, ranked suggestions for an audited menu (its menu, under its
    config): `suggest_menu` without auditing the menu again."""
    from ivraudit.suggest.optimum import optimum

    menu, config = base.menu, base.config
    before = Figures.of(base)
    ranked = ranked_suggestions(base, before)
    combined = _combine(ranked, menu, base, config)
    limit = Site(base).option("IVR202", "max_options")
    return Suggestions(
        file=menu.source,
        name=menu.name,
        before=before,
        suggestions=ranked,
        combined=combined,
        optimum=optimum(menu, limit),
        menu=menu,
        optimum_resolved=optimum(menu, limit, _resolved(before)),
        optimum_combined=optimum(menu, limit, _resolved(combined.after)),
    )


def ranked_suggestions(base: Audit, before: Figures | None = None) -> tuple[Suggestion, ...]:
    """Return the suggestions of `suggest_audit` alone, ranked: what reports that name
    the first few need, without combining them or the optimum (as long again);
    `before` is `Figures.of(base)` when the caller has it already."""
    menu, config = base.menu, base.config
    before = before or Figures.of(base)
    site = Site(base)
    found: list[Suggestion] = []
    seen: set[str] = set()
    for kind, module in KINDS.items():
        changes = list(module.propose(site))
        if len(changes) > GROUP_OVER:
            changes = [_group(changes)]
        for change in changes:
            sid = f"{kind}:{change.key}"
            if sid in seen:
                continue
            seen.add(sid)
            s = _measure(kind, module.FIXES, sid, change, menu, before, config)
            if s is not None:
                found.append(s)
    return tuple(sorted(found, key=_rank))


# A kind that proposes more changes than this (a large menu) proposes them as one, so
# that the number of audits stays small: each change is measured on a whole menu.
GROUP_OVER = 10


def _group(changes: list[Change]) -> Change:
    """Return one change that makes all of `changes`, in order (those that still apply)."""
    first = changes[0]
    steps = [c.apply for c in changes]

    def apply(menu: Menu) -> Menu | None:
        current, done = menu, False
        for step in steps:
            edited = step(current) if step else None
            if edited is not None:
                current, done = edited, True
        return current if done else None

    nodes = tuple(dict.fromkeys(n for c in changes for n in c.nodes))
    return Change(
        key="all",
        title=f"{first.title} (and the same in {len(changes) - 1} more places)",
        why=f"{first.why}; and {len(changes) - 1} more like it",
        change=f"{first.change}; and the same in {len(changes) - 1} more places",
        nodes=nodes,
        pos=first.pos,
        apply=apply if all(steps) else None,
        decision=first.decision,
    )


def _written(menu: Menu, config: Config) -> Menu:
    """Return the menu as it reads back once written: what `--write` produces.

    The data goes through JSON, which reads back to the same model as the YAML that
    `--write` writes (no comments, same values) at a fraction of the cost."""
    from ivraudit.format.writer import menu_to_data

    text = json.dumps(menu_to_data(menu))
    return loads_menu(text, menu.source, json_mode=True, timing=config.base_timing())


def _measure(
    kind: str,
    fixes: tuple[str, ...],
    sid: str,
    change: Change,
    menu: Menu,
    before: Figures,
    config: Config,
) -> Suggestion | None:
    common = {
        "id": sid,
        "kind": kind,
        "title": change.title,
        "why": change.why,
        "change": change.change,
        "nodes": change.nodes,
        "file": change.pos.file,
        "line": change.pos.line,
        "column": change.pos.column,
        "fixes": fixes,
        "decision": change.decision,
        "apply": change.apply,
    }
    if change.apply is None:
        return Suggestion(after=None, saves_seconds=None, score_gain=None, **common)
    edited = change.apply(menu)
    if edited is None:
        return None
    written = _written(edited, config)
    after = Figures.of(audit_menu(written, config))
    if not acceptable(before, after) or not before.improved(after):
        return None
    return Suggestion(
        after=after,
        saves_seconds=before.saves(after),
        score_gain=after.score - before.score,
        slower=before.slower(after),
        resolves_more=before.resolves_more(after),
        resolves=before.newly_resolved(after),
        saves_per_month=before.month_effect(after),
        menu=written,
        **common,
    )


def acceptable(before: Figures, after: Figures) -> bool:
    """Return whether a rewrite may be suggested (or combined): no regression, no input a
    route collected dropped, and no call it already resolved made slower unless it
    resolves more calls (then only the regression thresholds bound the slowing)."""
    from ivraudit.suggest.regression import regressions

    if regressions(before, after) or before.dropped_inputs(after):
        return False
    saves = before.saves(after)
    slower = saves is not None and saves < 0
    if before.calls is None or after.calls is None:
        slower = slower or before.slows_typical(after)
    return not slower or before.resolves_more(after) > 0


def _applying(ranked: Sequence[Suggestion]) -> list[Suggestion]:
    """Return ranked suggestions in the order they are applied together: kinds marked
    LAST (staffing) after the others, since they place agents for the calls the routes
    bring, so the routes are settled first."""
    last = {s.id for s in ranked if getattr(KINDS.get(s.kind), "LAST", False)}
    return [s for s in ranked if s.id not in last] + [s for s in ranked if s.id in last]


def _rank(s: Suggestion) -> tuple[Any, ...]:
    """Most seconds saved, then most score gained, then file order; listed ones last."""
    return (not s.measured, -(s.saves_seconds or 0.0), -(s.score_gain or 0), s.line, s.column, s.id)


def _combine(ranked: tuple[Suggestion, ...], menu: Menu, base: Audit, config: Config) -> Combined:
    """Apply the measured suggestions in ranked order, skipping those that conflict: no
    longer applicable, or making the menu so far (or the original) worse by the rules of
    `acceptable` and `regressions`, greedily, so that the result is never a regression.
    Kinds marked LAST are applied after the rest, each afresh for the menu so far."""
    from ivraudit.suggest.regression import regressions

    original = Figures.of(base)
    current, now, applied = menu, original, []
    for s in _applying(ranked):
        if s.apply is None or s.after is None:
            continue
        edited = s.apply(current)
        if edited is None:
            continue
        written = _written(edited, config)
        after = Figures.of(audit_menu(written, config))
        if not acceptable(now, after) or not now.improved(after):
            continue
        if regressions(original, after) or original.dropped_inputs(after):
            continue
        current, now = written, after
        applied.append(s.id)
    return Combined(tuple(applied), now, current)
