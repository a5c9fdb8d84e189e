"""Step 1's tie rule (format 0.3, "Calls as they happen"): of several choices of equal
least value the caller takes the first, options in spoken order, then `no_input`; and
step 2 then meets the queue on that route only. Worked by hand, read through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivraudit.cli import main

# One agent answering in 50 s on average, 36 calls an hour: λ = 0.01/s, μ = 0.02/s, a
# load of 0.5; Erlang C with one agent waits P(wait) / (μ - λ) = 0.5 / 0.01 = 50 s.
HEAD = """\
ivraudit: 1
name: Tie
traffic: {calls_per_hour: 36}
queues:
  q: {agents: 1, handle_seconds: 50}
nodes:
"""
DESKS = """\
  first: {type: agent, queue: q, hold_seconds: 10}
  second: {type: agent, hold_seconds: 10}
"""


def calls(tmp_path: Path, nodes: str) -> dict:
    path = tmp_path / "tie.yaml"
    path.write_text(HEAD + nodes + DESKS, encoding="utf-8")
    out = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)["calls"]


@pytest.mark.parametrize(
    ("first", "second", "seconds", "queued"),
    [
        ("first", "second", 51.0, 36.0),  # 1 s for key 1, then the queue's 50 s
        ("second", "first", 11.0, 0.0),  # 1 s for key 1, then the 10 s hold
    ],
)
def test_of_two_options_of_equal_value_the_first_spoken(
    tmp_path: Path, first: str, second: str, seconds: float, queued: float
) -> None:
    # Both keys cost 0 + 0 + 1 = 1 s and lead to a 10 s hold: a tie.
    got = calls(
        tmp_path,
        "  m:\n    prompt_seconds: 0\n    options:\n"
        f"      - {{key: 1, say_seconds: 0, goto: {first}}}\n"
        f"      - {{key: 2, say_seconds: 0, goto: {second}}}\n",
    )
    assert got["seconds"] == pytest.approx(seconds, abs=0.005)
    assert got["queues"]["q"]["calls_per_hour"] == pytest.approx(queued, abs=0.005)
    assert got["resolved_share"] == 1.0


@pytest.mark.parametrize(
    ("intro", "seconds", "queued"),
    [
        (4, 15.0, 0.0),  # a tie (1 + 4 + 10 against 5 + 10): the option, before silence
        (5, 55.0, 36.0),  # silence is quicker (5 + 10 against 16): the queue, 5 + 50 s
    ],
)
def test_an_option_comes_before_silence_of_equal_value(
    tmp_path: Path, intro: int, seconds: float, queued: float
) -> None:
    got = calls(
        tmp_path,
        "  m:\n    prompt_seconds: 0\n    options:\n"
        "      - {key: 1, say_seconds: 0, goto: intro}\n"
        "    no_input: {retries: 0, goto: first}\n"
        f"  intro: {{type: message, prompt_seconds: {intro}, next: second}}\n",
    )
    assert got["seconds"] == pytest.approx(seconds, abs=0.005)
    assert got["queues"]["q"]["calls_per_hour"] == pytest.approx(queued, abs=0.005)
