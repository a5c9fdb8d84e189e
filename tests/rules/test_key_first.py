"""IVR301: which wordings are key-first, and the function-first wording it suggests."""

from __future__ import annotations

import pytest

from tests.rules.common import findings


def _one_option(say: str) -> str:
    return (
        "ivraudit: 1\nname: T\nnodes:\n  main:\n    options:\n"
        f'      - {{key: 2, say: "{say}", goto: desk}}\n  desk: {{type: agent}}\n'
    )


@pytest.mark.parametrize(
    ("say", "suggestion"),
    [
        ("Press 2 for billing.", "For billing, press 2"),
        ("Please press 2 to pay a bill.", "To pay a bill, press 2"),
        ("Dial two if you are moving home.", "If you are moving home, press two"),
        ("Press the star key to go back.", "To go back, press star"),
        ("Press 2 now, for billing.", None),
    ],
)
def test_key_first_wording_and_suggestion(say: str, suggestion: str | None) -> None:
    (got,) = findings(_one_option(say), "IVR301")
    assert got.message.startswith(
        f"option 2 of 'main' names the key before its function (\"{say}\")"
    )
    if suggestion:
        assert got.message.endswith(f'; say "{suggestion}" instead')
    else:
        assert "; say" not in got.message


@pytest.mark.parametrize(
    "say",
    [
        "For billing, press 2.",
        "Press 2.",
        "Express delivery, press 2.",
        "Pressing 2 is for billing.",
        "To hear this again, press star.",
    ],
)
def test_function_first_or_bare_wording_passes(say: str) -> None:
    assert findings(_one_option(say), "IVR301") == []
