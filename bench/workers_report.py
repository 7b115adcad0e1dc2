"""The workers benchmark's figures: throughput per side, and who took which share of the cores.

Besides queries/s and CPU per query, each side reports the cores each process kept busy over its
rounds (CPU seconds over wall seconds): every worker, the supervisor, the replay upstream, the
benchmark's own clients, and what the rest of the machine took (its busy time from `/proc/stat`
minus ours). The cores left for the service bound what a second worker can add, so the report
also gives each side's ceiling: the throughput the machine's cores would allow at the CPU per
query measured if only these processes ran, and the ratio of the two ceilings, which the load
of a shared machine moves far less than the ratio of throughputs. And it gives each round's
connections per worker.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest

from bench.graph_measure import percentile
from bench.workers import Clocks
from bench.workers_clients import Tally

TARGET = 1.7


@dataclass
class Usage:
    """CPU seconds over one side's rounds, per process, with the wall time they took."""

    seconds: float = 0.0
    calls: Counter[str] = field(default_factory=Counter)
    workers: list[float] = field(default_factory=list)
    supervisor: float = 0.0
    replay: float = 0.0
    clients: float = 0.0
    machine: float = 0.0
    spread: list[list[int]] = field(default_factory=list)
    loops: list[tuple[float, float]] = field(default_factory=list)
    """Per worker: seconds its event loop ran, and waited for a core."""

    def add(self, before: Clocks, after: Clocks, spread: list[int]) -> None:
        self.seconds += after.at - before.at
        each = [after.workers[pid] - before.workers.get(pid, 0.0) for pid in after.workers]
        self.workers = [a + b for a, b in zip_longest(self.workers, each, fillvalue=0.0)]
        loops = [_minus(after.loops[pid], before.loops.get(pid)) for pid in after.loops]
        self.loops = [
            (a[0] + b[0], a[1] + b[1])
            for a, b in zip_longest(self.loops, loops, fillvalue=(0.0, 0.0))
        ]
        self.supervisor += after.supervisor - before.supervisor
        self.replay += after.replay - before.replay
        self.clients += after.clients - before.clients
        self.machine += after.machine - before.machine
        self.spread.append(spread)

    @property
    def service(self) -> float:
        return sum(self.workers) + self.supervisor

    def cores(self, cpu_seconds: float) -> str:
        return f"{cpu_seconds / self.seconds:.2f}"


def _minus(now: tuple[float, float], then: tuple[float, float] | None) -> tuple[float, float]:
    return (now[0] - then[0], now[1] - then[1]) if then else now


@dataclass(frozen=True)
class Side:
    workers: int
    queries: int
    failures: int
    throughput_qps: float
    p50_ms: float
    p95_ms: float
    upstream_calls_per_query: float
    usage: Usage
    first_failure: str | None

    def ms_per_query(self, cpu_seconds: float) -> float:
        return cpu_seconds * 1000 / self.queries


def side(workers: int, tally: Tally, usage: Usage) -> Side:
    served = len(tally.latencies)
    if served == 0:
        raise RuntimeError(f"workers {workers}: every query failed: {tally.first_failure}")
    return Side(
        workers=workers,
        queries=served,
        failures=tally.failures,
        throughput_qps=served / usage.seconds,
        p50_ms=percentile(tally.latencies, 0.5) * 1000,
        p95_ms=percentile(tally.latencies, 0.95) * 1000,
        upstream_calls_per_query=usage.calls.total() / served,
        usage=usage,
        first_failure=tally.first_failure,
    )


HEAD = ("workers", "queries", "failed", "q/s", "p50 ms", "p95 ms", "calls/q", "cpu ms/q")
ROW = "{:<8}{:>8}{:>8}{:>8}{:>9}{:>9}{:>9}{:>10}{:>8}{:>9}"


def _row(s: Side) -> str:
    u = s.usage
    return ROW.format(
        s.workers,
        s.queries,
        s.failures,
        f"{s.throughput_qps:.1f}",
        f"{s.p50_ms:.1f}",
        f"{s.p95_ms:.1f}",
        f"{s.upstream_calls_per_query:.2f}",
        f"{s.ms_per_query(u.service):.2f}",
        f"{s.ms_per_query(u.replay):.2f}",
        f"{s.ms_per_query(u.clients):.2f}",
    )


def _cores(s: Side) -> str:
    u = s.usage
    others = u.machine - u.service - u.replay - u.clients
    each = " + ".join(u.cores(w) for w in u.workers)
    return (
        f"workers {s.workers}: worker(s) {each}, supervisor {u.cores(u.supervisor)}, replay"
        f" {u.cores(u.replay)}, clients {u.cores(u.clients)}, rest of the machine"
        f" {u.cores(max(others, 0.0))}; busy {u.cores(u.machine)} of {os.cpu_count()}"
    )


def _loops(s: Side) -> str:
    u = s.usage
    each = (
        f"ran {ran / u.seconds:.2f}, waited for a core {waited / u.seconds:.2f},"
        f" idle {1 - (ran + waited) / u.seconds:.2f}"
        for ran, waited in u.loops
    )
    return f"workers {s.workers}: " + " / ".join(each)


def ceiling(s: Side) -> float:
    """Queries/s the machine's cores would allow at this side's CPU costs, were nothing else
    running: its workers use at most a core each, and share the cores with the replay and the
    clients."""
    u, cores = s.usage, os.cpu_count() or 1
    return min(
        s.workers * s.queries / u.service, cores * s.queries / (u.service + u.replay + u.clients)
    )


def _ceilings(sides: list[Side]) -> str:
    one, two = (ceiling(s) for s in sides)
    return (
        f"ceilings on {os.cpu_count()} idle cores at these CPU costs per query: workers 1"
        f" {one:.1f} q/s, workers 2 {two:.1f} q/s: {two / one:.2f}x"
    )


PAGES = {
    "same": "every client asks the first page (identical reads in flight shared within a worker)",
    "distinct": "each client asks a page of its own (no two clients' list calls the same)",
}


def _calls(s: Side) -> str:
    each = sorted(s.usage.calls.items())
    return f"workers {s.workers}: " + ", ".join(f"{c} {n / s.queries:.2f}" for c, n in each)


def ratio(sides: list[Side]) -> float:
    return sides[1].throughput_qps / sides[0].throughput_qps


def reports(by_pages: dict[str, list[Side]]) -> str:
    """Each mode's report; with both, a last line with both ratios side by side."""
    text = "\n\n".join(report(sides, pages) for pages, sides in by_pages.items())
    if len(by_pages) < 2:
        return text
    both = ", ".join(f"{pages} pages {ratio(sides):.2f}" for pages, sides in by_pages.items())
    return f"{text}\n\nworkers 2 / workers 1 throughput: {both}"


def report(sides: list[Side], pages: str) -> str:
    lines = [f"pages {pages}: {PAGES[pages]}", ROW.format(*HEAD, "replay", "clients")]
    lines += [_row(s) for s in sides]
    verdict = "PASS" if ratio(sides) >= TARGET else "FAIL"
    load = " ".join(f"{n:.2f}" for n in os.getloadavg())
    lines += [
        "",
        f"workers 2 / workers 1 throughput: {ratio(sides):.2f} (target >= {TARGET:.1f}) {verdict}",
        "upstream calls per query, by call: " + "; ".join(_calls(s) for s in sides),
        "cores kept busy over the rounds (CPU seconds / wall seconds):",
        *(_cores(s) for s in sides),
        "each worker's event loop (its main thread, /proc/<pid>/schedstat; idle: nothing to do):",
        *(_loops(s) for s in sides),
        _ceilings(sides),
        "connections per worker, each round: "
        + "; ".join(f"workers {s.workers} {s.usage.spread}" for s in sides),
        f"load average at the end: {load} on {os.cpu_count()} CPUs (a shared machine is noisy)",
    ]
    lines += [
        f"workers {s.workers} failed first with: {s.first_failure}"
        for s in sides
        if s.first_failure
    ]
    return "\n".join(lines)
