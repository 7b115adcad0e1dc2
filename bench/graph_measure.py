"""Side-by-side timing: rounds of concurrent queries, interleaved facade/direct/facade/direct.

A round runs `clients` concurrent loops of `queries` each (bounded by a deadline too); rounds
alternate between the two sides, so drift on a shared, noisy machine (another process, thermal
throttling, the sandbox's caches) falls on both. The sandbox's request counters are zeroed
before every round and read after it, giving the upstream calls each side spent per query.
Optionally, the CPU time of named processes (`CpuClocks`: the service, the sandbox, the
benchmark's own process, where the clients run) is read from `/proc/<pid>/stat` around every
round too, giving each side's CPU milliseconds per query in each process.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import httpx

Query = Callable[[], Awaitable[object]]
"""One page query; raising counts as a failed query."""

CLIENT = "client"
"""The label of the benchmark's own process, where the clients run."""
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has spent so far, from `/proc/<pid>/stat`."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = (
            stat.read().rsplit(")", 1)[1].split()
        )  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND  # utime, stime (fields 14, 15)


@dataclass(frozen=True)
class CpuClocks:
    """The processes whose CPU time a round reads, by label (the benchmark's own is `client`)."""

    pids: Mapping[str, int] = field(default_factory=dict)

    def read(self) -> dict[str, float]:
        """Other processes in clock ticks from /proc; our own from `time.process_time()`, the
        same user plus system time at a finer grain, so a short round's client CPU is not 0."""
        return {label: cpu_seconds(pid) for label, pid in self.pids.items()} | {
            CLIENT: time.process_time()
        }


@dataclass(frozen=True)
class RoundSize:
    clients: int
    queries: int
    limit_seconds: float


@dataclass
class Tally:
    """What one side's rounds added up to."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0
    first_failure: str | None = None
    calls: Counter[str] = field(default_factory=Counter)
    cpu_seconds: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class SideResult:
    name: str
    queries: int
    failures: int
    seconds: float
    throughput_qps: float
    p50_ms: float
    p95_ms: float
    upstream_calls_per_query: float
    upstream_calls_by_route: dict[str, float]
    first_failure: str | None = None
    cpu_ms_per_query: dict[str, float] = field(default_factory=dict)
    """CPU milliseconds per query served, by process label (empty when no clocks were read)."""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (defined for any non-empty sample, unlike `statistics`)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class SandboxStats:
    """The sandbox's request counters (`/_sandbox/stats`), per route template."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def reset(self) -> None:
        (await self._http.post("/_sandbox/stats/reset")).raise_for_status()

    async def read(self) -> Counter[str]:
        answer = await self._http.get("/_sandbox/stats")
        answer.raise_for_status()
        return Counter({str(route): int(n) for route, n in answer.json()["requests"].items()})


async def _client(query: Query, count: int, deadline: float, tally: Tally) -> None:
    for _ in range(count):
        if time.monotonic() > deadline:
            return
        started = time.perf_counter()
        try:
            await query()
        except Exception as error:  # counted, not fatal: the report shows failures and the first
            tally.failures += 1
            tally.first_failure = tally.first_failure or repr(error)[:300]
            continue
        tally.latencies.append(time.perf_counter() - started)


async def one_round(
    query: Query, size: RoundSize, tally: Tally, stats: SandboxStats, clocks: CpuClocks
) -> None:
    """`size.clients` loops of `size.queries` queries at once, added to `tally`.

    The CPU clocks are read right around the queries, inside the sandbox's counter calls, so
    the benchmark's own bookkeeping does not count as a side's work.
    """
    await stats.reset()
    deadline = time.monotonic() + size.limit_seconds
    cpu_before, started = clocks.read(), time.perf_counter()
    loops = (_client(query, size.queries, deadline, tally) for _ in range(size.clients))
    await asyncio.gather(*loops)
    tally.seconds += time.perf_counter() - started
    cpu_after = clocks.read()
    tally.cpu_seconds.update({label: cpu_after[label] - cpu_before[label] for label in cpu_after})
    tally.calls.update(await stats.read())


async def interleaved(
    sides: Mapping[str, Query],
    size: RoundSize,
    rounds: int,
    stats: SandboxStats,
    clocks: CpuClocks | None = None,
) -> dict[str, Tally]:
    """`rounds` rounds of each side, in turn (A, B, A, B, ...)."""
    tallies = {name: Tally() for name in sides}
    for _ in range(rounds):
        for name, query in sides.items():
            await one_round(query, size, tallies[name], stats, clocks or CpuClocks())
    return tallies


def summary(name: str, tally: Tally) -> SideResult:
    served = len(tally.latencies)
    if served == 0:
        raise RuntimeError(f"{name}: every query failed ({tally.failures})")
    per_route = {route: n / served for route, n in sorted(tally.calls.items())}
    return SideResult(
        name=name,
        queries=served,
        failures=tally.failures,
        seconds=tally.seconds,
        throughput_qps=served / tally.seconds,
        p50_ms=percentile(tally.latencies, 0.50) * 1000,
        p95_ms=percentile(tally.latencies, 0.95) * 1000,
        upstream_calls_per_query=sum(tally.calls.values()) / served,
        upstream_calls_by_route=per_route,
        first_failure=tally.first_failure,
        cpu_ms_per_query={
            label: seconds * 1000 / served for label, seconds in sorted(tally.cpu_seconds.items())
        },
    )
