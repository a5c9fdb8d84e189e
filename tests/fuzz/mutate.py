"""Mutate example menus and configs into hostile ones, and judge what the CLI made of them.

Every choice comes from a `random.Random`, so the suite's Hypothesis test (which hands
out a Random it controls) and the long run (`tests/fuzz/run.py`, seeded) share it.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SEED_FILES = sorted((ROOT / "menus").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "menus").glob("*.yaml")
)

NUMBERS: list[Any] = [
    0,
    1,
    -1,
    2,
    0.5,
    3,
    7,
    100,
    1e-9,
    1e-320,
    5e-324,
    1e308,
    -1e308,
    1.7976931348623157e308,
    10**400,
    -(10**400),
    2**63,
    2**1000,
    0.999999,
    1.0000001,
    math.nan,
    math.inf,
    -math.inf,
]
TEXTS: list[str] = [
    "",
    " ",
    "x",
    "\n",
    "a\nb",
    "a\r\nb",
    "\t",
    "[/bold]",
    "[red]red[/red]",
    "[link=https://evil.example]click[/link]",
    "\x1b[31mRED\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b2J",
    "\u202eevil\u202c",
    "\u2028",
    "\x00",
    "\x7f",
    "# Heading\n![x](https://evil.example/x.png)",
    "@everyone",
    "<script>alert(1)</script>",
    "a | b",
    "::error::injected",
    "%0A%25",
    "ivraudit: 1",
    "# ivraudit: ignore[IVR101] because",
    "press 0 for an operator",
    "main",
    "desk",
    "0",
    "\U0001f695 taxi",
    "\ud800",
    "\udcff",
    "x" * 3000,
    "{{ jinja }}",
    "${HOME}",
    "'\"\\",
]
KEYS = ["0", "1", "2", "9", "*", "#", "10", "a", "", "\u0661"]  # the last: Arabic-Indic one
STRUCTURES: list[Any] = [None, True, False, [], {}, [1, 2], {"a": 1}, [[[]]], {"goto": "main"}]
FIELDS = [
    "ivraudit",
    "name",
    "entry",
    "timing",
    "intents",
    "nodes",
    "type",
    "prompt",
    "options",
    "key",
    "label",
    "say",
    "say_seconds",
    "goto",
    "next",
    "no_input",
    "no_match",
    "retries",
    "routes",
    "share",
    "when",
    "hold_seconds",
    "handles",
    "ignore",
    "queue",
    "collects",
    "barge_in",
    "speech_rate_wpm",
    "response_seconds",
    "timeout_seconds",
    "entry_seconds",
]
NODE_TYPES = ["menu", "message", "input", "branch", "agent", "self_service", "hangup", "x"]
RULES = ["IVR101", "IVR104", "IVR201", "IVR401", "max-depth", "dead-end", "IVR202", "IVR402"]
BAD_RULES = ["IVR999", "", "*", "\x1b[31m"]
CONFIG_KEYS = [
    "extends",
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "severity",
    "rules",
    "timing",
    "fail-on",
    "fail-under",
    "max-time-to-human",
    "selekt",
]


try:  # LibYAML: the pure-Python parser would take most of the fuzzer's time
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@functools.lru_cache(maxsize=1)
def seeds() -> tuple[tuple[str, str, Any], ...]:
    """Return the example menus as (file name, text, data)."""
    out = []
    for path in SEED_FILES:
        text = path.read_text(encoding="utf-8")
        out.append((path.name, text, yaml.load(text, Loader=_Loader)))
    return tuple(out)


def hostile_value(rnd: random.Random, depth: int = 0) -> Any:
    """Return a number, text, key, structure or small nested mix, as a fuzzer would."""
    kind = rnd.random()
    if kind < 0.35:
        return rnd.choice(NUMBERS)
    if kind < 0.7:
        return rnd.choice(TEXTS)
    if kind < 0.8:
        return rnd.choice(KEYS)
    if kind < 0.9 or depth > 2:
        return rnd.choice(STRUCTURES)
    if rnd.random() < 0.5:
        return [hostile_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    return {rnd.choice(FIELDS): hostile_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))}


def _like(old: Any, rnd: random.Random) -> Any:
    """Return a hostile value, mostly of the kind `old` is, so the menu often still loads."""
    if rnd.random() < 0.7:
        if isinstance(old, (int, float)) and not isinstance(old, bool):
            return rnd.choice(NUMBERS)
        if isinstance(old, str):
            return rnd.choice(TEXTS)
    return hostile_value(rnd)


def _containers(data: Any) -> list[Any]:
    """Return every dict and list in `data`, depth first."""
    out, todo = [], [data]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            out.append(item)
            todo.extend(item.values())
        elif isinstance(item, list):
            out.append(item)
            todo.extend(item)
    return out


def _ids(data: Any) -> list[str]:
    nodes = data.get("nodes") if isinstance(data, dict) else None
    return list(nodes) if isinstance(nodes, dict) else ["main"]


def mutate_data(data: Any, rnd: random.Random, steps: int) -> Any:
    """Apply `steps` structural changes to the parsed menu or config `data`, in place."""
    for _ in range(steps):
        places = _containers(data)
        if not places:
            return hostile_value(rnd)
        place = rnd.choice(places)
        op = rnd.random()
        if isinstance(place, dict):
            keys = list(place)
            schema_like = all(k in FIELDS for k in keys)  # not `nodes`, `intents`, `ignore`
            if keys and (op < 0.75 or (schema_like and op >= 0.9)):
                key = rnd.choice(keys)
                if key in ("goto", "next", "entry") and rnd.random() < 0.6:
                    place[key] = rnd.choice(_ids(data))  # a real id: loops, odd routes
                elif key in ("type",) and rnd.random() < 0.7:
                    place[key] = rnd.choice(NODE_TYPES)
                elif key == "key" and rnd.random() < 0.7:
                    place[key] = rnd.choice(KEYS)
                else:
                    place[key] = _like(place[key], rnd)
            elif keys and op < 0.82:
                del place[rnd.choice(keys)]
            elif op < 0.9:
                name = rnd.choice(FIELDS) if rnd.random() < 0.7 else rnd.choice(TEXTS)
                place[name] = hostile_value(rnd)
            elif keys:  # rename a node id or an intent
                old = rnd.choice(keys)
                place[rnd.choice(TEXTS + _ids(data))] = place.pop(old)
        elif isinstance(place, list):
            if place and op < 0.4:
                at = rnd.randrange(len(place))
                place[at] = _like(place[at], rnd)
            elif place and op < 0.6:
                del place[rnd.randrange(len(place))]
            elif place and op < 0.8:
                place.append(json.loads(json.dumps(rnd.choice(place), allow_nan=True)))
            else:
                place.insert(rnd.randint(0, len(place)), hostile_value(rnd))
    return data


def _yaml(data: Any) -> str:
    try:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    except UnicodeEncodeError:  # LibYAML cannot write a lone surrogate; PyYAML escapes it
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _json(data: Any, rnd: random.Random) -> str:
    return json.dumps(data, ensure_ascii=rnd.random() < 0.5, indent=rnd.choice([None, 2]))


def mutate_text(text: str, rnd: random.Random, steps: int) -> str:
    """Apply `steps` textual changes: lines dropped, doubled, swapped; tokens and bytes in."""
    for _ in range(steps):
        lines = text.split("\n")
        op = rnd.random()
        i = rnd.randrange(len(lines))
        if op < 0.15 and len(lines) > 1:
            del lines[i]
        elif op < 0.3:
            lines.insert(i, lines[rnd.randrange(len(lines))])
        elif op < 0.4:
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op < 0.65:
            at = rnd.randint(0, len(lines[i]))
            token = rnd.choice(
                [
                    str(rnd.choice(NUMBERS)),
                    rnd.choice(TEXTS),
                    rnd.choice(FIELDS) + ": ",
                    "9" * 400,
                    ": ",
                    "- ",
                    "{",
                    "}",
                    "[",
                    "]",
                    "&a ",
                    "*a",
                    "!!python/object:os.system",
                    "'",
                    '"',
                    "#",
                    "\t",
                    "  ",
                    ".nan",
                    ".inf",
                    "1.0e+308",
                    "<<: *a",
                ]
            )
            lines[i] = lines[i][:at] + token + lines[i][at:]
        elif op < 0.75:
            lines[i] = " " * rnd.randint(0, 8) + lines[i].lstrip()
        elif op < 0.85 and lines[i]:
            at = rnd.randrange(len(lines[i]))
            lines[i] = (
                lines[i][:at]
                + chr(rnd.choice([0, 7, 27, 0x85, 0x2028, 0xFEFF, 0x1F695, 0x41]))
                + lines[i][at + 1 :]
            )
        else:
            lines = lines[: rnd.randint(1, len(lines))]
        text = "\n".join(lines)
    return text


@dataclass(frozen=True)
class Case:
    """One input: a menu file and maybe a config beside it, and the command to run."""

    menu_name: str
    menu: bytes
    config_name: str | None
    config: bytes | None
    args: tuple[str, ...]  # the command and its options; the menu path is added after


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
            + "}"
        )
    return '""'  # None has no TOML form


def make_config(rnd: random.Random) -> tuple[str, bytes]:
    """Return a hostile config: a file name and its bytes."""
    from ivraudit.judge.rules import REGISTRY

    data: dict[str, Any] = {}
    keys = CONFIG_KEYS[:-1] if rnd.random() < 0.95 else CONFIG_KEYS  # the last is a typo
    for key in rnd.sample(keys, rnd.randint(1, 4)):
        if key == "extends":
            hostile = ["nope", "/dev/zero", "/etc/passwd", ".ivraudit.yaml", "../x.yaml", 1]
            data[key] = (
                rnd.choice(["default", "strict"]) if rnd.random() < 0.8 else rnd.choice(hostile)
            )
        elif key in ("select", "extend-select", "ignore"):
            pool = RULES if rnd.random() < 0.9 else BAD_RULES
            data[key] = [rnd.choice(pool) for _ in range(rnd.randint(0, 3))]
        elif key == "per-file-ignores":
            data[key] = {rnd.choice(["*.yaml", "**", "[", ""]): [rnd.choice(RULES)]}
        elif key == "severity":
            data[key] = {rnd.choice(RULES): rnd.choice(["error", "warning", "info", "fatal"])}
        elif key == "rules":
            rule = rnd.choice(list(REGISTRY.values()))
            options = dict(rule.options)
            if options:
                name = rnd.choice(list(options))
                options[name] = hostile_value(rnd) if rnd.random() < 0.7 else options[name]
            data[key] = {rule.id: {k: v for k, v in options.items() if rnd.random() < 0.6}}
        elif key == "timing":
            data[key] = {rnd.choice(FIELDS[-5:]): rnd.choice(NUMBERS)}
        elif key == "fail-on":
            data[key] = rnd.choice(["error", "warning", "info", "x", 1])
        else:
            data[key] = rnd.choice(NUMBERS)
    if rnd.random() < 0.3:
        data = mutate_data(data, rnd, rnd.randint(1, 3))
    if rnd.random() < 0.35:
        body = "[tool.ivraudit]\n" + "".join(
            f"{json.dumps(str(k))} = {_toml_value(v)}\n"
            for k, v in (data.items() if isinstance(data, dict) else [])
        )
        if rnd.random() < 0.2:
            body = mutate_text(body, rnd, 1)
        return "pyproject.toml", body.encode("utf-8", "surrogatepass")
    text = _yaml(data)
    if rnd.random() < 0.2:
        text = mutate_text(text, rnd, 1)
    return ".ivraudit.yaml", text.encode("utf-8", "surrogatepass")


COMMANDS: list[tuple[str, ...]] = [
    ("score", "--format", "text", "--width", "80"),
    ("score", "--format", "json"),
    ("check", "--format", "text"),
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("check", "--format", "junit"),
    ("check", "--format", "github"),
    ("check", "--format", "markdown"),
]


def make_case(rnd: random.Random, *, config: bool | None = None) -> Case:
    """Return a mutated example menu (and maybe a hostile config) and a command to run."""
    name, text, data = rnd.choice(seeds())
    as_json = rnd.random() < 0.3
    if rnd.random() < 0.85:
        # Mostly one or two changes: a menu that still loads reaches the solver and reports.
        steps = rnd.choice([1, 1, 1, 2, 2, 3, 5])
        data = mutate_data(copy.deepcopy(data), rnd, steps)
        text = _json(data, rnd) if as_json else _yaml(data)
    elif as_json:
        text = _json(data, rnd)
    if rnd.random() < 0.15:
        text = mutate_text(text, rnd, rnd.randint(1, 3))
    data_bytes = text.encode("utf-8", "surrogatepass")
    if rnd.random() < 0.03:
        at = rnd.randint(0, len(data_bytes))
        data_bytes = (
            data_bytes[:at] + bytes([rnd.choice([0x80, 0xFF, 0xC3, 0x00])]) + data_bytes[at:]
        )
    with_config = rnd.random() < 0.2 if config is None else config
    config_name, config_bytes = make_config(rnd) if with_config else (None, None)
    menu_name = Path(name).stem + (".json" if as_json else ".yaml")
    return Case(menu_name, data_bytes, config_name, config_bytes, rnd.choice(COMMANDS))


# -- judging a run -------------------------------------------------------------------

LOCATED = re.compile(r"^.+:\d+:\d+: error: .+$")
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
TEXT_NAN = re.compile(r"(?i)(?<![A-Za-z])(nan|-?inf(inity)?)(\s?s\b|%|/100)")


# `check` skips a named file that is not a menu (pre-commit names every YAML file) and
# says so once: a note, not an error.
SKIPPED_NOTE = re.compile(r"^note: skipped \d+ named file\(s\) that are not menus$")


def problems(args: tuple[str, ...], exit_code: int, stdout: str, stderr: str) -> list[str]:
    """Return what is wrong with a run: a crash, a bad exit code, unsafe or invalid output."""
    found = []
    if args and args[0] == "check":
        stderr = "\n".join(line for line in stderr.splitlines() if not SKIPPED_NOTE.match(line))
    if exit_code not in (0, 1, 2):
        found.append(f"exit code {exit_code}")
    if "Traceback" in stdout or "Traceback" in stderr:
        found.append("a traceback")
    for line in stderr.splitlines():
        if "internal error" in line:
            found.append("internal error: " + line.split("internal error", 1)[1][:160])
        elif not LOCATED.match(line):
            found.append(f"stderr line not located: {line[:160]!r}")
    if exit_code == 2 and not stderr.strip():
        found.append("exit 2 without a message")
    if exit_code in (0, 1) and stderr.strip():
        found.append("a message on stderr but no exit 2")
    if RAW_CONTROL.search(stdout) or RAW_CONTROL.search(stderr):
        bad = (RAW_CONTROL.search(stdout) or RAW_CONTROL.search(stderr)).group()  # type: ignore[union-attr]
        found.append(f"raw control character {bad!r} in the output")
    fmt = args[args.index("--format") + 1] if "--format" in args else "text"
    if stdout:
        if fmt in ("json", "sarif"):
            try:
                json.loads(stdout, parse_constant=_no_constant)
            except ValueError as exc:
                found.append(f"invalid JSON: {str(exc)[:120]}")
        elif fmt == "junit":
            try:
                ET.fromstring(stdout)
            except ET.ParseError as exc:
                found.append(f"invalid XML: {exc}")
        elif TEXT_NAN.search(stdout):
            found.append(f"NaN or infinity in the report: {TEXT_NAN.search(stdout).group()!r}")  # type: ignore[union-attr]
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} in JSON")
