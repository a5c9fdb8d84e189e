"""Configuration: which rules run, how strict they are, and the CI gate's thresholds.

Looked up as `--config FILE`, else the nearest `.ivraudit.yaml` or `pyproject.toml`
with a `[tool.ivraudit]` table, searching upward from the menu; else the defaults.
"""

from __future__ import annotations

import contextlib
import fnmatch
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from ivraudit.analysis.queues import ABANDON_SHARE_TARGET, ANSWER_SECONDS_TARGET, Targets
from ivraudit.format import numbers, schema
from ivraudit.format.errors import MenuError
from ivraudit.format.files import read_file, shown
from ivraudit.format.model import Timing
from ivraudit.frozen import frozen
from ivraudit.judge.findings import Severity

CONFIG_NAMES = (".ivraudit.yaml", ".ivraudit.yml", "pyproject.toml")
# A config is a few kilobytes; the cap keeps /dev/zero or a huge file from filling memory.
MAX_CONFIG_BYTES = 1024 * 1024
PRESETS = ("default", "strict")
_KEYS = (
    "extends",
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "severity",
    "rules",
    "timing",
    "import",
    "fail-on",
    "fail-under",
    "max-time-to-human",
    "min-resolved-share",
    "max-typical-call",
    "answer-target",
    "abandon-target",
    "report",
)
REPORT_KEYS = ("title", "client", "logo", "accent", "footer", "date")
# The default gate over all callers, where a menu has `calls` (issue 18): a line that
# resolves under 80% of its calls, or whose typical call (hold included) passes
# 5 minutes, fails, as a tidy menu in front of a 9-minute hold should.
MIN_RESOLVED_SHARE = 0.8
MAX_TYPICAL_CALL = 300.0


@frozen
class Config:
    """Settings for one audit; rule ids are canonical (aliases resolved on load)."""

    select: frozenset[str] | None = None  # None: every rule
    extend_select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    timing: Mapping[str, float] = field(default_factory=dict)
    # The `import:` table: what platform exports do not say (docs/importers.md).
    imports: Mapping[str, Any] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    fail_under: float | None = 50.0  # the default gate fails a poor score
    max_time_to_human: float | None = None
    # Judged where the menu has `calls`; None turns one off (`null` in a config).
    min_resolved_share: float | None = MIN_RESOLVED_SHARE
    max_typical_call: float | None = MAX_TYPICAL_CALL
    # The service level a staffed queue's `agents_needed` aims at (format 0.3 defaults).
    answer_target: float = ANSWER_SECONDS_TARGET
    abandon_target: float = ABANDON_SHARE_TARGET
    source: str | None = None  # the file it came from, for messages
    # Branding of HTML reports (`report:`): title, client, logo (a path), accent, footer,
    # and the date a printed report's cover gives.
    report: Mapping[str, str] = field(default_factory=dict)
    # Where each `report:` setting was written (file, line, column): the logo is read only
    # when a report is made, and a logo that cannot be read is blamed on its setting then.
    report_at: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)

    def targets(self) -> Targets:
        """Return the service level `agents_needed` aims at."""
        return Targets(self.answer_target, self.abandon_target)

    def base_timing(self) -> Timing:
        """Return the timing defaults for menus that do not set their own."""
        return replace(Timing(), **self.timing)

    def enabled(self, rule_ids: list[str], menu_file: str) -> list[str]:
        """Return the rules that run on `menu_file`, in catalogue order."""
        chosen = set(rule_ids if self.select is None else self.select) | self.extend_select
        chosen -= self.ignore
        for pattern, ids in self.per_file_ignores:
            if _matches(menu_file, pattern, self.folder):
                chosen -= ids
        return [r for r in rule_ids if r in chosen]

    @property
    def folder(self) -> Path | None:
        """Return the folder of the config file, against which patterns are matched."""
        if self.source is None or self.source.startswith("<"):
            return None
        return Path(self.source).resolve().parent


def _matches(path: str, pattern: str, folder: Path | None = None) -> bool:
    """Return whether a menu path matches a per-file-ignores pattern.

    Patterns are relative to the config file's folder, so they mean the same wherever
    ivraudit is run from; a pattern also matches the end of the path as written."""
    candidates = [path.replace("\\", "/")]
    if folder is not None:
        with contextlib.suppress(ValueError):
            candidates.append(Path(path).resolve().relative_to(folder).as_posix())
    return any(
        fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, f"*/{pattern}") for p in candidates
    )


def find_config(start: Path) -> Path | None:
    """Return the nearest config file at or above `start`, or None."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder.resolve(), *folder.resolve().parents]:
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
                return path
    return None


def _toml() -> Any:
    """Return the TOML parser module."""
    # Imported here: only a pyproject.toml needs it, and it costs ~2 ms of every start-up.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def _has_tool_table(path: Path) -> bool:
    """Return whether a pyproject.toml configures ivraudit, or may and cannot be read:
    then loading it reports why, instead of the gate passing on the defaults."""
    try:
        raw = read_file(path, MAX_CONFIG_BYTES, what="config")
    except MenuError:
        return True
    try:
        data = _toml().loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):  # TOMLDecodeError is a ValueError
        return b"ivraudit" in raw  # a broken file that does not name us is not ours
    # `tool = 1` makes the file no valid pyproject (PEP 518: `tool` is a table): loading
    # it says so, rather than the gate passing on the defaults.
    tool = data.get("tool")
    return "tool" in data and (not isinstance(tool, dict) or "ivraudit" in tool)


def load_config(path: str | Path | None) -> Config:
    """Return the configuration in the file at `path` (None: the built-in defaults)."""
    if path is None:
        return _preset("default", seen=())
    if not _config_name(Path(path)):
        # Never read a file that is no config: its first line would be echoed in an
        # error, and `--config /etc/shadow` must not show what is in /etc/shadow.
        raise MenuError(
            shown(path), 1, 1, "not a config file: use a .yaml or .yml file, or pyproject.toml"
        )
    return _load_file(Path(path), seen=())


def _preset(name: str, seen: tuple[str, ...]) -> Config:
    text = resources.files("ivraudit.presets").joinpath(f"{name}.yaml").read_text("utf-8")
    return _from_yaml(text, f"<preset {name}>", Path("."), seen)


def _load_file(path: Path, seen: tuple[str, ...]) -> Config:
    source = shown(path)
    raw = read_file(path, MAX_CONFIG_BYTES, source, what="config")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise MenuError(
            source, line, column, "invalid UTF-8: a config must be UTF-8 text"
        ) from None
    if path.name == "pyproject.toml":
        return _from_toml(text, source, path.parent, (*seen, source))
    return _from_yaml(text, source, path.parent, (*seen, source))


def _config_name(path: Path) -> bool:
    """Return whether `path` is named as a config file can be: *.yaml, *.yml, pyproject.toml."""
    return path.name == "pyproject.toml" or path.suffix.lower() in (".yaml", ".yml")


_LONG_NUMBER = re.compile(r"[0-9_]{1000,}")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def _from_toml(text: str, source: str, folder: Path, seen: tuple[str, ...]) -> Config:
    """Return the config in the `[tool.ivraudit]` table of a pyproject.toml (none: defaults)."""
    tomllib = _toml()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_AT.search(message)
        line, col = (int(found[1]), int(found[2])) if found else (text.count("\n") + 1, 1)
        message = _TOML_AT.sub("", message).replace(" (at end of document)", "")
        raise MenuError(source, line, col, f"invalid TOML: {message}") from None
    except ValueError:
        # tomllib refuses integers longer than Python's digit limit with a bare
        # ValueError: point at the first such number.
        found = _LONG_NUMBER.search(text)
        at = found.start() if found else len(text)
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise MenuError(source, line, col, "a number too long to be a setting") from None
    where = _toml_locator(text, source)
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise MenuError(
            *where("tool"),
            f"not a valid pyproject.toml: 'tool' must be a table, not {_toml_kind(tool)}",
        )
    data = tool.get("ivraudit", {})
    if not isinstance(data, dict):
        raise MenuError(
            *where("tool", "ivraudit"),
            f"[tool.ivraudit] must be a table of settings, not {_toml_kind(data)}",
        )
    return _build(data, where, folder, seen)


def _toml_kind(value: Any) -> str:
    """Return what a TOML value is, in words, for a message."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


def _from_yaml(text: str, source: str, folder: Path, seen: tuple[str, ...]) -> Config:
    from ivraudit.format.yamltree import YNode, parse

    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return _build({}, lambda *path: (source, 1, 1), folder, seen)
    root = parse(text, source)
    if root.kind != "map":
        raise MenuError(source, root.line, root.column, "a config file must be a mapping")

    def plain(y: YNode) -> Any:
        if y.kind == "map":
            return {k: plain(v) for k, (_, v) in y.items.items()}
        if y.kind == "seq":
            return [plain(v) for v in y.value]
        return y.value

    def where(*path: str) -> tuple[str, int, int]:
        """Return the position of the deepest key (or list item) of `path` written."""
        at, node = root, root
        for step in path:
            if at.kind == "map":
                found = at.items.get(step) or at.items.get(step.replace("-", "_"))
                if found is None:
                    break
                node, at = found
            elif at.kind == "seq":
                item = next((y for y in at.value if y.kind == "scalar" and y.raw == step), None)
                if item is None:
                    break
                node = at = item
            else:
                break
        return source, node.line, node.column

    return _build(plain(root), where, folder, seen)


def _toml_locator(text: str, source: str):  # type: ignore[no-untyped-def]
    # TOML ends lines at LF (or CR LF) only, as tomllib counts them: splitlines() would
    # also split at a U+2028 inside a comment and number the lines after it wrongly.
    lines = text.split("\n")

    def where(*path: str) -> tuple[str, int, int]:
        """Return the first line that names the deepest key of `path` (TOML keeps no marks)."""
        for key in reversed(path):
            for number, line in enumerate(lines, start=1):
                stripped = line.lstrip()
                if stripped.startswith((key, f'"{key}"', f"[tool.ivraudit.{key}")):
                    return source, number, len(line) - len(stripped) + 1
                column = line.find(f'"{key}"')
                if column < 0:
                    column = line.find(f"'{key}'")
                if column >= 0 and len(path) > 1:
                    return source, number, column + 1
        return source, 1, 1

    return where


def _build(data: Any, where: Any, folder: Path, seen: tuple[str, ...]) -> Config:
    """Return the Config that `data` describes, over the preset or file it extends."""
    from ivraudit.judge.rules import REGISTRY, rule_id

    def fail(key: str | tuple[str, ...], message: str) -> MenuError:
        from ivraudit.format.yamltree import visible  # keys are quoted: show control characters

        return MenuError(*where(*((key,) if isinstance(key, str) else key)), visible(message))

    if not isinstance(data, dict):
        raise fail("", "a config must be a mapping")
    data = {k.replace("_", "-"): v for k, v in data.items()}
    for key in data:
        if key not in _KEYS:
            import difflib

            close = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (keys: {', '.join(_KEYS)})"
            raise fail(key, f"unknown config key '{key}'{hint}")

    base = Config()
    if "extends" in data:
        parent = data["extends"]
        if not isinstance(parent, str):
            raise fail("extends", "'extends' names a preset (default, strict) or a file")
        if parent in PRESETS:
            base = _preset(parent, seen)
        else:
            if "\0" in parent or not _config_name(folder / parent):
                raise fail(
                    "extends",
                    f"'extends' names a preset (default, strict) or a "
                    f"config file (.yaml, .yml, pyproject.toml), not '{parent}'",
                )
            try:
                target = (folder / parent).resolve()
            except (OSError, RuntimeError) as exc:  # a link loop, an unreadable folder
                raise fail("extends", f"cannot find '{parent}': {exc}") from None
            if str(target) in seen:
                raise fail("extends", f"config extends itself through {parent}")
            base = _load_file(target, seen)

    def ids(key: str) -> frozenset[str]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, f"'{key}' must be a list of rule ids or aliases")
        out = set()
        for v in value:
            try:
                out.add(rule_id(v))
            except KeyError as exc:
                raise fail((key, v), exc.args[0]) from None
        return frozenset(out)

    def rule_map(key: str) -> list[tuple[str, str, Any]]:
        """Return (id, name as written, setting) for each rule the section names."""
        value = data[key]
        if not isinstance(value, dict):
            raise fail(key, f"'{key}' must map rule ids or aliases to settings")
        out = []
        for name, setting in value.items():
            try:
                out.append((rule_id(str(name)), str(name), setting))
            except KeyError as exc:
                raise fail((key, str(name)), exc.args[0]) from None
        return out

    changes: dict[str, Any] = {"source": seen[-1] if seen else base.source}
    if "select" in data:
        changes["select"] = ids("select")
    if "extend-select" in data:
        changes["extend_select"] = base.extend_select | ids("extend-select")
    if "ignore" in data:
        changes["ignore"] = base.ignore | ids("ignore")
    if "per-file-ignores" in data:
        value = data["per-file-ignores"]
        if not isinstance(value, dict):
            raise fail("per-file-ignores", "'per-file-ignores' maps a file pattern to rule ids")
        pairs = []
        for pattern, rules in value.items():
            where_ = ("per-file-ignores", str(pattern))
            if not isinstance(rules, list):
                raise fail(where_, f"'{pattern}' must list rule ids")
            ids_ = set()
            for r in rules:
                try:
                    ids_.add(rule_id(str(r)))
                except KeyError as exc:
                    raise fail((*where_, str(r)), exc.args[0]) from None
            pairs.append((str(pattern), frozenset(ids_)))
        changes["per_file_ignores"] = base.per_file_ignores + tuple(pairs)
    if "severity" in data:
        severity = dict(base.severity)
        for rid, written, level in rule_map("severity"):
            if level not in ("error", "warning", "info"):
                raise fail(
                    ("severity", written), f"severity of {rid} must be error, warning or info"
                )
            severity[rid] = Severity(level)
        changes["severity"] = severity
    if "rules" in data:
        options = {k: dict(v) for k, v in base.options.items()}
        for rid, written, settings in rule_map("rules"):
            if not isinstance(settings, dict):
                raise fail(
                    ("rules", written), f"settings of {rid} must be a mapping of option to value"
                )
            defaults = REGISTRY[rid].options
            for name, value in settings.items():
                at = ("rules", written, str(name))
                if name not in defaults:
                    known = ", ".join(defaults) or "none"
                    raise fail(at, f"{rid} has no option '{name}' (options: {known})")
                if not _same_kind(defaults[name], value):
                    raise fail(at, f"{rid} option '{name}' must be like {defaults[name]!r}")
                problem = _option_problem(defaults[name], value)
                if problem:
                    raise fail(at, f"{rid} option '{name}' {problem}")
            options[rid] = {**options.get(rid, {}), **settings}
            rule = REGISTRY[rid]
            problem = rule.validate({**rule.options, **options[rid]}) if rule.validate else None
            if problem:
                raise fail(("rules", written), f"{rid} option {problem}")
        changes["options"] = options
    if "timing" in data:
        value = data["timing"]
        specs = {f.name: f for f in schema.TIMING}
        if not isinstance(value, dict):
            raise fail("timing", f"'timing' sets some of: {', '.join(sorted(specs))}")
        for name, number in value.items():
            if name not in specs:
                raise fail(("timing", name), f"'timing' sets some of: {', '.join(sorted(specs))}")
            problem = schema.bounds_of(specs[name]).problem(number)
            if problem:
                raise fail(("timing", name), f"timing '{name}' {problem}")
        changes["timing"] = {**base.timing, **value}
    if "import" in data:
        changes["imports"] = {**base.imports, **_import_table(data["import"], fail)}
    if "fail-on" in data:
        if data["fail-on"] not in ("error", "warning", "info"):
            raise fail("fail-on", "'fail-on' must be error, warning or info")
        changes["fail_on"] = Severity(data["fail-on"])
    for key, attr, bounds in (
        ("fail-under", "fail_under", numbers.SCORE),
        ("max-time-to-human", "max_time_to_human", numbers.THRESHOLD_SECONDS),
        ("answer-target", "answer_target", numbers.ANSWER_TARGET),
        ("abandon-target", "abandon_target", numbers.ABANDON_TARGET),
    ):
        if key in data:
            problem = bounds.problem(data[key])
            if problem:
                raise fail(key, f"'{key}' {problem}")
            changes[attr] = float(data[key])
    for key, attr, bounds in (
        ("min-resolved-share", "min_resolved_share", numbers.PROBABILITY),
        ("max-typical-call", "max_typical_call", numbers.THRESHOLD_SECONDS),
    ):
        if key in data:
            if data[key] is None:  # null: not judged
                changes[attr] = None
                continue
            problem = bounds.problem(data[key])
            if problem:
                raise fail(key, f"'{key}' {problem} (or null to turn it off)")
            changes[attr] = float(data[key])
    if "report" in data:
        changes["report"] = {**base.report, **_report_section(data["report"], fail, folder)}
        changes["report_at"] = {
            **base.report_at,
            **{str(name): where("report", str(name)) for name in data["report"]},
        }
    return replace(base, **changes)


def _option_problem(default: Any, value: Any) -> str | None:
    """Return what is wrong with a numeric rule option's value (range, finiteness), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return numbers.OPTION.problem(value)


def _import_table(value: Any, fail: Any) -> dict[str, Any]:
    """Check the `import:` table: prompt-seconds, hold-seconds as a number (every
    queue) or a mapping of queue name to seconds, and open-share (0.85 or "85%")."""

    def seconds(v: Any) -> bool:
        return (
            not isinstance(v, bool)
            and isinstance(v, (int, float))
            and math.isfinite(v)
            and 0 <= v <= 86_400  # a day: above it, a number is a mistake
        )

    if not isinstance(value, dict):
        raise fail("import", "'import' sets some of: hold-seconds, open-share, prompt-seconds")
    for name, v in value.items():
        at = ("import", str(name))
        if name == "prompt-seconds" and not seconds(v):
            raise fail(at, "'prompt-seconds' must be seconds (0 to 86400)")
        elif name == "hold-seconds":
            if isinstance(v, dict):
                for queue, hold in v.items():
                    if not seconds(hold):
                        raise fail(at, f"hold-seconds of '{queue}' must be seconds (0 to 86400)")
            elif not seconds(v):
                raise fail(at, "'hold-seconds' must be seconds (0 to 86400) or a mapping of queues")
        elif name == "open-share" and not _is_share(v):
            raise fail(at, "'open-share' must be a share from 0 to 1, or a percentage ('85%')")
        elif name not in ("prompt-seconds", "hold-seconds", "open-share"):
            raise fail(at, "'import' sets some of: hold-seconds, open-share, prompt-seconds")
    return dict(value)


def _is_share(value: Any) -> bool:
    """Return whether a config value is a share of calls: 0 to 1, or "0%" to "100%"."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            value = float(value.strip()[:-1]) / 100.0
        except ValueError:
            return False
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and 0.0 <= value <= 1.0  # nan fails too
    )


def _report_section(value: Any, fail: Any, folder: Path) -> dict[str, str]:
    """Return the checked `report:` settings; the logo's path is made relative to here.

    The logo file itself is not touched: every command loads the config, and only those
    that make an HTML report read the logo (report.branding.logo_data_uri)."""

    if not isinstance(value, dict):
        raise fail("report", f"'report' sets some of: {', '.join(REPORT_KEYS)}")
    out = {}
    for name, setting in value.items():
        at = ("report", str(name))
        if name not in REPORT_KEYS:
            raise fail(at, f"'report' sets some of: {', '.join(REPORT_KEYS)}, not '{name}'")
        if not isinstance(setting, str) or not setting.strip():
            raise fail(at, f"report '{name}' must be a non-empty string")
        if name == "accent" and (problem := accent_problem(setting)):
            raise fail(at, problem)
        if name == "logo":
            setting = str(folder / setting)
            if problem := logo_problem(Path(setting)):
                raise fail(at, problem)
        out[str(name)] = setting
    return out


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


# The `report:` section is the settings of HTML reports: checked here as data (by name,
# never opening the logo), rendered by report/branding.
# The logo types browsers show in an <img>; an SVG there cannot run scripts.
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_ACCENT = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def accent_problem(value: object) -> str | None:
    """Return why `value` is not an accent colour (`#rgb` or `#rrggbb`), or None."""
    if not isinstance(value, str) or not _ACCENT.fullmatch(value):
        return f"accent colour must be #rgb or #rrggbb, not {value!r}"
    return None


def logo_problem(path: Path) -> str | None:
    """Return why `path` cannot name a logo by its name alone, or None; the file is not
    touched (a setting is checked by every command, the file read only for a report)."""
    if path.suffix.lower() not in LOGO_TYPES:
        return f"logo must be one of {', '.join(sorted(LOGO_TYPES))}, not {shown(path.name)!r}"
    return None
