"""The menu format declared once, field by field: the loader validates with it and the
JSON Schema is generated from it."""

from __future__ import annotations

from functools import cache
from typing import Any

from ivraudit.format import numbers
from ivraudit.format.model import NODE_TYPES, PHONE_KEYS
from ivraudit.frozen import frozen

FORMAT_VERSION = 1
ID_PATTERN = r"^[A-Za-z0-9_.-]+$"
# A time of day on a 24-hour clock: "8:00", "08:00", "23:30".
CLOCK_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"

# Field kinds: how a value is checked (loader) and described (JSON Schema).
TEXT = "text"
NUMBER = "number"  # finite, within the field's range (seconds by default)
COUNT = "count"  # integer, within the field's range (retries by default)
BOOL = "bool"
KEY = "key"
TARGET = "target"  # a node id, or a node written inline
IDS = "ids"  # a list of intent ids
VERSION = "version"
OBJECT = "object"  # a nested mapping with its own fields
LIST = "list"  # a list of nested mappings
INTENTS = "intents"
QUEUES = "queues"  # queue id -> its staffing
NODES = "nodes"
NODE_TYPE = "node_type"
IGNORE = "ignore"  # rule id or alias -> the reason it does not apply here
NUMBERS = "numbers"  # a list of NUMBERs, one per hour of the day (bounds: of each)
COUNTS = "counts"  # a list of COUNTs, one per hour of the day (bounds: of each)
CLOCK = "clock"  # a time of day, "HH:MM"
SPREAD = "spread"  # a mean NUMBER (exponential), or {mean, cv} (log-normal)


@frozen
class Field:
    """One key of a mapping in a menu file."""

    name: str
    kind: str
    doc: str
    required: bool = False
    default: Any = None
    item: str | None = None  # for OBJECT and LIST: the name of the nested spec
    bounds: numbers.Range | None = None  # for NUMBER and COUNT; see `bounds_of`


TIMING = (
    Field("speech_rate_wpm", NUMBER, "Words spoken per minute.", default=150, bounds=numbers.RATE),
    Field("response_seconds", NUMBER, "Seconds a caller takes to press a key.", default=1.0),
    Field("timeout_seconds", NUMBER, "Seconds of silence before no-input.", default=5),
    Field("retries", COUNT, "Repeats of a menu before no-input/no-match gives up.", default=2),
    Field("entry_seconds", NUMBER, "Seconds a caller takes to type an input.", default=6),
)

TRAFFIC = (
    Field(
        "calls_per_hour",
        NUMBER,
        "Calls arriving in the audited hour (> 0).",
        required=True,
        bounds=numbers.CALLS_PER_HOUR,
    ),
    Field(
        "hours_per_month",
        NUMBER,
        "How many hours like the audited one a month has (> 0).",
        default=250,
        bounds=numbers.HOURS_PER_MONTH,
    ),
    Field(
        "profile",
        NUMBERS,
        "The day: calls arriving in each hour the line is open, in order (each >= 0), for "
        "`simulate`; `score` audits `calls_per_hour`.",
        bounds=numbers.HOUR_CALLS,
    ),
    Field(
        "opens_at",
        CLOCK,
        'The time of day the first hour of `profile` starts ("08:00"); needs `profile`.',
    ),
    Field(
        "retry",
        OBJECT,
        "Callers who hang up waiting and call again: what share, after how long.",
        item="retry",
    ),
)

RETRY = (
    Field(
        "share",
        NUMBER,
        "Share (0-1) of the callers who hang up in a queue who call again.",
        required=True,
        bounds=numbers.PROBABILITY,
    ),
    Field(
        "after_seconds",
        NUMBER,
        "Mean seconds before they call again (> 0; exponential).",
        required=True,
        bounds=numbers.RETRY_DELAY,
    ),
)

SPREAD_FIELDS = (
    Field(
        "mean", NUMBER, "The mean, in seconds (> 0).", required=True, bounds=numbers.QUEUE_SECONDS
    ),
    Field(
        "cv",
        NUMBER,
        "The coefficient of variation (standard deviation / mean, > 0): log-normal.",
        required=True,
        bounds=numbers.CV,
    ),
)

QUEUE = (
    Field(
        "agents",
        COUNT,
        "People answering this queue at once (a whole number, at least 1).",
        required=True,
        bounds=numbers.AGENTS,
    ),
    Field(
        "handle_seconds",
        SPREAD,
        "Mean seconds an agent spends on one call (> 0), exponential; or {mean, cv}: "
        "log-normal with that mean and coefficient of variation.",
        required=True,
        bounds=numbers.QUEUE_SECONDS,
    ),
    Field(
        "patience_seconds",
        SPREAD,
        "Mean seconds a caller holds before hanging up (> 0), exponential, or {mean, cv}: "
        "log-normal; absent: nobody hangs up.",
        bounds=numbers.QUEUE_SECONDS,
    ),
    Field(
        "schedule",
        COUNTS,
        "Agents in each hour of `traffic.profile` (whole numbers >= 0, as many as its "
        "hours), for `simulate`; `score` audits `agents`.",
        bounds=numbers.HOUR_AGENTS,
    ),
)

COSTS = (
    Field(
        "agent_hour",
        NUMBER,
        "What an hour of one agent costs (>= 0).",
        default=0,
        bounds=numbers.MONEY,
    ),
    Field(
        "line_minute",
        NUMBER,
        "What a minute of an open line costs (>= 0): menus, holds and talk.",
        default=0,
        bounds=numbers.MONEY,
    ),
    Field("currency", TEXT, "The currency of both, as reports show it (e.g. USD, €).", default=""),
)

TOP = (
    Field("ivraudit", VERSION, "Format version: the integer 1.", required=True),
    Field("name", TEXT, "What the line is, e.g. 'City Cabs booking line'.", required=True),
    Field("description", TEXT, "Free text about the menu (an ivraudit extension)."),
    Field("entry", TARGET, "Id of the node a call starts at; default: the first node."),
    Field("timing", OBJECT, "Caller-side timing assumptions.", item="timing"),
    Field("intents", INTENTS, "Intent id -> share of calls (>= 0); normalised to sum to 1."),
    Field("traffic", OBJECT, "The hour being audited: how many calls arrive.", item="traffic"),
    Field(
        "queues",
        QUEUES,
        "Queue id -> its staffing; an agent node whose `queue` is listed is staffed. "
        "Every listed queue must be named by an agent node.",
    ),
    Field("costs", OBJECT, "What agents and the line cost.", item="costs"),
    Field("nodes", NODES, "Node id -> node.", required=True),
)

OPTION = (
    Field("key", KEY, "The key: 0-9, '*' or '#' (quote * and # in YAML).", required=True),
    Field("label", TEXT, "Short name of the option."),
    Field("say", TEXT, "Words spoken; default 'For {label}, press {key}.'"),
    Field("say_seconds", NUMBER, "Seconds the option takes to say; replaces the word estimate."),
    Field("goto", TARGET, "Node the option leads to (an id, or a node written inline).", True),
    Field(
        "intents", IDS, "Intents of the callers who choose this option, as its label tells them."
    ),
)

HANDLER = (
    Field("retries", COUNT, "Repeats before giving up; default timing.retries."),
    Field("goto", TARGET, "Node the call goes to after the last repeat.", required=True),
)

ROUTE = (
    Field("when", TEXT, "The condition, in words (e.g. 'caller ID known')."),
    Field(
        "share",
        NUMBER,
        "Share of calls taking this route; normalised.",
        required=True,
        bounds=numbers.SHARE,
    ),
    Field("goto", TARGET, "Node the route leads to.", required=True),
)

_TYPE = Field("type", NODE_TYPE, "Node type; default 'menu'.", default="menu")
_PROMPT = Field("prompt", TEXT, "Words spoken.")
_PROMPT_SECONDS = Field(
    "prompt_seconds", NUMBER, "Seconds the prompt takes; replaces the estimate."
)
_NEXT = Field("next", TARGET, "Node the call goes to next.", required=True)
_HANDLES = Field("handles", IDS, "Intents this node resolves.")
_IGNORE = Field(
    "ignore", IGNORE, "Rules that do not apply to this node: rule id or alias -> the reason."
)

NODE_FIELDS: dict[str, tuple[Field, ...]] = {
    "menu": (
        _TYPE,
        Field("prompt", TEXT, "Words spoken before the options (may be empty)."),
        _PROMPT_SECONDS,
        Field("options", LIST, "Options in spoken order.", required=True, item="option"),
        Field("no_input", OBJECT, "What happens on silence.", item="handler"),
        Field("no_match", OBJECT, "What happens on an invalid key.", item="handler"),
        Field("barge_in", BOOL, "A key may be pressed while options are spoken.", default=True),
    ),
    "message": (_TYPE, _PROMPT, _PROMPT_SECONDS, _NEXT),
    "input": (
        _TYPE,
        _PROMPT,
        _PROMPT_SECONDS,
        Field("collects", TEXT, "Name of the datum typed in, e.g. account_number."),
        _NEXT,
    ),
    "branch": (
        _TYPE,
        Field("routes", LIST, "How the system routes the call.", required=True, item="route"),
    ),
    "agent": (
        _TYPE,
        Field("queue", TEXT, "Name of the queue of people."),
        Field("hold_seconds", NUMBER, "Expected wait for a person.", default=0),
        _HANDLES,
    ),
    "callback": (
        _TYPE,
        Field("prompt", TEXT, "The offer, in words."),
        _PROMPT_SECONDS,
        Field(
            "queue",
            TEXT,
            "The listed queue (under `queues`) whose agents call back.",
            required=True,
        ),
        Field(
            "takes",
            NUMBER,
            "Share (0-1) of the callers who accept and hang up; they are called back.",
            default=1,
            bounds=numbers.PROBABILITY,
        ),
        Field("next", TARGET, "Node those who decline go to (often the queue's agent).", True),
    ),
    "self_service": (
        _TYPE,
        _PROMPT,
        _PROMPT_SECONDS,
        _HANDLES,
        Field(
            "resolves",
            NUMBER,
            "Share (0-1) of the callers it handles whose request it resolves; the others go "
            "on to `next`, or end the call unresolved without it.",
            default=1,
            bounds=numbers.PROBABILITY,
        ),
        Field("next", TARGET, "Node the call goes to afterwards, if any."),
    ),
    "hangup": (_TYPE, Field("prompt", TEXT, "Words spoken before the call ends."), _PROMPT_SECONDS),
}

_KEEP = Field(
    "keep",
    BOOL,
    "The prompt must stay as written (legal or regulatory text): suggestions never cut it.",
    default=False,
)
NODE_FIELDS = {
    kind: (*fields, *((_KEEP,) if any(f.name == "prompt" for f in fields) else ()), _IGNORE)
    for kind, fields in NODE_FIELDS.items()
}

NODE_DOCS: dict[str, str] = {
    "menu": "Hears the prompt, then the options one by one, and presses a key.",
    "message": "Hears an announcement, then goes on.",
    "input": "Types something in, such as an account number.",
    "branch": "Nothing: the system routes the call by share (caller ID, business hours).",
    "agent": "A person answers after the hold.",
    "self_service": "The system resolves the request.",
    "callback": "Is offered a call back from a queue: those who take it hang up and are "
    "called back; the others go on.",
    "hangup": "The call ends.",
}

SPECS: dict[str, tuple[Field, ...]] = {
    "top": TOP,
    "timing": TIMING,
    "option": OPTION,
    "handler": HANDLER,
    "route": ROUTE,
    "traffic": TRAFFIC,
    "queue": QUEUE,
    "costs": COSTS,
    "retry": RETRY,
    "spread": SPREAD_FIELDS,
}

# Inline nodes get ids derived from where they are written; these keys name no digit.
KEY_SLUGS = {"*": "star", "#": "hash"}


def bounds_of(f: Field) -> numbers.Range:
    """Return the range a NUMBER or COUNT field accepts: seconds and retries by default."""
    if f.bounds is not None:
        return f.bounds
    return numbers.RETRIES if f.kind in (COUNT, COUNTS) else numbers.SECONDS


@cache
def names(spec: tuple[Field, ...]) -> frozenset[str]:
    """Return the key names a spec accepts (computed once per spec)."""
    return frozenset(f.name for f in spec)


@cache
def all_node_field_names() -> frozenset[str]:
    """Return every field name any node type accepts."""
    return frozenset(f.name for fields in NODE_FIELDS.values() for f in fields)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a version-1 menu file."""
    defs: dict[str, Any] = {
        "text": {"type": "string"},
        "id": {"type": "string", "pattern": ID_PATTERN},
        "target": {
            "description": "A node id, or a node written inline (its id is derived).",
            "oneOf": [{"$ref": "#/$defs/id"}, {"$ref": "#/$defs/node"}],
        },
        "timing": _object_schema(TIMING, "Caller-side timing assumptions."),
        "option": _object_schema(OPTION, "One option of a menu."),
        "handler": _object_schema(HANDLER, "What a menu does on no-input or no-match."),
        "route": _object_schema(ROUTE, "One route of a branch."),
        "traffic": _object_schema(TRAFFIC, "The hour being audited."),
        "queue": _object_schema(QUEUE, "The staffing of one queue of agents."),
        "costs": _object_schema(COSTS, "What agents and the line cost, in one currency."),
        "retry": _object_schema(RETRY, "Callers who hang up waiting and call again."),
    }
    # A node without `type` is a menu; otherwise `type` picks the definition to check.
    variants: list[dict[str, Any]] = [
        {"if": {"not": {"required": ["type"]}}, "then": {"$ref": "#/$defs/menu"}}
    ]
    for node_type, fields in NODE_FIELDS.items():
        schema = _object_schema(fields, NODE_DOCS[node_type])
        schema["properties"]["type"] = {**schema["properties"]["type"], "const": node_type}
        defs[node_type] = schema
        variants.append(
            {
                "if": {"required": ["type"], "properties": {"type": {"const": node_type}}},
                "then": {"$ref": f"#/$defs/{node_type}"},
            }
        )
    defs["node"] = {
        "type": "object",
        "properties": {"type": {"enum": list(NODE_TYPES)}},
        "allOf": variants,
    }
    top = _object_schema(TOP, "An ivraudit menu file, format version 1.")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ivraudit.invalid/schema/menu-v1.json",
        "title": "ivraudit menu",
        **top,
        "$defs": defs,
    }


def _object_schema(fields: tuple[Field, ...], doc: str) -> dict[str, Any]:
    props = {f.name: _field_schema(f) for f in fields}
    schema: dict[str, Any] = {
        "type": "object",
        "description": doc,
        "additionalProperties": False,
        "properties": props,
    }
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


def _field_schema(f: Field) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        TEXT: {"type": "string"},
        NUMBER: _range_schema("number", bounds_of(f)),
        COUNT: _range_schema("integer", bounds_of(f)),
        BOOL: {"type": "boolean"},
        KEY: {
            "oneOf": [
                {"type": "string", "enum": list(PHONE_KEYS)},
                {"type": "integer", "minimum": 0, "maximum": 9},
            ]
        },
        TARGET: {"$ref": "#/$defs/target"},
        IDS: {"type": "array", "items": {"type": "string"}},
        VERSION: {"const": FORMAT_VERSION},
        INTENTS: {
            "type": "object",
            "additionalProperties": _range_schema("number", numbers.SHARE),
        },
        QUEUES: {
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/queue"},
        },
        NODES: {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": {"$ref": "#/$defs/node"},
        },
        NODE_TYPE: {"enum": list(NODE_TYPES)},
        CLOCK: {"type": "string", "pattern": CLOCK_PATTERN},
        IGNORE: {
            "type": "object",
            "additionalProperties": {"type": "string", "minLength": 1},
        },
    }
    if f.kind == OBJECT:
        schema: dict[str, Any] = {"$ref": f"#/$defs/{f.item}"}
    elif f.kind in (NUMBERS, COUNTS):
        item = _range_schema("number" if f.kind == NUMBERS else "integer", bounds_of(f))
        schema = {
            "type": "array",
            "minItems": 1,
            "maxItems": numbers.MAX_PROFILE_HOURS,
            "items": item,
        }
    elif f.kind == SPREAD:
        spread = _object_schema(SPREAD_FIELDS, "A log-normal time: its mean and cv.")
        schema = {"oneOf": [_range_schema("number", bounds_of(f)), spread]}
    elif f.kind == LIST:
        schema = {"type": "array", "minItems": 1, "items": {"$ref": f"#/$defs/{f.item}"}}
    else:
        schema = dict(kinds[f.kind])
    out: dict[str, Any] = {"description": f.doc, **schema}
    if f.default is not None:
        out["default"] = f.default
    return out


def _range_schema(kind: str, bounds: numbers.Range) -> dict[str, Any]:
    low = "exclusiveMinimum" if bounds.above_low else "minimum"
    return {"type": kind, low: _plain(bounds.low), "maximum": _plain(bounds.high)}


def _plain(value: float) -> float | int:
    return int(value) if value == int(value) else value
