"""A service with several workers behind one port, as the benchmarks measure it.

`every_worker_ready` waits until each worker has answered `/readyz` at least once, so no timed
round begins while one worker is still starting (its keep-alive connections would all go to the
other). Each worker's first `/readyz` takes the upstream token once, so the upstream's counter of
token calls (the sandbox's `/_sandbox/stats`, or the replay's) says how many have answered; each
probe comes on a connection of its own.

What the 2 cores did, from `/proc`: `cpu_seconds` is the CPU a supervisor and its workers have
used (`/proc/<pid>/stat`), `Clocks` reads it per process (each worker, the supervisor, the
replay, the benchmark's own clients) and the whole machine's busy time (`/proc/stat`), so a
report can say who took which share of the cores, and, per worker, how long its event loop ran,
waited for a core, or idled (`loop_seconds`): a worker short of its core either had nothing to
do or could not get one; `connections` counts the established
connections each worker holds on the service's port (its socket inodes in `/proc/<pid>/fd`,
matched in `/proc/net/tcp`): how the clients' keep-alive connections spread over the workers;
`listening` names the socket(s) a worker listens on (shared with the others, or its own).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.graph_measure import SandboxStats

TOKEN_CALL = "POST /v2/webserv/managers/token"  # noqa: S105 - a route, not a secret
TICKS = os.sysconf("SC_CLK_TCK")
ESTABLISHED, LISTEN = "01", "0A"  # st in /proc/net/tcp


def children(pid: int) -> list[int]:
    """A process's direct children, in pid order."""
    return sorted(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))


def workers_of(pid: int) -> list[int]:
    """A supervisor's worker processes: the children `multiprocessing` spawned (`spawn_main`)."""
    return [each for each in children(pid) if b"spawn_main" in _cmdline(each)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone meanwhile
        return b""


def own_cpu(pid: int) -> float:
    """User and system CPU of `pid` alone so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14, 15 of stat(5)


def loop_seconds(pid: int) -> tuple[float, float]:
    """Seconds `pid`'s main thread (its event loop) ran on a core, and waited for one while it
    could run (`/proc/<pid>/schedstat`, nanoseconds): what is left of the wall time it idled."""
    ran, waited, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
    return int(ran) / 1e9, int(waited) / 1e9


def cpu_seconds(pid: int) -> float:
    """User and system CPU of `pid` and of its children (a supervisor's workers), so far."""
    return sum(own_cpu(each) for each in (pid, *children(pid)))


def machine_busy() -> float:
    """CPU seconds every core of the machine spent busy (not idle, not waiting on I/O) so far."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / TICKS  # all but idle and iowait; no guests


@dataclass(frozen=True)
class Clocks:
    """CPU seconds so far of each process that takes part, and of the machine, at one moment."""

    at: float
    workers: dict[int, float]
    loops: dict[int, tuple[float, float]]
    supervisor: float
    replay: float
    clients: float
    machine: float

    @classmethod
    def read(cls, service_pid: int, replay_pid: int) -> Clocks:
        spawned = {pid: own_cpu(pid) for pid in workers_of(service_pid)}
        others = [pid for pid in children(service_pid) if pid not in spawned]
        workers = spawned or {service_pid: own_cpu(service_pid)}  # one: uvicorn in-process
        return cls(
            time.perf_counter(),
            workers,
            {pid: loop_seconds(pid) for pid in workers},
            sum(own_cpu(pid) for pid in (service_pid, *others)) if spawned else 0.0,
            own_cpu(replay_pid),
            time.process_time(),  # this process: the closed-loop clients
            machine_busy(),
        )


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _sockets(pid: int, port: int, state: str) -> list[str]:
    """Inodes of the TCP sockets `pid` holds in `state` whose local port is `port` (none once
    the process has exited: a killed worker, still a zombie, has no `/proc/<pid>/net`)."""
    try:
        inodes, tables = _socket_inodes(pid), [_table(pid, "tcp"), _table(pid, "tcp6")]
    except FileNotFoundError:
        return []
    found = []
    for table in tables:
        for line in table.splitlines()[1:]:
            cells = line.split()
            local_port = int(cells[1].rsplit(":", 1)[1], 16)
            if cells[3] == state and local_port == port and cells[9] in inodes:
                found.append(cells[9])
    return found


def _table(pid: int, name: str) -> str:
    return Path(f"/proc/{pid}/net/{name}").read_text()


def connections(pid: int, port: int) -> int:
    """Established TCP connections `pid` holds whose local port is `port` (IPv4 and IPv6)."""
    return len(_sockets(pid, port, ESTABLISHED))


def listening(pid: int, port: int) -> list[str]:
    """Inodes of the sockets `pid` listens on at `port`: one shared inode, or one of its own."""
    return _sockets(pid, port, LISTEN)


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
