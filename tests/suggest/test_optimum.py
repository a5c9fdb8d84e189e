"""The optimum: the contract's worked example, and the exact programme against brute force."""

from __future__ import annotations

import functools
import itertools
import math
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from ivraudit import loads_menu
from ivraudit.suggest import optimum as opt

TAXI = """
ivraudit: 1
name: City Cabs
intents: {taxi_now: 0.8, book_later: 0.2}
nodes:
  main:
    prompt: "City Cabs."
    options:
      - {key: 1, label: a taxi now, goto: dispatch}
      - {key: 2, label: booking for later, goto: desk}
  dispatch:
    type: self_service
    prompt: "A taxi is on its way to you and will arrive in minutes."
    handles: [taxi_now]
  desk: {type: agent, hold_seconds: 20, handles: [book_later, taxi_now]}
"""


def test_worked_example_of_the_contract() -> None:
    menu = loads_menu(textwrap.dedent(TAXI))
    best = opt.optimum(menu, 5)
    assert [leaf.intents for leaf in best.leaves] == [("taxi_now",), ("book_later",)]
    assert math.isclose(best.typical_call_seconds or 0, 12.04)
    assert best.to_dict() == {
        "max_options": 5,
        "typical_call_seconds": 12.04,
        "menu": [["taxi_now"], ["book_later"]],
    }


def test_one_handler_is_no_menu_and_no_handler_is_null() -> None:
    one = TAXI.replace("handles: [taxi_now]", "handles: []").replace(
        "hold_seconds: 20", "hold_seconds: 7"
    )
    best = opt.optimum(loads_menu(textwrap.dedent(one)), 5)
    assert best.menu() == [] and math.isclose(best.typical_call_seconds or 0, 7.0)
    none = one.replace("handles: [book_later, taxi_now]", "handles: []")
    assert (
        opt.optimum(loads_menu(textwrap.dedent(none)), 5).to_dict()["typical_call_seconds"] is None
    )


def brute_force(weights: list[float], s: float, r: float, k: int) -> float:
    """Every tree: each set of leaves split every way into 2..k ordered options."""

    @functools.cache  # the same subset recurs under many trees; its best is one number
    def best(leaves: frozenset[int]) -> float:
        if len(leaves) == 1:
            return 0.0
        found = math.inf
        for blocks in set_partitions(sorted(leaves)):
            if not 2 <= len(blocks) <= k:
                continue
            for order in itertools.permutations(blocks):
                cost = sum(
                    (j * s + r) * sum(weights[i] for i in b) + best(frozenset(b))
                    for j, b in enumerate(order, start=1)
                )
                found = min(found, cost)
        return found

    return best(frozenset(range(len(weights))))


def set_partitions(items: list[int]) -> list[list[list[int]]]:
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for part in set_partitions(rest):
        out.append([[first], *part])
        for i in range(len(part)):
            out.append([*part[:i], [first, *part[i]], *part[i + 1 :]])
    return out


def leaves_and_shape(tree: opt.Tree, k: int) -> list[int]:
    if isinstance(tree, int):
        return [tree]
    assert 2 <= len(tree) <= k
    return [leaf for child in tree for leaf in leaves_and_shape(child, k)]


weights_st = st.lists(st.integers(1, 100).map(lambda x: x / 100), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(weights_st, st.integers(2, 4), st.sampled_from([1.2, 2.4, 3.0]), st.sampled_from([0.5, 1.0]))
def test_exact_equals_brute_force(weights: list[float], k: int, s: float, r: float) -> None:
    cost, tree, exact = opt.best_tree(weights, s, r, k)
    assert exact
    assert math.isclose(cost, brute_force(weights, s, r, k), abs_tol=1e-9)
    assert sorted(leaves_and_shape(tree, k)) == list(range(len(weights)))
    assert math.isclose(opt.tree_cost(tree, weights, s, r), cost, abs_tol=1e-9)


@st.composite
def small_menus(draw: st.DrawFn) -> str:
    """A menu with up to five intents served by up to four handlers."""
    n = draw(st.integers(1, 5))
    shares = [draw(st.integers(0, 9)) for _ in range(n)]
    handlers = draw(st.integers(1, 4))
    lines = ["ivraudit: 1", "name: random", "intents:"]
    lines += [f"  i{i}: {shares[i]}" for i in range(n)]
    lines += ["nodes:", "  main:", "    options:"]
    lines += [f"      - {{key: {h + 1}, goto: h{h}}}" for h in range(handlers)]
    for h in range(handlers):
        handles = [f"i{i}" for i in range(n) if draw(st.booleans())]
        if draw(st.booleans()):
            hold = draw(st.integers(0, 300))
            lines.append(
                f"  h{h}: {{type: agent, hold_seconds: {hold}, handles: [{', '.join(handles)}]}}"
            )
        else:
            words = " ".join(["word"] * draw(st.integers(1, 30)))
            served = ", ".join(handles)
            lines.append(f"  h{h}: {{type: self_service, prompt: '{words}', handles: [{served}]}}")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(small_menus(), st.integers(2, 5))
def test_optimum_of_random_menus_equals_brute_force(text: str, k: int) -> None:
    menu = loads_menu(text)
    best = opt.optimum(menu, k)
    leaves = best.leaves
    if not leaves:
        assert best.typical_call_seconds is None
        return
    s = 6 * 60 / menu.timing.speech_rate_wpm
    total = sum(leaf.weight for leaf in leaves)
    fixed = sum(leaf.weight * leaf.seconds for leaf in leaves)
    want = (brute_force([leaf.weight for leaf in leaves], s, 1.0, k) + fixed) / total
    assert math.isclose(best.typical_call_seconds or 0, want, abs_tol=1e-9)
    # Every intent with a share and a handler is in exactly one leaf.
    served = [i for leaf in leaves for i in leaf.intents]
    assert len(served) == len(set(served))


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(1, 100).map(lambda x: x / 100), min_size=5, max_size=8))
def test_beyond_the_exact_limit_a_real_tree_no_better_than_exact(weights: list[float]) -> None:
    tree = opt._settle(opt._bundled(weights, 2.4, 1.0, 3, 4), weights, 2.4, 1.0)
    assert sorted(leaves_and_shape(tree, 3)) == list(range(len(weights)))
    exact, _, _ = opt.best_tree(weights, 2.4, 1.0, 3)
    assert opt.tree_cost(tree, weights, 2.4, 1.0) >= exact - 1e-9


def test_thirteen_handlers_use_the_bundled_tree() -> None:
    weights = [1 / (i + 1) for i in range(13)]
    cost, tree, exact = opt.best_tree(weights, 2.4, 1.0, 5)
    assert not exact
    assert sorted(leaves_and_shape(tree, 5)) == list(range(13))
    assert math.isclose(opt.tree_cost(tree, weights, 2.4, 1.0), cost)


def test_the_ratio_compares_the_calls_the_menu_resolves_with_their_own_optimum() -> None:
    from ivraudit.format.loader import load_menu
    from ivraudit.suggest import suggest_menu
    from tests.conftest import ROOT

    for path in sorted((ROOT / "menus").glob("*.yaml")):
        result = suggest_menu(load_menu(path))
        assert result.optimum_ratio is not None and result.optimum_ratio >= 1, path.name
        assert result.combined_ratio is not None and result.combined_ratio >= 1, path.name
    council = suggest_menu(load_menu(ROOT / "menus" / "council_services.yaml"))
    assert council.before.resolved_share < 1
    resolved = council.optimum_resolved
    assert resolved is not None
    assert {i for leaf in resolved.leaves for i in leaf.intents} == {
        i for i, s in council.before.intent_seconds if s is not None
    }
