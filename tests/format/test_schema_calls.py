"""The JSON Schema states the keys of "Calls as they happen" as the loader reads them."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from ivraudit import MenuError, loads_menu
from ivraudit.format.schema import json_schema
from tests.format.common import WATER


def errors(doc: dict) -> list[str]:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]


def test_the_worked_example_passes_the_schema() -> None:
    assert errors(yaml.safe_load(WATER)) == []


def test_every_new_key_is_described() -> None:
    schema = json_schema()
    top = schema["properties"]
    for key in ("traffic", "queues", "costs"):
        assert top[key]["description"]
    defs = schema["$defs"]
    assert defs["traffic"]["required"] == ["calls_per_hour"]
    assert defs["traffic"]["properties"]["hours_per_month"]["default"] == 250
    assert defs["queue"]["required"] == ["agents", "handle_seconds"]
    assert defs["queue"]["properties"]["agents"]["type"] == "integer"
    assert "required" not in defs["costs"]
    resolves = defs["self_service"]["properties"]["resolves"]
    assert (resolves["minimum"], resolves["maximum"], resolves["default"]) == (0, 1, 1)
    assert "resolves" not in defs["agent"]["properties"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("resolves: 0.7", "resolves: 1.5"),
        ("calls_per_hour: 120", "calls_per_hour: 0"),
        ("hours_per_month: 200", "hours_per_month: 745"),
        ("agents: 6", "agents: 2.5"),
        ("agents: 6", "agents: 0"),
        ("agents: 6", "agents: '6'"),
        ("handle_seconds: 240", "handle_seconds: 0"),
        ("patience_seconds: 180", "patience_seconds: -1"),
        ("patience_seconds: 180", "patience: 180"),
        ("agent_hour: 30", "agent_hour: -1"),
        ("currency: USD", "currency: 12"),
        ("{calls_per_hour: 120, hours_per_month: 200}", "{hours_per_month: 200}"),
        ("queue: leaks, handles: [leak]", "queue: leaks, handles: [leak], resolves: 0.5"),
    ],
)
def test_what_the_loader_refuses_the_schema_refuses(old: str, new: str) -> None:
    assert old in WATER
    text = WATER.replace(old, new, 1)
    with pytest.raises(MenuError):
        loads_menu(text, "w.yaml")
    assert errors(yaml.safe_load(text))
