"""IVR403: which of two inputs of the same datum is the repeat, on routes and in loops."""

from __future__ import annotations

from tests.rules.common import findings


def test_the_message_names_the_earlier_input_and_the_datum() -> None:
    text = """\
ivraudit: 1
name: T
nodes:
  first: {type: input, prompt: "Account?", collects: account, next: second}
  second: {type: input, prompt: "Account again?", collects: account, next: desk}
  desk: {type: agent}
"""
    (got,) = findings(text, "IVR403")
    assert got.node == "second"
    assert got.message == (
        "'second' asks again for account, which the caller already keyed in at 'first' "
        "on the way here"
    )


def test_in_a_loop_the_input_reached_with_more_presses_is_the_repeat() -> None:
    # 'late' is written first but needs two presses; 'early' needs one.
    text = """\
ivraudit: 1
name: T
nodes:
  main:
    options:
      - {key: 1, label: payments, goto: early}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  late: {type: input, prompt: "Reference?", collects: ref, next: main}
  early: {type: input, prompt: "Reference?", collects: ref, next: pick}
  pick:
    options:
      - {key: 1, label: statements, goto: late}
      - {key: 0, label: a person, goto: desk}
    no_input: {goto: desk}
    no_match: {goto: desk}
  desk: {type: agent}
"""
    assert [f.node for f in findings(text, "IVR403")] == ["late"]


def test_different_data_and_separate_routes_are_not_repeats() -> None:
    text = """\
ivraudit: 1
name: T
nodes:
  main:
    options:
      - {key: 1, label: payments, goto: a}
      - {key: 2, label: statements, goto: b}
  a: {type: input, prompt: "Reference?", collects: ref, next: c}
  b: {type: input, prompt: "Reference?", collects: ref, next: desk}
  c: {type: input, prompt: "Date of birth?", collects: dob, next: desk}
  desk: {type: agent}
"""
    assert findings(text, "IVR403") == []


def test_many_inputs_of_one_datum() -> None:
    # 2,000 inputs of one datum in a chain (its speed is measured in benchmarks/, not here).
    n = 2000
    chain = "".join(
        f"  i{k}: {{type: input, prompt: x, collects: ref, next: i{k + 1}}}\n" for k in range(n)
    )
    text = f"ivraudit: 1\nname: T\nnodes:\n{chain}  i{n}: {{type: agent}}\n"
    got = findings(text, "IVR403")
    assert len(got) == n - 1
    assert all("at 'i0'" in f.message for f in got)
