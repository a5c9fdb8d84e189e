"""Audit many menu files in order, in this process or in worker processes (`-j N`).

Each file is audited, compared with a git revision if asked, and then slimmed to what the
reports read (`summary`), so a folder of any size holds one menu's graph and solutions at
a time. Results come back in the order of the files whatever the number of workers, so the
output of `-j N` is the output of `-j 1`.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ivraudit.audit import Audit, audit_menu
from ivraudit.config import Config, find_config, load_config
from ivraudit.errors import MenuError
from ivraudit.loader import load_menu

if TYPE_CHECKING:
    from concurrent.futures import Future


@dataclass(frozen=True)
class Rules:
    """The rule selection given on the command line, applied over each file's config."""

    select: frozenset[str] | None = None  # as in ruff: replaces the file's whole selection
    extend_select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    def apply(self, c: Config) -> Config:
        """Return the config `c` with this selection applied."""
        if self.select is not None:
            return replace(
                c, select=self.select, extend_select=self.extend_select, ignore=self.ignore
            )
        return replace(
            c, extend_select=c.extend_select | self.extend_select, ignore=c.ignore | self.ignore
        )


@dataclass(frozen=True)
class Outcome:
    """One file's result: its slimmed audit, or the error that stopped it (one line for
    stderr); `regressions` and `base_error` answer the comparison with a git revision."""

    path: Path
    audit: Audit | None = None
    error: str | None = None
    regressions: tuple[str, ...] = ()
    base_error: str | None = None


def summary(a: Audit) -> Audit:
    """Return the audit without what only the analysis needed: the graph (also compiled),
    the nodes and the per-intent solutions; every report renders the same from it."""
    import networkx as nx

    return replace(
        a,
        graph=nx.MultiDiGraph(),
        menu=replace(a.menu, nodes=()),
        metrics=replace(a.metrics, intent_solutions={}, net=None),
    )


def jobs_count(jobs: int) -> int:
    """Return the number of worker processes `-j` asks for (0: one per available core)."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def audit_files(
    files: Sequence[Path],
    config_path: str | None = None,
    rules: Rules = Rules(),
    *,
    jobs: int = 1,
    base: str | None = None,
) -> Iterator[Outcome]:
    """Yield the outcome of each file in order, auditing in `jobs` processes (0: all cores).

    A config file that cannot be read is reported once, for the first file it spoils.
    """
    workers = min(jobs_count(jobs), len(files))
    configs: dict[str | None, Config | MenuError] = {}
    seen_bad: set[str | None] = set()

    def config_of(path: Path) -> Config | str | None:
        where = config_path if config_path is not None else find_config(path)
        key = str(where) if where is not None else None
        if key not in configs:
            try:
                configs[key] = load_config(where)
            except MenuError as exc:
                configs[key] = exc
        found = configs[key]
        if isinstance(found, MenuError):
            if key in seen_bad:
                return None
            seen_bad.add(key)
            return str(found)
        return rules.apply(found)

    if workers <= 1:
        for path in files:
            config = config_of(path)
            if isinstance(config, Config):
                yield _audit_and_sweep(path, config, base)
            elif config is not None:
                yield Outcome(path, error=config)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when asked

    # A window of a few files per worker keeps them busy while results are taken in order,
    # and bounds how many finished audits wait in memory.
    with ProcessPoolExecutor(workers) as pool:
        window: deque[Future[Outcome] | Outcome] = deque()  # futures, or errors in place
        for path in files:
            config = config_of(path)
            if isinstance(config, Config):
                window.append(pool.submit(_audit_and_sweep, path, config, base))
            elif config is not None:
                window.append(Outcome(path, error=config))
            while len(window) > 2 * workers:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())


def _result(item: Future[Outcome] | Outcome) -> Outcome:
    return item if isinstance(item, Outcome) else item.result()


def _audit_and_sweep(path: Path, config: Config, base: str | None) -> Outcome:
    outcome = audit_one(path, config, base)
    # The command runs with the cyclic collector off (cli.run): one audit's few reference
    # cycles are freed here, by a pass over the young objects only, so that memory stays
    # flat over a folder of any size. With the collector on, it does this itself.
    if not gc.isenabled():
        gc.collect(0)
    return outcome


def audit_one(path: Path, config: Config, base: str | None = None) -> Outcome:
    """Return the outcome of one file under `config` (and against revision `base`)."""
    try:
        audit = audit_menu(load_menu(path, timing=config.base_timing()), config)
    except MenuError as exc:
        return Outcome(path, error=str(exc))
    regressions: tuple[str, ...] = ()
    base_error = None
    if base is not None:
        from ivraudit.diff import audit_at_revision, diff_audits

        try:
            regressions = diff_audits(audit_at_revision(audit.file, base, config), audit).reasons
        except MenuError as exc:
            base_error = str(exc)
    return Outcome(path, summary(audit), regressions=regressions, base_error=base_error)
