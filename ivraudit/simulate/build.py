"""From a menu to the plan of its simulation: the hours, the calls, the queues, the walks.

Bad input is a `MenuError` located in the file: a menu without `traffic`, a loop some
calls never leave, a queue without agents in an hour when its calls arrive.
"""

from __future__ import annotations

import math

import networkx as nx

from ivraudit.analysis.metrics import caller_classes
from ivraudit.format.errors import MenuError
from ivraudit.format.model import Menu, Position
from ivraudit.simulate.plan import WARMUP_HOURS, Plan, QueuePlan
from ivraudit.simulate.walks import EndlessLoop, walk_tables

# The longest run, in hours (about eleven years): the hours are walked one by one.
MAX_HOURS = 100_000

# A queue whose line would hold more callers than this at once is refused (check_lines).
MAX_WAITING = 5_000

# A run of more calls than this asks for fewer --hours (or --replications) first: at a
# few thousand calls a second it would take an hour or more.
MAX_CALLS = 10_000_000


class TooLong(ValueError):
    """The run would take more than `MAX_CALLS` calls."""

    def __init__(self, calls: float, hours_allowed: float) -> None:
        super().__init__(f"{calls:.3g} calls")
        self.calls = calls
        self.hours_allowed = hours_allowed


def _fail(menu: Menu, pos: Position | None, message: str) -> MenuError:
    at = pos or menu.pos
    return MenuError(menu.source, at.line, at.column, message)


def default_hours(menu: Menu) -> float:
    """Return the hours simulated without --hours: a day of the profile, else eight
    hours of the audited hour (a working day)."""
    traffic = menu.traffic
    if traffic is not None and traffic.profile:
        return float(len(traffic.profile))
    return 8.0


def plan_for(menu: Menu, g: nx.MultiDiGraph, hours: float | None = None) -> Plan:
    """Return the plan of simulating `menu` (graph `g`) for `hours` counted hours
    (None: `default_hours`); raise MenuError on a menu it cannot simulate."""
    traffic = menu.traffic
    if traffic is None:
        raise _fail(
            menu,
            None,
            "simulate needs 'traffic' (at least calls_per_hour) to know how many calls "
            "arrive; add it at the top level",
        )
    if hours is None:
        hours = default_hours(menu)
    if not (math.isfinite(hours) and 0 < hours <= MAX_HOURS):
        raise ValueError(f"hours must be a number above 0 and at most {MAX_HOURS:,}, not {hours!r}")
    profile = tuple(traffic.profile)
    rates = profile or (traffic.calls_per_hour,)
    names = [name for name, _ in menu.queues]
    classes, _ = caller_classes(menu, g)
    try:
        walks = walk_tables(menu, g, classes, names)
    except EndlessLoop as exc:
        raise _fail(
            menu,
            menu.intent_pos.get(exc.intent),
            f"calls of intent '{exc.intent}' go round a loop they never leave, so they never "
            "end; give the loop a way out",
        ) from None
    queues = tuple(
        QueuePlan(
            name,
            tuple(q.schedule) if q.schedule and profile else (q.agents,),
            q.handle_seconds,
            q.handle_cv,
            q.patience_seconds,
            q.patience_cv,
        )
        for name, q in menu.queues
    )
    _check_agents(menu, queues, rates, walks)
    return Plan(
        rates=rates,
        hours=hours,
        warmup_hours=0.0 if profile else WARMUP_HOURS,
        queues=queues,
        walks=walks,
        retry_share=traffic.retry_share,
        retry_after_seconds=traffic.retry_after_seconds,
        opens_at=traffic.opens_at if profile else None,
    )


def _check_agents(
    menu: Menu, queues: tuple[QueuePlan, ...], rates: tuple[float, ...], walks: tuple
) -> None:
    """Refuse a queue with no agents in an hour when calls arrive and some walk reaches
    it (the loader refuses it first; what-ifs change agents after loading)."""
    reached = {queue for w in walks for row in w.moves for _, _, _, queue, _ in row if queue >= 0}
    listed = dict(menu.queues)
    for i, q in enumerate(queues):
        if i not in reached:
            continue
        for hour, rate in enumerate(rates):
            if rate > 0 and q.agents_at(hour) < 1:
                raise _fail(
                    menu,
                    listed[q.name].pos,
                    f"queue '{q.name}' has no agents in hour {hour + 1} of the day, when "
                    "calls arrive and some reach it: nobody would answer them",
                )


def check_size(plan: Plan, replications: int) -> None:
    """Raise `TooLong` when the run would take more than `MAX_CALLS` calls."""
    calls = plan.expected_calls() * replications
    if calls > MAX_CALLS:
        per_hour = calls / (plan.warmup_hours + plan.hours)
        raise TooLong(calls, max(0.0, MAX_CALLS / per_hour - plan.warmup_hours))


def check_lines(menu: Menu, plan: Plan) -> None:
    """Refuse a queue whose callers would wait by the thousands at once (more than
    `MAX_WAITING` in some hour): the engine looks at every waiting caller at every event,
    so such a run would take hours, and it says nothing a person could staff."""
    listed = dict(menu.queues)
    total = math.fsum(w.share for w in plan.walks)
    run_seconds = plan.end_seconds
    for i, q in enumerate(plan.queues):
        # Past the agents' pace, the callers beyond it pile up for their patience (without
        # patience, for the rest of the run).
        stay = min(q.patience_seconds or math.inf, run_seconds)
        reach = math.fsum(w.share * w.reach[i] for w in plan.walks if w.reach) / total
        for hour, rate in enumerate(plan.rates):
            agents = q.agents_at(hour)
            lam = rate * reach / 3600.0
            if lam <= 0 or agents < 1:
                continue
            waiting = (lam - agents / q.handle_seconds) * stay
            if waiting > MAX_WAITING:
                raise _fail(
                    menu,
                    listed[q.name].pos,
                    f"queue '{q.name}' would have about {waiting:,.0f} callers waiting at once "
                    f"(hour {hour + 1}): too many to follow one by one; give it more agents "
                    "or fewer calls",
                )
