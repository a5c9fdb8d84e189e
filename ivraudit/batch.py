"""Audit many menu files in order, in this process or in worker processes (`-j N`).

Each file is audited, compared with a git revision if asked, given its top suggestions if
asked (`top`: the worker suggests while the whole audit is alive), and then slimmed to
what the reports read (`summary`), so a folder of any size holds one menu's graph and
solutions at a time. Results come back in the order of the files whatever the number of
workers, so the output of `-j N` is the output of `-j 1`. Workers ignore Ctrl-C: the
parent, which gets it, ends them, so an interrupted run leaves no process behind.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ivraudit.audit import Audit, audit_menu
from ivraudit.format.errors import MenuError
from ivraudit.frozen import frozen
from ivraudit.importers import Source, load_source
from ivraudit.judge.config import Config, find_config, load_config

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from ivraudit.importers.flow import Settings
    from ivraudit.suggest.top import TopSuggestion


@frozen
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


# No selection on the command line: each file's config decides.
AS_CONFIGURED = Rules()


@frozen
class Outcome:
    """One file's result: its slimmed audit, or the error that stopped it (one line for
    stderr) or a bug; `regressions` and `base_error` answer the comparison with a git
    revision, `top` names what to do first (`suggest.top`) when asked."""

    path: Path
    audit: Audit | None = None
    error: str | None = None
    regressions: tuple[str, ...] = ()
    base_error: str | None = None
    # A bug of ivraudit's own while auditing the file or comparing it: the command names
    # the file and goes on with the others.
    bug: Exception | None = None
    base_bug: Exception | None = None
    # The top suggestions, or None when not asked, the menu is too large to suggest for
    # (suggest.top.MAX_SUGGEST_NODES) or suggesting hit a bug of ivraudit's own (top_bug).
    top: tuple[TopSuggestion, ...] | None = None
    top_bug: Exception | None = None


def summary(a: Audit) -> Audit:
    """Return the audit without what only the analysis needed: the graph and what the
    rules shared with the metrics; every report renders the same from it. The nodes stay:
    the walk-through quotes their prompts (about as large as the graph: 5 MB a 10,000-node
    menu)."""
    import networkx as nx

    kept = replace(
        a,
        graph=nx.MultiDiGraph(),
        metrics=replace(a.metrics, press_routes=None, person=None),
    )
    # The outline is drawn from the graph, which the summary drops: it goes with it
    # (Audit.outline is built when first read and kept in the instance's dict).
    vars(kept)["outline"] = a.outline
    return kept


def available_cpus() -> int:
    """Return how many CPUs this process may run on (its affinity, where the system says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def jobs_count(jobs: int) -> int:
    """Return the number of worker processes `-j` asks for (0: one per available CPU)."""
    return jobs if jobs > 0 else available_cpus()


def worker_count(requested: int, files: int) -> int:
    """Return how many worker processes audit `files` files for `-j requested`: one per
    available CPU for 0, and never more than the CPUs or the files (1: no workers)."""
    # More workers than CPUs only share them, each with its own copy of the program
    # (`-j 10000` on 503 files started 451 workers and took 3.6 GB, issue 16).
    return max(1, min(jobs_count(requested), available_cpus(), files))


def audit_files(
    sources: Sequence[Source | MenuError],
    config_path: str | None = None,
    rules: Rules = AS_CONFIGURED,
    *,
    settings: Callable[[Config], Settings] | None = None,
    jobs: int = 1,
    base: str | None = None,
    slim: bool = True,
    top: bool = False,
) -> Iterator[Outcome]:
    """Yield the outcome of each menu source in order, auditing in `jobs` processes (0: all
    CPUs; `worker_count` caps it); `settings` gives the importers' settings under a config,
    `slim` keeps only the summary of each audit (`summary`), `top` adds each menu's top
    suggestions. A config file that cannot be read is reported once, for the first menu it
    spoils. Closing the generator early (or Ctrl-C) ends the workers at once.
    """
    workers = worker_count(jobs, len(sources))
    configs: dict[str | None, Config | MenuError] = {}
    if not gc.isenabled():
        # The program runs with the collector off (cli.run) and sweeps between menus. What
        # is alive now (networkx and every module imported) lives to the end: frozen, it is
        # left out of those sweeps, which would otherwise walk it all each time (10 ms per
        # menu for nothing) instead of one audit's objects.
        gc.freeze()

    def prepare(source: Source) -> tuple[Config, Settings | None] | Outcome | None:
        where = config_path if config_path is not None else find_config(source.path)
        key = str(where) if where is not None else None
        if key not in configs:
            try:
                configs[key] = load_config(where)
            except MenuError as exc:
                configs[key] = exc
                return Outcome(source.path, error=str(exc))
        found = configs[key]
        if isinstance(found, MenuError):
            return None  # reported for the first menu it spoiled
        config = rules.apply(found)
        if settings is None or source.importer is None:
            return config, None  # our own format: the importers' settings do not apply
        try:
            return config, settings(config)
        except MenuError as exc:
            return Outcome(source.path, error=str(exc))

    def items() -> Iterator[tuple[Source, Config, Settings | None] | Outcome]:
        for source in sources:
            if isinstance(source, MenuError):
                yield Outcome(Path(source.file), error=str(source))
                continue
            ready = prepare(source)
            if isinstance(ready, tuple):
                yield (source, *ready)
            elif ready is not None:
                yield ready

    if workers <= 1:
        swept = True  # nothing to sweep before the first audit, nor after the last one
        for item in items():
            if isinstance(item, Outcome):
                yield item
                continue
            if not swept:
                _sweep()
            yield audit_one(*item, base, slim=slim, top=top)
            swept = False
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing: only when asked

    # A window of a few files per worker keeps them busy while results are taken in order,
    # and bounds how many finished audits wait in memory.
    pool = ProcessPoolExecutor(workers, initializer=_ignore_interrupts)
    try:
        window: deque[Future[Outcome] | Outcome] = deque()  # futures, or errors in place
        for item in items():
            if isinstance(item, Outcome):
                window.append(item)
            else:
                with _interrupts_held():  # submit starts the workers
                    window.append(pool.submit(_remote, *item, base, slim, top))
            while len(window) > 2 * workers:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())
        pool.shutdown(wait=True)  # every audit is taken: the workers are leaving
    except BaseException:
        # Ctrl-C, an error, or a consumer that stopped early (GeneratorExit): the audits
        # still queued or running are for no one, so the workers are ended rather than
        # waited for; joining a pool whose workers were interrupted could block for ever
        # (issue 16).
        _stop(pool)
        raise


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT back for the block: a worker started in it inherits the mask, so it
    cannot be interrupted before `_ignore_interrupts` runs; this process gets the signal
    when the block ends."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows: no signal masks
        yield
        return
    before = mask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, before)


def _ignore_interrupts() -> None:
    """Make a worker ignore SIGINT (a terminal's Ctrl-C goes to every process of the
    group): the parent alone decides to stop, and ends the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the audits not started, end the workers without waiting for the ones that
    are running, and reap them, so that no process is left behind."""
    with _interrupts_held():  # a second Ctrl-C must not cut this short
        # The workers, before shutdown forgets them (Python 3.14 has terminate_workers).
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError):  # already gone
                process.terminate()
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.join(5)
                if process.is_alive():  # pragma: no cover - SIGTERM is not ignored
                    process.kill()
                    process.join(5)


def _result(item: Future[Outcome] | Outcome) -> Outcome:
    return item if isinstance(item, Outcome) else item.result()


def _remote(
    source: Source,
    config: Config,
    settings: Settings | None,
    base: str | None,
    slim: bool,
    top: bool,
) -> Outcome:
    """Return `audit_one` in a worker (then sweep), with a bug that cannot cross to the
    parent process (an exception that does not unpickle) replaced by a RuntimeError."""
    import pickle

    outcome = audit_one(source, config, settings, base, slim=slim, top=top)
    _sweep()
    for name in ("bug", "base_bug", "top_bug"):
        exc = getattr(outcome, name)
        if exc is not None:
            try:
                pickle.loads(pickle.dumps(exc))
            except Exception:
                outcome = replace(outcome, **{name: RuntimeError(f"{type(exc).__name__}: {exc}")})
    return outcome


def _sweep() -> None:
    """Free the reference cycles an audit left, when the collector is off.

    The command runs with the cyclic collector off (cli.run). So that memory stays flat
    over a folder of any size, the cycles are freed between audits by a pass over the
    young objects. It walks every object made since the last pass (a fifth of a second
    after a 10,000-node menu), so the last audit, or a single one, is not swept. With
    the collector on, it does this itself.
    """
    if not gc.isenabled():
        gc.collect(0)


def audit_one(
    source: Source,
    config: Config,
    settings: Settings | None = None,
    base: str | None = None,
    *,
    slim: bool = True,
    top: bool = False,
) -> Outcome:
    """Return the outcome of one menu source under `config` (and against revision `base`),
    with its top suggestions if `top`."""
    try:
        audit = audit_menu(load_source(source, settings, config.base_timing()), config)
    except MenuError as exc:
        return Outcome(source.path, error=str(exc))
    except Exception as exc:  # a bug: reported for this file, the others go on
        return Outcome(source.path, bug=exc)
    regressions: tuple[str, ...] = ()
    base_error = base_bug = None
    if base is not None:
        from ivraudit.diff import audit_at_revision, diff_audits

        try:
            regressions = diff_audits(audit_at_revision(audit.file, base, config), audit).reasons
        except MenuError as exc:
            base_error = str(exc)
        except Exception as exc:
            base_bug = exc
    found = top_bug = None
    if top:
        from ivraudit.suggest.top import top_suggestions

        try:
            found = top_suggestions(audit)
        except Exception as exc:  # a bug: the menu is still judged, without suggestions
            top_bug = exc
    return Outcome(
        source.path,
        summary(audit) if slim else audit,
        regressions=regressions,
        base_error=base_error,
        base_bug=base_bug,
        top=found,
        top_bug=top_bug,
    )
