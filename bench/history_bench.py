"""The deal mirror (issue 14): backfill versus download, and activity from the mirror versus
computed from the upstream's grids, against a seeded sandbox process.

    python -m bench.history_bench [--quick] [--traders 2000] [--days 90] [--rounds 3]
                                  [--queries 10]

1. **Backfill** (`history.sync.Sync.backfill`, in this process, a fresh SQLite file each round)
   versus **download** (the same 2-day windows fetched as raw CSV, nothing else done), alternated
   round by round; the best of each. Target: backfill at most **1.5x** the download. Beside
   it, the CPU per window of this process during the best backfill (every thread: parsing the
   grids, SQLite) and of the sandbox during the best download (what a window costs upstream):
   the backfill reads a window while the last one is saved, so it keeps up with the download
   while the first stays below the second.
2. **Peak RSS of the sync**: `tradergraph history sync` run as its own process over the same
   range into a fresh database; its `ru_maxrss`. Target: below **150 MB**.
3. **Activity**: `tradergraph serve` over the backfilled mirror answers `Partner.activity` (the
   partner with the most traders) and `Query.activity(groupBy: [DAY])` over the whole range;
   the direct side computes the same figures from the upstream (every window's grid, the trader
   list for the partner, `Decimal` sums, tests/history/oracle.py). Both answers must be equal
   before anything is timed; then `--queries` of each side, alternated. Target: the mirror at
   least **20x** faster for each question. The service process's own CPU per query is reported.

The sandbox seeds `--traders` traders (seed 7); with `--days` past its default it is asked for
that much history when it supports `--history-days`. The machine is shared and noisy: the
figures are ratios measured side by side in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from bench.graph_processes import MANAGER_LOGIN, MANAGER_PASSWORD, Served, service
from bench.graph_processes import _process as served_process
from history.locks import LocalLocks
from history.sync import Sync
from history.windows import windows_between
from observability.logs import configure_logging
from settings import LogFormat
from store.db import create_tables, make_engine
from tests.history.oracle import RawDeal, as_figures, figures, grouped, in_window, raw_deals
from tests.resolvers.harness import Upstream, md5
from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.times import format_query_time, to_epoch_ms

SEED = 7
Json = dict[str, Any]
FIGURES = "deals traders winningDeals volume notionalUsd commissionUsd swapUsd realizedPnlUsd"
PARTNER = f"""query ($p: String!, $from: DateTime!, $to: DateTime!) {{
  partner(id: $p) {{ activity(from: $from, to: $to) {{ total {{ {FIGURES} }} }} }} }}"""
BY_DAY = f"""query ($from: DateTime!, $to: DateTime!) {{
  activity(from: $from, to: $to, groupBy: [DAY]) {{
    total {{ {FIGURES} }} groups {{ key {{ day }} activity {{ {FIGURES} }} }} }} }}"""


@dataclass(frozen=True)
class Options:
    traders: int = 2000
    days: int = 90
    rounds: int = 3
    queries: int = 10


@dataclass(frozen=True)
class Question:
    name: str
    mirror_s: float
    direct_s: float
    service_cpu_ms: float

    @property
    def speedup(self) -> float:
        return self.direct_s / self.mirror_s


@dataclass(frozen=True)
class HistoryReport:
    options: Options
    deals: int
    windows: int
    download_s: float
    backfill_s: float
    backfill_cpu_ms: float
    """This process's CPU (`time.process_time`, every thread) per window of the best backfill."""
    upstream_cpu_ms: float
    """The sandbox process's CPU per window of the best download (`/proc/<pid>/stat`)."""
    sync_rss_mb: float
    sync_process_s: float
    questions: tuple[Question, ...]

    @property
    def backfill_ratio(self) -> float:
        return self.backfill_s / self.download_s


def _sandbox_args(options: Options) -> list[str]:
    args = ["sandbox", "--seed", str(SEED), "--traders", str(options.traders)]
    probe = subprocess.run(
        [sys.executable, "-m", "cli", "sandbox", "--help"], capture_output=True, text=True
    )
    return args + (
        ["--history-days", str(options.days)] if "--history-days" in probe.stdout else []
    )


def _config(url: str) -> ClientConfig:
    return ClientConfig(
        base_url=url, manager_login=MANAGER_LOGIN, manager_password=SecretStr(MANAGER_PASSWORD)
    )


async def _download(http: httpx.AsyncClient, token: str, start_ms: int, end_ms: int) -> float:
    started = time.perf_counter()
    for window in windows_between(start_ms, end_ms):
        query = {"from": format_query_time(window.start), "to": format_query_time(window.end)}
        answer = await http.get(
            "/v2/webserv/closedPositions",
            params={**query, "token": token},
            headers={"Accept": "text/csv"},
        )
        answer.raise_for_status()
    return time.perf_counter() - started


async def _backfill(
    url: str, database: Path, start_ms: int, end_ms: int
) -> tuple[float, float, int]:
    """(wall seconds, this process's CPU seconds, deals saved)."""
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    client = WebServicesClient(_config(url))
    try:
        await create_tables(engine)
        await client.authenticate()
        sync = Sync(engine, client, LocalLocks(), horizon_ms=86_400_000)
        started, cpu = time.perf_counter(), time.process_time()
        done = await sync.backfill(start_ms, end_ms, lambda *_: None)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return seconds, cpu, sum(result.deals for result in done)
    finally:
        await client.aclose()
        await engine.dispose()


def _sync_process(url: str, database: Path, start: datetime, end: datetime) -> tuple[float, float]:
    """`tradergraph history sync` in its own process: (wall seconds, peak RSS in MB)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TRADERGRAPH_")},
        "TRADERGRAPH_UPSTREAM_URL": url,
        "TRADERGRAPH_MANAGER_LOGIN": str(MANAGER_LOGIN),
        "TRADERGRAPH_MANAGER_PASSWORD": MANAGER_PASSWORD,
        "TRADERGRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
    }
    command = [sys.executable, "-m", "cli", "history", "sync"]
    command += ["--from", start.isoformat(), "--to", end.isoformat()]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


async def _timed(count: int, call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    for _ in range(count):
        await call()
    return (time.perf_counter() - started) / count


def _partner_with_most_traders(deals: list[RawDeal]) -> str:
    counts: dict[str, set[int]] = {}
    for deal in deals:
        for partner in {deal.ib1, deal.ib2} - {None}:
            counts.setdefault(str(partner), set()).add(deal.login)
    return max(sorted(counts), key=lambda partner: len(counts[partner]))


async def _ask(graph: httpx.AsyncClient, query: str, variables: Mapping[str, object]) -> Json:
    body = (await graph.post("/graphql", json={"query": query, "variables": variables})).json()
    if "errors" in body:
        raise RuntimeError(f"the service failed: {body['errors']}")
    data: Json = body["data"]
    return data


@dataclass(frozen=True)
class Side:
    """One question: how the service is asked, how its answer reads, how the grids compute it."""

    name: str
    query: str
    variables: Mapping[str, object]
    read: Callable[[Json], object]
    compute: Callable[[list[RawDeal]], object]


def _sides(partner: str, span: Mapping[str, object]) -> list[Side]:
    def mine(deals: list[RawDeal]) -> object:
        return figures(d for d in deals if partner in (d.ib1, d.ib2))

    return [
        Side(
            "Partner.activity",
            PARTNER,
            {"p": partner, **span},
            lambda data: as_figures(data["partner"]["activity"]["total"]),
            mine,
        ),
        Side(
            "Query.activity(groupBy: [DAY])",
            BY_DAY,
            span,
            lambda data: (
                as_figures(data["activity"]["total"]),
                [(g["key"]["day"], as_figures(g["activity"])) for g in data["activity"]["groups"]],
            ),
            lambda deals: (figures(deals), grouped(deals, "day")),
        ),
    ]


async def _questions(
    options: Options, upstream: Upstream, graph: Served, start: datetime, end: datetime
) -> tuple[Question, ...]:
    async def from_grids(side: Side) -> object:
        return side.compute(in_window(await raw_deals(upstream, start, end), start, end))

    deals = in_window(await raw_deals(upstream, start, end), start, end)
    span = {"from": start.isoformat(), "to": end.isoformat()}
    found = []
    async with httpx.AsyncClient(base_url=graph.url, timeout=120.0) as http:
        for side in _sides(_partner_with_most_traders(deals), span):
            found.append(await _question(options, http, graph, side, deals, from_grids))
    return tuple(found)


async def _question(
    options: Options,
    http: httpx.AsyncClient,
    graph: Served,
    side: Side,
    deals: list[RawDeal],
    from_grids: Callable[[Side], Awaitable[object]],
) -> Question:
    """Equal answers first, then each side timed: the mirror `--queries` times, the grids a fifth
    as often (each of those reads every window again)."""
    if side.read(await _ask(http, side.query, side.variables)) != side.compute(deals):
        raise RuntimeError(f"{side.name}: the mirror and the grids disagree")
    cpu = _cpu_ms(graph.pid)
    mirror_s = await _timed(options.queries, lambda: _ask(http, side.query, side.variables))
    cpu = (_cpu_ms(graph.pid) - cpu) / options.queries
    direct_s = await _timed(max(1, options.queries // 5), lambda: from_grids(side))
    return Question(side.name, mirror_s, direct_s, cpu)


async def run(options: Options) -> HistoryReport:
    with tempfile.TemporaryDirectory(prefix="history-bench-") as scratch:
        workdir = Path(scratch)
        env = {"SANDBOX_RATE_LIMIT_PER_HOUR": "1000000000"}
        async with served_process(_sandbox_args(options), env, "/_sandbox/stats", 600.0) as sandbox:
            return await _measure(options, sandbox, workdir)


async def _measure(options: Options, sandbox: Served, workdir: Path) -> HistoryReport:
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=120.0) as http:
        now_ms = int((await http.get("/_sandbox/clock")).json()["nowMs"])
        end = datetime.fromtimestamp(now_ms // 86_400_000 * 86_400, tz=UTC)
        start = end - timedelta(days=options.days)
        start_ms, end_ms = to_epoch_ms(start), to_epoch_ms(end)
        token = await _token(http)
        downloads: list[tuple[float, float]] = []
        backfills: list[tuple[float, float]] = []
        deals = 0
        for round_ in range(options.rounds):
            upstream_cpu = _cpu_ms(sandbox.pid)
            seconds = await _download(http, token, start_ms, end_ms)
            downloads.append((seconds, _cpu_ms(sandbox.pid) - upstream_cpu))
            seconds, cpu, deals = await _backfill(
                sandbox.url, workdir / f"mirror-{round_}.db", start_ms, end_ms
            )
            backfills.append((seconds, cpu * 1000))
        sync_s, rss = _sync_process(sandbox.url, workdir / "sync.db", start, end)
        database = f"sqlite+aiosqlite:///{workdir / 'mirror-0.db'}"
        quiet = {"TRADERGRAPH_HISTORY_SYNC_ENABLED": "false", "TRADERGRAPH_LOG_LEVEL": "WARNING"}
        async with service(sandbox.url, database, extra_env=quiet) as graph:
            questions = await _questions(options, Upstream(http, token), graph, start, end)
    windows = len(list(windows_between(start_ms, end_ms)))
    (download_s, upstream_ms), (backfill_s, backfill_ms) = min(downloads), min(backfills)
    return HistoryReport(
        options,
        deals,
        windows,
        download_s,
        backfill_s,
        backfill_ms / windows,
        upstream_ms / windows,
        rss,
        sync_s,
        questions,
    )


async def _token(http: httpx.AsyncClient) -> str:
    body = {"login": MANAGER_LOGIN, "hashedPassword": md5(MANAGER_PASSWORD)}
    answer = await http.post(
        "/v2/webserv/managers/token", json=body, headers={"Accept": "application/json"}
    )
    return str(answer.json()["webservToken"])


def _verdict(passed: bool) -> str:
    return "ok" if passed else "FAIL"


def report(result: HistoryReport) -> str:
    o = result.options
    lines = [
        f"traders                     {o.traders}",
        f"days                        {o.days}",
        f"windows                     {result.windows}",
        f"deals                       {result.deals}",
        f"download (best of {o.rounds})        {result.download_s:.3f} s",
        f"backfill (best of {o.rounds})        {result.backfill_s:.3f} s",
        f"backfill / download         {result.backfill_ratio:.2f}  (target <= 1.5: "
        f"{_verdict(result.backfill_ratio <= 1.5)})",
        f"backfill CPU per window     {result.backfill_cpu_ms:.1f} ms  (this process, all threads)",
        f"upstream CPU per window     {result.upstream_cpu_ms:.1f} ms  (the sandbox, downloading)",
        f"sync process                {result.sync_process_s:.2f} s",
        f"sync peak RSS               {result.sync_rss_mb:.1f} MB  (target < 150: "
        f"{_verdict(result.sync_rss_mb < 150)})",
    ]
    for q in result.questions:
        lines += [
            f"{q.name}",
            f"  mirror                    {q.mirror_s * 1000:.1f} ms/query"
            f"  (service CPU {q.service_cpu_ms:.1f} ms/query)",
            f"  from the grids            {q.direct_s * 1000:.1f} ms/query",
            f"  speedup                   {q.speedup:.1f}x  (target >= 20: "
            f"{_verdict(q.speedup >= 20)})",
        ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.history_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 traders, 10 days, 1 round")
    parser.add_argument("--traders", type=int, default=Options.traders)
    parser.add_argument("--days", type=int, default=Options.days)
    parser.add_argument("--rounds", type=int, default=Options.rounds)
    parser.add_argument("--queries", type=int, default=Options.queries)
    return parser


def options_of(argv: list[str] | None) -> Options:
    args = _parser().parse_args(argv)
    if args.quick:
        return Options(traders=200, days=10, rounds=1, queries=2)
    return Options(args.traders, args.days, args.rounds, args.queries)


def main(argv: list[str] | None = None) -> None:
    options = options_of(argv)
    configure_logging(LogFormat.JSON, "WARNING")  # the in-process client's calls are not news
    print(report(asyncio.run(run(options))), flush=True)


if __name__ == "__main__":
    main()
