"""Fuzz the command line with mutated example menus and hostile configs (Hypothesis).

Derandomized, so every run tries the same inputs; a few hundred of them, about half a
minute in all. `python -m tests.fuzz.run --seconds 600` runs the same mutations for as
long as you like.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.mutate import make_case
from tests.fuzz.run import run_case

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(rnd: random.Random, *, config: bool | None) -> None:
    case = make_case(rnd, config=config)
    with tempfile.TemporaryDirectory(prefix="ivraudit-fuzz-") as tmp:
        code, found, _, err = run_case(case, Path(tmp))
    assert not found, (
        f"ivraudit {' '.join(case.args)} {case.menu_name} -> exit {code}\n{err}\n"
        + "\n".join(found)
        + f"\n--- {case.menu_name}\n{case.menu.decode('utf-8', 'backslashreplace')}"
        + (
            f"\n--- {case.config_name}\n{case.config.decode('utf-8', 'backslashreplace')}"
            if case.config is not None
            else ""
        )
    )


@settings(FUZZ, max_examples=400)
@given(st.randoms(use_true_random=True))
def test_mutated_menus_never_crash_and_report_safely(rnd: random.Random) -> None:
    _check(rnd, config=False)


@settings(FUZZ, max_examples=200)
@given(st.randoms(use_true_random=True))
def test_hostile_configs_never_crash(rnd: random.Random) -> None:
    _check(rnd, config=True)
