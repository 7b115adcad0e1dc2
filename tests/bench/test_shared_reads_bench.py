"""`bench.shared_reads_bench`'s verdicts and table, from figures given (never timings)."""

from __future__ import annotations

from bench.graph_measure import SideResult
from bench.shared_reads_bench import QUICK, SharedReport, as_json, table


def side(name: str, qps: float, calls: float) -> SideResult:
    return SideResult(name, 80, 0, 80 / qps, qps, 100.0, 200.0, calls, {})


def report(facade_qps: float, calls: float) -> SharedReport:
    direct = side("direct", 10.0, 2.0)
    facade = side("facade", facade_qps, calls)
    return SharedReport(QUICK, facade, direct, 4.5, facade_qps / 10.0, {})


def test_both_targets_met_pass() -> None:
    assert table(report(25.0, 0.1)).splitlines()[-3:] == [
        "facade upstream calls/query 0.100 (target <= 0.2): PASS",
        "facade/direct throughput 2.50 (target >= 2.0): PASS",
        "service CPU per facade query 4.5 ms",
    ]


def test_too_many_calls_or_too_slow_fail() -> None:
    failing = as_json(report(15.0, 0.3))
    assert (failing["calls_passed"], failing["ratio_passed"]) == (False, False)
