"""What the before/after pages show (`diff --format html`, `suggest --format html`): two
audits of one menu side by side, built once as frozen data with every figure formatted,
so that the templates only lay it out. Figures are read from the same objects the JSON
formats write (`Metrics.to_dict`, `Calls`, `Suggestions`), never worked out again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ivraudit.audit import Audit
from ivraudit.diff import MenuDiff
from ivraudit.format.model import Menu
from ivraudit.format.units import NBSP, duration, share
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Finding
from ivraudit.report.branding import Branding
from ivraudit.report.callsview import (
    QueueRow,
    calls_view,
    hang_up_share,
    money,
    month_effect,
    number,
)
from ivraudit.report.fixes import Fix, fix_view, from_best, optimum_lines
from ivraudit.report.headline import journey_seconds, person_seconds, person_text
from ivraudit.report.location import display_path
from ivraudit.report.menumap import MenuMap, map_lines, menu_map
from ivraudit.report.menuname import intent_label, shown_name
from ivraudit.report.routes import tree_line
from ivraudit.suggest.engine import gains_text
from ivraudit.suggest.figures import MonthEffect

if TYPE_CHECKING:
    from ivraudit.suggest import Suggestion, Suggestions

MINUS = "\u2212"  # a minus sign, not a hyphen: a change reads as a number
GOOD, POOR = "good", "poor"  # the CSS classes of a change for the better and the worse
JsonFigures = Mapping[str, Any]  # an audit's figures as its JSON report gives them


@frozen
class Score:
    """One side's score with its band (`poor`, `needs work`, `good`)."""

    value: int
    band: str
    band_class: str


@frozen
class Pair:
    """One figure before and after, written out; `tone` says whether callers gain."""

    label: str
    before: str
    after: str
    change: str  # "+19", MINUS + "30.8 s", or "" when unchanged or not comparable
    tone: str  # GOOD, POOR or ""
    note: str = ""


@frozen
class IntentPair:
    """One intent's time before and after, with bar lengths on one scale for both."""

    intent: str  # the id, as the JSON gives it
    label: str  # what the menu calls it (an option's label), else the id
    share: str
    before: str
    after: str
    before_pct: float  # 0 for a call never resolved
    after_pct: float
    change: str
    tone: str
    phone: str = ""  # with `calls`: time on the phone and share resolved, before → after


@frozen
class QueuePair:
    """One staffed queue before and after (None on the side that does not have it)."""

    name: str
    before: QueueRow | None
    after: QueueRow | None


@frozen
class MapSide:
    """One of the two maps: its heading, the map, and the prefix of its ids."""

    heading: str
    name: str
    map: MenuMap
    mp: str
    tree: tuple[str, ...]  # the map as text, as the menu's page gives it


@frozen
class Comparison:
    """What both before/after pages show: scores, key figures, intents, queues, money
    and both maps."""

    name: str
    before_file: str
    after_file: str
    before: Score
    after: Score
    score_change: str
    score_tone: str
    figures: tuple[Pair, ...]
    intents: tuple[IntentPair, ...]
    queues: tuple[QueuePair, ...]
    month: tuple[Pair, ...]
    month_note: str  # "80,000 calls a month over 200 hours like the audited one"
    maps: tuple[MapSide, MapSide]
    needed_note: str = ""  # what "needed" means, for the service level the queues aim at

    @property
    def to_person(self) -> Pair:
        """Return the time to a person before and after (the first key figure)."""
        return self.figures[0]

    @property
    def typical(self) -> Pair:
        """Return the typical call before and after (the second key figure)."""
        return self.figures[1]


@frozen
class FindingRow:
    """A finding fixed, new or changed, as the diff page lists it."""

    severity: str
    rule: str
    name: str
    message: str
    where: str
    was: str = ""  # a changed finding: its message before


@frozen
class DiffPage:
    """The page of `ivraudit diff OLD NEW --format html`."""

    title: str
    comparison: Comparison
    verdict: str  # "Better", "Regressed", "No regression"
    verdict_class: str
    summary: str  # one sentence under the verdict
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    fixed: tuple[FindingRow, ...]
    new: tuple[FindingRow, ...]
    changed: tuple[FindingRow, ...]
    branding: Branding


@frozen
class Card:
    """One suggestion as a card: the menu page's view of it (`fixes.Fix`: what, why,
    seconds saved, score) with what else it buys and what to decide first."""

    number: int
    id: str
    fix: Fix
    where: str  # file:line
    resolves: str  # "resolves 12% more calls (pay bill)" beside the time saved, or ""
    month: str  # "saves 436 caller-hours and GBP 261.33 a month", or ""
    decision: str
    slower: str


@frozen
class SuggestPage:
    """The page of `ivraudit suggest FILE --format html`: the menu beside its rewrite."""

    title: str
    comparison: Comparison
    applied: int
    measured: int
    combined_month: str
    cards: tuple[Card, ...]
    minor: tuple[Card, ...]  # measured, saving no time and gaining no score
    listed: tuple[Card, ...]  # the format cannot model them: not applied
    optimum: str  # "" when there is no call mix to build for: `no_optimum` says why
    no_optimum: str
    optimum_exact: bool
    distance_before: str
    distance_after: str
    ratio_before: str  # "2.31 times as long as the best menu", or ""
    ratio_after: str
    optimum_lines: tuple[tuple[int, str], ...]
    branding: Branding


def intent_labels(menu: Menu) -> dict[str, str]:
    """Return what the menu calls each intent: the label of the first option that its
    callers alone choose; intents without one read as words (`pay_bill`: `Pay bill`), as
    on the score page."""
    out = {name: intent_label(name) for name, _ in menu.intents}
    named: set[str] = set()
    for node in menu.nodes:
        for o in node.options:
            if o.label and len(o.intents) == 1 and o.intents[0] in out:
                intent = o.intents[0]
                if intent not in named:
                    named.add(intent)
                    out[intent] = o.label
    return out


def _signed(delta: float, text: str) -> str:
    return ("+" if delta > 0 else MINUS) + text


def _tone(delta: float | None, lower_is_better: bool) -> str:
    if delta is None or delta == 0:
        return ""
    return GOOD if (delta < 0) == lower_is_better else POOR


def _seconds_pair(label: str, old: float | None, new: float | None, note: str = "") -> Pair:
    """Return a time before and after; a time that is `never` has no change."""
    if old is None or new is None or round(new - old, 2) == 0:
        change, tone = "", ("" if old == new else (GOOD if new is not None else POOR))
    else:
        delta = round(new - old, 2)
        change, tone = _signed(delta, duration(abs(delta))), _tone(delta, True)
    return Pair(label, duration(old), duration(new), change, tone, note)


def _share_pair(
    label: str,
    old: float | None,
    new: float | None,
    *,
    higher_is_better: bool,
    fmt: Callable[[float], str] = share,
) -> Pair:
    if old is None or new is None:
        before, after = ("—" if v is None else fmt(v) for v in (old, new))
        return Pair(label, before, after, "", "")
    delta = round(new - old, 4)
    points = round(100 * delta, 1)
    change = "" if points == 0 else _signed(points, f"{abs(points):g}{NBSP}points")
    return Pair(label, fmt(old), fmt(new), change, _tone(delta, not higher_is_better))


def _score(value: int, band: str) -> Score:
    return Score(value, band, band.replace(" ", "-"))


def _intents(old: Audit, new: Audit, m: JsonFigures, n: JsonFigures) -> tuple[IntentPair, ...]:
    """Return every intent of either side, the new menu's order first, its seconds as
    each side's menu page gives its journey (`headline.journey_seconds`: the calls'
    `seconds_resolved` where the menu has `calls`, else `intent_seconds`), bars on one
    scale for both sides."""

    def seconds(audit: Audit, figures: JsonFigures) -> dict[str, float | None]:
        times = journey_seconds(audit)
        return {
            i: None if times.get(i) is None else round(times[i], 2)  # type: ignore[arg-type]
            for i in figures["intent_seconds"]
        }

    a, b = seconds(old, m), seconds(new, n)
    names = list(b) + [i for i in a if i not in b]
    top = max((s for s in (*a.values(), *b.values()) if s is not None), default=0.0) or 1.0
    labels = {**intent_labels(old.menu), **intent_labels(new.menu)}
    shares = {**old.menu.intent_shares, **new.menu.intent_shares}
    phone = _phone(old, new)
    out = []
    for name in names:
        s, t = a.get(name), b.get(name)
        p = _seconds_pair(name, s, t)
        out.append(
            IntentPair(
                intent=name,
                label=labels.get(name, name),
                share=share(shares.get(name, 0.0)),
                before=p.before,
                after=p.after,
                before_pct=0.0 if s is None else round(100 * s / top, 2),
                after_pct=0.0 if t is None else round(100 * t / top, 2),
                change=p.change,
                tone=p.tone,
                phone=phone.get(name, ""),
            )
        )
    return tuple(out)


def _phone(old: Audit, new: Audit) -> dict[str, str]:
    """Return, with `calls` on both sides, each intent's time on the phone (queues as they
    happen) and share resolved, before → after, read from the JSON's `calls.intents`."""
    c, d = old.metrics.calls, new.metrics.calls
    if c is None or d is None or not c.declared or not d.declared:
        return {}
    before, after = c.to_dict()["intents"], d.to_dict()["intents"]
    out = {}
    for intent, i in before.items():
        j = after.get(intent)
        if j is None:
            continue
        said = f"resolved {share(i['resolved_share'])} → {share(j['resolved_share'])}"
        if i["seconds"] is not None or j["seconds"] is not None:
            # The bar is the resolved callers' journey, as on the menu's page: this is
            # every call's mean, those who hang up on hold included.
            said = (
                f"every call, hang-ups included, {duration(i['seconds'])} → "
                f"{duration(j['seconds'])}; " + said
            )
        out[intent] = said
    return out


def _figures(old: Audit, new: Audit, m: JsonFigures, n: JsonFigures) -> tuple[Pair, ...]:
    """Return the key figures before and after: time to a person, the typical call, the
    calls resolved and, with queues, the calls that hang up on hold."""
    out = [
        _to_person(old, new, m, n),
        _seconds_pair(
            "Typical call",
            m["typical_call_seconds"],
            n["typical_call_seconds"],
            "weighted by the call mix",
        ),
        _share_pair(
            "Calls resolved", m["resolved_share"], n["resolved_share"], higher_is_better=True
        ),
    ]
    c, d = old.metrics.calls, new.metrics.calls
    if c is not None and d is not None and (c.queues or d.queues):
        out.append(
            _share_pair(
                "Hang up on hold",
                round(c.abandon_share, 4),
                round(d.abandon_share, 4),
                higher_is_better=False,
                fmt=hang_up_share,
            )
        )
    return tuple(out)


def _to_person(old: Audit, new: Audit, m: JsonFigures, n: JsonFigures) -> Pair:
    """Return the time to a person before and after as each side's score page gives it
    (queues as they answer where both staff one), so the pages read alike."""
    (a, live_a), (b, live_b) = person_seconds(old), person_seconds(new)
    if not (live_a and live_b):
        return _seconds_pair(
            "Time to a person",
            m["time_to_human_seconds"],
            n["time_to_human_seconds"],
            "hold included",
        )
    pair = _seconds_pair("Time to a person", a, b, "queues as they answer")
    # An overloaded queue answers no one in time: its wait has no end, as the page says.
    return replace(
        pair,
        before=pair.before if a is not None else person_text(old),
        after=pair.after if b is not None else person_text(new),
    )


def _queues(old: Audit, new: Audit) -> tuple[QueuePair, ...]:
    a, b = calls_view(old), calls_view(new)
    before = {q.name: q for q in (a.queues if a else ())}
    after = {q.name: q for q in (b.queues if b else ())}
    names = list(before) + [q for q in after if q not in before]
    return tuple(QueuePair(q, before.get(q), after.get(q)) for q in names)


def _month(old: Audit, new: Audit) -> tuple[tuple[Pair, ...], str]:
    """Return a month of calls before and after (with `traffic` on both sides): callers'
    hours, agents' hours and, with `costs`, the cost, read from `calls.month`."""
    c, d = old.metrics.calls, new.metrics.calls
    a, b = (x.month if x is not None else None for x in (c, d))
    if a is None or b is None:
        return (), ""
    x, y = a.to_dict(), b.to_dict()

    def hours(v: float | None) -> str:
        return "without end" if v is None else f"{number(v)}{NBSP}hours"

    def pair(label: str, key: str, text: Any) -> Pair:
        old_v, new_v = x[key], y[key]
        if old_v is None or new_v is None or round(new_v - old_v, 2) == 0:
            return Pair(label, text(old_v), text(new_v), "", "")
        delta = round(new_v - old_v, 2)
        return Pair(
            label, text(old_v), text(new_v), _signed(delta, text(abs(delta))), _tone(delta, True)
        )

    rows = [
        pair("Callers on the line", "caller_hours", hours),
        pair("Agents talking", "agent_hours", hours),
    ]
    if a.priced or b.priced:
        cur = a.currency or b.currency
        rows.append(
            pair("Cost a month", "cost", lambda v: "without end" if v is None else money(v, cur))
        )
    traffic = new.menu.traffic
    hours_a_month = f" over {number(traffic.hours_per_month)}{NBSP}hours" if traffic else ""
    note = f"{number(y['calls'])}{NBSP}calls a month{hours_a_month} like the audited one"
    return tuple(rows), note


def _side(heading: str, a: Audit, mp: str) -> MapSide:
    # Named apart ("… (before)"): two maps of one name would be two landmarks alike.
    name = f"{shown_name(a.menu)} ({heading.lower()})"
    tree = tuple(tree_line(line) for line in map_lines(a.outline))
    return MapSide(heading, name, menu_map(a, f"{mp}m"), mp, tree)


def compare(old: Audit, new: Audit, *, before: str = "Before", after: str = "After") -> Comparison:
    """Return what both pages show of two audits of a menu; `before` and `after` head the
    two maps."""
    m, n = old.score.value, new.score.value
    month, note = _month(old, new)
    view = calls_view(new)
    figures = old.metrics.to_dict(), new.metrics.to_dict()
    return Comparison(
        name=shown_name(new.menu),
        before_file=display_path(old.file),
        after_file=display_path(new.file),
        before=_score(m, old.score.band),
        after=_score(n, new.score.band),
        score_change="" if m == n else f"{n - m:+d}".replace("-", MINUS),
        score_tone=_tone(n - m, False),
        figures=_figures(old, new, *figures),
        intents=_intents(old, new, *figures),
        queues=_queues(old, new),
        month=month,
        month_note=note,
        needed_note=view.needed_note if view is not None else "",
        maps=(
            _side(before, old, "b-"),
            _side(after, new, "a-"),
        ),
    )


def _row(f: Finding, was: str = "") -> FindingRow:
    return FindingRow(
        f.severity.value,
        f.rule,
        f.name,
        f.message,
        f"{display_path(f.pos.file)}:{f.pos.line}",
        was,
    )


def build_diff_page(
    old: Audit, new: Audit, d: MenuDiff, branding: Branding | None = None
) -> DiffPage:
    """Return the diff page of two audits and their `MenuDiff` (its verdict and findings)."""
    c = compare(old, new)
    typical = c.typical
    said = f"Score {c.before.value} → {c.after.value}, a typical call {typical.before} → "
    said += f"{typical.after}."
    if d.regressed:
        verdict, cls = "Regressed", POOR
        n = len(d.reasons)
        said = f"The new menu is worse for callers in {n} way{'' if n == 1 else 's'}:"
    elif (d.score_delta or 0) > 0 or typical.tone == GOOD:
        verdict, cls = "Better", GOOD
    else:
        verdict, cls = "No regression", ""
    return DiffPage(
        title=f"{c.name}: before and after",
        comparison=c,
        verdict=verdict,
        verdict_class=cls,
        summary=said,
        reasons=d.reasons,
        notes=d.notes,
        fixed=tuple(_row(f) for f in d.fixed_findings),
        new=tuple(_row(f) for f in d.new_findings),
        changed=tuple(_row(x.new, x.old.message) for x in d.changed_findings),
        branding=branding or Branding(),
    )


def month_text(effect: MonthEffect | None) -> str:
    """Return what a change saves (or adds) in a month of calls, in words, as every
    report says it (`callsview.month_effect`); '' without `traffic`."""
    if effect is None:
        return ""
    return month_effect(effect.to_dict())[0] or "no change to a month of calls"


def _card(
    n: int,
    s: Suggestion,
    data: Mapping[str, Any],
    before: Mapping[str, Any],
    labels: Mapping[str, str],
) -> Card:
    """Return a suggestion as a card; `data` is its contract object, `before` the menu's,
    `labels` what the menu calls each intent."""
    fix = fix_view(data, before)
    resolves = gains_text(None, s.resolves_more, s.resolves)
    return Card(
        number=n,
        id=s.id,
        fix=fix,
        where=f"{display_path(s.file)}:{s.line}",
        # The fix's one phrase is the time saved where there is any: say the calls too.
        resolves=resolves[0] if resolves and not fix.gain.startswith("resolves") else "",
        month=month_text(s.saves_per_month),
        decision=s.decision or "",
        slower=", ".join(f"{labels.get(i, i)} +{duration(x)}" for i, x in s.slower),
    )


def _times(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f} times as long as the best menu"


def build_suggest_page(
    base: Audit, combined: Audit, result: Suggestions, branding: Branding | None = None
) -> SuggestPage:
    """Return the suggest page: `base` (the menu as it is), `combined` (the audit of
    `result.combined.menu`) and `result` (its `Suggestions`)."""
    c = compare(base, combined, before="Now", after="Suggested")
    data = result.to_dict()
    labels = intent_labels(base.menu)
    cards = [
        _card(n, s, d, data["before"], labels)
        for n, (s, d) in enumerate(zip(result.suggestions, data["suggestions"], strict=True), 1)
    ]

    gaps = from_best(result)

    # Measured is the contract's (`after` given): a change measured where no call has a
    # time (no person, no intent resolved) still is, with no seconds saved.
    measured = {s.id for s in result.suggestions if s.measured}
    full = [k for k in cards if k.id in measured and k.fix.gain]
    return SuggestPage(
        title=f"{c.name}: suggested changes",
        comparison=c,
        applied=len(result.combined.applied),
        measured=len(measured),
        combined_month=month_text(result.combined_saves_per_month),
        # Numbered as the page shows them; the minor and listed ones are lists.
        cards=tuple(replace(k, number=n) for n, k in enumerate(full, start=1)),
        minor=tuple(k for k in cards if k.id in measured and not k.fix.gain),
        listed=tuple(k for k in cards if k.id not in measured),
        optimum=(
            ""
            if result.optimum.typical_call_seconds is None
            else duration(result.optimum.typical_call_seconds)
        ),
        no_optimum=(
            "The menu declares no intents (the callers' reasons to call)"
            if not base.menu.intents
            else "No declared intent can be resolved"
        ),
        optimum_exact=result.optimum.exact,
        distance_before="—" if gaps[0] is None else duration(gaps[0]),
        distance_after="—" if gaps[1] is None else duration(gaps[1]),
        ratio_before=_times(result.optimum_ratio),
        ratio_after=_times(result.combined_ratio),
        optimum_lines=tuple(optimum_lines(result.optimum.menu() or [], labels)),
        branding=branding or Branding(),
    )
