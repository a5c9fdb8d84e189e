"""What a client reads first, written once for the terminal, Markdown and the HTML page:
one or two sentences from the figures, the key figures marked good, needs work or poor
against their targets (docs/reports.md), and the things to fix first.

Every value is formatted here from the audit's own objects (`metrics`, `calls`) and the
suggest contract, the objects `score --format json` prints, so that a figure reads the
same in every section and every format. Menu text (intent names, the currency) stays raw:
each renderer makes it safe for its medium.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ivraudit.analysis.paths import Step
from ivraudit.audit import Audit
from ivraudit.format.units import NBSP, count, duration, share
from ivraudit.frozen import frozen
from ivraudit.judge.score import CURVES
from ivraudit.report.callsview import hang_up_share, money, number
from ivraudit.report.fixes import Fix, fix_first, fix_view

GOOD, NEEDS_WORK, POOR = "good", "needs work", "poor"
FIX_FIRST = 3
_NONE, _ENDLESS = "none", "without end"


@frozen
class KeyFigure:
    """One key figure as every report shows it: its value, a note, and how it compares
    with its target (`status` is "" where no target applies)."""

    key: str  # stable: to_person, typical, resolved, hang_up, hold, worst, preamble, ...
    label: str
    value: str
    note: str = ""
    status: str = ""
    target: str = ""  # the target in words: "good at 30 s or less, poor over 3:00"


@frozen
class Headline:
    """The top of a menu's report: sentences, the things to fix first, key figures."""

    sentences: tuple[str, ...]
    fixes: tuple[Fix, ...]
    figures: tuple[KeyFigure, ...]
    suggestions_known: bool = False

    def figure(self, key: str) -> KeyFigure | None:
        """Return the key figure `key`, or None when this menu does not have it."""
        return next((f for f in self.figures if f.key == key), None)


def _json(seconds: float | None) -> float | None:
    """Return seconds as `score --format json` gives them (2 decimals): every figure is
    formatted from the number the JSON report prints, so that both read alike."""
    return None if seconds is None else round(seconds, 2)


def intent_label(intent: str) -> str:
    """Return an intent's id as words (`billing_query` reads `billing query`)."""
    return intent.replace("_", " ")


def headline(a: Audit, suggestions: Mapping[str, Any] | None = None) -> Headline:
    """Return what a client reads first about `a`; `suggestions` is the suggest contract's
    object (or its `before` and `suggestions` alone), None when none were worked out."""
    before = (suggestions or {}).get("before") or {}
    every = [fix_view(s, before) for s in (suggestions or {}).get("suggestions", ())]
    fixes = fix_first(every, FIX_FIRST)
    figures = key_figures(a)
    return Headline(
        _sentences(a, figures, fixes, known=suggestions is not None),
        fixes,
        figures,
        suggestions_known=suggestions is not None,
    )


# --- targets -------------------------------------------------------------------------


def _option(a: Audit, rule: str, name: str) -> float:
    """Return a rule's threshold as this audit's configuration sets it."""
    from ivraudit.judge.rules import get_rule

    default = get_rule(rule).options[name]
    return float(a.config.options.get(rule, {}).get(name, default))


def _status(value: float | None, good: float, poor: float, *, higher: bool = False) -> str:
    """Return good at or better than `good`, poor worse than `poor`, else needs work."""
    if value is None:
        return POOR
    if higher:
        return GOOD if value >= good else POOR if value < poor else NEEDS_WORK
    return GOOD if value <= good + 1e-9 else POOR if value > poor + 1e-9 else NEEDS_WORK


def _seconds_target(good: float, poor: float) -> str:
    return f"good at {_limit(good)} or less, poor over {_limit(poor)}"


def _limit(seconds: float) -> str:
    """Return a target's seconds as people write them: `30 s`, `3:00`."""
    whole = seconds <= 90 and float(seconds).is_integer()
    return f"{seconds:g}{NBSP}s" if whole else duration(seconds)


# --- key figures ---------------------------------------------------------------------


def has_call_mix(a: Audit) -> bool:
    """Return whether `a` declares why people call (intents or traffic): without, it has
    no typical call nor share resolved to show, only a time to a person."""
    return bool(a.menu.intents) or a.metrics.calls is not None


def key_figures(a: Audit) -> tuple[KeyFigure, ...]:
    """Return the key figures of `a`, most important first, each marked against its
    target (docs/reports.md names each target and its source)."""
    m = a.metrics
    c = m.calls
    out: list[KeyFigure] = [_to_person(a)]
    typical_good = CURVES["typical_call_seconds"].good
    typical_poor = a.config.max_typical_call or _option(a, "IVR108", "max_seconds")
    if has_call_mix(a):
        # A menu without intents has no call mix: its typical call is its time to a
        # person, and the score leaves the part out ("not applicable").
        label = "Time on the phone" if c is not None else "Typical call"
        note = "on average, holds included" if c is not None else "weighted by the call mix"
        if c is not None and c.seconds is None:
            note = "a queue is overloaded" if c.overloaded else "no call is resolved"
        out.append(
            KeyFigure(
                "typical",
                label,
                duration(
                    _json(m.typical_call_seconds), never=_ENDLESS if c and c.overloaded else _NONE
                ),
                note,
                _status(m.typical_call_seconds, typical_good, typical_poor),
                _seconds_target(typical_good, typical_poor),
            )
        )
        unresolved = _never(a)
        least = a.config.min_resolved_share
        out.append(
            KeyFigure(
                "resolved",
                "Calls resolved",
                share(m.resolved_share),
                ("never resolved: " + ", ".join(unresolved)) if unresolved else "",
                _status(m.resolved_share, 0.9, least if least is not None else 0.5, higher=True),
                f"good at 90% or more, poor under {share(least if least is not None else 0.5)}",
            )
        )
    if c is not None and c.queues:
        aim = c.targets.abandon_share
        out.append(
            KeyFigure(
                "hang_up",
                "Hang up on hold",
                hang_up_share(c.abandon_share),
                "of calls",
                _status(round(c.abandon_share, 4), aim, 2 * aim),
                f"good at {share(aim)} or less, poor over {share(2 * aim)}",
            )
        )
    if c is not None and c.hold_seconds is not None and c.seconds:
        out.append(
            KeyFigure(
                "hold",
                "On hold",
                share(round(c.hold_seconds, 2) / round(c.seconds, 2)),
                f"of a call's time: {duration(_json(c.hold_seconds))} "
                f"of {duration(_json(c.seconds))}",
            )
        )
    worst = worst_journey(a)
    if worst is not None:
        name, seconds, note = worst
        out.append(
            KeyFigure(
                "worst",
                "Worst journey",
                duration(seconds, never=_ENDLESS),
                intent_label(name) + (f" ({note})" if note else ""),
                _status(seconds, typical_good, typical_poor),
                _seconds_target(typical_good, typical_poor),
            )
        )
    if m.preamble_seconds is not None:
        good, poor = CURVES["preamble_seconds"].good, _option(a, "IVR302", "max_seconds")
        out.append(
            KeyFigure(
                "preamble",
                "Time before the first option",
                duration(_json(m.preamble_seconds)),
                "",
                _status(m.preamble_seconds, good, poor),
                _seconds_target(good, poor),
            )
        )
    good, poor = CURVES["depth"].good, _option(a, "IVR201", "max_presses")
    out.append(
        KeyFigure(
            "depth",
            "Depth",
            count(m.depth, "key press", "key presses"),
            "menu choices to the deepest end",
            _status(m.depth, good, poor),
            f"good at {good:g} or less, poor over {poor:g}",
        )
    )
    if m.reachable_menus:
        good, poor = _option(a, "IVR202", "max_options"), CURVES["max_options"].poor
        out.append(
            KeyFigure(
                "options",
                "Options per menu",
                f"max {m.max_options}",
                f"mean {m.mean_options:.1f} over {count(m.menus, 'menu')}",
                _status(m.max_options, good, poor),
                f"good at {good:g} or less, poor over {poor:g}",
            )
        )
        offers = len(m.queue_offer_menus)
        out.append(
            KeyFigure(
                "zero",
                "Menus without a working 0",
                str(m.menus_without_working_zero),
                f"not counting {count(offers, 'callback or wait offer')}" if offers else "",
                _status(m.menus_without_working_zero, 0, 0),
                "good at 0, poor otherwise",
            )
        )
    return tuple(out)


def _never(a: Audit) -> list[str]:
    """Return the intents no route resolves, as `calls` and `intent_seconds` agree."""
    return [intent_label(name) for name, s in a.metrics.intent_seconds if s is None]


def person_seconds(a: Audit) -> tuple[float | None, bool]:
    """Return the time to a person the reports show, and whether it is the line as it is:
    `calls.person_seconds` where a queue is staffed, else `time_to_human_seconds`."""
    c = a.metrics.calls
    if c is not None and c.staffed_queues:
        return c.person_seconds, True
    return a.metrics.time_to_human_seconds, False


def _to_person(a: Audit) -> KeyFigure:
    m = a.metrics
    good = CURVES["time_to_human_seconds"].good
    poor = a.config.max_time_to_human or _option(a, "IVR103", "max_seconds")
    seconds, live = person_seconds(a)
    notes = []
    if m.time_to_human_seconds is None:
        notes.append("no route reaches a person")
    else:
        presses = m.time_to_human_presses
        notes.append(
            "no key press"
            if presses == 0
            else f"at least {count(presses, 'key press', 'key presses')}"
            if presses
            else ""
        )
        if m.human_share < 1:
            notes.append(f"for the {share(m.human_share)} of callers who can reach one")
        if any(s.kind == "route" and s.probability < 1 for s in m.best_route):
            notes.append("on average over a branch's routes")
        if live:
            # The hour is the one the page's queues are given for ("at 400 calls an hour").
            notes.append(
                f"queues as they answer; {duration(_json(m.time_to_human_seconds))} "
                "with the holds as stated"
            )
        else:
            notes.append("hold included")
    return KeyFigure(
        "to_person",
        "Time to a person",
        person_text(a),
        ", ".join(n for n in notes if n),
        _status(seconds, good, poor),
        _seconds_target(good, poor),
    )


def score_part_title(a: Audit, metric: str, title: str) -> str:
    """Return a score part's title as the reports show it: where a queue is staffed, the
    score's time to a person (the holds the menu states) says so, since the key figure
    gives the queues as they answer."""
    c = a.metrics.calls
    if metric == "time_to_human_seconds" and c is not None and c.staffed_queues:
        return f"{title}, holds as the menu states them"
    return title


def worst_journey(a: Audit) -> tuple[str, float | None, str] | None:
    """Return the slowest intent to resolve: its id, its seconds and a note. With `calls`
    the seconds are `calls.intents.<id>.seconds_resolved` (the queues as they answer),
    else `intent_seconds`; None seconds for calls that wait without end behind an
    overloaded queue; None when no intent is resolved."""
    m = a.metrics
    c = m.calls
    if c is not None and c.declared:
        for i in c.intents:
            if i.resolvable and i.seconds is None:  # waits without end: worst of all
                return i.intent, None, "an overloaded queue"
        found = [
            (i.intent, i.seconds_resolved, i.resolved_share)
            for i in c.intents
            if i.seconds_resolved is not None and i.resolved_share > 0
        ]
        if not found:
            return None
        name, seconds, resolved = max(found, key=lambda x: x[1])  # type: ignore[arg-type,return-value]
        shown = share(resolved)
        return name, round(seconds, 2), "" if shown == "100%" else f"{shown} resolved"  # type: ignore[arg-type]
    times = [(name, s) for name, s in m.intent_seconds if s is not None]
    if not times:
        return None
    name, seconds = max(times, key=lambda x: x[1])
    return name, seconds, ""


def person_text(a: Audit) -> str:
    """Return the time to a person as every report writes it (`person_seconds`)."""
    seconds, live = person_seconds(a)
    if live and seconds is None and a.metrics.time_to_human_seconds is not None:
        return _ENDLESS  # the route's queue is overloaded
    return duration(_json(seconds))


def journey_seconds(a: Audit) -> dict[str, float | None]:
    """Return each intent's time as the journeys show it: `seconds_resolved` where the
    menu has `calls`, else `intent_seconds` (the time `worst_journey` compares)."""
    m = a.metrics
    c = m.calls
    times = dict(m.intent_seconds)
    if c is None or not c.declared:
        return times
    out: dict[str, float | None] = {}
    for name, s in times.items():
        i = c.intent(name)
        out[name] = None if s is None or i is None else i.seconds_resolved
    return out


# --- the route to a person ----------------------------------------------------------


def faster_way(a: Audit) -> str:
    """Return "Saying nothing" or "A wrong key" when that reaches a person sooner than
    any announced option, else ''."""
    m = a.metrics
    errors = [s for s in m.best_route if s.kind in ("no_input", "no_match")]
    if m.time_to_human_seconds is None or not errors:
        return ""
    if m.announced_time_to_human_seconds is not None and (
        m.time_to_human_seconds >= m.announced_time_to_human_seconds - 1e-9
    ):
        return ""
    return "Saying nothing" if errors[0].kind == "no_input" else "A wrong key"


def staffed_waits(a: Audit) -> dict[str, str]:
    """Return, for each agent whose queue is staffed, how its wait reads in a call tree in
    place of the hold the file states ("queue billing, answered in 7:19")."""
    c = a.metrics.calls
    out: dict[str, str] = {}
    for node, queue in () if c is None else c.staffed:
        q = c.queue_at(node) if c is not None else None
        if q is not None:
            answer = "no end" if q.overloaded else duration(_json(q.figures.answer_seconds))
            out[node] = f"queue{NBSP}{queue}, answered in {answer}"
    return out


def route_end(a: Audit, steps: Sequence[Step], hold: float | None) -> str:
    """Return how a route to a person ends: "queue sales, answered in 7.4 s" where its
    queue is staffed (as the key figures and journeys read it), else "45.0 s hold"."""
    c = a.metrics.calls
    q = None if c is None else c.queue_at(steps[-1].to if steps else a.menu.entry)
    if q is None or a.menu.traffic is None:
        return f"{duration(_json(hold or 0.0))}{NBSP}hold"
    if q.overloaded:
        return f"queue {q.queue}, which never answers"
    return f"queue {q.queue}, answered in {duration(_json(q.figures.answer_seconds))}"


def route_notes(a: Audit, steps: Sequence[Step], hold: float | None, expected: float | None) -> str:
    """Return what a route to a person leaves unsaid, so that it agrees with the figures
    beside it: the hold the menu states where the queue's answer is shown instead, and
    the average where a branch splits the calls (the route shows the likeliest side)."""
    notes = []
    staffed = not route_end(a, steps, hold).endswith(f"{NBSP}hold")
    if staffed:
        notes.append(f"the menu states a {duration(_json(hold or 0.0))} hold")
    arrive = steps[-1].at_seconds if steps else 0.0
    if expected is not None and abs(arrive + (hold or 0.0) - expected) >= 0.05:
        notes.append(
            f"{duration(_json(expected))} on average over a branch's routes"
            + (" with the holds as stated" if staffed else "")
        )
    return "; ".join(notes)


def queue_note(a: Audit, node: object) -> str:
    """Return what the staffed queue behind an agent node does at the audited hour
    ("the queue sales answers in 7.4 s at 400 calls an hour"), or "" when not staffed."""
    c = a.metrics.calls
    q = None if c is None else c.queue_at(node)  # type: ignore[arg-type]
    if q is None or a.menu.traffic is None:
        return ""
    rate = a.menu.traffic.calls_per_hour
    shown = f"{rate:,.0f}" if rate >= 100 or float(rate).is_integer() else f"{rate:,.1f}"
    hour = f"at {shown}{NBSP}calls an hour"
    if q.overloaded:
        return f"the queue {q.queue} is overloaded {hour}: its calls wait without end"
    return f"the queue {q.queue} answers in {duration(q.figures.answer_seconds)} {hour}"


# --- sentences -----------------------------------------------------------------------


def _sentences(
    a: Audit, figures: Sequence[KeyFigure], fixes: Sequence[Fix], *, known: bool
) -> tuple[str, ...]:
    by = {f.key: f for f in figures}
    m = a.metrics
    first: list[str] = []
    if m.time_to_human_seconds is None:
        first.append("No caller can reach a person")
    elif by["to_person"].value == _ENDLESS:
        first.append("Callers who want a person wait without end")
    else:
        first.append(f"Callers wait {by['to_person'].value} for a person")
    worst = worst_journey(a)
    if worst is not None and by.get("worst") and len(m.intent_seconds) > 1:
        took = by["worst"].value
        first.append(
            f"{intent_label(worst[0])} calls wait without end"
            if worst[1] is None
            else f"{intent_label(worst[0])} calls take {took}"
        )
    if "hold" in by:
        first.append(f"{by['hold'].value} of a call is spent on hold")
    out = ["; ".join(first) + "."]
    c = m.calls
    if "resolved" in by:
        said = f"{by['resolved'].value} of calls are resolved"
        never = _never(a)
        if never:
            said += f"; {', '.join(never)} calls never are"
        if "hang_up" in by:
            said += f" and {by['hang_up'].value} hang up on hold"
        month = None if c is None else c.month
        if month is not None and month.caller_hours is not None:
            said += (
                f"; a month of {number(month.calls)}{NBSP}calls keeps callers on the line "
                f"{number(month.caller_hours)}{NBSP}hours"
            )
            if month.cost is not None:
                said += f" and costs {money(month.cost, month.currency)}"
        out.append(said + ".")
    if fixes:
        top = fixes[0]
        gain = top.gain
        if gain.startswith("saves"):
            gain += " a typical call"
        elif gain.startswith("score +"):
            gain = f"raises the score by {gain.removeprefix('score +')}"
        said = f"The first fix below {gain}"
        if top.month_short:
            said += f" and {top.month_short.removeprefix('saves ')}"
        out.append(said + ".")
    elif known:
        out.append("No change ivraudit can measure makes it better for callers.")
    return tuple(out)


# --- journeys ------------------------------------------------------------------------


@frozen
class JourneyTime:
    """One intent's journey as the reports show it: its time (`journey_seconds`), the
    time it reaches its handler, and that handler's own part, so that the parts shown
    add up to the time shown (or a note says why they need not)."""

    intent: str
    share: str
    seconds: float | None
    total: str  # "8:55", "never", or "without end" behind an overloaded queue
    arrive: float | None  # when the route shown reaches its handler
    own: float  # the handler's part: a queue's answer, a stated hold, a message
    end: str  # "queue billing, answered in 7:19", "10:00 hold", "8.4 s self-service"
    person: bool  # the handler is a person (the own part is a wait)
    queue: str  # the staffed queue at its end, or ""
    note: str  # "on average over every way its calls go", or ""
    resolved: str  # "68% resolved" where some of its calls are not


def journey_times(a: Audit) -> tuple[JourneyTime, ...]:
    """Return every intent's journey time, in the order of `intent_routes`."""
    m = a.metrics
    c = m.calls
    seconds = {k: _json(v) for k, v in journey_seconds(a).items()}
    shares = a.menu.intent_shares
    out = []
    for j in m.intent_routes:
        value = seconds.get(j.intent)
        arrive = (j.steps[-1].at_seconds if j.steps else 0.0) if j.end_seconds is not None else None
        q = c.queue_at(j.end) if c is not None and j.end_kind == "agent" else None
        own = j.end_seconds or 0.0
        total = duration(value)
        if q is not None:
            if q.overloaded:
                end, own, total = f"queue {q.queue}, which never answers", 0.0, _ENDLESS
            else:
                own = _json(q.figures.answer_seconds) or 0.0
                end = f"queue {q.queue}, answered in {duration(own)}"
        elif j.end_kind == "agent":
            end = f"{duration(own)} hold"
        else:
            end = f"{duration(own)} self-service" if j.end_seconds is not None else ""
        note = ""
        if value is not None and arrive is not None and abs(arrive + own - value) >= 0.05:
            note = "the average over every way its calls go"
        resolved = ""
        i = None if c is None or not c.declared else c.intent(j.intent)
        if i is not None and i.resolvable and share(i.resolved_share) != "100%":
            resolved = f"{share(i.resolved_share)}{NBSP}resolved"
        out.append(
            JourneyTime(
                j.intent,
                share(shares.get(j.intent, 0.0)),
                value,
                total,
                arrive,
                own,
                end,
                j.end_kind == "agent",
                "" if q is None else q.queue,
                note,
                resolved,
            )
        )
    return tuple(out)
