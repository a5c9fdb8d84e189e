"""A tidy tree layout (Reingold-Tilford): the breadth position of every node of a tree.

Each subtree is laid out on its own, then placed beside its left siblings as close as
their contours (the extent of each level) allow; a parent sits midway between its first
and last child. Children between two wider siblings are spread evenly over the space
left between them (Walker's improvement), so small subtrees do not bunch to one side.
Reingold & Tilford, "Tidier drawings of trees", IEEE TSE 7(2), 1981; Walker, 1990.
"""

from __future__ import annotations

from collections.abc import Sequence

Contour = list[tuple[float, float]]  # per level below and including a node: (low, high)


def tidy_layout(
    parents: Sequence[int | None], gap: float = 1.0, *, centre: bool = True
) -> tuple[float, ...]:
    """Return each node's breadth position (the least is 0) for a tree given in preorder
    as each node's parent index (None for the root, which comes first).

    With `centre` a parent sits midway between its first and last child; without, beside
    its first child, so a tall tree starts at its root (as an indented outline does)."""
    n = len(parents)
    if n == 0:
        return ()
    children: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(parents):
        if p is not None:
            if not 0 <= p < i:
                raise ValueError(f"node {i}: parent {p} must come before it in preorder")
            children[p].append(i)
        elif i:
            raise ValueError(f"node {i} has no parent; only the first node is the root")
    offset = [0.0] * n  # position relative to the parent
    contour: list[Contour | None] = [None] * n
    for v in range(n - 1, -1, -1):  # preorder reversed: children before their parent
        kids = children[v]
        if not kids:
            contour[v] = [(0.0, 0.0)]
            continue
        merged: Contour = list(contour[kids[0]] or [])
        placed = [0.0]
        for c in kids[1:]:
            theirs = contour[c] or []
            shift = max(
                merged[d][1] - theirs[d][0] + gap for d in range(min(len(merged), len(theirs)))
            )
            placed.append(shift)
            for d, (lo, hi) in enumerate(theirs):
                if d < len(merged):
                    merged[d] = (min(merged[d][0], lo + shift), max(merged[d][1], hi + shift))
                else:
                    merged.append((lo + shift, hi + shift))
            contour[c] = None  # free: each contour is read once
        _spread(placed, [not children[c] for c in kids])
        middle = (placed[0] + placed[-1]) / 2 if centre else placed[0]
        for c, at in zip(kids, placed, strict=True):
            offset[c] = at - middle
        contour[kids[0]] = None
        contour[v] = [(0.0, 0.0)] + [(lo - middle, hi - middle) for lo, hi in merged]
    position = [0.0] * n
    for v in range(1, n):
        position[v] = position[parents[v]] + offset[v]  # type: ignore[index]
    low = min(position)
    return tuple(round(p - low, 6) for p in position)


def _spread(placed: list[float], movable: list[bool]) -> None:
    """Spread runs of leaves evenly between the fixed siblings on either side of them."""
    i = 1
    while i < len(placed) - 1:
        if not movable[i]:
            i += 1
            continue
        j = i
        while j < len(placed) - 1 and movable[j]:
            j += 1
        left, right = placed[i - 1], placed[j]
        step = (right - left) / (j - i + 1)
        for k in range(i, j):
            placed[k] = max(placed[k], left + step * (k - i + 1))
        i = j + 1
