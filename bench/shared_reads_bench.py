"""Sixteen clients on the same page, with the read cache on: `python -m bench.shared_reads_bench`.

Issue 13's third acceptance, measured in one run on loopback with the harness of
`bench.graph_bench`: a seeded sandbox and the service (`TRADERGRAPH_READ_CACHE_SECONDS=1`) each
in its own process; `--clients` concurrent clients ask for the same page (the acceptance query,
`traders(first: 50)`), through the facade and through `bench.graph_clients.DirectClient` by hand,
in interleaved rounds (facade, direct, facade, direct, ...). Both answers are checked equal first.

After one untimed warm-up round per side (the service's token and trader index), reported per
side: queries/s, p50/p95 latency, upstream calls per query (the sandbox's `/_sandbox/stats`), and
the CPU per query of each process (`/proc/<pid>/stat`, user + system: the service, the sandbox,
and this process, where the clients run). Targets: at most 0.2 upstream calls per facade query,
and facade throughput at least 2x the direct client's. `--profile PATH` samples the service with
py-spy during the timed rounds (`python -m bench.graph_profile PATH` reads it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench.graph_clients import DirectClient, FacadeClient
from bench.graph_measure import (
    CLIENT,
    CpuClocks,
    Query,
    RoundSize,
    SandboxStats,
    SideResult,
    interleaved,
)
from bench.graph_measure import summary as side_summary
from bench.graph_processes import import_users, sandbox, service
from bench.graph_profile import profiled
from bench.graph_report import machine

CALLS_TARGET = 0.2
RATIO_TARGET = 2.0
SERVICE, SANDBOX = "service", "sandbox"
PROCESSES = (SERVICE, SANDBOX, CLIENT)
RESULTS = Path(__file__).resolve().parent / "results" / "shared_reads.json"


@dataclass(frozen=True)
class Options:
    seed: int = 7
    traders: int = 3000
    first: int = 50
    clients: int = 16
    rounds: int = 3
    queries: int = 25
    cache_seconds: float = 1.0
    round_limit_seconds: float = 120.0


QUICK = Options(traders=300, rounds=1, queries=5)


@dataclass(frozen=True)
class SharedReport:
    options: Options
    facade: SideResult
    direct: SideResult
    facade_cpu_ms_per_query: float
    ratio: float
    machine: dict[str, str]

    @property
    def calls_passed(self) -> bool:
        return self.facade.upstream_calls_per_query <= CALLS_TARGET

    @property
    def ratio_passed(self) -> bool:
        return self.ratio >= RATIO_TARGET


def _http(url: str, clients: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=60.0)


async def run(options: Options, profile: Path | None = None) -> SharedReport:
    """With `profile`, py-spy samples the service meanwhile (`bench.graph_profile`)."""
    env = {"TRADERGRAPH_READ_CACHE_SECONDS": str(options.cache_seconds)}
    with tempfile.TemporaryDirectory(prefix="tradergraph-bench-") as scratch:
        database_url = f"sqlite+aiosqlite:///{Path(scratch) / 'service.db'}"
        async with sandbox(options.seed, options.traders) as upstream:
            await import_users(upstream.url, database_url)
            async with (
                service(upstream.url, database_url, extra_env=env) as graph,
                _http(graph.url, options.clients) as service_http,
                _http(upstream.url, options.clients) as upstream_http,
            ):
                facade = FacadeClient(service_http)
                direct = await DirectClient.connect(upstream_http)
                if await facade.page(options.first) != await direct.page(options.first):
                    raise RuntimeError("the facade and the direct client answer differently")
                sides: dict[str, Query] = {
                    "facade": lambda: facade.page(options.first),
                    "direct": lambda: direct.page(options.first),
                }
                stats = SandboxStats(upstream_http)
                clocks = CpuClocks({SERVICE: graph.pid, SANDBOX: upstream.pid})
                await interleaved(sides, RoundSize(options.clients, 2, 30.0), 1, stats)  # warm-up
                size = RoundSize(options.clients, options.queries, options.round_limit_seconds)
                async with profiled(graph.pid, profile):
                    tallies = await interleaved(sides, size, options.rounds, stats, clocks)
    mine, theirs = (
        side_summary("facade", tallies["facade"]),
        side_summary("direct", tallies["direct"]),
    )
    per_query = mine.cpu_ms_per_query[SERVICE]
    ratio = mine.throughput_qps / theirs.throughput_qps
    return SharedReport(options, mine, theirs, per_query, ratio, machine())


def table(report: SharedReport) -> str:
    o = report.options
    lines = [
        f"same page, {o.clients} clients, TRADERGRAPH_READ_CACHE_SECONDS={o.cache_seconds:g}"
        f" (seed {o.seed}, {o.traders} traders, first {o.first}, {o.rounds} rounds x"
        f" {o.queries} queries per client)",
        f"{'side':<8}{'queries':>8}{'failed':>8}{'q/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'calls/query':>13}  CPU ms/query: {' / '.join(PROCESSES)} = all",
    ]
    for side in (report.facade, report.direct):
        lines.append(
            f"{side.name:<8}{side.queries:>8}{side.failures:>8}{side.throughput_qps:>9.1f}"
            f"{side.p50_ms:>9.0f}{side.p95_ms:>9.0f}{side.upstream_calls_per_query:>13.3f}"
            f"  {_cpu(side)}"
        )
    calls = "PASS" if report.calls_passed else "FAIL"
    ratio = "PASS" if report.ratio_passed else "FAIL"
    lines += [
        f"facade upstream calls/query {report.facade.upstream_calls_per_query:.3f}"
        f" (target <= {CALLS_TARGET}): {calls}",
        f"facade/direct throughput {report.ratio:.2f} (target >= {RATIO_TARGET}): {ratio}",
        f"service CPU per facade query {report.facade_cpu_ms_per_query:.1f} ms",
    ]
    return "\n".join(lines)


def _cpu(side: SideResult) -> str:
    """CPU per query in each process (`/proc/<pid>/stat`; the clients' from process_time)."""
    each = [side.cpu_ms_per_query.get(name, 0.0) for name in PROCESSES]
    return " / ".join(f"{ms:.1f}" for ms in each) + f" = {sum(each):.1f}"


def as_json(report: SharedReport) -> dict[str, object]:
    return {
        **asdict(report),
        "calls_target": CALLS_TARGET,
        "calls_passed": report.calls_passed,
        "ratio_target": RATIO_TARGET,
        "ratio_passed": report.ratio_passed,
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.shared_reads_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--clients", type=int, help="concurrent clients per side")
    parser.add_argument("--rounds", type=int, help="timed rounds per side (interleaved)")
    parser.add_argument("--queries", type=int, help="queries per client per round")
    parser.add_argument("--json", type=Path, default=None, help="where to write the figures")
    parser.add_argument(
        "--profile", type=Path, default=None, help="sample the service with py-spy into this file"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    base = QUICK if args.quick else Options()
    given = {n: getattr(args, n) for n in ("clients", "rounds", "queries") if getattr(args, n)}
    report = asyncio.run(run(Options(**{**asdict(base), **given}), args.profile))
    print(table(report))
    target = args.json or RESULTS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(as_json(report), indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
