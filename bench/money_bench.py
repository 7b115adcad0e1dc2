"""Deposit throughput and latency through the facade versus direct `changebalance`.

    python -m bench.money_bench [--operations 400] [--concurrency 16] [--rounds 3] [--database URL]
                                [--workers N]

One sandbox process (`tradergraph sandbox`) and one service process (`tradergraph serve`, its
journal in a SQLite file in WAL mode, the default, or at --database), each served by uvicorn on a
loopback port; this process runs the clients. Three paths, side by side, in turn, round after round
(direct, journal, facade, direct, journal, facade, ...), so drift on a noisy machine falls on all:

    direct   `changebalance` straight to the sandbox: the upstream's own speed
    journal  the exactly-once engine in this process over its own SQLite journal: the engine
             alone, without HTTP or GraphQL in front of it
    facade   the `deposit` mutation POSTed to the service, as a frontend sends it, with the
             bearer token of a manager session opened by `login`: HTTP, the session lookup,
             the limits, Strawberry, the durable journal, one upstream call

With `--workers N` the service runs N worker processes on its port (`tradergraph serve --workers`),
sharing the journal's SQLite file; the rounds start once every worker has answered `/readyz`.
Every deposit uses a fresh idempotency key, so none is a replay. Reported per path: deposits,
deposits/s, p50 and p95 latency, upstream calls per deposit (the sandbox's own counters; each
path must make exactly one `changebalance` per deposit) and the share of direct throughput.
Target: the facade at least 0.5 of direct throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from bench.graph_measure import CLIENT, RoundSize, SandboxStats, SideResult, interleaved, summary
from bench.graph_processes import sandbox, service
from bench.graph_profile import profiled
from bench.money_clocks import SANDBOX, ProcessClocks, load_average, service_ms, split
from bench.money_runs import (
    Numbers,
    admin_client,
    direct,
    journaled,
    log_in,
    open_accounts,
    through_facade,
)
from bench.workers import every_worker_ready
from resolvers.money.desk import MoneyDesk
from store.db import create_tables, make_engine

TARGET = 0.5
WORKERS_TARGET = 0.8
"""Issue 13's target with `--workers 2` (or more)."""
CHANGEBALANCE = "POST /v2/webserv/traders/{login}/changebalance"
ROUND_LIMIT_SECONDS = 300.0
UNLIMITED = "1000000000"
FACADE_ENV = {
    # The benchmark measures throughput, not the per-caller rate limits (docs/security.md).
    "TRADERGRAPH_RATE_MUTATIONS": UNLIMITED,
    "TRADERGRAPH_RATE_MONEY_MUTATIONS": UNLIMITED,
}


@dataclass(frozen=True)
class Options:
    operations: int = 400
    concurrency: int = 16
    rounds: int = 3
    database: str | None = None
    workers: int = 1
    profile: Path | None = None


async def run(options: Options) -> list[SideResult]:
    """Start the sandbox and the service, open one account per client, run the rounds."""
    with tempfile.TemporaryDirectory() as folder:
        journal = options.database or f"sqlite+aiosqlite:///{Path(folder) / 'journal.db'}"
        facade = options.database or f"sqlite+aiosqlite:///{Path(folder) / 'service.db'}"
        return await _rounds(options, journal_url=journal, service_url=facade)


async def _rounds(options: Options, *, journal_url: str, service_url: str) -> list[SideResult]:
    async with AsyncExitStack() as stack:
        engine = make_engine(journal_url)
        stack.push_async_callback(engine.dispose)
        await create_tables(engine)
        upstream = await stack.enter_async_context(sandbox(seed=1, traders=0))
        env = {**FACADE_ENV, "TRADERGRAPH_WORKERS": str(options.workers)}
        facade = await stack.enter_async_context(service(upstream.url, service_url, extra_env=env))
        control = await stack.enter_async_context(httpx.AsyncClient(base_url=upstream.url))
        stats = SandboxStats(control)
        await every_worker_ready(facade.url, options.workers, stats)
        client = await stack.enter_async_context(admin_client(upstream.url))
        limits = httpx.Limits(max_connections=options.concurrency * 2)
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=facade.url, timeout=60.0, limits=limits)
        )
        http.headers["Authorization"] = f"Bearer {await log_in(http)}"
        numbers = Numbers(await open_accounts(client, options.concurrency))
        sides = {
            "direct": direct(client, numbers),
            "journal": journaled(MoneyDesk.for_client(engine, client), numbers),
            "facade": through_facade(http, numbers),
        }
        warm_up = RoundSize(options.concurrency, 4, ROUND_LIMIT_SECONDS)
        await interleaved(sides, warm_up, 1, stats)  # connections, caches, the accounts' digits
        per_client = max(1, options.operations // options.concurrency)
        size = RoundSize(options.concurrency, per_client, ROUND_LIMIT_SECONDS)
        clocks = ProcessClocks(service_pid=facade.pid, sandbox_pid=upstream.pid)
        async with profiled(facade.pid, options.profile):
            tallies = await interleaved(sides, size, options.rounds, stats, clocks)
        return [summary(name, tally) for name, tally in tallies.items()]


def report(results: list[SideResult], target: float = TARGET) -> str:
    base = results[0].throughput_qps
    header = ("path", "deposits", "failed", "dep/s", "p50 ms", "p95 ms", "calls/dep", "vs direct")
    cpu = ("service", "workers", "sandbox", "client")
    # calls/dep counts every upstream call; the verdict counts changebalance alone: with
    # --workers N each worker reads an account's currency once for itself (a GET, not a move).
    lines = [
        "{:<9}{:>9}{:>8}{:>8}{:>9}{:>9}{:>11}{:>11}".format(*header)
        + "  CPU ms/dep: {:>7}{:>12}{:>8}{:>8}".format(*cpu)
    ]
    for side in results:
        ms = side.cpu_ms_per_query
        lines.append(
            f"{side.name:<9}{side.queries:>9}{side.failures:>8}{side.throughput_qps:>8.0f}"
            f"{side.p50_ms:>9.1f}{side.p95_ms:>9.1f}{side.upstream_calls_per_query:>11.2f}"
            f"{side.throughput_qps / base:>11.2f}             {service_ms(ms):>7.2f}"
            f"{split(ms):>12}{ms.get(SANDBOX, 0.0):>8.2f}{ms.get(CLIENT, 0.0):>8.2f}"
        )
    by_name = {side.name: side for side in results}
    ratio = by_name["facade"].throughput_qps / base
    verdict = "PASS" if ratio >= target else "FAIL"
    lines.append("")
    lines.append(
        f"facade/direct throughput: {ratio:.2f} (target >= {target:.2f}) {verdict};"
        f" load average {load_average()}"
    )
    one_call = all(side.upstream_calls_by_route.get(CHANGEBALANCE) == 1.0 for side in results)
    lines.append(f"one changebalance per deposit on every path: {'PASS' if one_call else 'FAIL'}")
    failed = [side for side in results if side.first_failure]
    lines += [f"{side.name} failed first with: {side.first_failure}" for side in failed]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.money_bench", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--operations", type=int, default=400, help="deposits per path per round")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each path, interleaved")
    parser.add_argument("--database", default=None, help="journal URL (default: SQLite files)")
    parser.add_argument("--workers", type=int, default=1, help="the service's worker processes")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy the service to PATH")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger("httpx").setLevel(logging.WARNING)
    options = Options(
        args.operations, args.concurrency, args.rounds, args.database, args.workers, args.profile
    )
    print(report(asyncio.run(run(options)), WORKERS_TARGET if args.workers > 1 else TARGET))


if __name__ == "__main__":
    main()
