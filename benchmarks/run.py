"""Time ivraudit on generated menus, against PyYAML's C parser.

    python benchmarks/run.py                    # the speed and memory figures (issue 11)
    python benchmarks/run.py --stages           # each stage at 1,000 and 10,000 nodes
    python benchmarks/run.py --stages --json    # the same figures, machine-readable
    python benchmarks/run.py --stages --sizes 1000 --repeat 5 --profile
    python benchmarks/run.py --stages --shape independent   # benchmarks/independent.py's menus

Without --stages, every figure of the speed goals is measured in one run, each command in
a fresh process (benchmarks/figures.py). With --stages:

For each size a menu is generated (benchmarks/generate.py, fixed seed) into a
temporary folder (or `--out`), then each stage is timed with time.perf_counter,
best of `--repeat` runs: load_menu, build_graph, compute_metrics, the whole
audit_file, the JSON render, and the whole `score` run (audit_file + JSON
render). The score run is compared with `yaml.load(text, Loader=yaml.CSafeLoader)`
parsing the same file, in time and in peak memory (tracemalloc, measured in
separate runs so that tracing does not slow the timings). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import math
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

# Run as a script, this folder is on sys.path, so the generators import by their names.
from figures import menu_text

import ivraudit
from ivraudit.analysis.graph import build_graph
from ivraudit.analysis.metrics import compute_metrics
from ivraudit.audit import audit_file
from ivraudit.format.loader import load_menu
from ivraudit.report import Format, render

BASELINE = "parse"
SCORE_RUN = "score"
# (key, what the table calls it); the score run is audit_file + the JSON render.
STAGES = (
    (BASELINE, "yaml.load (CSafeLoader)"),
    ("load", "load_menu"),
    ("graph", "build_graph"),
    ("metrics", "compute_metrics"),
    ("rest", "  rules, score, outline (derived)"),
    ("audit", "audit_file (whole pipeline)"),
    ("json", "render JSON"),
    ("text", "render text (not in the score run)"),
    (SCORE_RUN, "score run: audit_file + JSON"),
)


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Return the least wall time of `repeat` calls of `fn`, and what the last call returned."""
    best, result = math.inf, None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_bytes(fn: Callable[[], Any]) -> int:
    """Return the peak of memory traced by tracemalloc while `fn` runs (its result included)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def measure(path: Path, repeat: int) -> dict[str, Any]:
    """Return the timings (seconds) and peak memory (bytes) of each stage for one file."""
    text = path.read_text(encoding="utf-8")
    seconds: dict[str, float] = {}

    def parse() -> Any:
        return yaml.load(text, Loader=yaml.CSafeLoader)

    def score() -> str:
        return render([audit_file(path)], Format.JSON)

    seconds[BASELINE], _ = best_of(parse, repeat)
    seconds["load"], menu = best_of(lambda: load_menu(path), repeat)
    seconds["graph"], graph = best_of(lambda: build_graph(menu), repeat)
    seconds["metrics"], _ = best_of(lambda: compute_metrics(menu, graph), repeat)
    seconds["audit"], audit = best_of(lambda: audit_file(path), repeat)
    seconds["rest"] = max(
        0.0, seconds["audit"] - seconds["load"] - seconds["graph"] - seconds["metrics"]
    )
    seconds["json"], _ = best_of(lambda: render([audit], Format.JSON), repeat)
    seconds["text"], _ = best_of(lambda: render([audit], Format.TEXT), repeat)
    seconds[SCORE_RUN], _ = best_of(score, repeat)

    peak = {BASELINE: peak_bytes(parse), SCORE_RUN: peak_bytes(score)}
    return {
        "nodes": len(menu.nodes),
        "edges": graph.number_of_edges(),
        "file": str(path),
        "bytes": path.stat().st_size,
        "score": audit.score.value,
        "findings": len(audit.findings),
        "seconds": {key: seconds[key] for key, _ in STAGES},
        "ratio_to_parse": {key: seconds[key] / seconds[BASELINE] for key, _ in STAGES},
        "peak_bytes": peak,
        "peak_ratio": peak[SCORE_RUN] / peak[BASELINE],
    }


def profile(path: Path, limit: int) -> str:
    """Return the `limit` functions with the most cumulative time in one score run."""
    profiler = cProfile.Profile()
    profiler.enable()
    render([audit_file(path)], Format.JSON)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def source_state() -> dict[str, Any]:
    """Return which ivraudit code was measured: the git commit, edits, and a source hash."""
    package = Path(ivraudit.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    state: dict[str, Any] = {"sources_sha256": digest.hexdigest()[:16]}
    try:
        git = ["git", "-C", str(package.parent)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True)
        edits = subprocess.run(
            [*git, "status", "--porcelain", "--", package.name], capture_output=True
        )
        if head.returncode == 0:
            state["commit"] = head.stdout.decode().strip()
            state["uncommitted_changes"] = bool(edits.stdout.strip())
    except OSError:  # no git: the hash alone identifies the code
        pass
    return state


def _mib(n: float) -> str:
    return f"{n / 2**20:8.1f} MiB"


def text_report(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [
        f"ivraudit {meta['ivraudit']}, Python {meta['python']}, PyYAML {meta['pyyaml']} "
        f"(LibYAML: {'yes' if meta['libyaml'] else 'no'}), networkx {meta['networkx']}",
        f"best of {meta['repeat']} runs per stage, {meta['shape']} shape, seed {meta['seed']}"
        f"{'' if meta['gc'] else ', garbage collector off'}; code: "
        + ", ".join(f"{k} {v}" for k, v in meta["code"].items()),
    ]
    for r in results:
        lines += [
            "",
            f"{Path(r['file']).name}: {r['nodes']:,} nodes, {r['edges']:,} edges, "
            f"{r['bytes'] / 1024:,.0f} KiB",
            f"  {'stage':<38}{'seconds':>10}{'x parse':>10}",
        ]
        for key, name in STAGES:
            lines.append(f"  {name:<38}{r['seconds'][key]:>10.3f}{r['ratio_to_parse'][key]:>10.1f}")
        lines += [
            f"  {'peak memory (tracemalloc)':<38}{'':>10}{'x parse':>10}",
            f"  {'yaml.load (CSafeLoader)':<34}{_mib(r['peak_bytes'][BASELINE])}{1:>10.1f}",
            f"  {'score run: audit_file + JSON':<34}{_mib(r['peak_bytes'][SCORE_RUN])}"
            f"{r['peak_ratio']:>10.1f}",
        ]
    if len(results) > 1:
        small, large = results[0], results[-1]
        factor = large["nodes"] / small["nodes"]
        lines += [
            "",
            f"scaling from {small['nodes']:,} to {large['nodes']:,} nodes "
            f"({factor:g}x the nodes; {factor:g} is linear, {factor**2:g} quadratic):",
        ]
        for key, name in STAGES:
            ratio = large["seconds"][key] / small["seconds"][key] if small["seconds"][key] else 0
            lines.append(f"  {name:<38}{ratio:>10.1f}x")
        grow = large["peak_bytes"][SCORE_RUN] / small["peak_bytes"][SCORE_RUN]
        lines.append(f"  {'peak memory of the score run':<38}{grow:>10.1f}x")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 10000], help="node counts (1000 10000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; the best counts")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated menus")
    parser.add_argument(
        "--shape",
        choices=("graph", "tree", "independent"),
        default="graph",
        help="--stages: the shape of the menus (generate.py's graph or tree, or independent.py)",
    )
    parser.add_argument("--out", help="write the menus here (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="disable Python's cyclic garbage collector while measuring (shows its share)",
    )
    parser.add_argument(
        "--stages", action="store_true", help="time each stage in this process instead"
    )
    parser.add_argument(
        "--large", type=int, default=100_000, help="nodes of the large menu (100000)"
    )
    parser.add_argument(
        "--files", type=int, default=1000, help="menus in the folder `check` runs on (1000)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile one score run per size with cProfile (printed to stderr)",
    )
    parser.add_argument(
        "--only-simulate",
        action="store_true",
        help="measure only `ivraudit simulate`'s figure: a day of calls (issue 21)",
    )
    parser.add_argument(
        "--only-startup",
        action="store_true",
        help="measure only the start-up figures: a small menu's score, score --format json "
        "and check against `python -c 'import networkx, yaml'` (issue 22)",
    )
    args = parser.parse_args(argv)
    if args.only_simulate:
        return simulate_main(args)
    if args.only_startup:
        return startup_main(args)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.stages:
        return figures_main(args)

    meta = {
        "ivraudit": ivraudit.__version__,
        "python": platform.python_version(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "networkx": __import__("networkx").__version__,
        "repeat": args.repeat,
        "seed": args.seed,
        "shape": args.shape,
        "gc": not args.no_gc,
        "code": source_state(),
    }
    if args.no_gc:
        gc.disable()  # gc.collect() between runs still clears what the last run left
    with tempfile.TemporaryDirectory(prefix="ivraudit-bench-") as tmp:
        folder = Path(args.out) if args.out else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = []
        for size in args.sizes:
            path = folder / f"menu_{size // 1000}k.yaml" if size % 1000 == 0 else None
            path = path or folder / f"menu_{size}.yaml"
            path.write_text(menu_text(args.shape, size, args.seed), encoding="utf-8")
            results.append(measure(path, args.repeat))
            if args.profile:
                sys.stderr.write(f"\n== cProfile of one score run: {path.name}\n")
                sys.stderr.write(profile(path, 40))
    if args.json:
        print(json.dumps({**meta, "results": results}, indent=2))
    else:
        sys.stdout.write(text_report(results, meta))
    return 0


def example_menus() -> list[Path]:
    """Return the repository's example menus, in order (the first is the small menu)."""
    return sorted((Path(__file__).resolve().parent.parent / "menus").glob("*.yaml"))


def figures_main(args: argparse.Namespace) -> int:
    """Measure and print the figures of the speed goals (see benchmarks/figures.py)."""
    import figures

    examples = example_menus()
    meta = {
        "ivraudit": ivraudit.__version__,
        "python": platform.python_version(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores available",
        "load_average": os.getloadavg(),
        "repeat": args.repeat,
        "code": source_state(),
    }
    with tempfile.TemporaryDirectory(prefix="ivraudit-figures-") as tmp:
        folder = Path(args.out) if args.out else Path(tmp)
        fig = figures.measure(
            folder,
            repeat=args.repeat,
            large=args.large,
            files=args.files,
            examples=examples,
            say=lambda what: sys.stderr.write(f"measuring {what}...\n"),
        )
    meta["load_average_after"] = os.getloadavg()
    if args.json:
        print(json.dumps({**meta, "figures": fig}, indent=2))
        return 0
    print(
        f"ivraudit {meta['ivraudit']}, Python {meta['python']}, PyYAML {meta['pyyaml']} "
        f"(LibYAML: {'yes' if meta['libyaml'] else 'no'}); {meta['machine']}; load average "
        f"{meta['load_average'][0]:.1f} before, {meta['load_average_after'][0]:.1f} after; "
        f"best of {args.repeat}; code: " + ", ".join(f"{k} {v}" for k, v in meta["code"].items())
    )
    sys.stdout.write(figures.table(fig))
    return 0


def simulate_main(args: argparse.Namespace) -> int:
    """Measure and print the simulate figure alone (figures.measure_simulate)."""
    import figures

    with tempfile.TemporaryDirectory(prefix="ivraudit-simulate-") as tmp:
        folder = Path(args.out) if args.out else Path(tmp)
        load = os.getloadavg()[0]
        fig = figures.measure_simulate(
            folder, repeat=args.repeat, say=lambda what: sys.stderr.write(f"measuring {what}...\n")
        )
    if args.json:
        print(json.dumps({"load_average": load, "simulate": fig}, indent=2))
        return 0
    what, measured, goal, met = figures.simulate_row(fig)
    print(
        f"load average {load:.1f}; {fig['calls']:,} calls, {fig['calls_per_second']:,.0f} a second"
    )
    print(f"{what}: {measured} (goal {goal}): {'met' if met else 'NOT met'}")
    return 0


def startup_main(args: argparse.Namespace) -> int:
    """Measure and print the start-up figures alone (figures.measure_startup)."""
    import figures

    with tempfile.TemporaryDirectory(prefix="ivraudit-startup-") as tmp:
        folder = Path(args.out) if args.out else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        small = folder / "small.yaml"
        shutil.copy(example_menus()[0], small)  # the small menu `figures_main` measures
        load = os.getloadavg()[0]
        fig = figures.measure_startup(
            small, figures.environment(folder / "pycache"), repeat=args.repeat
        )
    if args.json:
        print(json.dumps({"load_average": load, "startup": fig}, indent=2))
        return 0
    print(f"load average {load:.1f}; import networkx, yaml: {fig['imports_seconds'] * 1000:.1f} ms")
    for key, what in (
        ("score_text", "score (text)"),
        ("score_json", "score --format json"),
        ("check", "check"),
    ):
        met = fig[key] <= figures.GOALS["startup"]
        print(
            f"{what}: {fig[key]:.2f}x (goal <= {figures.GOALS['startup']}x): "
            f"{'met' if met else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
