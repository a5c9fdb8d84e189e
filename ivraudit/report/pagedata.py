"""What an HTML report shows, built once from an audit (and its suggestions): plain
frozen data with every figure already formatted, so that templates only lay it out. The
menu map is built in `menumap`, and routes written as text in `routes`."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ivraudit.audit import Audit
from ivraudit.format.model import Menu
from ivraudit.format.units import NBSP, count, duration, share
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Finding
from ivraudit.judge.rules import REGISTRY
from ivraudit.report.branding import Branding
from ivraudit.report.callsview import CallsView, calls_view, month_effect
from ivraudit.report.fixes import Fix, fix_view, optimum_lines, seconds_text
from ivraudit.report.grouping import SeverityGroup, finding_summary, group_findings
from ivraudit.report.headline import (
    KeyFigure,
    has_call_mix,
    headline,
    journey_times,
    person_seconds,
    person_text,
    score_part_title,
    staffed_waits,
)
from ivraudit.report.menumap import MenuMap, map_lines, menu_map
from ivraudit.report.menuname import intent_label, shown_name
from ivraudit.report.order import rank_key
from ivraudit.report.portfolio import Effect
from ivraudit.report.routes import callers_words, error_route, node_name, person_route, tree_line
from ivraudit.report.simpage import DayView, day_for_report
from ivraudit.report.walkthrough import Walkthrough, build_walkthrough
from ivraudit.report.wording import client_text


@frozen
class Gauge:
    """The score as a half-circle gauge: the arc's end point on a 200 by 110 drawing."""

    value: int
    band: str
    band_class: str
    end_x: float
    end_y: float


@frozen
class ScorePart:
    """One line of how the score was made."""

    title: str
    value: str
    score: str
    points: str


@frozen
class ScoreCategory:
    """One category of the score with its parts."""

    title: str
    weight: str
    value: int
    parts: tuple[ScorePart, ...]


@frozen
class IntentBar:
    """One intent in the chart of time per intent: menus and prompts, then hold."""

    name: str
    share: str
    total: str
    menu_pct: float
    hold_pct: float
    menu: str
    hold: str
    resolved: bool
    resolved_note: str = ""  # "96% resolved" when some of its calls are not
    queue: str = ""  # the staffed queue its calls wait in (its wait is computed)


@frozen
class Combined:
    """Every compatible suggestion applied together, and the best menu for the call mix."""

    applied: int
    typical_before: str
    typical_after: str
    score_before: str
    score_after: str
    optimum: str
    distance_before: str
    distance_after: str
    optimum_lines: tuple[tuple[int, str], ...]
    month: str = ""  # what the combined rewrite saves in a month (with `traffic`)


@frozen
class Page:
    """Everything one menu's page shows, in the order it shows it."""

    slug: str
    name: str
    file: str
    description: str
    gauge: Gauge
    categories: tuple[ScoreCategory, ...]
    capped: str
    fix_first: tuple[Fix, ...]
    figures: tuple[KeyFigure, ...]
    route: str
    error_route: str  # a faster way to a person by silence or a wrong key, if any
    map: MenuMap
    bars: tuple[IntentBar, ...]
    findings: tuple[SeverityGroup, ...]
    finding_summary: str
    fixes: tuple[Fix, ...]
    combined: Combined | None
    tree: tuple[str, ...]
    suggestions_known: bool
    branding: Branding
    # What an imported export did not say and the import assumed (docs/importers.md).
    assumptions: tuple[str, ...] = ()
    # Suggestions the model finds saving no time and gaining no score: listed in brief.
    minor_fixes: tuple[Fix, ...] = ()
    # What callers live through (None when the menu declares no intents or traffic).
    calls: CallsView | None = None
    # What it is like to call: each kind of call, prompt by prompt (walkthrough.py).
    walkthrough: Walkthrough | None = None
    # A day of calls simulated hour by hour (simpage.py), for a menu with traffic.profile.
    day: DayView | None = None
    # The sentences a client reads first (`headline`), shared with the other reports.
    sentences: tuple[str, ...] = ()
    # The cover (`_cover.html.j2`): the format the menu was read from and which version
    # of its file was audited.
    source: str = ""
    version: str = ""

    @property
    def map_wide(self) -> bool:
        """Whether the map is wide enough to get a landscape page of its own in print."""
        first = self.map.parts[0] if self.map.parts else None
        return first is not None and map_is_wide(first.width, first.height)

    @property
    def map_tall(self) -> bool:
        """Whether the map is tall enough to get a portrait page of its own in print."""
        first = self.map.parts[0] if self.map.parts else None
        return first is not None and map_is_tall(first.width, first.height)


@frozen
class Row:
    """One menu in the portfolio, with the numbers its columns sort by."""

    rank: int
    name: str
    href: str
    score: int
    band: str
    band_class: str
    to_person: str
    to_person_sort: float
    typical: str
    typical_sort: float
    resolved: str
    resolved_sort: float
    worst: str
    worst_detail: str
    top_fix: str
    file: str = ""
    source: str = ""  # `YAML menu`, or the platform an export came from
    worst_cost: str = ""  # what the worst finding costs an average call, where known

    @property
    def file_name(self) -> str:
        """Return the menu file's name without its folders."""
        return self.file.replace("\\", "/").rsplit("/", 1)[-1]


@frozen
class LeverView:
    """One of the biggest levers of the portfolio, as the index shows it."""

    menu: str
    href: str
    title: str
    effect: str


@frozen
class Totals:
    """The portfolio's month, over the menus that declare their traffic."""

    calls: str  # "" when no menu declares traffic
    caller_hours: str
    cost: tuple[str, ...]  # one amount per currency; () when no menu declares costs
    note: str  # which menus the totals leave out, and why


@frozen
class Portfolio:
    """The index page: a summary, then every menu ranked by score."""

    rows: tuple[Row, ...]
    branding: Branding
    summary: str
    totals: Totals | None = None
    levers: tuple[LeverView, ...] = ()


def build_page(
    audit: Audit,
    slug: str,
    suggestions: Mapping[str, Any] | None = None,
    branding: Branding | None = None,
) -> Page:
    """Return the page of one audited menu; `suggestions` is the suggest contract's object."""
    a = audit
    before = (suggestions or {}).get("before") or {}
    fixes = tuple(fix_view(s, before) for s in (suggestions or {}).get("suggestions", ()))
    view = calls_view(a)
    top = headline(a, suggestions)
    words = callers_words(a)  # the routes on the page name places as the map does
    waits = staffed_waits(a)  # the text tree reads a staffed queue as the figures do
    return Page(
        slug=slug,
        name=shown_name(a.menu),
        file=a.file,
        description=a.menu.description or "",
        gauge=_gauge(a.score.value, a.score.band),
        categories=tuple(
            ScoreCategory(
                c.title,
                f"{c.weight:.0%}",
                c.value,
                tuple(
                    ScorePart(
                        score_part_title(a, p.metric, p.title),
                        p.display,
                        "n/a" if p.score is None else f"{p.score * 100:.0f}",
                        "" if p.score is None else f"{c.contribution(p):.1f}",
                    )
                    for p in c.parts
                ),
            )
            for c in a.score.categories
        ),
        capped=(
            f"Held at {a.score.value} (from {a.score.uncapped}) by error findings: "
            + ", ".join(a.score.capped_by)
            if a.score.capped_by
            else ""
        ),
        fix_first=top.fixes,
        figures=top.figures,
        route=person_route(a, words),
        error_route=error_route(a, words),
        map=menu_map(a, words=words),
        bars=_bars(a),
        findings=group_findings(a.findings),
        finding_summary=finding_summary(a.findings),
        fixes=tuple(f for f in fixes if not f.minor),
        minor_fixes=tuple(f for f in fixes if f.minor),
        combined=_combined(suggestions) if suggestions else None,
        tree=tuple(tree_line(line, waits) for line in map_lines(a.outline)),
        suggestions_known=suggestions is not None,
        branding=branding or Branding(),
        assumptions=tuple(a.menu.assumptions),
        calls=view,
        walkthrough=build_walkthrough(a),
        day=day_for_report(a),
        sentences=top.sentences,
        source=source_name(a.menu),
        version=a.menu.digest,
    )


# A portrait A4 or Letter page, less its margins, is about 680 CSS pixels wide: a map
# wider than that, and wider than tall, reads larger across a landscape page.
_PORTRAIT_PX = 680


def map_is_wide(width: float, height: float) -> bool:
    """Return whether a map `width` by `height` pixels prints better on a landscape page."""
    return width > _PORTRAIT_PX and width > 1.2 * height


# Half a portrait page's height, less its margins, in CSS pixels: a map taller than this
# at the page's width would either leave a half-empty page where it falls or print small.
_HALF_PAGE_PX = 460


def map_is_tall(width: float, height: float) -> bool:
    """Return whether a map `width` by `height` pixels, not wide, prints better on a
    portrait page of its own (at the end) than at half a page's height in its place."""
    if map_is_wide(width, height):
        return False
    scale = min(1.0, _PORTRAIT_PX / width) if width > 0 else 1.0
    return height * scale > _HALF_PAGE_PX


def source_name(menu: Menu) -> str:
    """Return what the menu was read from, in a few words: `Twilio Studio flow`, or
    `YAML menu` / `JSON menu` for our own format."""
    if menu.platform:
        # Importer titles add the file's detail in brackets: `Asterisk dialplan (extensions.conf)`.
        return menu.platform.split(" (", 1)[0]
    return "JSON menu" if menu.source.lower().endswith(".json") else "YAML menu"


def build_portfolio(
    pages: Sequence[tuple[Audit, Page]],
    branding: Branding | None = None,
    suggestions: Sequence[Mapping[str, Any] | None] | None = None,
) -> Portfolio:
    """Return the index: a summary of the month and the biggest levers, then menus by
    score (best first, then by name), each linking its page; `suggestions` are the suggest
    contract's objects, in the order of `pages`."""
    from ivraudit.report.portfolio import biggest_levers, costliest_finding

    found = list(suggestions) if suggestions is not None else [None] * len(pages)
    ranked = sorted(zip(pages, found, strict=True), key=lambda item: rank_key(item[0][0]))
    rows = []
    for rank, ((a, page), sug) in enumerate(ranked, start=1):
        m = a.metrics
        costliest = costliest_finding(a, sug)
        worst, cost = costliest if costliest else (None, 0.0)
        mix = has_call_mix(a)
        rows.append(
            Row(
                rank=rank,
                name=page.name,
                href=f"{page.slug}.html",
                score=a.score.value,
                band=a.score.band,
                band_class=a.score.band.replace(" ", "-"),
                # As the menu's page gives it (report/headline.py: one figure everywhere).
                to_person=person_text(a),
                to_person_sort=_sortable(person_seconds(a)[0]),
                # As the page: without a call mix there is no typical call nor share
                # resolved (not "never" beside "100%").
                typical=duration(m.typical_call_seconds) if mix else NO_MIX,
                typical_sort=_sortable(m.typical_call_seconds if mix else None),
                resolved=share(m.resolved_share) if mix else NO_MIX,
                resolved_sort=round(m.resolved_share, 4) if mix else -1.0,
                worst=_worst_title(worst, a.findings) if worst else "none",
                # In a client's words, as the menu's page says it (no `no_match handler`).
                worst_detail=client_text(worst.message) if worst else "",
                top_fix=_top_fix(page),
                file=a.file,
                source=page.source,
                worst_cost=f"costs {duration(cost)} per call on average" if cost >= 0.05 else "",
            )
        )
    n = len(rows)
    poor = sum(1 for r in rows if r.band == "poor")
    summary = f"{count(n, 'menu')} ranked by score, best first; {poor} in the poor band."
    levers = biggest_levers([(p.name, f"{p.slug}.html", sug) for (_, p), sug in ranked])
    return Portfolio(
        tuple(rows),
        branding or Branding(),
        summary,
        totals=_totals([a for (a, _), _ in ranked]),
        levers=tuple(
            LeverView(lv.menu, lv.href, lv.title, effect_text(lv.effect)) for lv in levers
        ),
    )


def _totals(audits: Sequence[Audit]) -> Totals:
    """Return the month of the menus that declare their traffic, summed."""
    from ivraudit.report.callsview import ENDLESS, money, number

    months = [
        (a, a.metrics.calls.month) for a in audits if a.metrics.calls and a.metrics.calls.month
    ]
    endless = [shown_name(a.menu) for a, m in months if m.caller_hours is None]
    costs: dict[str, float] = {}
    priced = 0
    for _, m in months:
        if m.priced:
            priced += 1
            if m.cost is not None:
                costs[m.currency] = costs.get(m.currency, 0.0) + m.cost
    hours = sum(m.caller_hours for _, m in months if m.caller_hours is not None)
    left = len(audits) - len(months)
    notes = []
    if left:
        notes.append(
            f"{left} of {count(len(audits), 'menu')} state no calls an hour and are not counted"
            if months
            else "No menu states its calls an hour, so there is no month to total"
        )
    if months and priced < len(months):
        notes.append(f"{count(len(months) - priced, 'menu')} with calls state no costs")
    if endless:
        notes.append(f"caller-hours {ENDLESS} in {', '.join(endless)} (an overloaded queue)")
    return Totals(
        calls=f"{number(sum(m.calls for _, m in months))}{NBSP}calls" if months else "",
        caller_hours=f"{number(hours)}{NBSP}hours" if months else "",
        cost=tuple(money(v, cur) for cur, v in sorted(costs.items())),
        note=(". ".join(n[:1].upper() + n[1:] for n in notes) + ".") if notes else "",
    )


def effect_text(e: Effect) -> str:
    """Return a lever's effect in words: money and caller-hours a month where the menu
    declares them, else the seconds saved per call."""
    from ivraudit.report.callsview import money, number

    parts = []
    if e.money is not None and e.money >= 0.005:
        parts.append(money(e.money, e.currency))
    if e.caller_hours is not None and e.caller_hours >= 0.05:
        parts.append(f"{number(e.caller_hours)}{NBSP}caller-hours")
    saves = "saves " + " and ".join(parts) + " a month" if parts else ""
    if e.resolves >= 0.005:
        # Newly resolved calls are not time saved: they are said as what they are.
        return f"resolves {e.resolves:.0%} more calls" + (f"; {saves}" if saves else "")
    return saves or f"saves {duration(e.seconds)} per call"


def _worst_title(worst: Finding, findings: Sequence[Finding]) -> str:
    """Return the rule as the menu's page titles it (`Caller trapped in a loop IVR401`),
    with a count when the rule fires more than once."""
    n = sum(1 for f in findings if f.rule == worst.rule)
    rule = REGISTRY.get(worst.rule)
    title = rule.title if rule is not None and rule.title else worst.name
    return f"{title} {worst.rule}" + (f"\u00a0\u00d7\u00a0{n}" if n > 1 else "")


def _top_fix(page: Page) -> str:
    if not page.fixes:
        return "none found" if page.suggestions_known else "—"
    top = next((f for f in page.fixes if f.first), page.fixes[0])
    if not top.measured:
        return f"{top.title} (not measured)"
    # Always the seconds saved, then any score gained, so that rows compare at a glance.
    what = (
        f"saves {top.saves}"
        if top.gain.startswith("saves")
        else top.gain
        if top.gain.startswith("resolves")
        else "no time saved"
    )
    if top.score_after.isdigit() and top.score_before.isdigit():
        gain = int(top.score_after) - int(top.score_before)
        what += f", score +{gain}" if gain > 0 else ""
    return f"{top.title} ({what})"


# What the index shows for a figure a menu without a call mix does not have.
NO_MIX = "—"


def _sortable(seconds: float | None) -> float:
    return 1e9 if seconds is None else round(seconds, 2)


def _gauge(value: int, band: str) -> Gauge:
    angle = math.pi * (1 - value / 100)  # 180° at 0, 0° at 100
    return Gauge(
        value,
        band,
        band.replace(" ", "-"),
        round(100 + 80 * math.cos(angle), 2),
        round(100 - 80 * math.sin(angle), 2),
    )


def _bars(a: Audit) -> tuple[IntentBar, ...]:
    """Return the chart of time per intent from the journeys every report shows: the
    time before the handler, then a person's wait (a staffed queue's answer, else the
    hold the menu states)."""
    routes = {j.intent: j for j in a.metrics.intent_routes}
    times = {t.intent: t for t in journey_times(a)}
    top = max((t.seconds for t in times.values() if t.seconds is not None), default=0.0) or 1.0
    bars = []
    for name, _ in a.metrics.intent_seconds:
        t = times[name]
        j = routes.get(name)
        if t.seconds is None:
            why = (
                "lost: no node handles these calls"
                if j is None or not j.handled
                else "callers wait without end in an overloaded queue"
                if t.total != "never"
                else "cut off before their answer"
                if j.end_kind == "hangup" and j.end_seconds is None
                else f"trapped: no choice from {node_name(j.end or a.menu.entry)} "
                "reaches their answer"
            )
            bars.append(IntentBar(intent_label(name), t.share, t.total, 0, 0, why, "", False))
            continue
        hold = min(t.own, t.seconds) if t.person else 0.0
        bars.append(
            IntentBar(
                intent_label(name),
                t.share,
                t.total,
                round(100 * (t.seconds - hold) / top, 2),
                round(100 * hold / top, 2),
                duration(t.seconds - hold),
                duration(hold) if hold else "",
                True,
                resolved_note=t.resolved,
                queue=t.queue,
            )
        )
    return tuple(bars)


def _combined(sug: Mapping[str, Any]) -> Combined | None:
    before = sug.get("before") or {}
    combined = sug.get("combined") or {}
    after = combined.get("after") or {}
    optimum = sug.get("optimum") or {}
    best = optimum.get("typical_call_seconds")

    def distance(value: Any) -> str:
        # The gap `suggest` measures (route against route, holds as stated); not this
        # page's typical call, which counts the queues as they answer.
        return duration(value) if isinstance(value, (int, float)) else ""

    return Combined(
        applied=len(combined.get("applied", ())),
        typical_before=seconds_text(before.get("typical_call_seconds")),
        typical_after=seconds_text(after.get("typical_call_seconds")),
        score_before=str(before.get("score", "—")),
        score_after=str(after.get("score", "—")),
        optimum=seconds_text(best),
        distance_before=distance(optimum.get("from_before")),
        distance_after=distance(optimum.get("from_after")),
        optimum_lines=tuple(optimum_lines(optimum.get("menu") or [], {})),
        # "Together they save …": the verb agrees with its plural subject.
        month=month_effect(combined.get("saves_per_month"))[0]
        .replace("saves ", "save ")
        .replace("adds ", "add "),
    )


# The longest page name kept as it is. A file name holds at most 255 bytes, and a page is
# written as `.NAME.html.XXXXXXXX.tmp` first: longer names end in a hash of the file name.
MAX_SLUG = 100
_HASH_CHARS = 12


def slugs(files: Sequence[str]) -> tuple[str, ...]:
    """Return a distinct, file-name-safe page name for each menu file, in order; a name
    too long to be a file's is cut and ends in a hash of the menu's file name."""
    out: list[str] = []
    taken: set[str] = {"index"}
    for f in files:
        base = f.replace("\\", "/").rsplit("/", 1)[-1]
        stem = re.sub(r"[^a-z0-9_-]+", "-", base.lower())
        stem = re.sub(r"-(ya?ml|json)$", "", stem) or "menu"
        if len(stem) > MAX_SLUG:
            import hashlib  # only for names this long

            digest = hashlib.sha256(base.encode("utf-8", "surrogatepass")).hexdigest()
            stem = f"{stem[: MAX_SLUG - _HASH_CHARS - 1]}-{digest[:_HASH_CHARS]}"
        name, n = stem, 2
        while name in taken:
            name, n = f"{stem}-{n}", n + 1
        taken.add(name)
        out.append(name)
    return tuple(out)
