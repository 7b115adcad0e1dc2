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


def test_each_side_reports_its_cpu_per_query_in_each_process() -> None:
    facade = SideResult("facade", 80, 0, 4.0, 20.0, 100.0, 200.0, 0.1, {}, None, {"service": 9.5})
    cpu = {"service": 0.5, "sandbox": 26.0, "client": 8.5}
    direct = SideResult("direct", 80, 0, 8.0, 10.0, 150.0, 300.0, 2.0, {}, None, cpu)

    lines = table(SharedReport(QUICK, facade, direct, 9.5, 2.0, {})).splitlines()

    assert lines[1:4] == [
        "side     queries  failed      q/s   p50 ms   p95 ms  calls/query"
        "  CPU ms/query: service / sandbox / client = all",
        "facade        80       0     20.0      100      200        0.100  9.5 / 0.0 / 0.0 = 9.5",
        "direct        80       0     10.0      150      300        2.000  0.5 / 26.0 / 8.5 = 35.0",
    ]
