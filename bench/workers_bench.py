"""Every core: queries/s of `tradergraph serve --workers 2` versus `--workers 1`, side by side.

    python -m bench.workers_bench [--traders 3000] [--clients 16] [--rounds 3] [--seconds 10]
                                  [--latency-ms 20]

1. **Record.** A seeded sandbox (`tradergraph sandbox --seed 7`), `bench.replay --record-from` in
   front of it, and a service in front of that; the page query (`bench.graph_clients`'
   acceptance query, `first: 50`) is asked a few times, so every call it makes is recorded (the
   token, the trader index, the page's list call, the open positions grid). Then the sandbox
   and the recorder stop.
2. **Replay.** `bench.replay` answers from the recording after `--latency-ms` and next to no CPU,
   as an upstream on another machine would; two services in front of it, one `--workers 1` and
   one `--workers 2` (the index TTL long enough that no round rebuilds it). Each is warmed up
   until every one of its workers has served (the replay has seen one token call per worker).
3. **Rounds** of `--clients` closed-loop clients, each on its own keep-alive connection, sending
   the query as fixed bytes (a lean client, so the clients' CPU takes little of the 2 cores), for
   `--seconds`, alternate workers-1 / workers-2 / ... Every answer must be the warm-up's answer,
   byte for byte. Reported per side: queries/s, p50/p95, upstream calls per query (the replay's
   counters), and CPU per query of the service (its supervisor and workers) and of the replay, from
   `/proc/<pid>/stat`. Target: workers-2 at least **1.7x** workers-1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.graph_clients import ACCEPTANCE_QUERY
from bench.graph_measure import SandboxStats, percentile
from bench.graph_processes import Served, free_port, import_users, sandbox, service
from bench.workers import cpu_seconds, every_worker_ready

TARGET = 1.7
FIRST = 50
READY_SECONDS = 120.0


@dataclass(frozen=True)
class Options:
    seed: int = 7
    traders: int = 3000
    clients: int = 16
    rounds: int = 3
    seconds: float = 10.0
    latency_ms: float = 20.0


QUICK = Options(traders=200, clients=4, rounds=1, seconds=2.0)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str | None = None
    seconds: float = 0.0
    calls: int = 0
    service_cpu: float = 0.0
    replay_cpu: float = 0.0


@dataclass(frozen=True)
class Side:
    workers: int
    queries: int
    failures: int
    throughput_qps: float
    p50_ms: float
    p95_ms: float
    upstream_calls_per_query: float
    service_cpu_ms_per_query: float
    replay_cpu_ms_per_query: float
    first_failure: str | None


class Line:
    """One keep-alive connection that sends fixed request bytes and reads sized answers."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Line:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def ask(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
        return status, await self.reader.readexactly(length)

    async def aclose(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


def page_request(port: int) -> bytes:
    body = json.dumps({"query": ACCEPTANCE_QUERY, "variables": {"first": FIRST}}).encode()
    head = (
        f"POST /graphql HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def port_of(served: Served) -> int:
    return int(served.url.rsplit(":", 1)[1])


@asynccontextmanager
async def replay(file: Path, latency_ms: float, record_from: str | None) -> AsyncIterator[Served]:
    """`python -m bench.replay` on a free port; stopped with SIGTERM (which saves a recording)."""
    port = free_port()
    args = ["--file", str(file), "--port", str(port), "--latency-ms", str(latency_ms)]
    if record_from is not None:
        args += ["--record-from", record_from]
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bench.replay", *args)
    try:
        await _until_listening(port, process)
        yield Served(f"http://127.0.0.1:{port}", process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


async def _until_listening(port: int, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and process.returncode is None:
        try:
            await (await Line.open(port)).aclose()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the replay upstream on port {port} did not start")


def service_env(workers: int) -> dict[str, str]:
    # No index rebuild inside a run: each rebuild would be a call the recording has once only.
    return {"TRADERGRAPH_WORKERS": str(workers), "TRADERGRAPH_INDEX_TTL_SECONDS": "86400"}


async def record(options: Options, file: Path, database_url: str) -> None:
    """Every call of the page query, recorded from a seeded sandbox."""
    async with sandbox(options.seed, options.traders) as upstream:
        await import_users(upstream.url, database_url)
        async with (
            replay(file, 0.0, upstream.url) as recorder,
            service(recorder.url, database_url, extra_env=service_env(1)) as graph,
        ):
            line = await Line.open(port_of(graph))
            for _ in range(3):
                status, body = await line.ask(page_request(port_of(graph)))
                _check_page(status, body)
            await line.aclose()


def _check_page(status: int, body: bytes) -> None:
    answer = json.loads(body)
    edges = (answer.get("data") or {}).get("traders", {}).get("edges", [])
    if status != 200 or "errors" in answer or not edges:
        raise RuntimeError(f"the page query failed: {status} {body[:300]!r}")


async def warm_up(graph: Served, workers: int, stats: SandboxStats) -> bytes:
    """Every worker ready and its trader index built; the page's answer, checked."""
    await every_worker_ready(graph.url, workers, stats, READY_SECONDS)
    answer = b""
    for _ in range(4 * workers):  # fresh connections: each lands on either worker
        line = await Line.open(port_of(graph))
        status, answer = await line.ask(page_request(port_of(graph)))
        await line.aclose()
        _check_page(status, answer)
    return answer


async def _client(port: int, expected: bytes, until: float, tally: Tally) -> None:
    line, request = await Line.open(port), page_request(port)
    try:
        while time.monotonic() < until:
            started = time.perf_counter()
            status, body = await line.ask(request)
            if status != 200 or body != expected:
                tally.failures += 1
                tally.first_failure = tally.first_failure or f"{status} {body[:200]!r}"
                continue
            tally.latencies.append(time.perf_counter() - started)
    finally:
        await line.aclose()


async def one_round(
    graph: Served,
    expected: bytes,
    options: Options,
    tally: Tally,
    upstream: tuple[Served, SandboxStats],
) -> None:
    replayer, stats = upstream
    await stats.reset()
    cpu = cpu_seconds(graph.pid), cpu_seconds(replayer.pid)
    started = time.perf_counter()
    until = time.monotonic() + options.seconds
    port = port_of(graph)
    await asyncio.gather(*(_client(port, expected, until, tally) for _ in range(options.clients)))
    tally.seconds += time.perf_counter() - started
    tally.service_cpu += cpu_seconds(graph.pid) - cpu[0]
    tally.replay_cpu += cpu_seconds(replayer.pid) - cpu[1]
    tally.calls += sum((await stats.read()).values())


def side(workers: int, tally: Tally) -> Side:
    served = len(tally.latencies)
    if served == 0:
        raise RuntimeError(f"workers {workers}: every query failed: {tally.first_failure}")
    return Side(
        workers=workers,
        queries=served,
        failures=tally.failures,
        throughput_qps=served / tally.seconds,
        p50_ms=percentile(tally.latencies, 0.5) * 1000,
        p95_ms=percentile(tally.latencies, 0.95) * 1000,
        upstream_calls_per_query=tally.calls / served,
        service_cpu_ms_per_query=tally.service_cpu * 1000 / served,
        replay_cpu_ms_per_query=tally.replay_cpu * 1000 / served,
        first_failure=tally.first_failure,
    )


async def run(options: Options) -> list[Side]:
    with tempfile.TemporaryDirectory(prefix="tradergraph-workers-") as scratch:
        file = Path(scratch) / "answers.json"
        database_url = f"sqlite+aiosqlite:///{Path(scratch) / 'service.db'}"
        await record(options, file, database_url)
        async with AsyncExitStack() as stack:
            replayer = await stack.enter_async_context(replay(file, options.latency_ms, None))
            control = await stack.enter_async_context(httpx.AsyncClient(base_url=replayer.url))
            stats = SandboxStats(control)
            sides: dict[int, tuple[Served, bytes]] = {}
            for workers in (1, 2):
                graph = await stack.enter_async_context(
                    service(replayer.url, database_url, READY_SECONDS, service_env(workers))
                )
                sides[workers] = graph, await warm_up(graph, workers, stats)
            tallies = {workers: Tally() for workers in sides}
            for _ in range(options.rounds):
                for workers, (graph, expected) in sides.items():
                    await one_round(graph, expected, options, tallies[workers], (replayer, stats))
            return [side(workers, tally) for workers, tally in tallies.items()]


def report(sides: list[Side]) -> str:
    head = (
        "workers",
        "queries",
        "failed",
        "q/s",
        "p50 ms",
        "p95 ms",
        "calls/q",
        "cpu ms/q",
        "replay",
    )
    lines = ["{:<8}{:>8}{:>8}{:>8}{:>9}{:>9}{:>9}{:>10}{:>8}".format(*head)]
    for s in sides:
        lines.append(
            f"{s.workers:<8}{s.queries:>8}{s.failures:>8}{s.throughput_qps:>8.1f}{s.p50_ms:>9.1f}"
            f"{s.p95_ms:>9.1f}{s.upstream_calls_per_query:>9.2f}"
            f"{s.service_cpu_ms_per_query:>10.1f}{s.replay_cpu_ms_per_query:>8.2f}"
        )
    ratio = sides[1].throughput_qps / sides[0].throughput_qps
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    lines += [
        "",
        f"workers 2 / workers 1 throughput: {ratio:.2f} (target >= {TARGET:.1f}) {verdict}",
        f"load average at the end: {load} on {os.cpu_count()} CPUs (a shared machine is noisy)",
    ]
    lines += [
        f"workers {s.workers} failed first with: {s.first_failure}"
        for s in sides
        if s.first_failure
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workers_bench", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--traders", type=int)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--latency-ms", type=float)
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Options()
    names = ("traders", "clients", "rounds", "seconds", "latency_ms")
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    options = Options(**{**base.__dict__, **given})
    print(report(asyncio.run(run(options))))


if __name__ == "__main__":
    main()
