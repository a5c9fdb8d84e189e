"""IVR104: the exemption for a person among the first two options, and the message."""

from __future__ import annotations

from tests.rules.common import findings


def _menu(options: str) -> str:
    return f"""\
ivraudit: 1
name: Zero
nodes:
  main:
    prompt: "Acme."
    options: {options}
  hours: {{type: self_service, prompt: "We open at nine."}}
  desk: {{type: agent}}
"""


def test_a_person_as_third_option_is_not_early_enough() -> None:
    text = _menu(
        "[{key: 1, label: hours, goto: hours}, {key: 2, label: hours, goto: hours},"
        " {key: 3, label: a person, goto: desk}]"
    )
    (finding,) = findings(text, "IVR104")
    assert finding.node == "main"
    assert finding.message == (
        "menu 'main' offers no key 0, and neither of its first two options (keys 1 and 2) "
        "reaches a person"
    )


def test_a_person_as_second_option_is_exempt() -> None:
    text = _menu("[{key: 1, label: hours, goto: hours}, {key: 2, label: a person, goto: desk}]")
    assert findings(text, "IVR104") == []


def test_spoken_order_counts_not_key_order() -> None:
    # Key 1 is the person but it is spoken third.
    text = _menu(
        "[{key: 2, label: hours, goto: hours}, {key: 3, label: hours, goto: hours},"
        " {key: 1, label: a person, goto: desk}]"
    )
    assert len(findings(text, "IVR104")) == 1


def test_a_single_option_menu() -> None:
    (finding,) = findings(_menu("[{key: 1, label: hours, goto: hours}]"), "IVR104")
    assert finding.message == (
        "menu 'main' offers no key 0, and its only option (key 1) does not reach a person"
    )


def test_silence_to_a_person_does_not_replace_key_0() -> None:
    text = _menu("[{key: 1, label: hours, goto: hours}]").replace(
        '    prompt: "Acme."', '    prompt: "Acme."\n    no_input: {retries: 0, goto: desk}'
    )
    assert len(findings(text, "IVR104")) == 1
