"""The `calls` figures (format 0.3, "Calls as they happen") against a brute-force reading:
step 1 by trying every policy, step 2 as an explicit Markov chain, and each queue as a
birth-death chain summed state by state (tests/analysis/brute_lines.py)."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import assume, given, settings

from ivraudit import audit_menu, loads_menu
from ivraudit.cli import main
from tests.analysis.brute_lines import calls, documents, text_of

BRUTE = settings(max_examples=250, deadline=None, derandomize=True, database=None)
TOLERANCE = 1e-6


def _compare(got: Any, want: Any, where: str) -> list[str]:
    """Return where `got` and `want` differ (numbers within TOLERANCE, relative for big)."""
    if isinstance(want, dict):
        if not isinstance(got, dict) or set(got) != set(want):
            return [
                f"{where}: keys {sorted(got) if isinstance(got, dict) else got!r} != {sorted(want)}"
            ]
        return [d for k in want for d in _compare(got[k], want[k], f"{where}.{k}")]
    if want is None or got is None or isinstance(want, bool):
        return [] if got == want else [f"{where}: {got!r} != {want!r}"]
    if math.isclose(got, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
        return []
    return [f"{where}: {got!r} != {want!r}"]


def _library(text: str) -> dict[str, Any] | None:
    """Return the library's `calls`, unrounded, in the contract's shape."""
    found = audit_menu(loads_menu(text, "m.yaml")).metrics.calls
    if found is None:
        return None
    out: dict[str, Any] = {
        "resolved_share": found.resolved_share,
        "abandon_share": found.abandon_share,
        "seconds": found.seconds,
        "intents": {
            i.intent: {
                "resolved_share": i.resolved_share,
                "seconds": i.seconds,
                "seconds_resolved": i.seconds_resolved,
            }
            for i in found.intents
        }
        if found.declared
        else {},
        "queues": {
            q.queue: {
                "calls_per_hour": q.figures.calls_per_hour,
                "agents": q.figures.agents,
                "load": q.figures.load,
                "answer_seconds": q.figures.answer_seconds,
                "wait_seconds": q.figures.wait_seconds,
                "abandon_share": q.figures.abandon_share,
                "agents_needed": q.figures.agents_needed,
            }
            for q in found.queues
        },
    }
    if found.month is not None:
        m = found.month
        out["month"] = {
            "calls": m.calls,
            "caller_hours": m.caller_hours,
            "agent_hours": m.agent_hours,
            "staffed_agent_hours": m.staffed_agent_hours,
            "cost": m.cost,
        }
    return out


def _clear_of_edges(want: dict[str, Any] | None) -> bool:
    """Return whether no queue sits on a knife edge (a load of exactly an integer, where
    floating point decides overloaded or not)."""
    if want is None:
        return True
    for q in want["queues"].values():
        load = q["load"] * q["agents"]
        if abs(load - round(load)) < 1e-9 and load > 0:
            return False
    return True


def _check(doc: dict) -> None:
    text = text_of(doc)
    want = calls(doc)
    assume(_clear_of_edges(want))
    got = _library(text)
    differences = _compare(got, want, "calls")
    assert not differences, "\n".join([*differences, text])


@BRUTE
@given(documents(labels=False))
def test_calls_agree_with_brute_force_every_choice_open(doc: dict) -> None:
    _check(doc)


@BRUTE
@given(documents())
def test_calls_agree_with_brute_force_with_labelled_options(doc: dict) -> None:
    _check(doc)


@BRUTE
@given(documents(intents=False))
def test_calls_of_the_one_class_a_person_agree_with_brute_force(doc: dict) -> None:
    _check(doc)


def test_a_self_service_that_never_resolves_round_a_loop(tmp_path: Path) -> None:
    # Step 1 takes the self-service to resolve (5 s); on the line as it is, every call
    # goes on to `next` and back round for ever: nothing resolved, and no end to the time
    # (as for an overloaded queue, null), reported rather than refused.
    path = tmp_path / "loop.yaml"
    path.write_text(
        "ivraudit: 1\nname: Loop\nintents: {x: 1}\nnodes:\n"
        "  m:\n    prompt_seconds: 1\n    options:\n"
        "      - {key: 1, say_seconds: 1, goto: ss}\n"
        "  ss: {type: self_service, prompt_seconds: 2, handles: [x], resolves: 0, next: m}\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["metrics"]["intent_seconds"] == {"x": 5.0}
    x = report["calls"]["intents"]["x"]
    assert x == {"resolved_share": 0.0, "seconds": None, "seconds_resolved": None}
    assert report["calls"]["seconds"] is None


def _json_close(got: Any, want: Any, where: str) -> list[str]:
    """Return where the CLI's rounded JSON and the reference differ beyond the rounding
    (0.02 s, 0.002 for shares, 0.02 for the month's figures)."""
    if isinstance(want, dict):
        missing = [f"{where}.{k}: missing" for k in want if k not in got]
        return missing + [
            d for k in want if k in got for d in _json_close(got[k], want[k], f"{where}.{k}")
        ]
    if want is None or got is None or isinstance(want, bool):
        return [] if got == want else [f"{where}: {got!r} != {want!r}"]
    share = where.endswith(("share", "load"))
    return [] if abs(got - want) <= (0.002 if share else 0.02) else [f"{where}: {got} != {want}"]


@settings(BRUTE, max_examples=60)
@given(documents())
def test_the_json_report_carries_the_same_calls(doc: dict) -> None:
    want = calls(doc)
    assume(_clear_of_edges(want))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(text_of(doc), encoding="utf-8")
        out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    report = json.loads(out.output)
    if want is None:
        assert "calls" not in report
        return
    differences = _json_close(report["calls"], want, "calls")
    assert not differences, "\n".join([*differences, text_of(doc)])
