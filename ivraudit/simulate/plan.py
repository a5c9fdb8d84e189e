"""What one simulation runs: the hours, the calls each hour, the queues and their agents
hour by hour, and each class of callers' walks. Plain numbers, so that a replication can
run in another process."""

from __future__ import annotations

import math

from ivraudit.frozen import frozen
from ivraudit.simulate.walks import Walks

# A steady run (a menu without `traffic.profile`: the audited hour, hour after hour)
# opens empty, as no real line is at the audited hour; the calls of its first hour warm
# the queues up and are not counted. A day opens empty, as a real line does: it has no
# warm-up.
WARMUP_HOURS = 1.0


@frozen
class QueuePlan:
    """One staffed queue: agents for each hour of the day, handle time and patience
    (cv None: exponential, else log-normal with that coefficient of variation)."""

    name: str
    agents: tuple[int, ...]
    handle_seconds: float
    handle_cv: float | None
    patience_seconds: float | None
    patience_cv: float | None

    def agents_at(self, slot: int) -> int:
        """Return the agents of hour `slot` of the run (the day repeats)."""
        return self.agents[slot % len(self.agents)]

    @property
    def closing_agents(self) -> int:
        """Return the agents who answer the calls still waiting when the run ends: the
        last hour's, else (none then) the most of any hour."""
        return self.agents[-1] or max(self.agents)


@frozen
class Plan:
    """One simulation: `hours` counted after `warmup_hours`, the day's calls per hour
    (`rates`, repeated), the queues, the classes' walks and the retrials."""

    rates: tuple[float, ...]  # calls per hour for each hour of the day
    hours: float
    warmup_hours: float
    queues: tuple[QueuePlan, ...]
    walks: tuple[Walks, ...]
    retry_share: float = 0.0
    retry_after_seconds: float = 0.0
    opens_at: str | None = None

    @property
    def day_hours(self) -> int:
        """Return the hours of the day (1 for a steady run)."""
        return len(self.rates)

    @property
    def end_seconds(self) -> float:
        """Return when calls stop arriving, from the start of the run."""
        return (self.warmup_hours + self.hours) * 3600.0

    @property
    def slots(self) -> int:
        """Return the hours the run's arrivals span (the last may be cut short)."""
        return math.ceil(self.warmup_hours + self.hours)

    def expected_calls(self) -> float:
        """Return the calls the run is expected to take, warm-up included (no retrials)."""
        full, part = divmod(self.warmup_hours + self.hours, 1.0)
        days, rest = divmod(int(full), self.day_hours)
        total = days * math.fsum(self.rates) + math.fsum(self.rates[:rest])
        return total + part * self.rates[rest]
