"""The walk from a flow's entry through its blocks, each read once, or once per queue in
effect where the queue set before it decides its transfer (the Amazon Connect importers)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")

# A flow that sets a queue and then goes on through shared steps is read once per queue
# chosen, so each queue's transfer is its own exit. Copies are bounded: a flow fanning out
# to 450 queues before 600 shared actions would need 270,000 (issue 16: 27 s, 820 MB).
MAX_QUEUE_COPIES = 20_000


class _Inherit(str):
    """A queue told apart from every real one by identity: a probe of how a block uses it."""


Classify = Callable[[T, "str | None", Callable[["str | None", "str | None"], "str | None"]], dict]


def queue_walk(
    start: str | None, blocks: Mapping[str, T], classify: Classify
) -> tuple[list[tuple[str, T, dict]], tuple[str, ...]]:
    """Return (step id, block, classification) for each block reached from `start`, once
    per queue in effect where that queue matters, and the notes to list."""
    # `classify(block, queue, key)` calls `key(target, queue)` for each block it leads to,
    # with the queue it was given or one it sets. A block depends on the queue in effect
    # only if it transfers to it, or leads to such a block without setting another queue:
    # one probe per block finds these, every other block is read once.
    probe = _Inherit("the queue set before")
    inherits: dict[str, list[str]] = {}  # block -> blocks it leads to under its own queue
    uses: list[str] = []
    for ident, block in blocks.items():
        onward: list[str] = []

        def record(target: str | None, queue: str | None, onward: list[str] = onward) -> None:
            if target is not None and queue is probe:
                onward.append(target)

        found = classify(block, probe, record)
        if any(value is probe for value in found.values()):
            uses.append(ident)
        inherits[ident] = onward
    # The blocks that lead to a use of the queue: backwards from the uses, linear.
    before: dict[str, list[str]] = {}
    for ident, onward in inherits.items():
        for target in onward:
            before.setdefault(target, []).append(ident)
    needs = set(uses)
    work = list(uses)
    while work:
        for ident in before.get(work.pop(), ()):
            if ident not in needs:
                needs.add(ident)
                work.append(ident)
    out = _walk(start, blocks, classify, needs, MAX_QUEUE_COPIES)
    if out is not None:
        return out, ()
    note = (
        f"the flow sets queues before steps it shares, more than {MAX_QUEUE_COPIES:,} copies "
        "of them if read once per queue: they are read once, and their transfer goes to "
        "'the queue set before'"
    )
    return _walk(start, blocks, classify, set(), None) or [], (note,)


def _walk(
    start: str | None,
    blocks: Mapping[str, T],
    classify: Classify,
    needs: set[str],
    budget: int | None,
) -> list[tuple[str, T, dict]] | None:
    """Return the blocks reached from `start`, a copy per queue where `needs` says the
    queue matters; None when that takes more than `budget` copies."""
    out: list[tuple[str, T, dict]] = []
    todo: list[tuple[str, str | None]] = [(start, None)] if start in blocks else []
    seen: set[tuple[str, str | None]] = set(todo)  # type: ignore[arg-type]
    copies = 0

    def key(target: str | None, queue: str | None) -> str | None:
        nonlocal copies
        if target is None or target not in blocks:
            return None
        if target not in needs:
            queue = None
        if (target, queue) not in seen:
            seen.add((target, queue))
            todo.append((target, queue))
            copies += queue is not None
        return target if queue is None else f"{target}@{queue}"

    while todo:
        if budget is not None and copies > budget:
            return None
        ident, queue = todo.pop()
        step_id = ident if queue is None else f"{ident}@{queue}"
        out.append((step_id, blocks[ident], classify(blocks[ident], queue, key)))
    return out
