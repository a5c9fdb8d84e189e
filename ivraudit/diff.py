"""Compare two audits of one menu, a baseline and now, and say whether it regressed."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ivraudit.audit import Audit, audit_menu, config_for
from ivraudit.config import Config
from ivraudit.errors import MenuError
from ivraudit.files import shown
from ivraudit.findings import Finding, Severity

# Numbers in a message are measurements ("takes 4 key presses"); a finding whose only
# change is such a number is the same problem, measured again.
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Routes explain figures (time to a person, each intent's seconds); they are not figures.
_NOT_COMPARED = frozenset({"best_route_to_human", "intent_routes"})
# What a reader calls each figure; an intent's seconds are "calls for <intent>".
_WORDS = {
    "typical_call_seconds": "a typical call",
    "resolved_share": "calls that can be resolved",
    "time_to_human_seconds": "the fastest way to a person",
    "time_to_human_presses": "key presses to a person",
    "human_reachable": "a person can be reached",
    "nodes": "nodes",
    "menus": "menus",
    "depth": "depth (key presses)",
    "max_options": "most options in a menu",
    "mean_options": "options per menu (mean)",
    "menus_without_zero_out": "menus whose 0 reaches no person directly",
    "menus_without_working_zero": "menus without a working 0",
    "unreachable_nodes": "unreachable nodes",
    "reachable_menus": "menus a call can reach",
    "preamble_seconds": "time before the first option",
    "mean_menu_seconds": "length of a menu (mean)",
    "time_to_queue_seconds": "time to a queue (hold not counted)",
}
# Thresholds of a regression (issue 7): the typical call slower by more than both.
TYPICAL_SLOWER = (1.0, 0.02)
# An intent slower by more than both (seconds, fraction).
INTENT_SLOWER = (5.0, 0.10)


class RevisionError(MenuError):
    """A menu that cannot be read at a git revision: not a repository, no such revision."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(file, 1, 1, message)


@dataclass(frozen=True)
class MetricChange:
    """One figure before and after; `delta` only for numbers that both sides have."""

    metric: str
    old: Any
    new: Any
    delta: float | None

    @property
    def changed(self) -> bool:
        """Return whether the figure differs."""
        return self.old != self.new

    @property
    def title(self) -> str:
        """Return what a reader calls the figure (`calls for refund`, `a typical call`)."""
        if self.metric.startswith("intent_seconds."):
            return "calls for " + self.metric.split(".", 1)[1]
        return _WORDS.get(self.metric, self.metric.replace("_", " "))

    @property
    def seconds(self) -> bool:
        """Return whether the figure is a time in seconds."""
        return self.metric.endswith("_seconds") or self.metric.startswith("intent_seconds.")


@dataclass(frozen=True)
class FindingChange:
    """A finding still there whose message (a number in it) or severity changed."""

    old: Finding
    new: Finding


@dataclass(frozen=True)
class MenuDiff:
    """How one menu changed since the baseline; `old_score` is None for a new menu."""

    file: str
    name: str
    old_score: int | None
    new_score: int
    metrics: tuple[MetricChange, ...]
    new_findings: tuple[Finding, ...]
    fixed_findings: tuple[Finding, ...]
    changed_findings: tuple[FindingChange, ...]
    reasons: tuple[str, ...]
    # Worth saying, not a regression: a slower fastest person within max-time-to-human.
    notes: tuple[str, ...] = ()

    @property
    def added(self) -> bool:
        """Return whether the menu did not exist at the baseline."""
        return self.old_score is None

    @property
    def score_delta(self) -> int | None:
        """Return the change in score, or None for a new menu."""
        return None if self.old_score is None else self.new_score - self.old_score

    @property
    def regressed(self) -> bool:
        """Return whether the menu got worse; `reasons` says how."""
        return bool(self.reasons)


def finding_key(f: Finding) -> tuple[str, str | None, str]:
    """Return what identifies a finding across edits: rule, node and message sans numbers."""
    return (f.rule, f.node, _NUMBER.sub("#", f.message))


def diff_audits(old: Audit | None, new: Audit) -> MenuDiff:
    """Return how `new` differs from `old` (None: the menu is new)."""
    new_findings, fixed, changed = _match(() if old is None else old.findings, new.findings)
    metrics = _metrics(None if old is None else old.metrics.to_dict(), new.metrics.to_dict())
    by_name = {m.metric: m for m in metrics}
    return MenuDiff(
        file=new.file,
        name=new.menu.name,
        old_score=None if old is None else old.score.value,
        new_score=new.score.value,
        metrics=metrics,
        new_findings=new_findings,
        fixed_findings=fixed,
        changed_findings=changed,
        reasons=_reasons(old, new, new_findings, changed, by_name),
        notes=_notes(old, new, by_name),
    )


def _match(
    old: Iterable[Finding], new: Iterable[Finding]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[FindingChange, ...]]:
    """Pair findings old to new, each at most once: same message first, then same key."""
    exact: dict[tuple, list[Finding]] = defaultdict(list)
    for f in old:
        exact[(f.rule, f.node, f.message, f.severity)].append(f)
    unmatched_new = []
    for f in new:
        bucket = exact.get((f.rule, f.node, f.message, f.severity))
        if bucket:
            bucket.pop(0)
        else:
            unmatched_new.append(f)
    by_key: dict[tuple, list[Finding]] = defaultdict(list)
    for bucket in exact.values():
        for f in bucket:
            by_key[finding_key(f)].append(f)
    added, changed = [], []
    for f in unmatched_new:
        bucket = by_key.get(finding_key(f))
        if bucket:
            changed.append(FindingChange(bucket.pop(0), f))
        else:
            added.append(f)
    fixed = sorted((f for bucket in by_key.values() for f in bucket), key=lambda f: f.sort_key)
    return tuple(added), tuple(fixed), tuple(changed)


def _metrics(old: dict[str, Any] | None, new: dict[str, Any]) -> tuple[MetricChange, ...]:
    """Return each figure of the JSON report before and after, intents one by one."""
    out = []
    for name, value in new.items():
        if name in _NOT_COMPARED:
            continue
        before = None if old is None else old.get(name)
        if name == "intent_seconds":
            before = before or {}
            intents = list(value) + [i for i in before if i not in value]
            out.extend(_change(f"intent_seconds.{i}", before.get(i), value.get(i)) for i in intents)
        else:
            out.append(_change(name, before, value))
    return tuple(out)


def _change(metric: str, old: Any, new: Any) -> MetricChange:
    # Lists (unreachable node ids) are compared by value and kept immutable.
    old, new = (tuple(v) if isinstance(v, list) else v for v in (old, new))
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    delta = round(new - old, 2) if numbers else None
    return MetricChange(metric, old, new, delta)


def _reasons(
    old: Audit | None,
    new: Audit,
    added: tuple[Finding, ...],
    changed: tuple[FindingChange, ...],
    metrics: dict[str, MetricChange],
) -> tuple[str, ...]:
    """Return how the menu got worse for callers: what `--fail-on-regression` fails."""
    reasons = []
    if old is not None and new.score.value < old.score.value:
        reasons.append(f"score fell from {old.score.value} to {new.score.value}")
    elif old is not None and old.score.capped_by and new.score.capped_by:
        # Both held at the error cap: the uncapped scores still show a change for the worse.
        before, after = old.score.uncapped or 0, new.score.uncapped or 0
        if after < before:
            reasons.append(f"score under the error cap fell from {before} to {after}")
    bar = Severity.WARNING.rank
    serious = [f for f in added if f.severity.rank >= bar]
    serious += [c.new for c in changed if c.new.severity.rank >= bar > c.old.severity.rank]
    if serious:
        noun = "finding" if len(serious) == 1 else "findings"
        reasons.append(f"{len(serious)} new {noun} at warning or above")
    if old is None:
        return tuple(reasons)
    typical = metrics["typical_call_seconds"]
    if _slower(typical, *TYPICAL_SLOWER):
        reasons.append(f"a typical call got slower: {_was_now(typical)}")
    for m in metrics.values():
        if not m.metric.startswith("intent_seconds."):
            continue
        if m.old is not None and m.new is None:
            reasons.append(f"{m.title} can no longer be resolved (took {m.old:g} s)")
        elif _slower(m, *INTENT_SLOWER):
            reasons.append(f"{m.title} got slower: {_was_now(m)}")
    if old.metrics.human_reachable and not new.metrics.human_reachable:
        reasons.append("a person can no longer be reached")
    else:
        tth = metrics["time_to_human_seconds"]
        limit = new.config.max_time_to_human
        if tth.old is not None and tth.new is None:
            reasons.append(f"no route is sure to reach a person (took {tth.old:g} s)")
        elif _crosses(tth, limit):
            reasons.append(
                f"the fastest way to a person is over max-time-to-human {limit:g} s: "
                + _was_now(tth)
            )
    return tuple(reasons)


def _crosses(m: MetricChange, limit: float | None) -> bool:
    """Return whether a time that was within `limit` is now over it."""
    return limit is not None and m.old is not None and m.new is not None and m.old <= limit < m.new


def _slower(m: MetricChange, seconds: float, fraction: float) -> bool:
    """Return whether a time rose by more than `seconds` and more than `fraction` of it."""
    if m.old is None or m.new is None:
        return False
    rise = m.new - m.old
    return rise > seconds and rise > fraction * m.old


def _was_now(m: MetricChange) -> str:
    return f"{m.old:g} s → {m.new:g} s"


def _notes(old: Audit | None, new: Audit, metrics: dict[str, MetricChange]) -> tuple[str, ...]:
    """Return changes a reader should see that are not, on their own, regressions."""
    if old is None:
        return ()
    tth = metrics["time_to_human_seconds"]
    if tth.old is None or tth.new is None or tth.new <= tth.old:
        return ()
    if _crosses(tth, new.config.max_time_to_human):
        return ()  # a reason already
    return (f"the fastest way to a person got slower: {_was_now(tth)} (not a regression alone)",)


def load_at_revision(path: str | Path, ref: str) -> bytes | None:
    """Return the bytes of `path` at git revision `ref`, or None if it did not exist there.

    Raise RevisionError when `path` is not in a git repository or `ref` is no commit."""
    path = Path(path)
    name = shown(path)
    if not ref or ref.startswith("-"):
        raise RevisionError(name, f"'{ref}' is not a git revision")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise RevisionError(name, "its folder does not exist")
    top = _git(name, folder, "rev-parse", "--show-toplevel")
    if top.returncode:
        raise RevisionError(name, f"not in a git repository that can be read ({_said(top)})")
    root = Path(top.stdout.decode().strip()).resolve()
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise RevisionError(name, f"not inside the repository at {root}") from None
    if _git(name, root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        raise RevisionError(name, f"'{ref}' is not a commit of the repository at {root}")
    kind = _git(name, root, "cat-file", "-t", f"{ref}:{relative}")
    if kind.returncode:
        return None  # the menu was added since `ref`
    if kind.stdout.strip() != b"blob":
        what = kind.stdout.decode().strip()
        raise RevisionError(name, f"'{relative}' is a {what} at {ref}, not a file")
    blob = _git(name, root, "show", f"{ref}:{relative}")
    if blob.returncode:  # pragma: no cover - cat-file has just found the blob
        raise RevisionError(name, f"git cannot show '{relative}' at {ref} ({_said(blob)})")
    return blob.stdout


def _git(name: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git in `cwd` without a shell or a terminal; raise RevisionError if it cannot run."""
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise RevisionError(name, f"cannot run git: {exc.strerror or exc}") from None


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """Return the first line git wrote to standard error, for a message."""
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    return lines[0] if lines else f"git exited with {done.returncode}"


def diff_file(path: str | Path, ref: str, config: Config | None = None) -> MenuDiff:
    """Return how the menu at `path` changed since `ref`, both audited under one config."""
    from ivraudit.importers import import_file
    from ivraudit.importers.flow import settings_from

    config = config if config is not None else config_for(path)
    settings = settings_from(config.imports)
    new = audit_menu(import_file(path, None, settings, config.base_timing()), config)
    return diff_audits(audit_at_revision(path, ref, config), new)


def audit_at_revision(path: str | Path, ref: str, config: Config) -> Audit | None:
    """Return the audit of the menu at `path` as it was at git revision `ref` (None if it
    did not exist there); raise MenuError when it cannot be read or loaded."""
    data = load_at_revision(path, ref)
    if data is None:
        return None
    from ivraudit.importers import loads_source  # platform exports too
    from ivraudit.importers.flow import settings_from

    try:
        # The same source name keeps per-file-ignores and reports alike on both sides.
        menu = loads_source(
            data, str(path), settings_from(config.imports), timing=config.base_timing()
        )
    except MenuError as exc:
        raise MenuError(f"{path}@{ref}", exc.line, exc.column, exc.message) from None
    return audit_menu(menu, config)
