"""The tidy tree layout: levels never overlap, parents sit over their children."""

from __future__ import annotations

import itertools
import random

import pytest

from ivraudit.report.tidy import tidy_layout


def _levels(parents: list[int | None]) -> list[int]:
    level: list[int] = []
    for p in parents:
        level.append(0 if p is None else level[p] + 1)
    return level


def _random_tree(rng: random.Random, n: int) -> list[int | None]:
    """A random tree in preorder: each node's parent is on the path to the last node."""
    parents: list[int | None] = [None]
    path = [0]
    for i in range(1, n):
        del path[rng.randint(1, len(path)) :]
        parents.append(path[-1])
        path.append(i)
    return parents


def _check(
    parents: list[int | None], ys: tuple[float, ...], gap: float = 1.0, centre: bool = True
) -> None:
    levels = _levels(parents)
    assert min(ys) == 0
    by_level: dict[int, list[int]] = {}
    for i, lv in enumerate(levels):
        by_level.setdefault(lv, []).append(i)
    for nodes in by_level.values():
        # Preorder keeps each level in left-to-right order; neighbours are a gap apart.
        for a, b in itertools.pairwise(nodes):
            assert ys[b] - ys[a] >= gap - 1e-9, (a, b, ys)
    for v in range(len(parents)):
        kids = [i for i, p in enumerate(parents) if p == v]
        if kids:
            want = (ys[kids[0]] + ys[kids[-1]]) / 2 if centre else ys[kids[0]]
            assert ys[v] == pytest.approx(want)


def test_a_chain_is_a_straight_line() -> None:
    assert tidy_layout([None, 0, 1, 2]) == (0, 0, 0, 0)


def test_leaves_are_one_gap_apart_and_the_parent_centred() -> None:
    assert tidy_layout([None, 0, 0, 0, 0]) == (1.5, 0, 1, 2, 3)


def test_subtrees_pack_by_contour_and_a_leaf_between_them_is_spread() -> None:
    # root: [a: 3 leaves], leaf, [b: 3 leaves]; the middle leaf sits halfway between a and b.
    ys = tidy_layout([None, 0, 1, 1, 1, 0, 0, 6, 6, 6])
    assert ys == (2.5, 1, 0, 1, 2, 2.5, 4, 3, 4, 5)


def test_small_subtrees_tuck_under_a_wide_one_at_shallower_levels() -> None:
    # a has a deep wide grandchild level; b is a leaf, so b may sit next to a.
    parents: list[int | None] = [None, 0, 1, 2, 2, 2, 2, 0]
    ys = tidy_layout(parents)
    _check(parents, ys)
    assert ys[7] - ys[1] == 1  # only level 1 constrains b


@pytest.mark.parametrize("seed", range(30))
def test_random_trees_never_overlap(seed: int) -> None:
    rng = random.Random(seed)
    parents = _random_tree(rng, rng.randint(1, 80))
    _check(parents, tidy_layout(parents))


def test_layout_is_deterministic_and_mirror_free() -> None:
    parents = _random_tree(random.Random(7), 60)
    assert tidy_layout(parents) == tidy_layout(list(parents))


def test_a_parent_after_its_child_is_refused() -> None:
    with pytest.raises(ValueError, match="preorder"):
        tidy_layout([None, 2, 0])
    with pytest.raises(ValueError, match="root"):
        tidy_layout([None, None])
    assert tidy_layout([]) == ()


def test_deep_trees_need_no_recursion() -> None:
    parents: list[int | None] = [None, *range(1500)]
    assert set(tidy_layout(parents)) == {0}


@pytest.mark.parametrize("seed", range(10))
def test_uncentred_parents_sit_beside_their_first_child(seed: int) -> None:
    rng = random.Random(seed)
    parents = _random_tree(rng, rng.randint(2, 80))
    ys = tidy_layout(parents, centre=False)
    _check(parents, ys, centre=False)
    assert ys[0] == 0  # the root starts the drawing
