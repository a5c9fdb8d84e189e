"""The walk from a flow's entry through its blocks (the Amazon Connect importers): each
block is read once, except where the queue in effect decides what a block does.

Amazon Connect's working queue ("Set working queue") is the queue a later transfer puts
the call in, and the queue whose hours and staffing the checks test
(https://docs.aws.amazon.com/connect/latest/adminguide/set-working-queue.html). So a
transfer, a check of the working queue, or a comparison of `$.Queue.Name` does what the
queue set before it says: such a block is read once per queue that can be in effect
there, and so is every step on the way to it that the caller does not notice, and every
message that leads straight to it ("please hold"). What the caller answers, every other
decision, and what leads to them are read once, however many queues reach them: after
them, the queue in effect is any of those. Where several can be in effect, a transfer
splits the calls among them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")

# Copies are bounded: a flow fanning out to 450 queues before 600 shared steps that play
# nothing would need 270,000 (issue 16: 27 s, 820 MB); past this, those steps are read
# once and a transfer after them splits among the queues that reach it.
MAX_QUEUE_COPIES = 20_000
# Following which queues reach which block is bounded too (a word of work per queue
# and block); past it, a transfer goes to "the queue set before".
MAX_QUEUE_WORK = 5_000_000


class Unknown(str):
    """A queue that is not known where a block is read: the walk's probe of how a block
    uses the queue, or "the queue set before" when the flow is too large to follow."""


Key = Callable[["str | None", "str | None"], "str | None"]
Classify = Callable[[T, "str | None", Key], dict]

SPLIT = "the queue set before"


def queue_walk(
    start: str | None, blocks: Mapping[str, T], classify: Classify
) -> tuple[list[tuple[str, T, dict]], tuple[str, ...]]:
    """Return (step id, block, classification) for each block reached from `start`, read
    once per queue in effect where that queue decides what it does, and the notes to list."""
    # `classify(block, queue, key)` calls `key(target, queue)` for each block it leads to,
    # with the queue it was given or one it sets. A classification that depends on the
    # queue names it (a transfer's target) or says `"by_queue": True`. One probe per block
    # finds which blocks set, pass on or use the queue.
    probe = Unknown(SPLIT)
    inherit: dict[str, list[str]] = {}
    sets: dict[str, list[tuple[str, str | None]]] = {}
    uses: set[str] = set()
    kinds: dict[str, str | None] = {}
    for ident, block in blocks.items():
        onward: list[str] = []
        setting: list[tuple[str, str | None]] = []

        def record(
            target: str | None,
            queue: str | None,
            onward: list[str] = onward,
            setting: list[tuple[str, str | None]] = setting,
        ) -> str | None:
            if target is not None and target in blocks:
                if queue is probe:
                    onward.append(target)
                else:
                    setting.append((target, queue))
            return target

        found = classify(block, probe, record)
        if found.get("by_queue") or any(value is probe for value in found.values()):
            uses.add(ident)
        kinds[ident] = found.get("kind")
        inherit[ident] = onward
        sets[ident] = setting
    needs = _leading_to(uses, inherit)
    # Read once: what the caller answers, and decisions of their own, with what leads
    # to them. The messages on the way straight to a use are read once per queue.
    lane = _straight_to(uses, inherit, kinds)
    shared = {i for i in needs if i not in lane and kinds[i] != "pass"}
    masks, names = _queues_reaching(start, blocks, inherit, sets, needs)
    if masks is None:
        note = (
            "the flow sets queues before steps it shares, too many to follow which queue "
            "reaches each transfer: a transfer goes to 'the queue set before'"
        )
        plan = _Plan(set(), set(), set(), {}, [None])
        return _walk(start, blocks, classify, plan, None) or [], (note,)
    plan = _Plan(needs, uses, shared, masks, names)
    out = _walk(start, blocks, classify, plan, MAX_QUEUE_COPIES)
    notes: tuple[str, ...] = ()
    if out is None:
        # Every block read once but the transfers and checks of the queue themselves.
        plan = _Plan(needs, uses, needs - uses, masks, names)
        out = _walk(start, blocks, classify, plan, None)
        notes = (
            f"the flow sets queues before steps it shares, more than {MAX_QUEUE_COPIES:,} "
            "copies of them if read once per queue: they are read once",
        )
    if plan.split:
        notes += (
            "where queues set on different ways meet in shared steps, a transfer to the "
            "queue set before splits the calls equally among the queues that reach it",
        )
    return out or [], notes


def _leading_to(uses: set[str], inherit: Mapping[str, list[str]]) -> set[str]:
    """Return the blocks that lead to a use of the queue without setting another."""
    before: dict[str, list[str]] = {}
    for ident, onward in inherit.items():
        for target in onward:
            before.setdefault(target, []).append(ident)
    needs = set(uses)
    work = list(uses)
    while work:
        for ident in before.get(work.pop(), ()):
            if ident not in needs:
                needs.add(ident)
                work.append(ident)
    return needs


def _straight_to(
    uses: set[str], inherit: Mapping[str, list[str]], kinds: Mapping[str, str | None]
) -> set[str]:
    """Return the uses of the queue and the messages and silent steps that lead only to
    them: "please hold" before a transfer is heard once per queue."""
    left = {
        ident: len(onward)
        for ident, onward in inherit.items()
        if onward and ident not in uses and kinds[ident] in ("message", "pass")
    }
    before: dict[str, list[str]] = {}
    for ident in left:
        for target in inherit[ident]:
            before.setdefault(target, []).append(ident)
    lane = set(uses)
    work = list(uses)
    while work:
        for ident in before.get(work.pop(), ()):
            left[ident] -= 1
            if left[ident] == 0 and ident not in lane:
                lane.add(ident)
                work.append(ident)
    return lane


def _queues_reaching(
    start: str | None,
    blocks: Mapping[str, T],
    inherit: Mapping[str, list[str]],
    sets: Mapping[str, list[tuple[str, str | None]]],
    needs: set[str],
) -> tuple[dict[str, int] | None, list[str | None]]:
    """Return which queues can be in effect at each block that needs to know (a bit per
    queue, bit 0: none set), from the entry; None when that is too much work."""
    names: list[str | None] = [None]
    index: dict[str | None, int] = {None: 0}

    def bit(queue: str | None) -> int:
        if queue not in index:
            index[queue] = len(names)
            names.append(queue)
        return 1 << index[queue]

    masks: dict[str, int] = {}
    work: deque[str] = deque()
    queued: set[str] = set()
    reached: set[str] = set()

    def add(target: str, mask: int) -> None:
        if target in needs and mask & ~masks.get(target, 0):
            masks[target] = masks.get(target, 0) | mask
        elif target in reached:
            return
        reached.add(target)
        if target not in queued:
            queued.add(target)
            work.append(target)

    if start in blocks:
        add(start, 1)
    budget = MAX_QUEUE_WORK
    while work:
        ident = work.popleft()
        queued.discard(ident)
        mask = masks.get(ident, 0)
        budget -= 1 + len(names) // 64 * (len(inherit[ident]) + 1)
        if budget < 0:
            return None, names
        for target in inherit[ident]:
            add(target, mask)
        for target, queue in sets[ident]:
            add(target, bit(queue))
    return masks, names


class _Plan:
    """What the walk knows before it starts: which blocks need the queue, which of them
    use it, which are read once, and which queues reach each."""

    def __init__(
        self,
        needs: set[str],
        uses: set[str],
        shared: set[str],
        masks: dict[str, int],
        names: list[str | None],
    ) -> None:
        self.needs = needs
        self.uses = uses
        self.shared = shared
        self.masks = masks
        self.names = names
        self.split = False  # a transfer was split among queues

    def state(self, target: str, mask: int) -> int:
        """Return the state a block is read in: 0 when the queue does not matter there,
        -1 when it is read once, else the mask of the queues in effect."""
        if target not in self.needs:
            return 0
        return -1 if target in self.shared else mask

    def bit(self, queue: str | None) -> int:
        return 1 << self.names.index(queue) if queue in self.names else 0


def _walk(
    start: str | None,
    blocks: Mapping[str, T],
    classify: Classify,
    plan: _Plan,
    budget: int | None,
) -> list[tuple[str, T, dict]] | None:
    """Return the blocks reached from `start`, each read once, or once per queue where the
    plan says the queue decides what it does; None past `budget` copies."""
    out: list[tuple[str, T, dict]] = []
    todo: list[tuple[str, int]] = []
    ids: dict[tuple[str, int], str] = {}
    numbers: dict[int, int] = {}  # a mask of several queues -> its number in step ids
    copies = 0
    unknown = Unknown(SPLIT)

    def visit(target: str, mask: int) -> str:
        nonlocal copies
        pair = (target, plan.state(target, mask))
        if pair not in ids:
            mask = pair[1]
            if mask <= 0:
                ids[pair] = target
            elif mask & (mask - 1) == 0:  # one queue
                queue = plan.names[mask.bit_length() - 1]
                ids[pair] = target if queue is None else f"{target}@{queue}"
            else:
                ids[pair] = f"{target}@@{numbers.setdefault(mask, len(numbers) + 1)}"
            todo.append(pair)
            copies += mask > 0
        return ids[pair]

    if start in blocks:
        visit(start, 1)
    while todo:
        if budget is not None and copies > budget:
            return None
        ident, mask = todo.pop()
        block = blocks[ident]
        step_id = ids[(ident, mask)]
        several = mask > 0 and mask & (mask - 1) != 0
        if several and ident in plan.uses:
            # The queues that can be in effect here each take a share of the calls.
            plan.split = True
            routes = tuple(
                (_when(queue), visit(ident, plan.bit(queue))) for queue in _queues(plan, mask)
            )
            out.append((step_id, block, {"kind": "decision", "name": SPLIT, "routes": routes}))
            continue
        given: str | None = unknown
        if mask > 0 and not several:
            given = plan.names[mask.bit_length() - 1]
        onward = plan.masks.get(ident, 0) if mask < 0 else mask

        def key(
            target: str | None, queue: str | None, given: str | None = given, onward: int = onward
        ) -> str | None:
            if target is None or target not in blocks:
                return None
            return visit(target, onward if queue is given else plan.bit(queue))

        found = dict(classify(block, given, key))
        found.pop("by_queue", None)
        out.append((step_id, block, found))
    return out


def _queues(plan: _Plan, mask: int) -> list[str | None]:
    return [name for i, name in enumerate(plan.names) if mask >> i & 1]


def _when(queue: str | None) -> str:
    return "no queue set" if queue is None else f'queue = "{queue}"'
