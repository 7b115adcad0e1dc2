"""Peak memory of the service process while one client pages through every trader.

The service runs in its own process (`bench.graph_processes.service`), so `VmHWM` in its
`/proc/<pid>/status`, read after the last page, is the peak resident set of the service alone:
its trader index, the page's records, the open positions grid and the GraphQL answer included.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.graph_clients import FacadeClient
from bench.graph_measure import SandboxStats
from bench.graph_processes import peak_rss_mb, stack

TARGET_MB = 200.0
"""Issue 13's target (issue 4's was 300 MB)."""
PAGE_TIMEOUT_SECONDS = 300.0


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


async def walk(facade: FacadeClient, first: int, max_pages: int, limit_seconds: float) -> Walk:
    """Follow `endCursor` to the end, or until `max_pages` pages or the time limit."""
    deadline = time.monotonic() + limit_seconds
    after: str | None = None
    pages = traders = 0
    while pages < max_pages and time.monotonic() < deadline:
        page = await facade.page_after(first, after)
        pages, traders = pages + 1, traders + len(page.edges)
        if not page.has_next:
            return Walk(pages, traders, complete=True)
        after = page.end_cursor
    return Walk(pages, traders, complete=False)


async def memory_phase(
    seed: int, traders: int, first: int, limit_seconds: float, workdir: Path
) -> MemoryResult:
    """Seed `traders`, page through them `first` at a time, read the service's VmHWM."""
    async with stack(seed, traders, workdir) as (upstream, graph):
        timeout = httpx.Timeout(PAGE_TIMEOUT_SECONDS)
        async with (
            httpx.AsyncClient(base_url=graph.url, timeout=timeout) as service_http,
            httpx.AsyncClient(base_url=upstream.url, timeout=timeout) as control_http,
        ):
            stats = SandboxStats(control_http)
            await stats.reset()
            started = time.perf_counter()
            max_pages = traders // first + 2
            done = await walk(FacadeClient(service_http), first, max_pages, limit_seconds)
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
