"""What a simulation found: each figure of the contract's `calls` with its 95% interval,
overall, per intent, per queue, for the month and hour by hour of the day.

Frozen values built once from the replications (`combine`); reports render them and
compute nothing. Two results of one menu (a what-if) have the same shape, so that a
table can set them side by side figure by figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ivraudit.analysis.calls import Calls
from ivraudit.analysis.day import HourCalls
from ivraudit.frozen import frozen
from ivraudit.simulate.figures import Key, Sample
from ivraudit.simulate.stats import Estimate, estimate

# The figures of each object, in the order reports show them.
CALL_FIGURES = ("calls_per_hour", "resolved_share", "abandon_share", "seconds", "seconds_resolved")
QUEUE_FIGURES = (
    "calls_per_hour",
    "agents",
    "answer_seconds",
    "wait_seconds",
    "abandon_share",
    "occupancy",
    "callbacks_per_hour",
    "callback_seconds",
)
MONTH_FIGURES = ("calls", "caller_hours", "agent_hours", "staffed_agent_hours", "cost")


@frozen
class Figures:
    """Some named figures, each an estimate, in the order of `names`."""

    names: tuple[str, ...]
    values: tuple[Estimate, ...]

    def __getitem__(self, name: str) -> Estimate:
        return self.values[self.names.index(name)]

    def items(self) -> tuple[tuple[str, Estimate], ...]:
        """Return (name, estimate) pairs in order."""
        return tuple(zip(self.names, self.values, strict=True))


@frozen
class Part:
    """Figures of one part of the line: an intent, a queue, an hour of the day."""

    name: str
    figures: Figures
    queues: tuple[Part, ...] = ()  # an hour's queues


@frozen
class Settings:
    """How the simulation ran, to say so beside its figures."""

    hours: float
    replications: int
    seed: int
    warmup_hours: float
    day_hours: int
    opens_at: str | None = None
    engine: str = "ciw"


@frozen
class Simulation:
    """The figures of a simulated line, with the analytic ones they can be read against."""

    file: str
    name: str
    settings: Settings
    calls: Figures  # the whole mix, with `retrial_share`
    intents: tuple[Part, ...]
    queues: tuple[Part, ...]
    month: Figures
    hours: tuple[Part, ...]  # each hour of the day (one for a steady run)
    declared: bool = True  # False: the one class "a person" of a menu without intents
    currency: str = ""
    # `score`'s Erlang A figures of the audited hour (steady runs), for comparison.
    analytic: Calls | None = None
    # Erlang A hour by hour (`analysis.day.analytic_day`: each hour in steady state at its
    # own calls and agents), beside `hours`; None when it cannot be computed.
    analytic_hours: tuple[HourCalls, ...] | None = None

    def analytic_hour(self, hour: int) -> Calls | None:
        """Return the Erlang A figures of hour `hour` of the day (None without them)."""
        if self.analytic_hours is None or hour >= len(self.analytic_hours):
            return None
        return self.analytic_hours[hour].calls

    def figure(self, part: str, name: str, figure: str) -> Estimate:
        """Return one figure by where it is: ("calls", "", "seconds"), ("month", "",
        "cost"), ("intents" / "queues" / "hours", name, figure); an empty estimate where
        there is none. Two results of one menu compare figure by figure this way (a
        what-if table)."""
        if part in ("calls", "month"):
            figures = self.calls if part == "calls" else self.month
            return figures[figure] if figure in figures.names else Estimate(None)
        parts = {"intents": self.intents, "queues": self.queues, "hours": self.hours}[part]
        found = next((p for p in parts if p.name == name), None)
        if found is None or figure not in found.figures.names:
            return Estimate(None)
        return found.figures[figure]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON result: `calls` shaped as `score`'s (the means), `ci95` beside
        it with each figure's [low, high], and the hours as a list."""
        s = self.settings
        return {
            "file": self.file,
            "name": self.name,
            "simulation": {
                "engine": s.engine,
                "hours": s.hours,
                "replications": s.replications,
                "seed": s.seed,
                "warmup_hours": s.warmup_hours,
                "day_hours": s.day_hours,
                "opens_at": s.opens_at,
            },
            "calls": self._calls(_mean),
            "ci95": self._calls(_interval),
            "hours": [
                {
                    "hour": int(h.name),
                    "starts": clock(s.opens_at, int(h.name)),
                    **_figures(h.figures, _mean),
                    "queues": {q.name: _figures(q.figures, _mean) for q in h.queues},
                    "ci95": {
                        **_figures(h.figures, _interval),
                        "queues": {q.name: _figures(q.figures, _interval) for q in h.queues},
                    },
                    "analytic": _calls_dict(self.analytic_hour(int(h.name))),
                }
                for h in self.hours
            ],
            "analytic": self.analytic.to_dict() if self.analytic is not None else None,
        }

    def _calls(self, value: Any) -> dict[str, Any]:
        out = _figures(self.calls, value)
        out["intents"] = (
            {i.name: _figures(i.figures, value) for i in self.intents} if self.declared else {}
        )
        out["queues"] = {q.name: _figures(q.figures, value) for q in self.queues}
        out["month"] = _figures(self.month, value)
        if self.currency:
            out["month"]["currency"] = self.currency
        return out


def _calls_dict(calls: Calls | None) -> dict[str, Any] | None:
    return calls.to_dict() if calls is not None else None


def clock(opens_at: str | None, hour: int) -> str | None:
    """Return when hour `hour` of the day starts ("08:00"), None without `opens_at`."""
    if opens_at is None:
        return None
    h, m = opens_at.split(":")
    return f"{(int(h) + hour) % 24:02d}:{m}"


def _round(value: float | None, name: str) -> float | None:
    if value is None:
        return None
    return round(value, 4 if name.endswith("_share") or name == "occupancy" else 2)


def _mean(name: str, e: Estimate) -> float | None:
    return _round(e.mean, name)


def _interval(name: str, e: Estimate) -> list[float | None] | None:
    if e.low is None or e.high is None:
        return None
    return [_round(e.low, name), _round(e.high, name)]


def _figures(f: Figures, value: Any) -> dict[str, Any]:
    return {name: value(name, e) for name, e in f.items()}


def combine(samples: Sequence[Sample]) -> dict[Key, Estimate]:
    """Return each figure's estimate over the replications' samples."""
    keys: dict[Key, None] = {}
    for s in samples:
        keys.update(dict.fromkeys(s))
    return {k: estimate([s.get(k) for s in samples]) for k in keys}


def figures(est: Mapping[Key, Estimate], prefix: Key, names: Sequence[str]) -> Figures:
    """Return the figures `names` found under `prefix` (no value: an empty estimate)."""
    return Figures(tuple(names), tuple(est.get((*prefix, n), Estimate(None)) for n in names))
