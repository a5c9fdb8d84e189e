"""Run the replications (in processes when asked) and gather their figures.

Replication i draws everything from seeds made of (seed, i) alone, so the figures are
the same whichever process runs it and however many run at once.
"""

from __future__ import annotations

from collections.abc import Callable

from ivraudit.analysis.day import HourCalls, analytic_day
from ivraudit.audit import Audit
from ivraudit.simulate.build import check_lines, check_size, plan_for
from ivraudit.simulate.engine import STEPS, run_replication
from ivraudit.simulate.figures import Money, Sample, sample
from ivraudit.simulate.plan import Plan
from ivraudit.simulate.result import (
    CALL_FIGURES,
    MONTH_FIGURES,
    QUEUE_FIGURES,
    Part,
    Settings,
    Simulation,
    combine,
    figures,
)

DEFAULT_SEED = 2021  # any fixed number: the same output run after run
DEFAULT_REPLICATIONS = 10


def _one(
    plan: Plan, money: Money, seed: int, index: int, step: Callable[[], None] | None = None
) -> Sample:
    """Return replication `index`'s figures (what a worker process runs)."""
    return sample(plan, run_replication(plan, seed, index, step), money)


def simulate(
    audit: Audit,
    *,
    hours: float | None = None,
    seed: int = DEFAULT_SEED,
    replications: int = DEFAULT_REPLICATIONS,
    jobs: int = 1,
    done: Callable[[], None] | None = None,
) -> Simulation:
    """Return the simulation of an audited menu: `replications` runs of `hours` hours
    (None: a day of its profile, else 8), in `jobs` processes; `done` is called `STEPS`
    times in each replication, as its calls are worked through. Raise MenuError for a
    menu it cannot simulate, `TooLong` for a run of more than 10^7 calls."""
    if replications < 1:
        raise ValueError(f"replications must be at least 1, not {replications}")
    menu = audit.menu
    plan = plan_for(menu, audit.graph, hours)
    check_size(plan, replications)
    check_lines(menu, plan)
    traffic = menu.traffic
    assert traffic is not None  # plan_for refused a menu without it
    costs = menu.costs
    money = Money(
        traffic.hours_per_month,
        costs.agent_hour if costs is not None else None,
        costs.line_minute if costs is not None else 0.0,
    )
    samples = _run(plan, money, seed, replications, jobs, done)
    est = combine(samples)
    calls = figures(est, ("calls",), (*CALL_FIGURES, "retrial_share"))
    intents = tuple(
        Part(w.intent, figures(est, ("intents", w.intent), CALL_FIGURES)) for w in plan.walks
    )
    queues = tuple(
        Part(q.name, figures(est, ("queues", q.name), QUEUE_FIGURES)) for q in plan.queues
    )
    hours_of_day = tuple(
        Part(
            str(h),
            figures(est, ("hours", str(h)), CALL_FIGURES),
            tuple(
                Part(q.name, figures(est, ("hours", str(h), "queues", q.name), QUEUE_FIGURES))
                for q in plan.queues
            ),
        )
        for h in range(plan.day_hours)
        if ("hours", str(h), "calls_per_hour") in est
    )
    return Simulation(
        file=audit.file,
        name=menu.name,
        settings=Settings(
            plan.hours, replications, seed, plan.warmup_hours, plan.day_hours, plan.opens_at
        ),
        calls=calls,
        intents=intents,
        queues=queues,
        month=figures(est, ("month",), MONTH_FIGURES),
        hours=hours_of_day,
        declared=bool(menu.intents),
        currency=costs.currency if costs is not None else "",
        analytic=audit.metrics.calls if not traffic.profile else None,
        analytic_hours=_analytic_day(audit),
    )


def _analytic_day(audit: Audit) -> tuple[HourCalls, ...] | None:
    """Return Erlang A hour by hour, or None where it has no answer (a line so long the
    chain cannot be summed)."""
    try:
        return analytic_day(audit.menu, audit.config.targets())
    except ValueError:
        return None


def _run(
    plan: Plan,
    money: Money,
    seed: int,
    replications: int,
    jobs: int,
    done: Callable[[], None] | None,
) -> list[Sample]:
    """Return the replications' figures in order, run in up to `jobs` processes."""
    from ivraudit.batch import available_cpus

    # At most one process per available CPU, as `batch` (more would only take turns).
    workers = min(jobs if jobs > 0 else available_cpus(), available_cpus(), replications)
    if workers <= 1:
        out = []
        for i in range(replications):
            out.append(_one(plan, money, seed, i, done))
        return out
    from concurrent.futures import ProcessPoolExecutor

    from ivraudit.batch import _ignore_interrupts, _interrupts_held, _stop

    # As `batch` does: workers ignore Ctrl-C, and on any way out but the end they are
    # ended rather than waited for.
    pool = ProcessPoolExecutor(workers, initializer=_ignore_interrupts)
    try:
        with _interrupts_held():  # submit starts the workers
            futures = [pool.submit(_one, plan, money, seed, i) for i in range(replications)]
        out = []
        for f in futures:
            out.append(f.result())
            for _ in range(STEPS if done is not None else 0):
                done()  # type: ignore[misc]
        pool.shutdown(wait=True)
        return out
    except BaseException:
        _stop(pool)
        raise
