"""The front door's cost under abuse (issue 12), measured on the service's own CPU.

A sandbox (seed 7) and the service (`tradergraph serve`, production defaults, no default
caller, rate limits raised out of the way so only the door's own work is measured) each run in
their own process on a loopback port; the clients run in this one. CPU is the service process's
`utime + stime` from `/proc/<pid>/stat`, read before and after a batch of requests.

1. **Anonymous versus logged in.** The same maximal document (a `login` mutation padded with
   `__typename` to just under `max_body_bytes`, the one shape an anonymous caller may send) sent
   anonymously and with a manager session's bearer token; CPU per request of each, and their
   ratio. Target: at most **2**.
2. **Flooded.** One logged-in client sends the acceptance page query (`traders(first: 50)`) one
   after another, alone and then beside four anonymous flooders sending the maximal document as
   fast as the service answers. Its p50 latency loaded over unloaded. Target: at most **2**.
3. **Page queries, before and after** (with `--baseline ROOT`, another checkout with its own
   `.venv`, e.g. main before the front door): both services in front of the same sandbox, rounds
   alternating, CPU per page query of each and their ratio (this tree over the baseline).

Figures on a shared, noisy machine move from run to run; the ratios much less.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.graph_clients import ACCEPTANCE_QUERY
from bench.graph_processes import (
    MANAGER_LOGIN,
    MANAGER_PASSWORD,
    WHITE_LABELS,
    Served,
    free_port,
    import_users,
    sandbox,
    until_ready,
)

TICKS = os.sysconf("SC_CLK_TCK")
MAX_BODY = 64 * 1024
LOGIN = "mutation ($m: Int!, $p: String!) { login(managerLogin: $m, password: $p) {"
LOGIN += " ... on Session { token } } }"
RAISED = "1000000000"
HERE = Path(__file__).resolve().parents[1]
FLOOD_SECONDS = 600.0  # a flooder's own bound; the benchmark stops it long before


def maximal_document() -> str:
    """An anonymous caller's largest admissible shape: `login`, padded to fill the body cap."""
    head = 'mutation { login(managerLogin: 1, password: "p") { __typename '
    padding = "__typename " * ((MAX_BODY - 200 - len(head)) // len("__typename "))
    return head + padding + "} }"


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU so far (`/proc/<pid>/stat` fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@asynccontextmanager
async def service(
    python: str, root: Path, upstream_url: str, database_url: str
) -> AsyncIterator[Served]:
    """`tradergraph serve` from the checkout at `root`, with its own interpreter."""
    port = free_port()
    env = {
        **os.environ,
        "TRADERGRAPH_MANAGER_PASSWORD": MANAGER_PASSWORD,
        "TRADERGRAPH_DATABASE_URL": database_url,
        "TRADERGRAPH_WHITE_LABELS": json.dumps(WHITE_LABELS),
        "TRADERGRAPH_DEFAULT_CALLER": "false",
        "TRADERGRAPH_RATE_QUERIES": RAISED,
        "TRADERGRAPH_RATE_MUTATIONS": RAISED,
    }
    command = [python, "-m", "cli", "serve", "--upstream-url", upstream_url]
    command += ["--manager-login", str(MANAGER_LOGIN), "--host", "127.0.0.1", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=root,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await until_ready(url, "/healthz", process, 60.0)
        yield Served(url, process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


@dataclass
class Client:
    http: httpx.AsyncClient
    bearer: str | None = None

    async def post(self, query: str, **variables: object) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.bearer}"} if self.bearer else {}
        body = {"query": query, "variables": variables}
        return await self.http.post("/graphql", json=body, headers=headers)

    async def log_in(self) -> Client:
        answer = (await self.post(LOGIN, m=MANAGER_LOGIN, p=MANAGER_PASSWORD)).json()
        return Client(self.http, answer["data"]["login"]["token"])


async def cpu_per_request(pid: int, send: Callable[[], Awaitable[object]], count: int) -> float:
    before = cpu_seconds(pid)
    for _ in range(count):
        await send()
    return (cpu_seconds(pid) - before) / count


async def page(client: Client) -> float:
    started = time.perf_counter()
    response = await client.post(ACCEPTANCE_QUERY, first=50)
    if response.status_code != 200 or "errors" in response.json():
        raise RuntimeError(f"page query failed: {response.status_code} {response.text[:200]}")
    return time.perf_counter() - started


async def latencies(client: Client, count: int) -> list[float]:
    return [await page(client) for _ in range(count)]


async def flood(url: str, rate: float, seconds: float) -> int:
    """Send the maximal document anonymously, `rate` a second (0: as fast as answers come)."""
    body = json.dumps({"query": maximal_document()}).encode()
    headers = {"Content-Type": "application/json"}
    sent, period, deadline = 0, 1 / rate if rate else 0.0, time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as http:
        while time.monotonic() < deadline:
            started = time.monotonic()
            await http.post("/graphql", content=body, headers=headers)
            sent += 1
            if sent == 1:
                print("flooding", flush=True)  # the benchmark waits for this line
            await asyncio.sleep(max(0.0, period - (time.monotonic() - started)))
    return sent


@dataclass
class Flooding:
    processes: list[asyncio.subprocess.Process]
    busy: list[float]

    def pause(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGCONT)


@asynccontextmanager
async def flooders(url: str, count: int, rate: float) -> AsyncIterator[Flooding]:
    """`count` flooders, each a process of its own (so their work is not the client's)."""
    command = [sys.executable, "-m", "bench.front_door_bench", "--flood", url]
    command += ["--flood-rate", str(rate)]
    processes = [
        await asyncio.create_subprocess_exec(*command, cwd=HERE, stdout=asyncio.subprocess.PIPE)
        for _ in range(count)
    ]
    try:
        for process in processes:  # each has started and had its first answer
            assert process.stdout is not None
            await asyncio.wait_for(process.stdout.readline(), timeout=120)
        yield Flooding(processes, [])
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGCONT)
                process.terminate()
        await asyncio.gather(*(process.wait() for process in processes))


async def anonymous_versus_logged_in(graph: Served, requests: int) -> dict[str, float]:
    document = maximal_document()
    async with httpx.AsyncClient(base_url=graph.url, timeout=30.0) as http:
        anonymous = Client(http)
        manager = await anonymous.log_in()
        await anonymous.post(document)
        await manager.post(document)
        anon = await cpu_per_request(graph.pid, lambda: anonymous.post(document), requests)
        logged = await cpu_per_request(graph.pid, lambda: manager.post(document), requests)
    return {
        "document_bytes": len(document),
        "anonymous_cpu_ms": anon * 1000,
        "logged_in_cpu_ms": logged * 1000,
        "ratio": anon / logged if logged else float("inf"),
    }


async def flooded(
    graph: Served, queries: int, count: int, rate: float, rounds: int
) -> dict[str, float]:
    """Rounds alternate: the flooders paused (SIGSTOP), then flooding again (SIGCONT)."""
    alone: list[float] = []
    loaded: list[float] = []
    async with httpx.AsyncClient(base_url=graph.url, timeout=30.0) as http:
        manager = await Client(http).log_in()
        await latencies(manager, 5)
        async with flooders(graph.url, count, rate) as flooding:
            for _ in range(rounds):
                flooding.pause()
                alone += await latencies(manager, queries)
                flooding.resume()
                before, started = cpu_seconds(graph.pid), time.monotonic()
                loaded += await latencies(manager, queries)
                flooding.busy.append(
                    (cpu_seconds(graph.pid) - before) / (time.monotonic() - started)
                )
            busy = statistics.median(flooding.busy)
    quiet, flood_p50 = statistics.median(alone), statistics.median(loaded)
    return {
        "p50_alone_ms": quiet * 1000,
        "p50_flooded_ms": flood_p50 * 1000,
        "service_cpu_share_flooded": busy,
        "ratio": flood_p50 / quiet,
    }


async def page_cpu(graph: Served, queries: int) -> float:
    async with httpx.AsyncClient(base_url=graph.url, timeout=30.0) as http:
        manager = await Client(http).log_in()
        await latencies(manager, 3)
        return await cpu_per_request(graph.pid, lambda: page(manager), queries)


async def before_and_after(
    graph: Served, baseline: Served, queries: int, rounds: int
) -> dict[str, float]:
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        ours.append(await page_cpu(graph, queries))
        theirs.append(await page_cpu(baseline, queries))
    mine, base = statistics.median(ours), statistics.median(theirs)
    return {
        "cpu_ms_per_page": mine * 1000,
        "baseline_cpu_ms_per_page": base * 1000,
        "ratio": mine / base,
    }


async def run(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    here = HERE
    with tempfile.TemporaryDirectory() as workdir:
        database = f"sqlite+aiosqlite:///{Path(workdir) / 'service.db'}"
        async with sandbox(7, args.traders) as upstream:
            await import_users(upstream.url, database)
            async with service(sys.executable, here, upstream.url, database) as graph:
                report = {
                    "anonymous_versus_logged_in": await anonymous_versus_logged_in(
                        graph, args.requests
                    ),
                    "flooded": await flooded(
                        graph, args.queries, args.flooders, args.flood_rate, args.rounds
                    ),
                }
                if args.baseline is not None:
                    root = args.baseline
                    base_db = f"sqlite+aiosqlite:///{Path(workdir) / 'baseline.db'}"
                    await import_users(upstream.url, base_db)
                    python = str(root / ".venv" / "bin" / "python")
                    async with service(python, root, upstream.url, base_db) as baseline:
                        report["page_query_cpu"] = await before_and_after(
                            graph, baseline, args.queries, args.rounds
                        )
    return report


def verdicts(report: dict[str, dict[str, float]]) -> list[str]:
    lines = []
    for name, figures in report.items():
        shown = ", ".join(f"{key} {value:.2f}" for key, value in figures.items())
        target = 2.0 if name != "page_query_cpu" else 1.0
        verdict = "ok" if figures["ratio"] <= target else "FAIL"
        lines.append(f"{name}: {shown} (target ratio <= {target:g}: {verdict})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.front_door_bench")
    parser.add_argument("--traders", type=int, default=500)
    parser.add_argument("--requests", type=int, default=60, help="per side, CPU ratio")
    parser.add_argument("--queries", type=int, default=60, help="page queries per measurement")
    parser.add_argument("--flooders", type=int, default=4)
    parser.add_argument(
        "--flood-rate", type=float, default=6.0, help="requests/s per flooder (0: unpaced)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="baseline rounds")
    parser.add_argument("--baseline", help="another checkout (with .venv) to compare CPU against")
    parser.add_argument("--json", help="write the figures here as JSON too")
    parser.add_argument("--flood", metavar="URL", help="(internal) be one flooder of URL")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    args = parser.parse_args(argv)
    args.baseline = Path(args.baseline).resolve() if args.baseline else None
    if args.flood:
        asyncio.run(flood(args.flood, args.flood_rate, FLOOD_SECONDS))
        return 0
    if args.quick:
        args.traders, args.requests, args.queries, args.rounds = 100, 5, 5, 1
    report = asyncio.run(run(args))
    print("\n".join(verdicts(report)))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
