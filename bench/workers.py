"""A service with several workers behind one port, as the benchmarks measure it.

`every_worker_ready` waits until each worker has answered `/readyz` at least once, so no timed
round begins while one worker is still starting (its keep-alive connections would all go to the
other). Each worker's first `/readyz` takes the upstream token once, so the upstream's counter of
token calls (the sandbox's `/_sandbox/stats`, or the replay's) says how many have answered; each
probe comes on a connection of its own, which the kernel hands to whichever worker accepts first.
`cpu_seconds` is the CPU a supervisor and its workers have used, from `/proc/<pid>/stat`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from bench.graph_measure import SandboxStats

TOKEN_CALL = "POST /v2/webserv/managers/token"  # noqa: S105 - a route, not a secret
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU of `pid` and of its children (a supervisor's workers), so far."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for each in (pid, *map(int, children)):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return total / TICKS


async def every_worker_ready(
    url: str, workers: int, stats: SandboxStats, limit_seconds: float = 120.0
) -> None:
    """Probe `/readyz` on fresh connections until `workers` token calls reached the upstream.

    Call it before anything else of the run talks to the upstream (its token calls would count).
    """
    await stats.reset()
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        async with httpx.AsyncClient(base_url=url, timeout=30.0) as probe:
            await probe.get("/readyz")
        if (await stats.read())[TOKEN_CALL] >= workers:
            return
    raise RuntimeError(f"not every one of {workers} workers answered within {limit_seconds:.0f} s")
