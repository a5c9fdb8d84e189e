"""The JSON Schema generated from the declared fields agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ivraudit.format.schema import json_schema
from tests.conftest import FIXTURES, ROOT

VALID = sorted((ROOT / "menus").glob("*.yaml")) + sorted(FIXTURES.glob("*.yaml"))


def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_menu_passes_the_schema(path: Path) -> None:
    errors = list(validator().iter_errors(yaml.safe_load(path.read_text())))
    assert errors == []


@pytest.mark.parametrize(
    "doc",
    [
        {"name": "x", "nodes": {"a": {"type": "hangup"}}},  # no version
        {"ivraudit": 2, "name": "x", "nodes": {"a": {"type": "hangup"}}},
        {"ivraudit": 1, "name": "x", "nodes": {"a": {"type": "agnet"}}},
        {"ivraudit": 1, "name": "x", "nodes": {"a": {"type": "agent", "options": []}}},
        {"ivraudit": 1, "name": "x", "nodes": {"a": {"options": [{"key": 10, "goto": "a"}]}}},
        {"ivraudit": 1, "name": "x", "nodes": {"a": {"type": "agent", "hold_seconds": -1}}},
        {"ivraudit": 1, "name": "x", "nodes": {"a": {"type": "agent", "hold_seconds": 86401}}},
        {
            "ivraudit": 1,
            "name": "x",
            "timing": {"speech_rate_wpm": 0},
            "nodes": {"a": {"type": "hangup"}},
        },
        {
            "ivraudit": 1,
            "name": "x",
            "timing": {"retries": 101},
            "nodes": {"a": {"type": "hangup"}},
        },
        {"ivraudit": 1, "name": "x", "intents": {"a": 1e16}, "nodes": {"a": {"type": "hangup"}}},
        {"ivraudit": 1, "name": "x", "nodes": {"bad id": {"type": "hangup"}}},
        {"ivraudit": 1, "name": "x", "nodse": {}},
    ],
)
def test_invalid_menus_fail_the_schema(doc: dict) -> None:
    assert list(validator().iter_errors(doc))


def test_committed_schema_is_up_to_date() -> None:
    committed = json.loads((ROOT / "docs" / "menu.schema.json").read_text())
    assert committed == json_schema(), "regenerate: ivraudit schema -o docs/menu.schema.json"
