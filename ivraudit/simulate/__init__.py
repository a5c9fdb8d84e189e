"""`ivraudit simulate`: a day of calls through the menu and its queues on a discrete-event
engine (Ciw), with each figure's 95% interval over replications (docs/simulate.md)."""

from ivraudit.simulate.build import MAX_CALLS, TooLong, default_hours, plan_for
from ivraudit.simulate.result import Simulation
from ivraudit.simulate.run import DEFAULT_REPLICATIONS, DEFAULT_SEED, simulate
from ivraudit.simulate.stats import Estimate

__all__ = [
    "DEFAULT_REPLICATIONS",
    "DEFAULT_SEED",
    "MAX_CALLS",
    "Estimate",
    "Simulation",
    "TooLong",
    "default_hours",
    "plan_for",
    "simulate",
]
