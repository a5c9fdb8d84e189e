"""Fuzz the ivraudit command line for a while: mutated example menus and hostile configs.

    python -m tests.fuzz.run --seconds 600            # ten minutes, every core
    python -m tests.fuzz.run --count 20000 --jobs 2
    python -m tests.fuzz.run --seed 7 --case 1234     # replay one input, show it

Each input is a mutated example menu (and, one time in four, a hostile config beside
it) run through one `score` or `check` format in-process. A run fails when it crashes,
reports an internal error, exits 1 with a message or 2 without one, prints a line that is
not `FILE:LINE:COL: error: ...`, or writes output with raw control characters, invalid
JSON or XML, or NaN. Failing inputs are saved under --keep, grouped by what went wrong.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

from click.testing import CliRunner

from ivraudit.cli import main
from tests.fuzz.mutate import Case, make_case, problems

CASE_SECONDS = 20


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so ivraudit's bug handler lets it through."""


def _alarm(*_: object) -> None:
    raise Hang


def case_of(seed: int, index: int) -> Case:
    """Return input `index` of run `seed`: the same on every machine and every run."""
    return make_case(random.Random(f"{seed}:{index}"))


def run_case(case: Case, folder: Path) -> tuple[int, list[str], str, str]:
    """Run one input in `folder`; return the exit code, its problems, stdout and stderr."""
    for old in folder.iterdir():
        old.unlink()
    menu = folder / case.menu_name
    menu.write_bytes(case.menu)
    if case.config_name and case.config is not None:
        (folder / case.config_name).write_bytes(case.config)
    if hasattr(signal, "SIGALRM"):
        signal.alarm(CASE_SECONDS)
    try:
        result = CliRunner().invoke(main, [*case.args, str(menu)])
    except Hang:
        return -1, [f"no answer within {CASE_SECONDS} s"], "", ""
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)
    found = problems(case.args, result.exit_code, result.stdout, result.stderr)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        found.append(f"uncaught {type(result.exception).__name__}: {result.exception}"[:200])
    return result.exit_code, found, result.stdout, result.stderr


def _worker(job: tuple[int, int, int, float]) -> tuple[collections.Counter, dict, int]:
    seed, start, stop, deadline = job
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _alarm)
    codes: collections.Counter = collections.Counter()
    failures: dict[str, list[int]] = {}
    done = 0
    with tempfile.TemporaryDirectory(prefix="ivraudit-fuzz-") as tmp:
        folder = Path(tmp) / "case"
        folder.mkdir()
        for index in range(start, stop):
            if time.time() > deadline:
                break
            code, found, _, _ = run_case(case_of(seed, index), folder)
            codes[code] += 1
            done += 1
            for problem in found:
                failures.setdefault(_signature(problem), []).append(index)
    return codes, failures, done


def _signature(problem: str) -> str:
    """Group problems that differ only in file names and numbers."""
    import re

    text = re.sub(r"\S+\.(yaml|json)\S*", "FILE", problem)
    return re.sub(r"\d+(\.\d+)?", "N", text)[:160]


def _save(keep: Path, seed: int, index: int, signature: str) -> Path:
    case = case_of(seed, index)
    where = keep / f"{seed}-{index}"
    where.mkdir(parents=True, exist_ok=True)
    (where / case.menu_name).write_bytes(case.menu)
    if case.config_name and case.config is not None:
        (where / case.config_name).write_bytes(case.config)
    (where / "README.txt").write_text(
        f"{signature}\nivraudit {' '.join(case.args)} {case.menu_name}\n"
        f"replay: python -m tests.fuzz.run --seed {seed} --case {index}\n",
        encoding="utf-8",
    )
    return where


def replay(seed: int, index: int) -> int:
    """Run one input and show it, its command and what came out."""
    case = case_of(seed, index)
    with tempfile.TemporaryDirectory(prefix="ivraudit-fuzz-") as tmp:
        folder = Path(tmp)
        if hasattr(signal, "SIGALRM"):
            signal.signal(signal.SIGALRM, _alarm)
        code, found, _, err = run_case(case, folder)
    print(f"--- {case.menu_name}")
    print(case.menu.decode("utf-8", "backslashreplace"))
    if case.config is not None:
        print(f"--- {case.config_name}")
        print(case.config.decode("utf-8", "backslashreplace"))
    print(f"--- ivraudit {' '.join(case.args)} {case.menu_name}: exit {code}")
    print(err.rstrip())
    print("\n".join(f"PROBLEM: {p}" for p in found) or "no problem")
    return 1 if found else 0


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=None, help="inputs to run")
    parser.add_argument("--seconds", type=float, default=None, help="time to run for")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--case", type=int, default=None, help="replay this one input")
    parser.add_argument("--keep", type=Path, default=Path("benchmarks/out/fuzz"))
    args = parser.parse_args(argv)
    if args.case is not None:
        return replay(args.seed, args.case)
    count = args.count if args.count is not None else (10**9 if args.seconds else 1000)
    deadline = time.time() + args.seconds if args.seconds else float("inf")
    chunk = 200
    jobs = [(args.seed, s, min(s + chunk, count), deadline) for s in range(0, count, chunk)]
    codes: collections.Counter = collections.Counter()
    failures: dict[str, list[int]] = collections.defaultdict(list)
    done = 0
    started = time.time()
    with Pool(args.jobs) as pool:
        for c, f, n in pool.imap_unordered(_worker, jobs):
            codes.update(c)
            done += n
            for sig, indexes in f.items():
                failures[sig].extend(indexes)
            if n == 0 and time.time() > deadline:
                pool.terminate()
                break
    took = time.time() - started
    print(f"{done} inputs in {took:.0f} s ({done / max(took, 1e-9):.0f}/s), seed {args.seed}")
    print("exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())))
    if not failures:
        print("no problems found")
        return 0
    print(f"{sum(len(v) for v in failures.values())} problems of {len(failures)} kinds:")
    for sig, indexes in sorted(failures.items(), key=lambda kv: -len(kv[1])):
        where = _save(args.keep, args.seed, min(indexes), sig)
        print(f"  {len(indexes):6d}  {sig}\n          e.g. {where}")
    return 1


if __name__ == "__main__":
    sys.exit(main_())
