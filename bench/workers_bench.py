"""Every core: queries/s of `tradergraph serve --workers 2` versus `--workers 1`, side by side.

    python -m bench.workers_bench [--traders 3000] [--clients 16] [--rounds 3] [--seconds 10]
                                  [--latency-ms 20] [--pages both|same|distinct]

1. **Record.** A seeded sandbox (`tradergraph sandbox --seed 7`), `bench.replay --record-from` in
   front of it, and a service in front of that; the page query (`bench.graph_clients`'
   acceptance query, `first: 50`) is asked a few times, so every call it makes is recorded (the
   token, the trader index, the page's list call, the open positions grid); with distinct pages
   (below) so is each of the next `--clients - 1` pages (`after:` the previous page's end
   cursor), each with its own registration window. Then the sandbox and the recorder stop.
2. **Replay.** `bench.replay` answers from the recording after `--latency-ms` and next to no CPU,
   as an upstream on another machine would; two services in front of it, one `--workers 1` and
   one `--workers 2` (the index TTL long enough that no round rebuilds it). Each is warmed up
   until every one of its workers has answered every page twice (`bench.workers`).
3. **Rounds** of `--clients` closed-loop clients (`bench.workers_clients`: one `asyncio.Protocol`
   per keep-alive connection, the query as fixed bytes, so they take little of the 2 cores), for
   `--seconds`, alternate workers-1 / workers-2 / ... Every answer must be the warm-up's answer
   for its page, byte for byte. Reported (`bench.workers_report`) per side: queries/s, p50/p95,
   upstream calls per query, in all and of each call (the replay's counters), CPU per query of
   the service, the replay and the clients; the cores each process kept busy and the rest of the
   machine took; the ceiling those costs allow; the connections each worker held. Target:
   workers-2 at least **1.7x** workers-1.

`--pages` says which page the clients ask. `same`: all ask the first page, so identical upstream
reads in flight are shared, but only within one process (`upstream/sharing.py`): one worker
shares far more of them than two, and the ratio measures that sharing as much as the cores.
`distinct`: each client asks its own page, so no two clients' list calls are the same and the
ratio shows what a second core adds (reads that are still the same for every page, such as the
open positions grid, may still be shared: the report gives the calls per query of each call).
`both` (the default) runs the two modes' rounds alternately over the same two services and
prints both reports and both ratios: each alone misleads.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.graph_measure import SandboxStats
from bench.graph_processes import Served, free_port, import_users, sandbox, service
from bench.workers import Clocks, connections, every_worker_ready, workers_of
from bench.workers_clients import Line, Tally, open_askers, page_cursors, page_request
from bench.workers_report import Side, Usage, reports, side

READY_SECONDS = 120.0
WARM_QUERIES = 2
MODES = ("same", "distinct")
Ask = tuple[bytes, bytes]


@dataclass(frozen=True)
class Options:
    seed: int = 7
    traders: int = 3000
    clients: int = 16
    rounds: int = 3
    seconds: float = 10.0
    latency_ms: float = 20.0
    pages: str = "both"

    @property
    def modes(self) -> tuple[str, ...]:
        return MODES if self.pages == "both" else (self.pages,)


QUICK = Options(traders=200, clients=4, rounds=1, seconds=2.0)


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


async def record(options: Options, file: Path, database_url: str) -> list[str | None]:
    """Every call of the pages' queries, recorded from a seeded sandbox; where the pages start."""
    async with sandbox(options.seed, options.traders) as upstream:
        await import_users(upstream.url, database_url)
        async with (
            replay(file, 0.0, upstream.url) as recorder,
            service(recorder.url, database_url, extra_env=service_env(1)) as graph,
        ):
            port = port_of(graph)
            pages = options.clients if "distinct" in options.modes else 1
            cursors = await page_cursors(port, pages)
            line = await Line.open(port)
            for after in cursors:
                for _ in range(2):
                    _check_page(*await line.ask(page_request(port, after)))
            await line.aclose()
            return cursors


def _check_page(status: int, body: bytes) -> None:
    answer = json.loads(body)
    edges = (answer.get("data") or {}).get("traders", {}).get("edges", [])
    if status != 200 or "errors" in answer or not edges:
        raise RuntimeError(f"the page query failed: {status} {body[:300]!r}")


async def warm_up(
    graph: Served, workers: int, stats: SandboxStats, requests: list[bytes]
) -> dict[bytes, bytes]:
    """Every worker ready, its trader index built and every page asked of it twice; each page's
    answer, checked the same from every worker, and the pages' answers checked all different."""
    await every_worker_ready(graph.url, workers, stats, READY_SECONDS)
    port, pids = port_of(graph), workers_of(graph.pid) or [graph.pid]
    answers: dict[bytes, set[bytes]] = {request: set() for request in requests}
    served, deadline = Counter[tuple[int, bytes]](), time.monotonic() + READY_SECONDS
    while min(served[pid, request] for pid in pids for request in requests) < WARM_QUERIES:
        if time.monotonic() > deadline or len(pids) != workers:
            raise RuntimeError(f"workers {workers}: not every worker answered: {dict(served)}")
        for request in requests:
            line = await Line.open(port)  # a fresh connection: it lands on either worker
            status, answer = await line.ask(request)
            _check_page(status, answer)
            answers[request].add(answer)
            served.update((pid, request) for pid in pids if connections(pid, port))
            await line.aclose()
    if any(len(seen) != 1 for seen in answers.values()):
        raise RuntimeError(f"workers {workers}: the warm-up's answers to a page differ")
    found = {request: next(iter(seen)) for request, seen in answers.items()}
    if len(set(found.values())) != len(requests):
        raise RuntimeError(f"workers {workers}: two pages have the same answer")
    return found


async def one_round(
    graph: Served,
    asks: list[Ask],
    options: Options,
    tally: Tally,
    usage: Usage,
    upstream: tuple[Served, SandboxStats],
) -> None:
    """`--clients` closed-loop connections for `--seconds`; CPU and spread read around them."""
    replayer, stats = upstream
    await stats.reset()
    port = port_of(graph)
    before = Clocks.read(graph.pid, replayer.pid)
    until = time.monotonic() + options.seconds
    opened = await open_askers(port, asks, until, tally)
    try:
        await asyncio.gather(*(asker.done for _, asker in opened))
        after = Clocks.read(graph.pid, replayer.pid)
        usage.add(before, after, [connections(pid, port) for pid in after.workers])
    finally:
        for transport, _ in opened:
            transport.close()
    usage.calls.update(await stats.read())


def client_asks(mode: str, answers: dict[bytes, bytes], clients: int) -> list[Ask]:
    """What each client asks and must be answered: the first page each, or a page each."""
    pages = list(answers.items())
    return pages[:1] * clients if mode == "same" else pages[:clients]


async def run(options: Options) -> dict[str, list[Side]]:
    with tempfile.TemporaryDirectory(prefix="tradergraph-workers-") as scratch:
        file = Path(scratch) / "answers.json"
        database_url = f"sqlite+aiosqlite:///{Path(scratch) / 'service.db'}"
        cursors = await record(options, file, database_url)
        async with AsyncExitStack() as stack:
            replayer = await stack.enter_async_context(replay(file, options.latency_ms, None))
            control = await stack.enter_async_context(httpx.AsyncClient(base_url=replayer.url))
            stats = SandboxStats(control)
            sides: dict[int, tuple[Served, dict[bytes, bytes]]] = {}
            for workers in (1, 2):
                graph = await stack.enter_async_context(
                    service(replayer.url, database_url, READY_SECONDS, service_env(workers))
                )
                requests = [page_request(port_of(graph), after) for after in cursors]
                sides[workers] = graph, await warm_up(graph, workers, stats, requests)
            seen = {(m, w): (Tally(), Usage()) for m in options.modes for w in sides}
            for _ in range(options.rounds):
                for (mode, workers), (tally, usage) in seen.items():
                    graph, answers = sides[workers]
                    asks = client_asks(mode, answers, options.clients)
                    await one_round(graph, asks, options, tally, usage, (replayer, stats))
            return {m: [side(w, *seen[m, w]) for w in sides] for m in options.modes}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workers_bench", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--traders", type=int)
    parser.add_argument("--clients", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--latency-ms", type=float)
    parser.add_argument("--pages", choices=("both", *MODES), help="which page each client asks")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Options()
    names = ("traders", "clients", "rounds", "seconds", "latency_ms", "pages")
    given = {name: getattr(args, name) for name in names if getattr(args, name) is not None}
    options = Options(**{**base.__dict__, **given})
    print(reports(asyncio.run(run(options))))


if __name__ == "__main__":
    main()
