"""A long hold with no callback offer and no announcement of the wait.

The failing menu sends callers to a 5-minute hold without a word about it; the passing one
tells them the expected wait and offers a callback in the menu right before the queue.

Fails:

    ivraudit: 1
    name: Silent hold
    nodes:
      main:
        prompt: "Acme support."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: an adviser, goto: desk}
      hours: {type: self_service, prompt: "We open at nine."}
      desk: {type: agent, queue: support, hold_seconds: 300}

Passes:

    ivraudit: 1
    name: Announced hold
    nodes:
      main:
        prompt: "Acme support."
        options:
          - {key: 1, label: opening hours, goto: hours}
          - {key: 0, label: an adviser, goto: wait}
      hours: {type: self_service, prompt: "We open at nine."}
      wait:
        prompt: "The current wait is about 5 minutes."
        options:
          - {key: 1, label: a callback instead, goto: callback}
          - {key: 2, label: holding for the next adviser, goto: desk}
        no_input: {goto: desk}
        no_match: {goto: desk}
      callback:
        type: input
        prompt: "Key in your phone number and we will call you back."
        collects: phone_number
        next: done
      done: {type: self_service, prompt: "Thank you. We will call you soon."}
      desk: {type: agent, queue: support, hold_seconds: 300}

What counts as "on the way": a `callback` node, and the prompts, option labels and spoken
options of the reachable nodes one and two steps before the agent. Branches are silent, so
they are looked through rather than counted as a step. Where a branch in front of the agent
checks the queue (its routes mention waiting, holding, the queue, callers, or someone busy
or available), the nodes its other routes lead to count too: that is where a busy queue
offers its callback. A callback offered only out of hours (a branch on opening times) does
not help those who wait, so it does not count. The format cannot describe what is played
during the hold itself; a queue that announces its wait there can suppress this finding with
a reason.

The wording is matched with the `announce_patterns` regular expressions (case-insensitive;
setting the option replaces the defaults, so copy them to add a phrase or a language).
A bare "minutes" is not enough by default ("your taxi arrives in 6 minutes" is no wait
announcement): it needs a word about waiting, holding or answering in the same sentence.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ivraudit.format.errors import MenuError
from ivraudit.judge.findings import Problem
from ivraudit.judge.rules.context import Context, seconds_text

ID = "IVR106"
NAME = "long-hold"
TITLE = "Long hold with no callback or wait announcement"
CATEGORY = "reach"
SEVERITY = "warning"
RATIONALE = """A long wait is harder to bear when the caller does not know how long it will be
or that they could be called back instead. In a field study of real calls, callers told their
position in the queue abandoned far less often than callers hearing music or apologies (about
36% against 70%, as the APA Monitor summarised it). GetHuman asks for an estimated wait on
entering the queue and a callback when no one is free; Amazon Connect's sample flow offers a
callback once the wait passes 5 minutes. A queue the file staffs (`queues` with `traffic`)
holds callers for its computed answer time, not its `hold_seconds`."""
SOURCE = """GetHuman Standard v1.0 (gethuman.com, c. 2006-2007), points 2 (an accurate
estimated wait on entering the queue, with updates) and 4 (offer a callback when no one is
available); Munichor & Rafaeli (2007), "Numbers or apologies? Customer reactions to telephone
waiting time fillers", Journal of Applied Psychology 92(2), 511-518; Amazon Connect
Administrator Guide, "Sample queued callback flow" (callback offered when the wait exceeds
5 minutes)."""
OPTIONS: dict[str, Any] = {
    "max_hold_seconds": 120,
    "announce_patterns": [
        r"\bcall-?backs?\b",  # callback, call-back
        r"\b(?:call|ring)(?:ing)?\s+you\s+back\b",  # we will call you back
        r"\bcalled\s+back\b",  # to be called back, press 2
        r"\bwait(?:ing)?\s+times?\b",  # the wait time is ...
        r"\b(?:estimated|expected|current|approximate|average)\s+wait",
        r"\b(?:wait|waiting|hold|holding|answered|with\s+you)\b[^.!?]*\bminutes?\b",
        r"\bminutes?\b[^.!?]*\b(?:wait|waiting|hold|holding)\b",
        r"\b(?:position|place)\s+in\s+(?:the\s+)?(?:queue|line)\b",
        r"\byou\s+are\s+(?:caller\s+)?number\b",  # you are number 4 in the queue
        r"\byou\s+are\s+(?:the\s+)?(?:next|\w+(?:st|nd|rd|th))\s+in\s+(?:the\s+)?(?:queue|line)\b",
        r"\b(?:callers?|people)\s+(?:ahead\s+of|in\s+front\s+of)\s+you\b",
    ],
}

# A branch whose routes talk about the queue decides on its length (not on opening hours).
_QUEUE_CHECK = re.compile(r"\b(?:queue\w*|wait\w*|callers?|busy|hold\w*|available)\b", re.I)


def check(ctx: Context, options: Mapping[str, Any]) -> Iterator[Problem]:
    """Yield a problem at each agent holding longer than `max_hold_seconds` unannounced."""
    limit = options["max_hold_seconds"]
    holds = _holds(ctx)
    slow = [(a, holds.get(a.id, a.hold_seconds)) for a in ctx.nodes("agent")]
    slow = [(a, hold) for a, hold in slow if hold is not None and hold > limit]
    if not slow:
        return
    heard = _Heard(ctx, _compile(ctx, options["announce_patterns"]))
    for agent, hold in slow:
        if heard.before(agent.id):
            continue
        queue = f" (queue '{agent.queue}')" if agent.queue and agent.queue != agent.id else ""
        staffed = " on average as the calls come" if agent.id in holds else ""
        yield Problem(
            agent.pos,
            f"'{agent.id}'{queue} holds callers for {seconds_text(hold)}{staffed} "
            f"(more than {seconds_text(limit)}) with no callback offer or wait announcement "
            "on the way",
            agent.id,
        )


def _holds(ctx: Context) -> dict[str, float | None]:
    """Return the hold of each agent whose queue is staffed (format 0.3): the queue's mean
    wait of the calls a person answers, None when it is overloaded (IVR109 says so)."""
    calls = ctx.metrics.calls
    if calls is None:
        return {}
    holds: dict[str, float | None] = {}
    for node, _ in calls.staffed:
        q = calls.queue_at(node)
        holds[node] = q.figures.answer_seconds if q is not None else None
    return holds


def validate_options(options: Mapping[str, Any]) -> str | None:
    """Return what is wrong with the options a config gives, or None."""
    for pattern in options.get("announce_patterns", ()):
        try:
            re.compile(str(pattern))
        except re.error as exc:
            return f"announce_patterns: {pattern!r} is not a valid regular expression ({exc})"
    return None


def _compile(ctx: Context, patterns: Sequence[Any]) -> list[re.Pattern[str]]:
    """Return the `announce_patterns`, compiled to match regardless of case."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(str(pattern), re.IGNORECASE))
        except re.error as exc:
            # Configs are checked on load (validate_options); this guards options given
            # to the library directly, reported like bad input rather than as a traceback.
            raise MenuError(
                ctx.menu.source,
                1,
                1,
                f"{ID} ({NAME}) option announce_patterns: {pattern!r} is not a valid regular "
                f"expression ({exc})",
            ) from None
    return compiled


# Group references count groups across the whole pattern: joined, they would point elsewhere.
_GROUP_REFERENCE = re.compile(r"\\\d|\(\?P=|\(\?\(")


def _joined(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """Return one pattern that matches a text where any of `patterns` does (one search
    instead of one per pattern), or None when they cannot be joined."""
    if any(_GROUP_REFERENCE.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)
    except re.error:  # a global flag such as (?x) inside one, or a group name used twice
        return None


class _Heard:
    """What callers hear shortly before a node, each node's answer computed once."""

    def __init__(self, ctx: Context, patterns: Sequence[re.Pattern[str]]) -> None:
        self.ctx = ctx
        self.patterns = patterns
        self.any_pattern = _joined(patterns)
        self._says: dict[str, bool] = {}
        self._near: dict[str, bool] = {}
        self._text: dict[str, bool] = {}  # menus repeat their wording: search each text once

    def says(self, node_id: str) -> bool:
        """Return whether the node's own words offer a callback or announce the wait."""
        if node_id not in self._says:
            node = self.ctx.menu.by_id.get(node_id)  # a synthetic disconnect says nothing
            if node is not None and node.type == "callback":
                self._says[node_id] = True  # a callback offer, whatever its words
                return True
            texts = [] if node is None else [node.prompt or ""]
            if node is not None and node.type == "menu":
                texts += [o.spoken for o in node.options] + [o.label or "" for o in node.options]
            self._says[node_id] = any(self._announces(t) for t in texts)
        return self._says[node_id]

    def _announces(self, text: str) -> bool:
        if text not in self._text:
            if self.any_pattern is not None:
                self._text[text] = self.any_pattern.search(text) is not None
            else:
                self._text[text] = any(p.search(text) for p in self.patterns)
        return self._text[text]

    def audible_before(self, node_id: str) -> tuple[list[str], list[str]]:
        """Return the reachable nodes a caller hears right before this one, branches looked
        through, and the branches passed on the way."""
        heard: list[str] = []
        branches: list[str] = []
        seen = {node_id}
        todo = deque([node_id])
        while todo:
            v = todo.popleft()
            for u in self.ctx.graph.predecessors(v):
                if u in seen or not self.ctx.reachable(u):
                    continue
                seen.add(u)
                if self.ctx.type_of(u) == "branch":
                    branches.append(u)
                    todo.append(u)
                else:
                    heard.append(u)
        return heard, branches

    def near(self, node_id: str) -> bool:
        """Return whether this node or one heard right before it makes the announcement."""
        if node_id not in self._near:
            before, _ = self.audible_before(node_id)
            self._near[node_id] = self.says(node_id) or any(self.says(u) for u in before)
        return self._near[node_id]

    def before(self, agent_id: str) -> bool:
        """Return whether callers hear the announcement within two steps before the agent,
        or a queue check in front of it sends some of them to a callback."""
        before, branches = self.audible_before(agent_id)
        if any(self.near(u) for u in before):
            return True
        for b in branches:
            routes = self.ctx.menu.node(b).routes
            queue_check = any(_QUEUE_CHECK.search(r.when) for r in routes)
            if queue_check and any(self.says(r.goto) for r in routes):
                return True
        return False
