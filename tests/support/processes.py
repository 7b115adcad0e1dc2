"""Real processes for tests: `python -m cli ...` (the `tradergraph` command) served by uvicorn on
a free loopback port, as `bench/graph_processes.py` starts them for the benchmark.

Each is an async context manager. On entry the process starts with its stdout and stderr in
`<workdir>/<name>.log`, and its readiness path is polled until it answers 200, bounded by a
deadline and by the process staying alive. On exit, also when the body raises, the process is
terminated (killed if it does not stop in time). When the body or the start fails, the error
carries the tail of the process's log as a note, so a failing test shows what the process said.

The processes see none of the caller's `TRADERGRAPH_*` or `SANDBOX_*` variables: each is
configured by the `env` its test gives, so a developer's shell cannot change what it proves.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.fixtures import ADMIN_LOGIN, ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 300.0
"""A bound for a hung start-up only: a process that exits fails at once, and one that starts is
ready as soon as its readiness path answers. Importing the service takes about 5 s of CPU, 36 s
of wall time on the shared machine at a load of 13, and a test may start three in a row."""
STOP_SECONDS = 10.0
POLL_SECONDS = 0.05
LOG_TAIL_CHARS = 4000
OWN_SETTINGS = ("TRADERGRAPH_", "SANDBOX_")


@dataclass(frozen=True)
class Served:
    """A started process: where it answers, its pid, and the file holding its output."""

    name: str
    url: str
    pid: int
    log: Path

    def output_tail(self) -> str:
        text = self.log.read_text(errors="replace")
        return f"--- {self.name} (pid {self.pid}), {self.log} ---\n{text[-LOG_TAIL_CHARS:]}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def sandbox(workdir: Path, name: str = "sandbox") -> AbstractAsyncContextManager[Served]:
    """`tradergraph sandbox`: the emulator with its base dataset, in memory."""
    return served(["sandbox"], {}, "/_sandbox/stats", workdir, name)


def service(
    upstream_url: str,
    workdir: Path,
    name: str,
    env: Mapping[str, str],
    ready_seconds: float = READY_SECONDS,
) -> AbstractAsyncContextManager[Served]:
    """`tradergraph serve` as the sandbox's super-admin, with its own SQLite database in
    `workdir`; `env` adds or overrides `TRADERGRAPH_*` settings. Ready when `/readyz` is, so its
    upstream, database and (when configured) Redis all answer; several workers (each its own
    interpreter, importing everything) may need a longer `ready_seconds`."""
    settings = {
        "TRADERGRAPH_UPSTREAM_URL": upstream_url,
        "TRADERGRAPH_MANAGER_LOGIN": str(ADMIN_LOGIN),
        "TRADERGRAPH_MANAGER_PASSWORD": ADMIN_PASSWORD,
        "TRADERGRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / f'{name}.db'}",
        **env,
    }
    return served(["serve"], settings, "/readyz", workdir, name, ready_seconds)


@asynccontextmanager
async def served(
    args: list[str],
    env: Mapping[str, str],
    ready_path: str,
    workdir: Path,
    name: str,
    ready_seconds: float = READY_SECONDS,
) -> AsyncIterator[Served]:
    port = free_port()
    command = [sys.executable, "-m", "cli", *args, "--host", "127.0.0.1", "--port", str(port)]
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=_environment(env), stdout=sink, stderr=subprocess.STDOUT
        )
    running = Served(name, f"http://127.0.0.1:{port}", process.pid, log)
    try:
        await _until_ready(running, ready_path, process, ready_seconds)
        yield running
    except BaseException as error:
        error.add_note(running.output_tail())
        raise
    finally:
        await _stop(process)


def _environment(env: Mapping[str, str]) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(OWN_SETTINGS)}
    return {**inherited, **env}


async def _until_ready(
    running: Served, path: str, process: asyncio.subprocess.Process, limit: float
) -> None:
    """Poll `path` until it answers 200; bounded by `limit` seconds and by the process living."""
    deadline = time.monotonic() + limit
    last = "no answer"
    async with httpx.AsyncClient(base_url=running.url, timeout=5.0) as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{running.name} exited with {process.returncode}")
            try:
                answer = await http.get(path)
            except httpx.TransportError as error:
                last = type(error).__name__
            else:
                if answer.status_code == 200:
                    return
                last = f"{answer.status_code} {answer.text}"
            await asyncio.sleep(POLL_SECONDS)
    raise RuntimeError(f"{running.url}{path} not ready within {limit:g} s: {last}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM (uvicorn shuts down gracefully), then SIGKILL if it is still there."""
    if process.returncode is None:
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()
