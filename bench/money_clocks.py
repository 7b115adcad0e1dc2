"""Where a deposit's CPU goes: each process's CPU time per deposit, from `/proc/<pid>/stat`.

The machine has two cores, shared by the benchmark's clients, the sandbox and the service's
processes. Throughput alone cannot say whether the service is slow or merely starved; CPU time
per deposit, per process, can. With `--workers N` the service is a supervisor and N worker
processes: each worker is read on its own (`worker1`, `worker2`, ... by pid order), which also
shows how the load spread over them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from bench.graph_measure import CLIENT, CpuClocks, cpu_seconds

SERVICE = "service"
SANDBOX = "sandbox"
WORKER = "worker"
TRACKER = b"multiprocessing.resource_tracker"


def children(pid: int) -> list[int]:
    """The process's children (a supervisor's workers), by pid order, without multiprocessing's
    resource tracker (a child of the supervisor too, idle)."""
    found = sorted(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))
    return [child for child in found if TRACKER not in _command(child)]


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:  # gone since the listing
        return b""


@dataclass(frozen=True)
class ProcessClocks(CpuClocks):
    """`CpuClocks` that also reads the service's workers, each under a label of its own."""

    service_pid: int = 0
    sandbox_pid: int = 0

    def read(self) -> dict[str, float]:
        clocks = {SERVICE: cpu_seconds(self.service_pid), SANDBOX: cpu_seconds(self.sandbox_pid)}
        for number, pid in enumerate(children(self.service_pid), start=1):
            clocks[f"{WORKER}{number}"] = cpu_seconds(pid)
        return clocks | {CLIENT: time.process_time()}


def service_ms(cpu_ms: dict[str, float]) -> float:
    """The service's CPU per deposit: its supervisor and every worker."""
    return sum(ms for label, ms in cpu_ms.items() if label == SERVICE or label.startswith(WORKER))


def split(cpu_ms: dict[str, float]) -> str:
    """The workers' shares, e.g. `2.1+2.0` (empty with one worker: it is the service)."""
    workers = [ms for label, ms in sorted(cpu_ms.items()) if label.startswith(WORKER)]
    return "+".join(f"{ms:.1f}" for ms in workers)


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())
