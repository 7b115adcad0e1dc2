"""Peak memory of the service process while one client pages through every trader.

The service runs in its own process (`bench.graph_processes.service`), so `VmHWM` in its
`/proc/<pid>/status`, read after the last page, is the peak resident set of the service alone:
its trader index, the page's records, the open positions grid and the GraphQL answer included.

`python -m bench.graph_memory` runs this phase alone (the graph benchmark runs it after its
throughput phase) and prints VmHWM and VmRSS after every `--every`-th page; `--index-ttl`
sets `TRADERGRAPH_INDEX_TTL_SECONDS` so the walk crosses index rebuilds.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.graph_clients import FacadeClient
from bench.graph_measure import SandboxStats
from bench.graph_processes import peak_rss_mb, rss_mb, stack

TARGET_MB = 200.0
"""Issue 13's target (issue 4's was 300 MB)."""
PAGE_TIMEOUT_SECONDS = 300.0
AfterPage = Callable[[int], None]


@dataclass(frozen=True)
class MemoryResult:
    seeded_traders: int
    page_size: int
    pages: int
    traders_paged: int
    complete: bool
    seconds: float
    upstream_calls_per_page: float
    peak_rss_mb: float
    target_mb: float

    @property
    def passed(self) -> bool:
        return self.complete and self.peak_rss_mb < self.target_mb


@dataclass(frozen=True)
class Walk:
    pages: int
    traders: int
    complete: bool


async def walk(
    facade: FacadeClient,
    first: int,
    max_pages: int,
    limit_seconds: float,
    after_page: AfterPage | None = None,
) -> Walk:
    """Follow `endCursor` to the end, or until `max_pages` pages or the time limit;
    `after_page` is told each page's number once it is answered."""
    deadline = time.monotonic() + limit_seconds
    after: str | None = None
    pages = traders = 0
    while pages < max_pages and time.monotonic() < deadline:
        page = await facade.page_after(first, after)
        pages, traders = pages + 1, traders + len(page.edges)
        if after_page is not None:
            after_page(pages)
        if not page.has_next:
            return Walk(pages, traders, complete=True)
        after = page.end_cursor
    return Walk(pages, traders, complete=False)


async def memory_phase(
    seed: int,
    traders: int,
    first: int,
    limit_seconds: float,
    workdir: Path,
    *,
    service_env: dict[str, str] | None = None,
    every: int = 0,
) -> MemoryResult:
    """Seed `traders`, page through them `first` at a time, read the service's VmHWM (and
    print it with VmRSS after every `every`-th page, when `every` is positive)."""
    async with stack(seed, traders, workdir, service_env) as (upstream, graph):
        timeout = httpx.Timeout(PAGE_TIMEOUT_SECONDS)
        async with (
            httpx.AsyncClient(base_url=graph.url, timeout=timeout) as service_http,
            httpx.AsyncClient(base_url=upstream.url, timeout=timeout) as control_http,
        ):
            stats = SandboxStats(control_http)
            await stats.reset()
            if every > 0:
                print(f"at rest: {_readings(graph.pid)}", flush=True)
            started = time.perf_counter()
            max_pages = traders // first + 2
            trace = _tracer(graph.pid, every) if every > 0 else None
            done = await walk(FacadeClient(service_http), first, max_pages, limit_seconds, trace)
            seconds = time.perf_counter() - started
            calls = sum((await stats.read()).values())
            peak = peak_rss_mb(graph.pid)
    return MemoryResult(
        seeded_traders=traders,
        page_size=first,
        pages=done.pages,
        traders_paged=done.traders,
        complete=done.complete,
        seconds=seconds,
        upstream_calls_per_page=calls / max(done.pages, 1),
        peak_rss_mb=peak,
        target_mb=TARGET_MB,
    )


def _readings(pid: int) -> str:
    return f"VmHWM {peak_rss_mb(pid):.1f} MB, VmRSS {rss_mb(pid):.1f} MB"


def _tracer(pid: int, every: int) -> AfterPage:
    started = time.perf_counter()

    def after_page(page: int) -> None:
        if page == 1 or page % every == 0:
            seconds = time.perf_counter() - started
            print(f"page {page} ({seconds:.0f} s): {_readings(pid)}", flush=True)

    return after_page


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.graph_memory", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--traders", type=int, default=100_000, help="traders seeded and paged")
    parser.add_argument("--first", type=int, default=500, help="page size")
    parser.add_argument("--every", type=int, default=10, help="print readings every N pages")
    parser.add_argument("--index-ttl", type=float, default=None, help="index TTL, seconds")
    parser.add_argument("--limit", type=float, default=3600.0, help="time bound of the walk")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    env = {"TRADERGRAPH_READ_TIMEOUT_SECONDS": "200", "TRADERGRAPH_TOTAL_TIMEOUT_SECONDS": "300"}
    if args.index_ttl is not None:
        env["TRADERGRAPH_INDEX_TTL_SECONDS"] = str(args.index_ttl)
    with tempfile.TemporaryDirectory(prefix="tradergraph-memory-") as scratch:
        result = asyncio.run(
            memory_phase(
                args.seed,
                args.traders,
                args.first,
                args.limit,
                Path(scratch),
                service_env=env,
                every=args.every,
            )
        )
    verdict = "PASS" if result.passed else "FAIL"
    print(
        f"{result.pages} pages, {result.traders_paged:,} traders in {result.seconds:.0f} s, "
        f"{result.upstream_calls_per_page:.2f} upstream calls/page; VmHWM "
        f"{result.peak_rss_mb:.1f} MB (target < {result.target_mb:.0f} MB) {verdict}"
    )
    return 0 if result.complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
