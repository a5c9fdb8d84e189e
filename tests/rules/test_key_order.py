"""IVR206: which keys count as digits, and what one finding per menu says."""

from __future__ import annotations

from tests.rules.common import findings

HEAD = """\
ivraudit: 1
name: Keys
nodes:
"""
TAIL = """\
  deeper: {options: [{key: 1, goto: desk}, {key: 2, goto: desk}]}
  back: {type: message, prompt: "Back to the start.", next: main}
  desk: {type: agent}
"""


def _menu(*keys: tuple[str, str]) -> str:
    options = ", ".join(f'{{key: "{k}", goto: {goto}}}' for k, goto in keys)
    return f"{HEAD}  main: {{options: [{options}]}}\n{TAIL}"


def test_a_nine_back_through_a_message_is_a_control_key() -> None:
    text = _menu(("1", "desk"), ("2", "deeper"), ("0", "desk"), ("9", "back"))
    assert findings(text, "IVR206") == []


def test_a_nine_that_goes_deeper_is_a_digit_out_of_order_and_a_gap() -> None:
    text = _menu(("1", "desk"), ("2", "deeper"), ("0", "desk"), ("9", "deeper"))
    [f] = findings(text, "IVR206")
    assert f.message.startswith("'main' reads key 9 after key 0, and skips keys 3, 4, 5")


def test_a_nine_that_goes_deeper_after_the_digits_is_only_a_gap() -> None:
    text = _menu(("1", "desk"), ("2", "desk"), ("9", "deeper"))
    [f] = findings(text, "IVR206")
    assert "skips keys 3, 4, 5, 6, 7 and 8 (it offers 1, 2, 9)" in f.message


def test_duplicate_keys_are_left_to_ivr204() -> None:
    assert findings(_menu(("1", "desk"), ("1", "deeper"), ("2", "desk")), "IVR206") == []


def test_one_finding_per_menu_at_the_first_key_out_of_order() -> None:
    [f] = findings(_menu(("3", "desk"), ("2", "deeper"), ("1", "desk")), "IVR206")
    assert "reads key 2 after key 3" in f.message


def test_numbering_must_start_at_one() -> None:
    [f] = findings(_menu(("2", "desk"), ("3", "deeper")), "IVR206")
    assert "skips key 1 (it offers 2, 3)" in f.message


def test_control_keys_alone_have_no_order() -> None:
    assert findings(_menu(("#", "desk"), ("*", "main"), ("0", "desk")), "IVR206") == []
