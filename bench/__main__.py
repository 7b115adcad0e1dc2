"""`make bench` = `python -m bench [--quick] [--only NAME ...]`: every benchmark, one report.

Each benchmark module runs in a process of its own (`python -m bench.<module>`), one after the
other, so none inherits another's heap, threads or warmed caches, and a crash or hang in one
does not take the others down. Each runs in its own process group with a time bound; past it,
the whole group (the benchmark and the sandboxes or services it started) is killed. A module that
is not there (yet) is reported as missing, not as a failure.

The exit status is 1 when a benchmark could not run to its end; figures that miss their targets
are reported as FAIL in the figures themselves, since on a noisy machine they are not a build
failure.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Benchmark:
    name: str
    module: str
    what: str
    quick: tuple[str, ...]
    limit_seconds: float = 3600.0


BENCHMARKS = (
    Benchmark(
        "sandbox",
        "bench.sandbox_bench",
        "sandbox throughput (read, changebalance) and seeding 100,000 traders",
        ("--requests", "200", "--traders", "2000"),
    ),
    Benchmark(
        "money",
        "bench.money_bench",
        "deposit throughput through the facade and its journal versus direct changebalance",
        ("--operations", "100", "--concurrency", "4", "--rounds", "1"),
    ),
    Benchmark(
        "graph",
        "bench.graph_bench",
        "read graph versus a hand-written REST client; peak RSS paging 100,000 traders",
        ("--quick",),
        limit_seconds=5400.0,  # paging 100,000 traders alone took ~25 min on 2 shared cores
    ),
    Benchmark(
        "front_door",
        "bench.front_door_bench",
        "the front door under abuse: anonymous maximal request CPU, a client beside flooders",
        ("--quick",),
        limit_seconds=900.0,
    ),
    Benchmark(
        "shared_reads",
        "bench.shared_reads_bench",
        "16 clients on one page with TRADERGRAPH_READ_CACHE_SECONDS=1 versus the direct client",
        ("--quick",),
        limit_seconds=1800.0,
    ),
    Benchmark(
        "history",
        "bench.history_bench",
        "deal mirror: backfill versus download, sync peak RSS, activity versus the grids",
        ("--quick",),
        limit_seconds=1800.0,
    ),
    Benchmark(
        "subscriptions",
        "bench.subscription_bench",
        "subscription cost: upstream calls per minute versus subscribers and accounts watched",
        ("--quick",),
        limit_seconds=600.0,
    ),
    Benchmark(
        "workers",
        "bench.workers_bench",
        "queries/s with serve --workers 2 versus --workers 1, over a replay upstream",
        ("--quick",),
        limit_seconds=1200.0,
    ),
)


@dataclass(frozen=True)
class Outcome:
    benchmark: Benchmark
    status: str  # "ok", "failed (exit N)", "timed out", "missing"
    seconds: float
    output: str

    @property
    def ran(self) -> bool:
        return self.status in {"ok", "missing"}


def command(benchmark: Benchmark, quick: bool) -> list[str]:
    return [sys.executable, "-m", benchmark.module, *(benchmark.quick if quick else ())]


def present(benchmark: Benchmark) -> bool:
    return importlib.util.find_spec(benchmark.module) is not None


def run_one(benchmark: Benchmark, args: list[str], limit_seconds: float) -> Outcome:
    """Run one benchmark's process group to its end or to `limit_seconds`, output captured."""
    if not present(benchmark):
        return Outcome(benchmark, "missing", 0.0, "")
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module names, no shell
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        output, _ = child.communicate(timeout=limit_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        output, _ = child.communicate()
        return Outcome(benchmark, "timed out", time.perf_counter() - started, output)
    status = "ok" if child.returncode == 0 else f"failed (exit {child.returncode})"
    return Outcome(benchmark, status, time.perf_counter() - started, output)


def section(outcome: Outcome) -> str:
    b = outcome.benchmark
    head = f"== {b.name}: {b.what} ({b.module}) - {outcome.status}, {outcome.seconds:.0f} s =="
    return f"{head}\n{outcome.output.rstrip()}\n" if outcome.output else head + "\n"


def summary(outcomes: list[Outcome]) -> str:
    lines = ["== summary =="]
    lines += [f"{o.benchmark.name:<10}{o.status:<20}{o.seconds:>7.0f} s" for o in outcomes]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    names = [b.name for b in BENCHMARKS]
    parser.add_argument("--only", action="append", choices=names, help="run only NAME")
    return parser


def selected(only: list[str] | None) -> list[Benchmark]:
    return [b for b in BENCHMARKS if only is None or b.name in only]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    print(f"tradergraph benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", flush=True)
    outcomes = []
    for benchmark in selected(args.only):
        limit = 600.0 if args.quick else benchmark.limit_seconds
        outcomes.append(run_one(benchmark, command(benchmark, args.quick), limit))
        print(section(outcomes[-1]), flush=True)
    print(summary(outcomes))
    return 0 if all(o.ran for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
