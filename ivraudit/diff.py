"""Compare two audits of one menu, a baseline and now, and say whether it regressed."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ivraudit.audit import Audit, audit_menu, config_for
from ivraudit.format.errors import MenuError
from ivraudit.format.files import shown
from ivraudit.frozen import frozen
from ivraudit.judge.config import Config
from ivraudit.judge.findings import Finding, Severity, same_problem_keys

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
    "abandon_share": "calls that hang up in a queue",
}
# Figures given per intent: the key of each in the JSON figures, and how a reader calls
# one intent's ("calls for refund"); with `calls`, its time and share resolved as they happen.
_PER_INTENT = {
    "intent_seconds": "calls for {}",
    "intent_calls_seconds": "time on the phone for {}",
    "intent_resolved_share": "calls for {} resolved",
}


class RevisionError(MenuError):
    """A menu that cannot be read at a git revision: not a repository, no such revision."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(file, 1, 1, message)


@frozen
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
        kind, _, intent = self.metric.partition(".")
        if intent and kind in _PER_INTENT:
            return _PER_INTENT[kind].format(intent)
        return _WORDS.get(self.metric, self.metric.replace("_", " "))

    @property
    def seconds(self) -> bool:
        """Return whether the figure is a time in seconds."""
        kind = self.metric.partition(".")[0]
        return kind.endswith("_seconds")

    @property
    def share(self) -> bool:
        """Return whether the figure is a share of calls (shown as a percentage)."""
        return self.metric.partition(".")[0].endswith("_share")


@frozen
class FindingChange:
    """A finding still there whose message (a number in it) or severity changed."""

    old: Finding
    new: Finding


@frozen
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
    metrics = _metrics(None if old is None else _figures(old), _figures(new))
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
        reasons=_reasons(old, new),
        notes=_notes(old, new, by_name),
    )


def _match(
    old: Iterable[Finding], new: Iterable[Finding]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...], tuple[FindingChange, ...]]:
    """Pair findings old to new, each at most once: same message first, then the same
    message but for its numbers, then the same rule and node (a finding whose message
    now lists other parts is still the same problem at the same place), then the same
    problem moved to another node (`same_problem_keys`)."""
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
    changed, still = [], []
    for f in unmatched_new:
        bucket = by_key.get(finding_key(f))
        if bucket:
            changed.append(FindingChange(bucket.pop(0), f))
        else:
            still.append(f)
    left = [f for bucket in by_key.values() for f in bucket]
    for level in (0, 1):  # same rule and node; then the same problem moved to a new node
        by_place: dict[tuple, list[Finding]] = defaultdict(list)
        for f in left:
            by_place[same_problem_keys(f)[level]].append(f)
        unpaired = []
        for f in still:
            bucket = by_place.get(same_problem_keys(f)[level])
            if bucket:
                changed.append(FindingChange(bucket.pop(0), f))
            else:
                unpaired.append(f)
        still, left = unpaired, [f for bucket in by_place.values() for f in bucket]
    added = still
    fixed = sorted(left, key=lambda f: f.sort_key)
    return tuple(added), tuple(fixed), tuple(changed)


def _figures(a: Audit) -> dict[str, Any]:
    """Return the figures compared: the JSON report's, and with `calls` the share of calls
    that hang up and each intent's time and share resolved as the calls happen."""
    out = a.metrics.to_dict()
    calls = a.metrics.calls
    if calls is not None:
        out["abandon_share"] = round(calls.abandon_share, 4)
        if calls.declared:
            figures = calls.to_dict()["intents"]
            out["intent_calls_seconds"] = {i: f["seconds"] for i, f in figures.items()}
            out["intent_resolved_share"] = {i: f["resolved_share"] for i, f in figures.items()}
    return out


def _metrics(old: dict[str, Any] | None, new: dict[str, Any]) -> tuple[MetricChange, ...]:
    """Return each figure of the JSON report before and after, intents one by one."""
    out = []
    names = list(new) + [n for n in old or {} if n not in new]
    for name in names:
        if name in _NOT_COMPARED:
            continue
        value = new.get(name)
        before = None if old is None else old.get(name)
        if name in _PER_INTENT:
            before, value = before or {}, value or {}
            intents = list(value) + [i for i in before if i not in value]
            out.extend(_change(f"{name}.{i}", before.get(i), value.get(i)) for i in intents)
        else:
            out.append(_change(name, before, value))
    return tuple(out)


def _change(metric: str, old: Any, new: Any) -> MetricChange:
    # Lists (unreachable node ids) are compared by value and kept immutable.
    old, new = (tuple(v) if isinstance(v, list) else v for v in (old, new))
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (old, new))
    delta = round(new - old, 2) if numbers else None
    return MetricChange(metric, old, new, delta)


def _reasons(old: Audit | None, new: Audit) -> tuple[str, ...]:
    """Return how the menu got worse for callers: what `--fail-on-regression` fails.

    The judgement is the suggestions' own (`Figures.regressions`), so that `diff` never
    calls a rewrite `suggest` proposed a regression, nor the other way round."""
    from ivraudit.suggest.figures import Figures

    after = Figures.of(new)
    if old is None:
        bar = Severity.WARNING.rank
        serious = [f for f in new.findings if f.severity.rank >= bar]
        if not serious:
            return ()
        noun = "finding" if len(serious) == 1 else "findings"
        return (f"{len(serious)} new {noun} at warning or above",)
    return Figures.of(old).regressions(after)


def _crosses(m: MetricChange, limit: float | None) -> bool:
    """Return whether a time that was within `limit` is now over it."""
    return limit is not None and m.old is not None and m.new is not None and m.old <= limit < m.new


def _was_now(m: MetricChange) -> str:
    return f"{m.old:.1f} s → {m.new:.1f} s"


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
