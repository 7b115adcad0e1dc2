"""The service's own cost of the page query, over a replayed upstream.

    python -m bench.graph_instructions record DIR [--traders 3000]
    python -m bench.graph_instructions run DIR [--queries 200] [--latency-ms 0] [--callgrind OUT]
                                              [--tree WORKTREE]

`record` seeds a sandbox (seed 7), imports its users into a database in DIR, and records every
upstream call of the acceptance page query through `bench.replay --record-from` (the token, the
trader index, the page's list call, the open positions grid) with the page's answer. `run` serves
that recording from `bench.replay` (after `--latency-ms`, for next to no CPU) to a fresh service
(`python -m cli serve`, on a copy of the database), asks the page query 8 times to warm it up and
then `--queries` times over one keep-alive connection, each answer checked against the recorded
one, and prints the service's CPU per query (user + system, `/proc/<pid>/stat`). With
`--callgrind OUT` the service runs under `valgrind --tool=callgrind` with collection switched on
only around the timed queries (`callgrind_control -i on/off`) and the instructions per query are
printed too: a figure that does not move with the machine's load, for A/B runs of two trees
(`--tree`: the service is imported from that checkout, e.g. a worktree of main, with this
Python).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.graph_measure import cpu_seconds
from bench.graph_processes import (
    MANAGER_LOGIN,
    MANAGER_PASSWORD,
    WHITE_LABELS,
    free_port,
    import_users,
    sandbox,
    service,
    until_ready,
)
from bench.workers_bench import replay
from bench.workers_clients import Line, page_request

WARM_QUERIES = 8
READY_SECONDS = 600.0
SERVICE_ENV = {"TRADERGRAPH_INDEX_TTL_SECONDS": "86400"}  # no index rebuild inside a run


def _database(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / 'service.db'}"


def record(folder: Path, traders: int) -> None:
    """The page query's upstream calls and its answer, recorded into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answer.json").write_bytes(asyncio.run(_recorded(folder, traders)))


async def _recorded(folder: Path, traders: int) -> bytes:
    async with sandbox(7, traders) as upstream:
        await import_users(upstream.url, _database(folder))
        async with (
            replay(folder / "answers.json", 0.0, upstream.url) as recorder,
            service(recorder.url, _database(folder), extra_env=SERVICE_ENV) as graph,
        ):
            port = int(graph.url.rsplit(":", 1)[1])
            line = await Line.open(port)
            for _ in range(3):
                status, body = await line.ask(page_request(port))
                if status != 200 or b'"errors"' in body:
                    raise RuntimeError(f"the page query failed: {status} {body[:300]!r}")
            await line.aclose()
            return body


def _command(upstream: str, port: int, callgrind: Path | None) -> list[str]:
    command = [sys.executable, "-m", "cli", "serve", "--upstream-url", upstream]
    command += ["--manager-login", str(MANAGER_LOGIN), "--host", "127.0.0.1", "--port", str(port)]
    if callgrind is None:
        return command
    valgrind = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
    return [*valgrind, f"--callgrind-out-file={callgrind}", *command]


def _environment(database: str) -> dict[str, str]:
    return {
        **os.environ,
        **SERVICE_ENV,
        "TRADERGRAPH_MANAGER_PASSWORD": MANAGER_PASSWORD,
        "TRADERGRAPH_DATABASE_URL": database,
        "TRADERGRAPH_WHITE_LABELS": json.dumps(WHITE_LABELS),
        "TRADERGRAPH_DEFAULT_CALLER": "true",
        "TRADERGRAPH_RATE_QUERIES": "1000000000",
    }


async def _ask(line: Line, port: int, expected: bytes, times: int) -> None:
    for _ in range(times):
        status, body = await line.ask(page_request(port))
        if status != 200 or body != expected:
            raise RuntimeError(f"the page's answer differs from the recording: {body[:300]!r}")


async def _collecting(pid: int, on: bool) -> None:
    """Callgrind's collection switched on or off in `pid` (off: and what it counted dumped)."""
    control = shutil.which("callgrind_control")
    if control is None:
        raise RuntimeError("--callgrind needs valgrind's callgrind_control on PATH")
    for args in (["-i", "on"],) if on else (["-i", "off"], ["-d"]):
        process = await asyncio.create_subprocess_exec(
            control, *args, str(pid), stdout=asyncio.subprocess.DEVNULL
        )
        if await process.wait() != 0:
            raise RuntimeError(f"callgrind_control {' '.join(args)} failed for {pid}")


def instructions(dump: Path) -> int:
    """The instructions counted in a callgrind dump (its `totals:` line)."""
    for line in dump.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {dump}")


def run(
    folder: Path,
    queries: int,
    latency_ms: float,
    callgrind: Path | None,
    tree: Path | None = None,
) -> str:
    """The timed queries against a fresh service (on a copy of the recorded database); the
    report line."""
    expected = (folder / "answer.json").read_bytes()
    with tempfile.TemporaryDirectory(prefix="tradergraph-instructions-") as scratch:
        shutil.copy(folder / "service.db", Path(scratch) / "service.db")
        database = _database(Path(scratch))
        served = _Served(database, tree, callgrind)
        return asyncio.run(_run(folder, served, expected, queries, latency_ms))


@dataclass(frozen=True)
class _Served:
    database: str
    tree: Path | None
    callgrind: Path | None


async def _run(
    folder: Path, served: _Served, expected: bytes, queries: int, latency_ms: float
) -> str:
    async with replay(folder / "answers.json", latency_ms, None) as upstream:
        port = free_port()
        process = await asyncio.create_subprocess_exec(
            *_command(upstream.url, port, served.callgrind),
            env=_environment(served.database),
            cwd=served.tree,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await until_ready(f"http://127.0.0.1:{port}", "/healthz", process, READY_SECONDS)
            return await _timed(process.pid, port, expected, queries, served.callgrind)
        finally:
            if process.returncode is None:
                process.terminate()
            await process.wait()


async def _timed(pid: int, port: int, expected: bytes, queries: int, dump: Path | None) -> str:
    line = await Line.open(port)
    await _ask(line, port, expected, WARM_QUERIES)
    if dump is not None:
        await _collecting(pid, True)
    before = cpu_seconds(pid)
    await _ask(line, port, expected, queries)
    spent = cpu_seconds(pid) - before
    await line.aclose()
    report = f"service CPU {spent * 1000 / queries:.2f} ms per page query over {queries}"
    if dump is None:
        return report
    await _collecting(pid, False)
    counted = instructions(Path(f"{dump}.1"))
    return f"{report}; {counted / queries / 1e6:.1f} M instructions per page query"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.graph_instructions", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("what", choices=("record", "run"))
    parser.add_argument("folder", type=Path, help="where the recording is kept")
    parser.add_argument("--traders", type=int, default=3000, help="record: traders seeded")
    parser.add_argument("--queries", type=int, default=200, help="run: timed page queries")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="run: upstream latency")
    parser.add_argument("--callgrind", type=Path, default=None, help="run: callgrind dump path")
    parser.add_argument("--tree", type=Path, default=None, help="run: the service's checkout")
    args = parser.parse_args(argv)
    if args.what == "record":
        record(args.folder, args.traders)
        return
    print(run(args.folder, args.queries, args.latency_ms, args.callgrind, args.tree))


if __name__ == "__main__":
    main()
