"""The menu model: plain frozen data, independent of the file format it came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import Literal

from ivraudit.frozen import frozen

NodeType = Literal[
    "menu", "message", "input", "branch", "agent", "self_service", "callback", "hangup"
]
NODE_TYPES: tuple[NodeType, ...] = (
    "menu",
    "message",
    "input",
    "branch",
    "agent",
    "self_service",
    "callback",
    "hangup",
)
PHONE_KEYS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#")


@frozen(order=True)
class Position:
    """A place in a source file; line and column are 1-based."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@frozen
class Timing:
    """The caller-side timing assumptions of one menu file."""

    speech_rate_wpm: float = 150.0
    response_seconds: float = 1.0
    timeout_seconds: float = 5.0
    retries: int = 2
    entry_seconds: float = 6.0


@frozen
class Option:
    """One key a menu offers, in spoken order."""

    key: str
    goto: str
    pos: Position
    label: str | None = None
    say: str | None = None
    say_seconds: float | None = None
    # The callers who choose this option, as its label tells them (empty: not declared).
    intents: tuple[str, ...] = ()

    @property
    def spoken(self) -> str:
        """Return the words the caller hears for this option."""
        if self.say is not None:
            return self.say
        if self.label:
            return f"For {self.label}, press {self.key}."
        return f"Press {self.key}."


@frozen
class Handler:
    """What a menu does on silence (`no_input`) or an invalid key (`no_match`)."""

    goto: str
    pos: Position
    retries: int | None = None


@frozen
class Route:
    """One way a `branch` node routes a call, with its raw share."""

    when: str
    share: float
    goto: str
    pos: Position


@frozen
class Suppression:
    """Rules switched off for one node (`ignore:`) or one line (a comment), with a reason."""

    rules: tuple[str, ...]
    reason: str
    pos: Position
    node: str | None = None  # set for a node's `ignore:`; None for a comment


@frozen
class Node:
    """One node of a menu; fields that do not apply to its type keep their defaults."""

    id: str
    type: NodeType
    pos: Position
    prompt: str | None = None
    prompt_seconds: float | None = None
    options: tuple[Option, ...] = ()
    no_input: Handler | None = None
    no_match: Handler | None = None
    barge_in: bool = True
    next: str | None = None
    collects: str | None = None
    routes: tuple[Route, ...] = ()
    queue: str | None = None
    hold_seconds: float = 0.0
    handles: tuple[str, ...] = ()
    # The share of the callers a self_service node handles whose request it resolves.
    resolves: float = 1.0
    # The share of callers who take a `callback` node's offer (the rest go on to `next`).
    takes: float = 1.0
    ignore: tuple[Suppression, ...] = ()
    # The prompt's words must stay as written (legal or regulatory text): never cut.
    keep: bool = False
    # Where the node's id was written (for suppression comments on that line).
    key_pos: Position | None = field(default=None, compare=False, repr=False)
    # Where each field was written, for findings that point at one line.
    field_pos: Mapping[str, Position] = field(default_factory=dict, compare=False, repr=False)

    def where(self, name: str) -> Position:
        """Return the position of field `name`, or of the node when it was not written."""
        return self.field_pos.get(name, self.pos)


@frozen
class Traffic:
    """The hour being audited: calls arriving in it, and how many such hours a month has."""

    calls_per_hour: float
    hours_per_month: float = 250.0
    # The day (for `simulate`): calls per hour for each hour the line is open, in order,
    # and the clock time the first hour starts ("08:00"); empty / None when not given.
    profile: tuple[float, ...] = ()
    opens_at: str | None = None
    # Of the callers who hang up waiting, the share who call again, after a mean delay.
    retry_share: float = 0.0
    retry_after_seconds: float = 0.0


@frozen
class Queue:
    """The people behind one queue: agents, mean talk time and mean patience on hold."""

    agents: int
    handle_seconds: float
    patience_seconds: float | None = None  # None: callers never hang up (Erlang C)
    # Coefficients of variation: None is exponential (Erlang A's assumption); a number
    # makes the time log-normal with that cv around the same mean (for `simulate`).
    handle_cv: float | None = None
    patience_cv: float | None = None
    # Agents for each hour of `traffic.profile` (for `simulate`); empty: `agents` all day.
    schedule: tuple[int, ...] = ()
    # Where the queue's id was written, for errors and findings; like `intent_pos`, not
    # part of what the queue is, so a rewritten file holds equal queues.
    pos: Position | None = field(default=None, compare=False, repr=False)


@frozen
class Costs:
    """What an hour of an agent and a minute of an open line cost, in `currency`."""

    agent_hour: float = 0.0
    line_minute: float = 0.0
    currency: str = ""


@frozen
class Menu:
    """A whole menu file: its timing, intents and nodes in definition order."""

    name: str
    entry: str
    nodes: tuple[Node, ...]
    source: str
    pos: Position
    timing: Timing = Timing()
    intents: tuple[tuple[str, float], ...] = ()
    description: str | None = None
    version: int = 1
    suppressions: tuple[Suppression, ...] = ()  # from `# ivraudit: ignore[...]` comments
    # What an importer assumed where a platform export is silent (see docs/importers.md).
    assumptions: tuple[str, ...] = ()
    # Where each intent was declared, for findings about an intent.
    intent_pos: Mapping[str, Position] = field(default_factory=dict, compare=False, repr=False)
    # Calls as they happen: the audited hour, the staffed queues (id -> queue, in file
    # order) and what time costs; None or empty when the file does not say.
    traffic: Traffic | None = None
    queues: tuple[tuple[str, Queue], ...] = ()
    costs: Costs | None = None
    # Where it came from, for reports: the importer's title when it was imported from a
    # platform export (None: our own format), and the first 12 hex digits of the SHA-256
    # of the file's bytes, which names the version of the file that was audited.
    platform: str | None = field(default=None, compare=False)
    digest: str = field(default="", compare=False, repr=False)

    @cached_property
    def by_id(self) -> Mapping[str, Node]:
        """Return the nodes keyed by id."""
        return {n.id: n for n in self.nodes}

    def node(self, node_id: str) -> Node:
        """Return the node with this id."""
        return self.by_id[node_id]

    @cached_property
    def queue_by_id(self) -> Mapping[str, Queue]:
        """Return the listed queues keyed by id."""
        return dict(self.queues)

    def queue(self, name: str | None) -> Queue | None:
        """Return the listed queue `name` (an agent node's `queue`), or None if unlisted."""
        return self.queue_by_id.get(name) if name is not None else None

    @property
    def intent_shares(self) -> dict[str, float]:
        """Return each intent's share of calls, normalised to sum to 1."""
        total = sum(share for _, share in self.intents)
        if total <= 0:
            return {name: 0.0 for name, _ in self.intents}
        return {name: share / total for name, share in self.intents}
