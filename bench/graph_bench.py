"""The read graph versus a hand-written REST client, side by side: `python -m bench.graph_bench`.

Issue 4's acceptance, measured in one run on loopback:

1. Throughput: one sandbox (`tradergraph sandbox --seed 7 --traders 3000`) and the service
   (`tradergraph serve`) in front of it, each its own process. The acceptance query
   (`traders(first: 50)` with account, white label, group, open positions and user) through the
   facade, versus `bench.graph_clients.DirectClient` doing the same joins over REST. First both
   answers are checked equal; then rounds of `--clients` concurrent clients alternate
   facade/direct/facade/direct. Reported: queries/s, p50/p95 latency, upstream calls per query
   (from `/_sandbox/stats`), and facade/direct throughput against the target (>= 0.6). Around
   every round the CPU time of the service, the sandbox and this process (where both sides'
   clients run) is read from `/proc/<pid>/stat`: the service's CPU per facade query against the
   direct client's own CPU per query, which makes the same two upstream calls and the same
   join (target: at most 1.5x).
2. Memory: a fresh sandbox with `--memory-traders` (100,000) and a fresh service; one client
   pages through every trader with `first: 500`; the service process's VmHWM (target < 300 MB).

The figures are printed as a table and written to `bench/results/latest.json` (`quick.json`
under `--quick`).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench.graph_clients import DirectClient, FacadeClient
from bench.graph_measure import (
    CLIENT,
    CpuClocks,
    RoundSize,
    SandboxStats,
    SideResult,
    interleaved,
    summary,
)
from bench.graph_memory import MemoryResult, memory_phase
from bench.graph_processes import stack
from bench.graph_profile import profiled
from bench.graph_report import QUICK_RESULTS, RESULTS, machine, table, write_json

RATIO_TARGET = 0.6
CPU_RATIO_TARGET = 1.5
SERVICE, SANDBOX = "service", "sandbox"
QUERY_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Options:
    seed: int = 7
    traders: int = 3000
    first: int = 50
    clients: int = 8
    rounds: int = 3
    queries: int = 25
    round_limit_seconds: float = 120.0
    memory_traders: int = 100_000
    memory_page: int = 500
    memory_limit_seconds: float = 3600.0


QUICK = Options(traders=200, clients=4, rounds=1, queries=5, memory_traders=2000)


@dataclass(frozen=True)
class GraphReport:
    options: Options
    facade: SideResult
    direct: SideResult
    ratio: float
    ratio_target: float
    cpu_ratio: float
    """The service's CPU per facade query over the direct client's own CPU per query."""
    cpu_ratio_target: float
    memory: MemoryResult | None
    machine: dict[str, str]

    @property
    def ratio_passed(self) -> bool:
        return self.ratio >= self.ratio_target

    @property
    def cpu_ratio_passed(self) -> bool:
        return self.cpu_ratio <= self.cpu_ratio_target


class AnswersDiffer(RuntimeError):
    """The two clients disagree: timing them would compare different work."""


def _http(url: str, clients: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=QUERY_TIMEOUT_SECONDS)


async def _same_answer(facade: FacadeClient, direct: DirectClient, first: int) -> None:
    mine, theirs = await facade.page(first), await direct.page(first)
    if mine != theirs:
        raise AnswersDiffer(f"facade {mine[:1]!r} ... != direct {theirs[:1]!r} ...")


async def _timed(
    options: Options,
    facade: FacadeClient,
    direct: DirectClient,
    stats: SandboxStats,
    clocks: CpuClocks,
) -> tuple[SideResult, SideResult]:
    """Warm both sides up, then time interleaved rounds."""
    sides = {
        "facade": lambda: facade.page(options.first),
        "direct": lambda: direct.page(options.first),
    }
    await interleaved(sides, RoundSize(options.clients, 2, 30.0), 1, stats)  # warm-up
    size = RoundSize(options.clients, options.queries, options.round_limit_seconds)
    tallies = await interleaved(sides, size, options.rounds, stats, clocks)
    return summary("facade", tallies["facade"]), summary("direct", tallies["direct"])


async def throughput_phase(
    options: Options, workdir: Path, profile: Path | None = None
) -> tuple[SideResult, SideResult]:
    """One sandbox, the service in front: check both answers are equal, then time them (and,
    with `profile`, sample the service with py-spy meanwhile: `bench/graph_profile.py`)."""
    async with (
        stack(options.seed, options.traders, workdir) as (upstream, graph),
        _http(graph.url, options.clients) as service_http,
        _http(upstream.url, options.clients) as upstream_http,
    ):
        facade, direct = FacadeClient(service_http), await DirectClient.connect(upstream_http)
        await _same_answer(facade, direct, options.first)
        clocks = CpuClocks({SERVICE: graph.pid, SANDBOX: upstream.pid})
        async with profiled(graph.pid, profile):
            return await _timed(options, facade, direct, SandboxStats(upstream_http), clocks)


async def run(options: Options, *, memory: bool = True, profile: Path | None = None) -> GraphReport:
    with tempfile.TemporaryDirectory(prefix="tradergraph-bench-") as scratch:
        workdir = Path(scratch)
        facade, direct = await throughput_phase(options, workdir, profile)
        paged = None
        if memory:
            paged = await memory_phase(
                options.seed,
                options.memory_traders,
                options.memory_page,
                options.memory_limit_seconds,
                workdir,
            )
    ratio = facade.throughput_qps / direct.throughput_qps
    cpu_ratio = facade.cpu_ms_per_query[SERVICE] / direct.cpu_ms_per_query[CLIENT]
    return GraphReport(
        options,
        facade,
        direct,
        ratio,
        RATIO_TARGET,
        cpu_ratio,
        CPU_RATIO_TARGET,
        paged,
        machine(),
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.graph_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--traders", type=int, help="traders seeded for the throughput phase")
    parser.add_argument("--clients", type=int, help="concurrent clients per side")
    parser.add_argument("--rounds", type=int, help="timed rounds per side (interleaved)")
    parser.add_argument("--queries", type=int, help="queries per client per round")
    parser.add_argument("--memory-traders", type=int, help="traders paged for peak RSS")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory phase")
    parser.add_argument("--json", type=Path, default=None, help="where to write the figures")
    parser.add_argument(
        "--profile", type=Path, default=None, help="sample the service with py-spy into this file"
    )
    return parser


def options_from(args: argparse.Namespace) -> Options:
    base = QUICK if args.quick else Options()
    names = ("traders", "clients", "rounds", "queries", "memory_traders")
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    return Options(**{**asdict(base), **given})


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report = asyncio.run(run(options_from(args), memory=not args.no_memory, profile=args.profile))
    print(table(report))
    target = args.json or (QUICK_RESULTS if args.quick else RESULTS)
    print(f"figures written to {write_json(report, target)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
