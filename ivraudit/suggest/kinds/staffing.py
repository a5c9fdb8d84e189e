"""Move agents between staffed queues, at the same total, to where callers wait."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

from ivraudit.analysis.calls import Calls
from ivraudit.analysis.queues import QueueFigures, erlang_a
from ivraudit.audit import audit_menu
from ivraudit.format.model import Menu, Queue
from ivraudit.format.units import message_seconds
from ivraudit.suggest.base import Change, Site

KIND = "staffing"
TITLE = "Staff the queues where the calls are"
FIXES = ("IVR108",)
RATIONALE = """The same agents, placed where the calls arrive, answer sooner: a queue's
wait grows steeply as its load nears one agent-hour per agent, and falls slowly once it
is light. Moving agents one at a time from the queue that loses least to the one that
gains most lowers the time callers spend waiting (and so on the phone) without a single
extra agent-hour."""
SOURCE = """Erlang A (Garnett, Mandelbaum & Reiman 2002) at the audited hour; Gans,
Koole & Mandelbaum (2003) on staffing several queues."""

# The hang-ups of all calls may rise by at most this much for a shorter wait: half of
# what `diff` calls a regression (0.01), so that the move is never one.
ABANDON_SLACK = 0.005
# Nor may those of one queue rise by more than this: under the 0.02 by which an intent's
# resolved share may fall (a call meets one staffed queue at most, as a rule).
QUEUE_SLACK = 0.015


# Applied after every other change in `combined`: agents follow the calls, so they are
# placed once the routes that bring the calls are final.
LAST = True


def propose(site: Site) -> Iterator[Change]:
    """Yield the one-agent moves between queues, made greedily while each shortens the
    mean wait of all calls (or, at an equal wait, the hang-ups)."""
    menu, calls = site.menu, site.audit.metrics.calls
    staffed = _staffing(menu, calls)
    if staffed is None or calls is None:
        return
    listed = dict(menu.queues)
    start = {name: q.agents for name, q in listed.items()}
    moves = [(name, start[name], staffed[name]) for name in listed if staffed[name] != start[name]]
    losing = [f"'{n}'" for n, a, b in moves if b < a]
    gaining = [f"'{n}'" for n, a, b in moves if b > a]
    moved = sum(a - b for _, a, b in moves if b < a)
    figures = {q.queue: q.figures for q in calls.queues}
    first = listed[moves[0][0]]
    config = site.audit.config
    yield Change(
        key="queues",
        title=(
            f"Move {moved} {'agent' if moved == 1 else 'agents'} from "
            f"{' and '.join(losing)} to {' and '.join(gaining)}"
        ),
        why="; ".join(_now(n, figures[n]) for n, _, _ in moves),
        change=(
            "in queues: "
            + ", ".join(f"{n} agents {a} → {b}" for n, a, b in moves)
            + f" (the same {sum(start.values())} agents)"
        ),
        nodes=tuple(
            n.id for n in menu.nodes if n.type == "agent" and n.queue in {m for m, _, _ in moves}
        ),
        pos=first.pos or menu.pos,
        # Placed afresh for the menu it is applied to: in `combined`, other changes may
        # have moved calls between queues; on the menu as loaded it is the move above.
        apply=lambda m: _apply(m, _staffing(m, audit_menu(m, config).metrics.calls)),
        decision="whether the agents can take the other queue's calls",
    )


def _staffing(menu: Menu, calls: Calls | None) -> dict[str, int] | None:
    """Return the agents per queue after the moves, or None when no move helps."""
    if menu.traffic is None or calls is None or len(menu.queues) < 2:
        return None
    rates = {q.queue: q.figures.calls_per_hour / 3600.0 for q in calls.queues}
    listed = dict(menu.queues)
    if set(rates) != set(listed) or not any(rates.values()):
        return None
    staffed = _staff(rates, listed, menu.traffic.calls_per_hour / 3600.0)
    return None if staffed == {name: q.agents for name, q in listed.items()} else staffed


def _now(name: str, f: QueueFigures) -> str:
    if f.overloaded:
        return f"'{name}' is overloaded ({f.calls_per_hour:.0f} calls an hour, {f.agents} agents)"
    wait = message_seconds(f.answer_seconds or 0.0)
    return (
        f"'{name}' answers in {wait} on average with {f.agents} agents "
        f"({f.abandon_share:.0%} hang up, load {f.load:.0%})"
    )


def _staff(rates: dict[str, float], listed: dict[str, Queue], total: float) -> dict[str, int]:
    """Return the agents per queue after greedy one-agent moves at the same total:
    each step takes the move that most lowers (overloaded queues, calls waiting, calls
    hanging up), ties to the first in file order; hang-ups of all calls never rise by
    more than ABANDON_SLACK."""
    agents = {name: q.agents for name, q in listed.items()}
    cache: dict[tuple[str, int], tuple[int, float, float]] = {}
    dropped: dict[tuple[str, int], float] = {}  # the queue's abandon share

    def cost(name: str, n: int) -> tuple[int, float, float]:
        # (overloaded, calls waiting = λ·W, calls hanging up per second = λ·abandon)
        if (name, n) not in cache:
            q, lam = listed[name], rates[name]
            if lam <= 0:
                cache[name, n], dropped[name, n] = (0, 0.0, 0.0), 0.0
            else:
                try:
                    f = erlang_a(lam, n, q.handle_seconds, q.patience_seconds)
                except ValueError:  # a line of millions of calls: as good as overloaded
                    cache[name, n], dropped[name, n] = (1, 0.0, lam), 1.0
                    return cache[name, n]
                waiting = 0.0 if f.overloaded else lam * (f.wait_seconds or 0.0)
                cache[name, n] = (int(f.overloaded), waiting, lam * f.abandon_share)
                dropped[name, n] = 0.0 if f.overloaded else f.abandon_share
        return cache[name, n]

    def total_cost() -> tuple[int, float, float]:
        parts = [cost(name, n) for name, n in agents.items()]
        return (
            sum(p[0] for p in parts),
            math.fsum(p[1] for p in parts),
            math.fsum(p[2] for p in parts),
        )

    limit = total_cost()[2] + ABANDON_SLACK * total
    start = {}
    for name, n in agents.items():
        cost(name, n)  # fills `dropped` too
        start[name] = dropped[name, n]
    for _ in range(sum(agents.values())):
        now = total_cost()
        best: tuple[tuple[int, float, float], str, str] | None = None
        for src in agents:
            if agents[src] <= 1:
                continue
            fewer = cost(src, agents[src] - 1)
            if fewer[0] or dropped[src, agents[src] - 1] > start[src] + QUEUE_SLACK:
                continue
            lose = _minus(cost(src, agents[src] - 1), cost(src, agents[src]))
            for dst in agents:
                if dst == src:
                    continue
                gain = _minus(cost(dst, agents[dst] + 1), cost(dst, agents[dst]))
                after = (now[0] + lose[0] + gain[0], now[1] + lose[1] + gain[1])
                abandon = now[2] + lose[2] + gain[2]
                if abandon > limit:
                    continue
                # Rounded: a gain below a millisecond of waiting is noise, not a reason.
                key = (after[0], round(after[1], 6), round(abandon, 9))
                if key < (now[0], round(now[1], 6), round(now[2], 9)) and (
                    best is None or key < best[0]
                ):
                    best = (key, src, dst)
        if best is None:
            break
        agents[best[1]] -= 1
        agents[best[2]] += 1
    return agents


def _minus(a: tuple[int, float, float], b: tuple[int, float, float]) -> tuple[int, float, float]:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _apply(menu: Menu, staffed: dict[str, int] | None) -> Menu | None:
    listed = dict(menu.queues)
    if (
        staffed is None
        or set(listed) != set(staffed)
        or sum(q.agents for q in listed.values()) != sum(staffed.values())
    ):
        return None
    if all(listed[n].agents == staffed[n] for n in listed):
        return None
    return replace(menu, queues=tuple((n, replace(q, agents=staffed[n])) for n, q in menu.queues))
