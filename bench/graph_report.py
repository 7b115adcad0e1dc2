"""The read-graph benchmark's figures: a compact table for people, JSON for machines.

The JSON (`bench/results/latest.json` by default, gitignored) holds every figure of the table,
the per-route upstream calls, the options of the run and the machine it ran on.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.graph_bench import GraphReport
    from bench.graph_measure import SideResult
    from bench.graph_memory import MemoryResult

RESULTS = Path(__file__).parent / "results" / "latest.json"
QUICK_RESULTS = RESULTS.with_name("quick.json")
"""Where `--quick` writes, so a smoke run never replaces the figures of a full one."""


def _cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine() -> dict[str, str]:
    """When and where the figures were taken: they mean little without it."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpu": _cpu_model(),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def _side(side: SideResult) -> str:
    return (
        f"{side.name:<8}{side.queries:>8}{side.failures:>8}{side.throughput_qps:>9.1f}"
        f"{side.p50_ms:>9.1f}{side.p95_ms:>9.1f}{side.upstream_calls_per_query:>13.2f}"
    )


def _cpu(report: GraphReport) -> list[str]:
    facade, direct = report.facade.cpu_ms_per_query, report.direct.cpu_ms_per_query
    return [
        f"CPU ms/query: service {facade['service']:.1f} (facade rounds); direct client "
        f"{direct['client']:.1f}; facade client {facade['client']:.1f}; sandbox "
        f"{facade['sandbox']:.1f} (facade) / {direct['sandbox']:.1f} (direct)",
        f"service CPU / direct client CPU per query: {report.cpu_ratio:.2f} "
        f"(target <= {report.cpu_ratio_target:.2f}) " + verdict(report.cpu_ratio_passed),
    ]


def _memory(memory: MemoryResult) -> list[str]:
    walked = "" if memory.complete else " (INCOMPLETE: stopped by the page or time bound)"
    return [
        f"peak RSS of the service paging {memory.seeded_traders:,} traders, "
        f"first: {memory.page_size}: {memory.pages} pages, {memory.traders_paged:,} traders "
        f"in {memory.seconds:.0f} s, {memory.upstream_calls_per_page:.2f} upstream calls/page"
        + walked,
        f"  VmHWM {memory.peak_rss_mb:.1f} MB (target < {memory.target_mb:.0f} MB) "
        + verdict(memory.passed),
    ]


def table(report: GraphReport) -> str:
    o = report.options
    lines = [
        f"read graph: traders(first: {o.first}) acceptance query; sandbox seed {o.seed}, "
        f"{o.traders:,} traders; {o.clients} clients x {o.queries} queries x {o.rounds} "
        "rounds per side, interleaved",
        f"{'side':<8}{'queries':>8}{'failed':>8}{'q/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'calls/query':>13}",
        _side(report.facade),
        _side(report.direct),
        f"facade/direct throughput: {report.ratio:.2f} (target >= {report.ratio_target:.2f}) "
        + verdict(report.ratio_passed),
        *_cpu(report),
    ]
    if report.memory is not None:
        lines += _memory(report.memory)
    return "\n".join(lines)


def as_json(report: GraphReport) -> dict[str, object]:
    figures = asdict(report)
    figures["ratio_passed"] = report.ratio_passed
    figures["cpu_ratio_passed"] = report.cpu_ratio_passed
    if report.memory is not None:
        figures["memory"]["passed"] = report.memory.passed
    return figures


def write_json(report: GraphReport, path: Path | None = None) -> Path:
    target = path or RESULTS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(as_json(report), indent=2) + "\n", encoding="utf-8")
    return target
