"""What it is like to call: for each intent, the prompts a caller hears in order, with a
running clock, the keys pressed, the hold and where the call ends.

Built once from an audit, every figure already formatted (HTML and Markdown only lay it
out). The route of an intent is the contract's step-1 route (`Metrics.intent_routes`);
without intents, the route to a person (`announced_route`) and, from the call tree, the
way to each self-service. A hold is the queue's computed answer time where the menu's
queue is staffed (`Calls.queue_at`), else the hold the menu states. Menu text stays raw
here; each renderer makes it safe for its medium.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import field
from itertools import pairwise

from ivraudit.analysis.calls import PERSON
from ivraudit.analysis.graph import DISCONNECT
from ivraudit.analysis.journeys import Journey
from ivraudit.analysis.outline import Line
from ivraudit.analysis.paths import Step
from ivraudit.analysis.timing import retries_of
from ivraudit.audit import Audit
from ivraudit.format.model import Node
from ivraudit.format.units import duration, share
from ivraudit.frozen import frozen
from ivraudit.report.menuname import intent_label

TITLE = "What it is like to call"
# A prompt is shown up to this many characters, cut at a word: enough for a client to
# read what callers hear, short enough that a page of forty prompts stays a page.
MAX_WORDS_CHARS = 300
# Prompts listed under "Everything else the line says"; a huge export lists the first.
MAX_SCRIPT = 200
# Self-services walked to in a menu without intents (the first in the call tree); the
# prompts of the others are in the list of everything else the line says.
MAX_SERVICE_WALKS = 10
# A branch's condition written as code (a platform's `{{widgets.x.Digits}} == 1`) is no
# caller's words: the walk gives its share alone.
_CODE = re.compile(r"\{\{|\$\{|[=!<>]=|\$[\w.]|\w\(|\w\.\w+\.\w")
# A walked clock and the figure it is checked against agree to a tenth of a second.
_SAME = 0.05


@frozen
class Moment:
    """One step of a call: when it starts, what the caller hears there and what they do."""

    clock: str
    at_seconds: float
    hears: str  # the prompt and the options heard, cut to MAX_WORDS_CHARS ("" for none)
    does: str  # what the caller does to move on ("" at the end)
    kind: str  # the node's type, for styling


@frozen
class Walk:
    """One kind of call from the first ring to where it ends."""

    title: str  # the intent as a client reads it, or "To a person"
    share: str  # "22% of calls" ("" without intents)
    moments: tuple[Moment, ...]
    end: str  # where the call ends, in words, with the hold
    outcome: str  # "person", "resolved", "hung-up" or "never"
    total: str  # the clock when the call ends ("never" when it does not)
    total_seconds: float | None
    note: str = ""  # the figure of the whole mix when this route is one of several
    # The nodes whose words the walk shows (ids: not for clients, only to list the rest).
    nodes: tuple[str, ...] = field(default=(), compare=False, repr=False)


@frozen
class ScriptLine:
    """A prompt no walk passes: when a caller reaches it and what it says."""

    clock: str
    how: str  # how it is reached from the step before: "press 2", "silence"
    kind: str
    hears: str


@frozen
class Walkthrough:
    """The walks of one menu, and the prompts callers can hear that no walk passes."""

    walks: tuple[Walk, ...]
    script: tuple[ScriptLine, ...]
    script_left: int  # prompts beyond MAX_SCRIPT, left off

    @property
    def empty(self) -> bool:
        """Return whether there is nothing to show."""
        return not self.walks and not self.script


def cut(text: str, limit: int = MAX_WORDS_CHARS) -> str:
    """Return `text` on one line of spaces, cut at a word before `limit` with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:") + "…"


def build_walkthrough(a: Audit) -> Walkthrough:
    """Return what it is like to call the audited menu."""
    if a.menu.intents:
        walks = tuple(_intent_walk(a, j) for j in a.metrics.intent_routes)
    else:
        walks = tuple(_person_walk(a) + _self_service_walks(a))
    walked = {node for w in walks for node in w.nodes}
    script, left = _script(a, walked)
    return Walkthrough(walks, script, left)


def _intent_walk(a: Audit, j: Journey) -> Walk:
    intent = j.intent
    figure = dict(a.metrics.intent_seconds).get(intent)
    head = intent_label(intent)
    mix = f"{share(a.menu.intent_shares[intent])} of calls"
    if not j.handled:
        return Walk(
            head, mix, (), "No node handles these calls: they are lost.", "never", "never", None
        )
    own = (j.end_kind, j.end_seconds or 0.0)
    return _walk(a, head, mix, j.steps, figure, own, resolved=figure is not None, caller=intent)


def _person_walk(a: Audit) -> list[Walk]:
    m = a.metrics
    if m.announced_time_to_human_seconds is not None:
        steps, figure = m.announced_route, m.announced_time_to_human_seconds
        hold = m.announced_route_hold_seconds
    elif m.time_to_human_seconds is not None:
        steps, figure, hold = m.best_route, m.time_to_human_seconds, m.best_route_hold_seconds
    else:
        return [Walk("To a person", "", (), "No route reaches a person.", "never", "never", None)]
    own = ("agent", hold or 0.0)
    return [_walk(a, "To a person", "", steps, figure, own, resolved=True, caller=PERSON)]


def _self_service_walks(a: Audit) -> list[Walk]:
    """Return a walk to each self-service, along the call tree (first time reached)."""
    out = []
    path: list[Line] = []
    seen: set[str] = set()
    for line in a.outline:
        del path[line.level :]
        path.append(line)
        if line.type != "self_service" or line.repeat or line.node in seen:
            continue
        if len(out) == MAX_SERVICE_WALKS:
            break
        seen.add(line.node)
        steps = tuple(
            Step(
                parent.node,
                _kind(child.via),
                child.via if _kind(child.via) == "option" else None,
                child.label,
                child.node,
                child.at_seconds,
                child.probability,
            )
            for parent, child in pairwise(path)
        )
        label = next((s.label for s in reversed(steps) if s.kind == "option" and s.label), "")
        title = "Self-service: " + (cut(label, 60) if label else intent_label(line.node))
        figure = line.at_seconds + line.own_seconds
        own = ("self_service", line.own_seconds)
        out.append(_walk(a, title, "", steps, figure, own, resolved=True))
    return out


def _kind(via: str | None) -> str:
    return via if via in ("no_input", "no_match", "next", "route") else "option"


def _walk(
    a: Audit,
    title: str,
    mix: str,
    steps: Sequence[Step],
    figure: float | None,
    handler: tuple[str, float],
    *,
    resolved: bool,
    caller: str = "",
) -> Walk:
    """Return the walk along `steps`; `figure` is the JSON figure the clock must end on,
    `handler` the type of the node the steps end at and its own seconds (a hold, a message);
    `caller` is the class of callers, whose figures `Calls` holds where a queue is staffed.
    """
    moments = []
    start = 0.0
    for s in steps:
        moments.append(_moment(a, s.node, start, s))
        start = s.at_seconds
    # A node that says nothing and asks nothing (a silent message, a handler without a
    # prompt) is no step a caller notices.
    moments = [m for m in moments if m.hears or m.does]
    last: Hashable = steps[-1].to if steps else a.menu.entry
    kind, own = handler
    arrive = start
    nodes = (*(str(s.node) for s in steps), str(last))
    calls = a.metrics.calls
    queue = calls.queue_at(last) if calls is not None and kind == "agent" else None
    note = ""
    if kind == "agent":
        if queue is not None:
            hold = queue.figures.answer_seconds
            end = (
                f"Waits in the queue {queue.queue}: "
                + (
                    f"a person answers after {duration(hold)} on average "
                    f"(at {queue.figures.calls_per_hour:,.0f} calls an hour)"
                    if hold is not None
                    else "the queue is overloaded, and the wait has no end"
                )
                + "."
            )
            # The stated hold is what the route was chosen by; the queue says what happens,
            # and the calls' figure is the mean of those a person answers.
            mine = calls.intent(caller) if calls is not None else None
            expected = mine.seconds_resolved if mine is not None else None
        else:
            hold = own
            # An imported export may not say its holds: the import then assumes them.
            said = "as the import gives or assumes it" if a.menu.assumptions else "as stated"
            end = (
                f"A person answers after {duration(hold)} on hold, {said}."
                if hold
                else "A person answers at once."
            )
            expected = figure
        total = None if hold is None else arrive + hold
        outcome = "person" if total is not None else "never"
        moments.append(Moment(duration(arrive), arrive, "", end, "agent"))
        end = "A person answers." if total is not None else "No one answers."
    elif kind == "self_service" and resolved:
        total = arrive + own
        rate = a.menu.node(str(last)).resolves
        others = "go on" if a.menu.node(str(last)).next else "are cut off unresolved"
        end = "Resolved by self-service" + (
            f" for {share(rate)} of these callers; the others {others}." if rate < 1 else "."
        )
        outcome = "resolved"
        expected = figure
        if a.menu.node(str(last)).prompt:
            moments.append(_moment(a, last, arrive, None))
    elif resolved and figure is not None:
        # The route went round again (a branch): the figure is an expectation.
        total, expected, outcome = figure, figure, "resolved"
        end = "Round again: a branch sends the call back to an earlier step."
    else:
        total, expected = None, None
        if kind == "hangup":
            moments.append(_moment(a, last, arrive, None))
            end, outcome = "The line hangs up before their answer.", "hung-up"
        else:
            end, outcome = "Trapped: no choice from here reaches their answer.", "never"
    if total is not None and expected is not None and abs(total - expected) > _SAME:
        # A branch on the way sends some calls another way: this is the likeliest one.
        note = f"On average over every route these calls take: {duration(expected)}."
    return Walk(title, mix, tuple(moments), end, outcome, duration(total), total, note, nodes)


def _moment(a: Audit, node: Hashable, at: float, step: Step | None) -> Moment:
    """Return what the caller hears at `node` from second `at`, leaving by `step`."""
    if DISCONNECT in str(node):
        return Moment(duration(at), at, "", "The line hangs up.", "hangup")
    n = a.menu.node(str(node))
    return Moment(duration(at), at, cut(_hears(n, step)), _does(a, n, step), n.type)


def _hears(n: Node, step: Step | None) -> str:
    """Return the words a caller hears at `n` before leaving by `step`."""
    words = [n.prompt or ""]
    if n.type == "menu" and step is not None and step.kind in ("option", "no_input"):
        options = n.options
        if step.kind == "option" and n.barge_in:
            # A caller who can interrupt presses as soon as their option is said.
            upto = next((i for i, o in enumerate(options) if o.key == step.key), len(options))
            options = options[: upto + 1]
        words += [o.spoken for o in options]
    return " ".join(w for w in words if w)


def _does(a: Audit, n: Node, step: Step | None) -> str:
    """Return what the caller does to leave `n` by `step`, in words."""
    if step is None:
        return ""
    if step.kind == "option":
        return f"Presses {step.key}."
    if step.kind in ("no_input", "no_match"):
        handler = n.no_input if step.kind == "no_input" else n.no_match
        times = retries_of(handler, a.menu.timing) + 1
        what = (
            "Says nothing" if step.kind == "no_input" else "Presses a key the menu does not offer"
        )
        return f"{what}, {times} time{'s' if times != 1 else ''}."
    if step.kind == "route":
        when = "" if _CODE.search(step.label) else f": {step.label}"
        return f"Is routed{when} ({share(step.probability)} of calls)."
    if n.type == "input":
        thing = intent_label(n.collects).lower() if n.collects else "the answer"
        return f"Keys in {thing}."
    if n.type == "callback":
        taken = f"{share(n.takes)} of callers take it and are called back" if n.takes else ""
        return "Stays on the line" + (f" ({taken})." if taken else ".")
    return ""


def _script(a: Audit, walked: set[str]) -> tuple[tuple[ScriptLine, ...], int]:
    """Return the prompts no walk passes, in call-tree order, each at its first reach."""
    out: list[ScriptLine] = []
    seen = set(walked)
    left = 0
    for line in a.outline:
        if line.repeat or line.node in seen or DISCONNECT in line.node:
            continue
        seen.add(line.node)
        n = a.menu.node(line.node)
        if not n.prompt and not n.options:  # says nothing (every option says something)
            continue
        if len(out) >= MAX_SCRIPT:
            left += 1
            continue
        words = " ".join(w for w in [n.prompt or "", *(o.spoken for o in n.options)] if w)
        how = (
            ""
            if line.via is None
            else f"press {line.via}"
            if _kind(line.via) == "option"
            else {"no_input": "silence", "no_match": "wrong key", "next": "then"}.get(
                line.via,
                share(line.probability) + ("" if _CODE.search(line.label) else f": {line.label}"),
            )
        )
        out.append(ScriptLine(duration(line.at_seconds), how, line.type, cut(words)))
    return tuple(out), left
