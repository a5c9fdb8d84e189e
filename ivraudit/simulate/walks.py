"""Step 1 and the menu part of step 2 of "Calls as they happen", one call at a time.

Each class of callers takes the route `analysis.calls` gives it (the policy of
`likeliest`, with its tie rule), and its calls follow that route through the same Markov
chain `calls.Chain` builds for the analytic figures: menu and message times as the chain
states them, branches and self-service containment drawn at random with the chain's
shares. A walk ends where the chain's calls stop being routed: resolved, ended, or at a
staffed queue, where the engine takes over (the contract: at most one queue a call).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Hashable, Mapping, Sequence
from random import Random

import networkx as nx

from ivraudit.analysis.callchain import CallerClass, Chain
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen

# How a walk ends: resolved in the menu (self-service, or a person not staffed after the
# hold the file states), ended unresolved, at a staffed queue, or (a callback taker) in a
# staffed queue's line without being on the phone.
RESOLVED, END, QUEUE, CALLBACK = 0, 1, 2, 3

# A walk longer than this many steps is a loop the chain's calls never leave, which
# `walk_tables` refuses first; this only guards against looping for ever.
MAX_STEPS = 1_000_000


class EndlessLoop(ValueError):
    """The calls of a class go round a loop they never leave: their time has no end."""

    def __init__(self, intent: str) -> None:
        super().__init__(intent)
        self.intent = intent


@frozen
class Walks:
    """One class's chain as plain numbers: for each state, the cumulative probabilities of
    its moves, and each move as (next state or -1, seconds, how it ends, queue index)."""

    intent: str
    share: float
    resolvable: bool
    cumulative: tuple[tuple[float, ...], ...] = ()
    # A move's hold is the time with a person not staffed (its seconds include it).
    moves: tuple[tuple[tuple[int, float, int, int, float], ...], ...] = ()
    # The probability that a call reaches each staffed queue, waiting there or taking a
    # callback offer of it (the chain's flows).
    reach: tuple[float, ...] = ()

    def walk(self, rng: Random) -> tuple[float, int, int, float]:
        """Return one call's (seconds in the menu, how it ends, queue index or -1, seconds
        on hold with a person not staffed)."""
        state, seconds = 0, 0.0
        cumulative, moves = self.cumulative, self.moves
        for _ in range(MAX_STEPS):
            cum = cumulative[state]
            pick = 0 if len(cum) == 1 else min(bisect_right(cum, rng.random()), len(cum) - 1)
            nxt, s, ends, queue, hold = moves[state][pick]
            seconds += s
            if nxt < 0:
                return seconds, ends, queue, hold
            state = nxt
        raise EndlessLoop(self.intent)


def staffed_nodes(menu: Menu, g: nx.MultiDiGraph, kind: str = "agent") -> dict[Hashable, str]:
    """Return each node of type `kind` (an agent, or a callback offer) whose queue is
    listed under `queues`, with that queue."""
    listed = {name for name, _ in menu.queues}
    return {n: q for n, q in g.nodes(data="queue") if q in listed and g.nodes[n]["type"] == kind}


def walk_tables(
    menu: Menu, g: nx.MultiDiGraph, classes: Sequence[CallerClass], queues: Sequence[str]
) -> tuple[Walks, ...]:
    """Return each class's walks; raise `EndlessLoop` for a class some of whose calls
    never leave a loop (the analytic figures call their time endless too)."""
    staffed = staffed_nodes(menu, g)
    callbacks = staffed_nodes(menu, g, "callback")
    index = {q: i for i, q in enumerate(queues)}
    out = []
    for c in classes:
        if c.route.share <= 0:
            out.append(Walks(c.intent, c.share, False))
            continue
        chain = Chain(g, c, staffed, callbacks)
        chain.build(menu.entry)
        flow = chain.solve()
        if flow.endless > 0:
            raise EndlessLoop(c.intent)
        reach = tuple(flow.arrivals.get(q, 0.0) + flow.callbacks.get(q, 0.0) for q in queues)
        cumulative, moves = [], []
        for i, node in enumerate(chain.nodes):
            total = math.fsum(p for _, p, _, _ in chain.moves[i])
            acc, cum, row = 0.0, [], []
            for nxt, p, s, kind in chain.moves[i]:
                acc += p / total
                cum.append(acc)
                row.append(_move(g, c, chain, i, node, nxt, s, kind, staffed, index))
            cum[-1] = 1.0
            cumulative.append(tuple(cum))
            moves.append(tuple(row))
        out.append(Walks(c.intent, c.share, True, tuple(cumulative), tuple(moves), reach))
    return tuple(out)


def _move(
    g: nx.MultiDiGraph,
    c: CallerClass,
    chain: Chain,
    i: int,
    node: Hashable,
    nxt: int | None,
    seconds: float,
    kind: str,
    staffed: Mapping[Hashable, str],
    index: Mapping[str, int],
) -> tuple[int, float, int, int, float]:
    """Return one move of the chain as (next state or -1, seconds, how it ends, queue,
    hold), its ends as `calls._outcome` reads the chain's events."""
    if nxt is not None:
        return nxt, seconds, -1, -1, 0.0
    if kind == "agent":
        if node in staffed:
            return -1, seconds, QUEUE, index[staffed[node]], 0.0
        hold = c.goals.get(node, 0.0)
        return -1, seconds + hold, RESOLVED, -1, hold
    if kind == "callback":
        return -1, seconds + chain.extra[i], CALLBACK, index[g.nodes[node]["queue"]], 0.0
    if kind == "resolved":
        return -1, seconds + chain.extra[i], RESOLVED, -1, 0.0
    return -1, seconds, END, -1, 0.0
