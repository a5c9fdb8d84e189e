"""A second, deliberately naive reading of the 0.3 model, for the brute-force tests.

Small random menus are drawn as plain data (written out as JSON, which YAML reads), and
the figures are worked out from that data alone, straight from the contract's words
(docs/menu-format.md, "Who presses an option", "The figures", "Calls as they happen"):
every deterministic policy is tried and its absorbing chain solved, the queues are a
birth-death chain summed state by state. Nothing here imports ivraudit.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

RESPONSE = 1.0
TIMEOUT = 5.0
ENTRY = 2.0
SAME = 1e-9  # the contract's tie: equal values within 1e-9
INTENTS = ("a", "b")
PERSON = "a person"


# -- drawing menus ---------------------------------------------------------------------


def documents(
    *, intents: bool = True, labels: bool = True, calls: bool = True, most: int = 7
) -> st.SearchStrategy[dict[str, Any]]:
    """Return a strategy of menu documents (see `draw_document`); Hypothesis supplies the
    seeded random source, so that the spread of lines is the one drawn there."""
    return st.randoms(use_true_random=False).map(
        lambda rnd: draw_document(rnd, intents=intents, labels=labels, calls=calls, most=most)
    )


KINDS = {
    "menu": 3,
    "branch": 3,
    "agent": 3,
    "self_service": 2,
    "hangup": 2,
    "message": 1,
    "input": 1,
}


def draw_document(
    rnd: random.Random,
    *,
    intents: bool = True,
    labels: bool = True,
    calls: bool = True,
    most: int = 7,
) -> dict[str, Any]:
    """Draw a menu document of 3 to `most` nodes (at most four menus): with `intents`,
    intents a and b (and, with `labels`, options that declare them); with `calls`,
    `resolves`, `traffic`, `queues` and `costs` now and then."""
    n = rnd.randint(3, most)
    ids = [f"n{i}" for i in range(n)]
    kinds = ["menu", *rnd.choices(list(KINDS), weights=list(KINDS.values()), k=n - 1)]
    while kinds.count("menu") > 4:
        kinds[len(kinds) - 1 - kinds[::-1].index("menu")] = "agent"
    if rnd.random() < 0.8:
        kinds[-1] = "agent"  # most lines end with a person
    pick = rnd.choice
    # A line of opening hours: its keys lead to branches, and some routes to a hang-up.
    hours = rnd.random() < 0.4
    if hours:
        kinds[-2:] = ["hangup", "agent"]
        if n > 3:
            kinds[1] = "branch"
    handles = [[], ["a"], ["b"], ["a", "b"], ["a", "b"], ["a", "b"]]
    nodes: dict[str, Any] = {}
    queues_named: list[str] = []
    for at, (node, kind) in enumerate(zip(ids, kinds, strict=True)):

        def to(at: int = at, kind: str = kind) -> str:
            # Mostly onwards, so that calls get somewhere; now and then round a loop.
            ahead = ids[at + 1 :]
            split = [v for i, v in enumerate(ids) if i > at and kinds[i] == "branch"]
            if hours and kind == "menu" and split and rnd.random() < 0.9:
                return pick(split)
            return pick(ahead) if ahead and rnd.random() < 0.7 else pick(ids)

        if kind == "menu":
            keys = list(dict.fromkeys(pick("1230") for _ in range(rnd.randint(1, 3))))
            options = []
            for key in keys:
                option: dict[str, Any] = {
                    "key": key,
                    "say_seconds": pick([0, 1, 2]),
                    "goto": to(),
                }
                if intents and labels:
                    listed = pick([[], [], ["a"], ["b"], ["a", "b"]])
                    if listed:
                        option["intents"] = listed
                options.append(option)
            body: dict[str, Any] = {"prompt_seconds": pick([0, 1, 3]), "options": options}
            if rnd.random() < 0.15:
                body["barge_in"] = False
            for handler in ("no_input", "no_match"):
                if rnd.random() < (0.2 if hours else 0.5):
                    body[handler] = {"goto": to()}
                    if rnd.random() < 0.25:
                        body[handler]["retries"] = rnd.randint(0, 1)
            nodes[node] = body
        elif kind in ("message", "input"):
            nodes[node] = {"type": kind, "prompt_seconds": pick([0, 2]), "next": to()}
            if kind == "input":
                nodes[node]["collects"] = "account_number"
        elif kind == "branch":
            # Shares of 0 too: they carry no calls. The first is > 0 so the sum is.
            extra = rnd.choice([0, 1, 1, 2])
            shares = [rnd.randint(1, 3)] + [pick([0, 1, 2, 3, 3]) for _ in range(extra)]
            goto = [to() for _ in shares]
            if hours:  # open: on towards the person at the end; closed: the hang-up
                goto = [ids[-1] if r == 0 and rnd.random() < 0.5 else v for r, v in enumerate(goto)]
                goto = [ids[-2] if r and rnd.random() < 0.5 else v for r, v in enumerate(goto)]
            nodes[node] = {
                "type": "branch",
                "routes": [{"share": s, "goto": v} for s, v in zip(shares, goto, strict=True)],
            }
        elif kind == "hangup":
            nodes[node] = {"type": "hangup", "prompt_seconds": pick([0, 2])}
        elif kind == "agent":
            body = {"type": "agent"}
            hold = pick([None, 0, 5, 30])
            if hold is not None:
                body["hold_seconds"] = hold
            if intents:
                body["handles"] = pick(handles)
            if calls and rnd.random() < 0.7:
                body["queue"] = pick(["q1", "q2"])
                queues_named.append(body["queue"])
            nodes[node] = body
        else:
            body = {"type": "self_service", "prompt_seconds": pick([0, 2])}
            if intents:
                body["handles"] = pick(handles)
            if calls and rnd.random() < 0.5:
                body["resolves"] = pick([0, 0.25, 0.5, 1])
            if rnd.random() < 0.5:
                body["next"] = to()
            nodes[node] = body
    doc: dict[str, Any] = {
        "ivraudit": 1,
        "name": "random",
        "timing": {
            "retries": rnd.randint(0, 1),
            "response_seconds": RESPONSE,
            "timeout_seconds": TIMEOUT,
            "entry_seconds": ENTRY,
        },
    }
    if intents:
        weights = [rnd.randint(0, 3) for _ in INTENTS]
        if not any(weights):
            weights[0] = 1
        doc["intents"] = dict(zip(INTENTS, weights, strict=True))
    if calls and rnd.random() < 0.75:
        doc["traffic"] = {
            "calls_per_hour": pick([13, 37, 90, 170]),
            "hours_per_month": pick([100, 250]),
        }
        if rnd.random() < 0.5:
            doc["costs"] = {"agent_hour": 25, "line_minute": 0.03, "currency": "EUR"}
    listed = sorted(q for q in set(queues_named) if rnd.random() < 0.8)
    if listed:
        doc["queues"] = {}
        for q in listed:
            doc["queues"][q] = {
                "agents": rnd.randint(1, 3),
                "handle_seconds": pick([70, 210, 330]),
            }
            patience = pick([None, 45, 200])
            if patience is not None:
                doc["queues"][q]["patience_seconds"] = patience
    if rnd.random() < 0.15:  # now and then a call starts further in
        doc["entry"] = pick(ids[1:])
    doc["nodes"] = nodes
    return doc


def entry_of(doc: Mapping[str, Any]) -> str:
    """Return the node a call starts at: `entry`, else the first node."""
    return doc.get("entry") or next(iter(doc["nodes"]))


def text_of(doc: Mapping[str, Any]) -> str:
    """Return the document as menu-file text (JSON is YAML)."""
    return json.dumps(doc, indent=1) + "\n"


# -- the line as the reference reads it ------------------------------------------------


@dataclass
class Move:
    """A way out of a node: where to, what it costs, with what share, and what it is."""

    to: str
    seconds: float
    share: float
    kind: str  # option, no_input, no_match, next, route
    order: int
    intents: frozenset[str] = frozenset()
    key: str = ""


@dataclass
class Place:
    """A node: its type, its own seconds, and its ways out."""

    kind: str
    own: float
    moves: list[Move] = field(default_factory=list)
    handles: frozenset[str] = frozenset()
    resolves: float = 1.0
    queue: str | None = None


def read(doc: Mapping[str, Any]) -> dict[str, Place]:
    """Return the places of a document, costs worked out by the contract's "Time"."""
    timing = doc.get("timing", {})
    retries = timing.get("retries", 2)
    places: dict[str, Place] = {}
    for name, body in doc["nodes"].items():
        kind = body.get("type", "menu")
        prompt = float(body.get("prompt_seconds", 0))
        if kind == "menu":
            says = [float(o.get("say_seconds", 0)) for o in body["options"]]
            whole = prompt + sum(says)
            place = Place("menu", 0.0)
            heard = prompt
            for i, (option, say) in enumerate(zip(body["options"], says, strict=True)):
                heard += say
                cost = (heard if body.get("barge_in", True) else whole) + RESPONSE
                place.moves.append(
                    Move(
                        option["goto"],
                        cost,
                        1.0,
                        "option",
                        i,
                        frozenset(option.get("intents", [])),
                        str(option["key"]),
                    )
                )
            for j, (handler, each) in enumerate(
                (("no_input", whole + TIMEOUT), ("no_match", prompt + RESPONSE))
            ):
                given = body.get(handler)
                tries = (given or {}).get("retries", retries) + 1
                target = given["goto"] if given else f"{name}#disconnect"
                if not given:
                    places.setdefault(target, Place("hangup", 0.0))
                place.moves.append(Move(target, tries * each, 1.0, handler, len(says) + j))
        elif kind == "branch":
            total = sum(r["share"] for r in body["routes"])
            place = Place("branch", 0.0)
            for i, r in enumerate(body["routes"]):
                place.moves.append(Move(r["goto"], 0.0, r["share"] / total, "route", i))
        else:
            own = {"input": prompt + ENTRY, "agent": float(body.get("hold_seconds", 0))}
            place = Place(kind, own.get(kind, prompt))
            place.handles = frozenset(body.get("handles", []))
            place.resolves = float(body.get("resolves", 1))
            place.queue = body.get("queue")
            if body.get("next") is not None:
                place.moves.append(Move(body["next"], 0.0, 1.0, "next", 0))
        places[name] = place
    return places


def goals_of(places: Mapping[str, Place], intent: str) -> dict[str, float]:
    """Return the nodes that resolve `intent` (any agent for "a person") with their own
    seconds, which the figures count."""
    if intent == PERSON:
        return {n: p.own for n, p in places.items() if p.kind == "agent"}
    return {n: p.own for n, p in places.items() if intent in p.handles}


def open_moves(places: Mapping[str, Place], intent: str) -> dict[str, list[Move]]:
    """Return each menu's choices open to `intent` ("Who presses an option"); a person
    may take every choice."""
    if intent == PERSON:
        return {n: list(p.moves) for n, p in places.items() if p.kind == "menu"}
    helps = {n for n, p in places.items() if intent in p.handles}
    grew = True
    while grew:  # R(intent): along options, next and routes (wrong keys and silence not)
        grew = False
        for n, p in places.items():
            if n in helps:
                continue
            if any(
                m.to in helps
                for m in p.moves
                if m.kind in ("option", "next") or (m.kind == "route" and m.share > 0)
            ):
                helps.add(n)
                grew = True
    out = {}
    for n, p in places.items():
        if p.kind != "menu":
            continue
        options = [m for m in p.moves if m.kind == "option"]
        silence = [m for m in p.moves if m.kind == "no_input"]
        if not any(m.intents for m in options):
            chosen = options + (silence if not any(m.to in helps for m in options) else [])
        elif mine := [m for m in options if intent in m.intents]:
            chosen = mine
        elif plain := [m for m in options if not m.intents]:
            chosen = plain + (silence if not any(m.to in helps for m in plain) else [])
        else:
            chosen = [m for m in options if m.key == "0"] + silence
        out[n] = chosen
    return out


# -- step 1: every policy ----------------------------------------------------------------


@dataclass
class Best:
    """Per node: the greatest probability of success and the least expected seconds given
    success, over every deterministic policy; and the route's choice at each menu."""

    chance: dict[str, float]
    seconds: dict[str, float | None]
    choice: dict[str, Move]


def solve_dense(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve a x = b by Gaussian elimination with partial pivoting (a is small)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-300:
            raise ZeroDivisionError("singular")
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def _steps(place: Place, pick: Move | None) -> list[tuple[str, float, float]]:
    """Return where a call goes from a non-goal place: (to, probability, seconds)."""
    if place.kind == "menu":
        assert pick is not None
        return [(pick.to, 1.0, pick.seconds)]
    return [(m.to, m.share, place.own + m.seconds) for m in place.moves if m.share > 0]


def evaluate(
    places: Mapping[str, Place], goals: Mapping[str, float], policy: Mapping[str, Move]
) -> tuple[dict[str, float], dict[str, float]]:
    """Return, per node, P(success) and E[seconds x 1{success}] under one policy: a call
    caught in a loop that never reaches a goal fails."""
    steps = {n: _steps(p, policy.get(n)) for n, p in places.items() if n not in goals}
    live = set(goals)
    grew = True
    while grew:
        grew = False
        for n, out in steps.items():
            if n not in live and any(v in live for v, _, _ in out):
                live.add(n)
                grew = True
    order = sorted(live)
    at = {n: i for i, n in enumerate(order)}
    size = len(order)
    a = [[0.0] * size for _ in range(size)]
    b = [0.0] * size
    for n in order:
        i = at[n]
        a[i][i] = 1.0
        if n in goals:
            b[i] = 1.0
            continue
        for v, p, _ in steps[n]:
            if v in at:
                a[i][at[v]] -= p
    x = solve_dense(a, b) if size else []
    t = [0.0] * size
    for n in order:
        i = at[n]
        if n in goals:
            t[i] = goals[n]
        else:
            t[i] = sum(p * s * x[at[v]] for v, p, s in steps[n] if v in at)
    z = solve_dense(a, t) if size else []
    chance = {n: 0.0 for n in places}
    timed = {n: 0.0 for n in places}
    for n in order:
        chance[n] = x[at[n]]
        timed[n] = z[at[n]]
    return chance, timed


def best(places: Mapping[str, Place], intent: str) -> Best:
    """Try every policy over the choices open to `intent`; per node keep the greatest
    probability, then the least expected seconds given success; then read each menu's
    choice the contract's way (greatest probability, least value, first in order)."""
    goals = goals_of(places, intent)
    open_ = open_moves(places, intent)
    menus = [n for n in sorted(open_) if n not in goals]
    options: list[list[Move]] = []
    for n in menus:
        # Of two choices into the same node only the cheaper (then the earlier) can be
        # the route: the same chance, and no less time.
        kept: dict[str, Move] = {}
        for m in sorted(open_[n], key=lambda m: (m.seconds, m.order)):
            kept.setdefault(m.to, m)
        options.append(list(kept.values()))
    chance = {n: 0.0 for n in places}
    runs: list[tuple[dict[str, float], dict[str, float]]] = []
    for picks in itertools.product(*options):
        x, z = evaluate(places, goals, dict(zip(menus, picks, strict=True)))
        runs.append((x, z))
        for n in places:
            chance[n] = max(chance[n], x[n])
    seconds: dict[str, float | None] = {}
    for n in places:
        if chance[n] <= 0:
            seconds[n] = None
            continue
        bar = chance[n] - SAME
        seconds[n] = min(z[n] / x[n] for x, z in runs if x[n] >= bar)
    choice = {}
    for n in menus:
        if chance[n] <= 0:
            continue
        bar = chance[n] * (1 - SAME)
        value = {}
        for m in open_[n]:
            if chance[m.to] >= bar:
                after = goals[m.to] if m.to in goals else seconds[m.to]
                assert after is not None
                value[m.order] = (m.seconds + after, m)
        least = min(v for v, _ in value.values())
        choice[n] = next(m for o, (v, m) in sorted(value.items()) if v <= least + SAME)
    return Best(chance, seconds, choice)


# -- a queue under load ------------------------------------------------------------------


@dataclass
class Queue:
    """Erlang A figures of one queue (seconds of waiting; shares of arriving calls)."""

    answered: float
    answer: float | None
    wait: float | None
    overloaded: bool


def erlang(lam: float, n: int, handle: float, patience: float | None) -> Queue:
    """Return a queue's figures from its birth-death chain, cut where the rest weighs
    nothing: π by detailed balance; an arrival at place j is answered with probability
    Π a_i/(a_i + θ), after Σ 1/(a_i + θ) seconds when it is (the time at each place does
    not depend on how it ends); the mean wait of every call is E[waiting]/λ (Little)."""
    mu = 1.0 / handle
    theta = 0.0 if patience is None else 1.0 / patience
    if lam == 0:
        return Queue(1.0, 0.0, 0.0, False)
    if theta == 0 and lam / (n * mu) >= 1:
        return Queue(0.0, None, None, True)
    weights = [1.0]
    running = 1.0
    k = 0
    while True:
        k += 1
        down = min(k, n) * mu + max(k - n, 0) * theta
        weights.append(weights[-1] * lam / down)
        running += weights[-1]
        nxt = lam / (min(k + 1, n) * mu + max(k + 1 - n, 0) * theta)
        if nxt < 1 and weights[-1] < 1e-19 * running and k > n:
            break
    total = math.fsum(weights)
    pi = [w / total for w in weights]
    answered = math.fsum(pi[:n])
    answered_wait = 0.0
    reach, spent = 1.0, 0.0
    for k in range(n, len(pi)):
        j = k - n + 1
        a_j = n * mu + (j - 1) * theta
        reach *= a_j / (a_j + theta)
        spent += 1.0 / (a_j + theta)
        answered += pi[k] * reach
        answered_wait += pi[k] * reach * spent
    waiting = math.fsum(pi[k] * (k - n) for k in range(n, len(pi)))
    wait = waiting / lam
    # The contract's own check: the calls that hang up are θ·E[waiting]/λ.
    assert math.isclose(1 - answered, theta * waiting / lam, rel_tol=1e-6, abs_tol=1e-12)
    return Queue(answered, answered_wait / answered, wait, False)


def needed(lam: float, handle: float, patience: float | None) -> int:
    """Return the least n ≥ 1 answering in 30 s or less on average with at most 5% hanging
    up, trying n = 1, 2, ... in turn."""
    n = 1
    while True:
        q = erlang(lam, n, handle, patience)
        if q.answer is not None and q.answer <= 30 and 1 - q.answered <= 0.05:
            return n
        n += 1


# -- step 2: the call on its route -------------------------------------------------------


@dataclass
class Outcome:
    """Where a class's calls end: resolved (not in a staffed queue), arriving at each
    staffed queue, or ended unresolved; each with its probability and E[seconds x 1]."""

    resolved: float = 0.0
    resolved_time: float = 0.0
    ended: float = 0.0
    ended_time: float = 0.0
    endless: float = 0.0  # caught in a loop they never leave
    queued: dict[str, float] = field(default_factory=dict)
    queued_time: dict[str, float] = field(default_factory=dict)


def follow(
    places: Mapping[str, Place],
    intent: str,
    route: Best,
    entry: str,
    staffed: Mapping[str, str],
) -> Outcome:
    """Follow a class's route from the entry as a Markov chain, solved backwards: from
    each state, the probability and time-weighted probability of every ending."""
    goals = goals_of(places, intent)
    # Per state: a list of (next state or an ending, probability, seconds).
    out: dict[str, list[tuple[str, float, float]]] = {}
    todo, seen = [entry], {entry}
    while todo:
        n = todo.pop()
        p = places[n]
        moves: list[tuple[str, float, float]] = []
        if n in goals:
            if n in staffed:
                moves.append(("queue:" + staffed[n], 1.0, 0.0))
            elif p.kind == "agent":
                moves.append(("resolved", 1.0, p.own))
            else:
                r = p.resolves
                if r > 0:
                    moves.append(("resolved", r, p.own))
                if r < 1:
                    nxt = [m for m in p.moves if m.kind == "next"]
                    if nxt:
                        moves.append((nxt[0].to, 1 - r, p.own + nxt[0].seconds))
                    else:
                        moves.append(("ended", 1 - r, p.own))
        elif route.chance[n] <= 0:
            moves.append(("ended", 1.0, 0.0))  # nothing here can resolve it: it ends here
        else:
            for v, pr, s in _steps(p, route.choice.get(n)):
                moves.append((v, pr, s))
        out[n] = moves
        for v, _, _ in moves:
            if v in places and v not in seen:
                seen.add(v)
                todo.append(v)
    ends = {n for n, ms in out.items() if any(v not in places for v, _, _ in ms)}
    grew = True
    while grew:
        grew = False
        for n, ms in out.items():
            if n not in ends and any(v in ends for v, _, _ in ms):
                ends.add(n)
                grew = True
    for n in set(out) - ends:
        # Only a self-service that never resolves (`resolves: 0`) can send calls round a
        # loop they never leave: their time has no end.
        out[n] = [("endless", 1.0, 0.0)]
    states = sorted(out)
    at = {n: i for i, n in enumerate(states)}
    size = len(states)
    a = [[0.0] * size for _ in range(size)]
    for n in states:
        a[at[n]][at[n]] = 1.0
        for v, pr, _ in out[n]:
            if v in at:
                a[at[n]][at[v]] -= pr
    endings = sorted({v for ms in out.values() for v, _, _ in ms if v not in places})
    result = Outcome()
    for end in endings:
        prob = solve_dense(a, [math.fsum(pr for v, pr, _ in out[n] if v == end) for n in states])
        timed = solve_dense(
            a,
            [
                math.fsum(
                    pr * s * (1.0 if v == end else prob[at[v]] if v in at else 0.0)
                    for v, pr, s in out[n]
                )
                for n in states
            ],
        )
        got, time = prob[at[entry]], timed[at[entry]]
        if end == "resolved":
            result.resolved, result.resolved_time = got, time
        elif end == "ended":
            result.ended, result.ended_time = got, time
        elif end == "endless":
            result.endless = got
        else:
            result.queued[end[6:]] = got
            result.queued_time[end[6:]] = time
    return result


def calls(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the contract's `calls` object of a document, unrounded (None for null);
    None when the document has no intents, traffic or `resolves` (no `calls` then)."""
    places = read(doc)
    if not (
        doc.get("intents")
        or doc.get("traffic")
        or any(p.kind == "self_service" and p.resolves != 1 for p in places.values())
    ):
        return None
    entry = entry_of(doc)
    weights = doc.get("intents") or {}
    total = sum(weights.values())
    classes = {i: w / total for i, w in weights.items()} if weights else {PERSON: 1.0}
    traffic = doc.get("traffic")
    listed = doc.get("queues", {}) if traffic else {}
    staffed = {n: p.queue for n, p in places.items() if p.kind == "agent" and p.queue in listed}
    outcomes: dict[str, Outcome | None] = {}
    for intent in classes:
        route = best(places, intent)
        if route.chance[entry] <= 0:
            outcomes[intent] = None  # unresolvable: no route, no load
        else:
            outcomes[intent] = follow(places, intent, route, entry, staffed)
    queues: dict[str, Any] = {}
    figures: dict[str, Queue] = {}
    for q, spec in listed.items():
        flow = math.fsum(
            classes[i] * o.queued.get(q, 0.0) for i, o in outcomes.items() if o is not None
        )
        lam = traffic["calls_per_hour"] / 3600 * flow
        n, handle = spec["agents"], spec["handle_seconds"]
        patience = spec.get("patience_seconds")
        f = erlang(lam, n, handle, patience)
        figures[q] = f
        queues[q] = {
            "calls_per_hour": lam * 3600,
            "agents": n,
            "load": lam * handle / n,
            "answer_seconds": f.answer,
            "wait_seconds": f.wait,
            "abandon_share": 1 - f.answered,
            "agents_needed": needed(lam, handle, patience),
        }
    per: dict[str, Any] = {}
    for intent, o in outcomes.items():
        if o is None:
            per[intent] = {"resolved_share": 0.0, "seconds": None, "seconds_resolved": None}
            per[intent]["abandon"] = 0.0
            continue
        resolved = o.resolved
        good = o.resolved_time
        spent = o.resolved_time + o.ended_time
        abandon = 0.0
        endless = o.endless > 0
        for q, arrived in o.queued.items():
            f = figures[q]
            if f.overloaded:
                endless = endless or arrived > 0
                continue
            assert f.answer is not None and f.wait is not None
            resolved += arrived * f.answered
            abandon += arrived * (1 - f.answered)
            good += f.answered * (o.queued_time[q] + arrived * f.answer)
            spent += o.queued_time[q] + arrived * f.wait
        per[intent] = {
            "resolved_share": resolved,
            "seconds": None if endless else spent,
            "seconds_resolved": good / resolved if resolved > 0 else None,
            "abandon": abandon,
        }
    resolvable = [i for i, o in outcomes.items() if o is not None]
    weight = math.fsum(classes[i] for i in resolvable)
    if not resolvable or weight <= 0 or any(per[i]["seconds"] is None for i in resolvable):
        seconds = None
    else:
        seconds = math.fsum(classes[i] * per[i]["seconds"] for i in resolvable) / weight
    result: dict[str, Any] = {
        "resolved_share": math.fsum(classes[i] * per[i]["resolved_share"] for i in classes),
        "abandon_share": math.fsum(classes[i] * per[i]["abandon"] for i in classes),
        "seconds": seconds,
        "intents": {
            i: {k: v for k, v in f.items() if k != "abandon"} for i, f in per.items() if i != PERSON
        },
        "queues": queues,
    }
    if traffic:
        hours = traffic.get("hours_per_month", 250)
        month_calls = traffic["calls_per_hour"] * hours
        caller = None if seconds is None else month_calls * weight * seconds / 3600
        agent = 0.0
        for q, f in figures.items():
            spec = listed[q]
            if f.overloaded:
                agent += spec["agents"] * hours
            else:
                lam = queues[q]["calls_per_hour"] / 3600
                agent += lam * f.answered * spec["handle_seconds"] * hours
        staffed_hours = sum(spec["agents"] for spec in listed.values()) * hours
        costs = doc.get("costs")
        cost = None
        if costs and caller is not None:
            cost = (
                staffed_hours * costs["agent_hour"] + (caller + agent) * 60 * costs["line_minute"]
            )
        result["month"] = {
            "calls": month_calls,
            "caller_hours": caller,
            "agent_hours": agent,
            "staffed_agent_hours": staffed_hours,
            "cost": cost,
        }
    return result
