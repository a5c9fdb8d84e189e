"""The best keypad menu for a call mix, as the suggest contract defines it.

Leaves are the menu's handlers (each with the intents it serves best, their summed share
and its own seconds); a tree offers 2 to k options per menu and option j costs j·s + r.
Up to EXACT_LEAVES leaves a dynamic programme over subsets of leaves finds the exact
optimum. Beyond, the heaviest EXACT_LEAVES - 1 leaves are placed exactly with the rest
bundled into one subtree built the same way, then leaves are re-sorted to the cheapest
places: a real tree, so an upper bound on the optimum (docs/suggestions.md).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any, TypeAlias

from ivraudit.analysis.timing import own_seconds
from ivraudit.format.model import Menu
from ivraudit.frozen import frozen

EXACT_LEAVES = 12
# "For a two-word label, press 3.": the contract's standard option length.
OPTION_WORDS = 6

# A tree over leaf indexes: an int is a leaf, a tuple is a menu of options in spoken order.
Tree: TypeAlias = "int | tuple[Tree, ...]"


@frozen
class Leaf:
    """One handler of the optimum: the intents it serves, their share and its own seconds."""

    handler: str
    intents: tuple[str, ...]
    weight: float
    seconds: float


@frozen
class Optimum:
    """The least expected seconds per resolvable call over keypad trees, and that tree."""

    max_options: int
    typical_call_seconds: float | None
    leaves: tuple[Leaf, ...]
    tree: Tree | None
    exact: bool

    def menu(self) -> list[Any]:
        """Return the tree as the contract writes it: a list of options in spoken order,
        each a list of intent ids (a leaf) or a nested menu; [] for a single handler."""
        if self.tree is None or isinstance(self.tree, int):
            return []
        return self._options(self.tree)

    def _options(self, node: tuple[Tree, ...]) -> list[Any]:
        return [
            list(self.leaves[c].intents) if isinstance(c, int) else self._options(c) for c in node
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's `optimum` object."""
        typical = self.typical_call_seconds
        return {
            "max_options": self.max_options,
            "typical_call_seconds": None if typical is None else round(typical, 2),
            "menu": self.menu(),
        }


def leaves_of(menu: Menu, intents: Collection[str] | None = None) -> tuple[Leaf, ...]:
    """Return the leaves of the optimum: each intent with a share at its fastest handler
    (only `intents`, when given)."""
    shares = menu.intent_shares
    if intents is not None:
        shares = {i: v for i, v in shares.items() if i in intents}
    handlers = [n for n in menu.nodes if n.type in ("agent", "self_service")]
    grouped: dict[str, list[str]] = {}
    for intent, share in shares.items():
        if share <= 0:
            continue
        serving = [n for n in handlers if intent in n.handles]
        if not serving:
            continue
        # The least own seconds; min keeps the first in file order on ties.
        best = min(serving, key=lambda n: own_seconds(n, menu.timing))
        grouped.setdefault(best.id, []).append(intent)
    order = {n.id: i for i, n in enumerate(menu.nodes)}
    return tuple(
        Leaf(h, tuple(ids), sum(shares[i] for i in ids), own_seconds(menu.node(h), menu.timing))
        for h, ids in sorted(grouped.items(), key=lambda kv: order[kv[0]])
    )


def optimum(menu: Menu, max_options: int = 5, intents: Collection[str] | None = None) -> Optimum:
    """Return the best keypad menu for the call mix of `menu`, or for only the callers
    with `intents` (to compare a menu with the best one for the calls it resolves)."""
    k = max(2, max_options)
    leaves = leaves_of(menu, intents)
    if not leaves:
        return Optimum(k, None, (), None, True)
    s = OPTION_WORDS * 60.0 / menu.timing.speech_rate_wpm
    r = menu.timing.response_seconds
    weights = [leaf.weight for leaf in leaves]
    cost, tree, exact = best_tree(weights, s, r, k)
    total = sum(weights)
    fixed = sum(leaf.weight * leaf.seconds for leaf in leaves)
    return Optimum(k, (cost + fixed) / total, leaves, tree, exact)


def best_tree(weights: Sequence[float], s: float, r: float, k: int) -> tuple[float, Tree, bool]:
    """Return the least Σ weight * (seconds of the options on its path), a tree reaching
    it, and whether it is exact (up to EXACT_LEAVES leaves)."""
    n = len(weights)
    if n == 1:
        return 0.0, 0, True
    if n <= EXACT_LEAVES:
        cost, tree = _exact(weights, s, r, k)
        return cost, tree, True
    tree = _settle(_bundled(weights, s, r, k, EXACT_LEAVES), weights, s, r)
    return tree_cost(tree, weights, s, r), tree, False


def _bundled(weights: Sequence[float], s: float, r: float, k: int, room: int) -> Tree:
    """Return a tree with the `room - 1` heaviest leaves placed exactly and the rest
    bundled into one subtree built the same way."""
    order = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    if len(order) <= room:
        return _relabel(_exact([weights[i] for i in order], s, r, k)[1], dict(enumerate(order)))
    head, tail = order[: room - 1], order[room - 1 :]
    sub = _bundled([weights[i] for i in tail], s, r, k, room)
    bundle = _relabel(sub, dict(enumerate(tail)))
    top = _exact([*(weights[i] for i in head), sum(weights[i] for i in tail)], s, r, k)[1]
    return _relabel(top, {**dict(enumerate(head)), len(head): bundle})  # type: ignore[dict-item]


def _exact(weights: Sequence[float], s: float, r: float, k: int) -> tuple[float, Tree]:
    """Subset programme: g[j][T] is the least cost of offering the leaves of T as options
    j, j+1, ... of one menu (each option a leaf or a submenu), cost[T] that of a menu."""
    n = len(weights)
    full = (1 << n) - 1
    price = [0.0] + [j * s + r for j in range(1, k + 1)]
    weight = [0.0] * (full + 1)
    for mask in range(1, full + 1):
        low = mask & -mask
        weight[mask] = weight[mask ^ low] + weights[low.bit_length() - 1]
    inf = math.inf
    cost = [0.0] * (full + 1)  # a single leaf costs nothing more
    # g[j][T] for j = 1..k+1; g[k+1][T] = inf unless T is empty.
    g = [[inf] * (full + 1) for _ in range(k + 2)]
    pick = [[0] * (full + 1) for _ in range(k + 2)]
    for j in range(1, k + 2):
        g[j][0] = 0.0
    for mask in range(1, full + 1):
        if mask & (mask - 1):  # two or more leaves: a menu, with at least two options
            best, arg = inf, 0
            sub = (mask - 1) & mask
            while sub:
                v = price[1] * weight[sub] + cost[sub] + g[2][mask ^ sub]
                if v < best:
                    best, arg = v, sub
                sub = (sub - 1) & mask
            cost[mask] = best
            pick[0][mask] = arg  # row 0 holds the first option of the menu of `mask`
        for j in range(k, 0, -1):
            gj, nxt, pj = g[j], g[j + 1], price[j]
            best, arg = inf, 0
            sub = mask
            while sub:
                v = pj * weight[sub] + cost[sub] + nxt[mask ^ sub]
                if v < best:
                    best, arg = v, sub
                sub = (sub - 1) & mask
            gj[mask] = best
            pick[j][mask] = arg

    def menu_of(mask: int) -> Tree:
        if not mask & (mask - 1):
            return mask.bit_length() - 1
        first = pick[0][mask]
        options = [menu_of(first)]
        rest, j = mask ^ first, 2
        while rest:
            sub = pick[j][rest]
            options.append(menu_of(sub))
            rest ^= sub
            j += 1
        return tuple(options)

    return cost[full], menu_of(full)


def _settle(tree: Tree, weights: Sequence[float], s: float, r: float) -> Tree:
    """Improve a tree without changing its shape: the heaviest leaves take the cheapest
    places and each menu reads its options heaviest first, until nothing moves."""
    for _ in range(len(weights)):
        slots: list[tuple[float, int]] = []
        _slots(tree, 0.0, s, r, slots)
        ranked = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
        places = sorted(range(len(slots)), key=lambda p: (slots[p][0], p))
        leaf_at = {slots[p][1]: ranked[n] for n, p in enumerate(places)}
        moved = _order(_relabel(tree, leaf_at), weights)
        if moved == tree:
            break
        tree = moved
    return tree


def _slots(tree: Tree, above: float, s: float, r: float, out: list[tuple[float, int]]) -> None:
    if isinstance(tree, int):
        out.append((above, tree))
        return
    for j, child in enumerate(tree, start=1):
        _slots(child, above + j * s + r, s, r, out)


def _relabel(tree: Tree, leaf_at: dict[int, Tree]) -> Tree:
    if isinstance(tree, int):
        return leaf_at[tree]
    return tuple(_relabel(c, leaf_at) for c in tree)


def _order(tree: Tree, weights: Sequence[float]) -> Tree:
    if isinstance(tree, int):
        return tree
    children = [_order(c, weights) for c in tree]
    return tuple(sorted(children, key=lambda c: -_weight(c, weights)))


def tree_cost(tree: Tree, weights: Sequence[float], s: float, r: float) -> float:
    """Return Σ weight * (seconds of the options on its path) of a tree."""
    if isinstance(tree, int):
        return 0.0
    total = 0.0
    for j, child in enumerate(tree, start=1):
        total += (j * s + r) * _weight(child, weights) + tree_cost(child, weights, s, r)
    return total


def _weight(tree: Tree, weights: Sequence[float]) -> float:
    if isinstance(tree, int):
        return weights[tree]
    return sum(_weight(c, weights) for c in tree)
