"""`bench.graph_bench` with tiny sizes: the report's shape and the harness's own bookkeeping.

Never timings: the figures are whatever the machine gives. One run serves every test here (it
starts two sandboxes and two services on loopback, each its own process).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bench.graph_bench import GraphReport, Options, run
from bench.graph_report import as_json, table, write_json

# One client: concurrent clients' identical reads would share upstream calls (upstream/sharing.py),
# and the calls per query would depend on timing.
TINY = Options(traders=60, clients=1, rounds=1, queries=2, memory_traders=150, memory_page=50)
ROUTES = ("upstream_calls_by_route",)


@pytest.fixture(scope="module")
def report() -> GraphReport:
    return asyncio.run(run(TINY))


def shape(value: object) -> object:
    """The value with every leaf replaced by its type's name (routes: a dict of floats)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items() if key not in ROUTES}
    return type(value).__name__


SIDE = {
    "name": "str",
    "queries": "int",
    "failures": "int",
    "seconds": "float",
    "throughput_qps": "float",
    "p50_ms": "float",
    "p95_ms": "float",
    "upstream_calls_per_query": "float",
    "first_failure": "NoneType",  # no query of a healthy run fails
    "cpu_ms_per_query": {"client": "float", "sandbox": "float", "service": "float"},
}


def test_the_json_holds_options_both_sides_ratio_memory_and_machine(report: GraphReport) -> None:
    assert shape(as_json(report)) == {
        "options": {
            "seed": "int",
            "traders": "int",
            "first": "int",
            "clients": "int",
            "rounds": "int",
            "queries": "int",
            "round_limit_seconds": "float",
            "memory_traders": "int",
            "memory_page": "int",
            "memory_limit_seconds": "float",
        },
        "facade": SIDE,
        "direct": SIDE,
        "ratio": "float",
        "ratio_target": "float",
        "ratio_passed": "bool",
        "cpu_ratio": "float",
        "cpu_ratio_target": "float",
        "cpu_ratio_passed": "bool",
        "memory": {
            "seeded_traders": "int",
            "page_size": "int",
            "pages": "int",
            "traders_paged": "int",
            "complete": "bool",
            "seconds": "float",
            "upstream_calls_per_page": "float",
            "peak_rss_mb": "float",
            "target_mb": "float",
            "passed": "bool",
        },
        "machine": dict.fromkeys(("date", "host", "cpu", "cpus", "python", "kernel"), "str"),
    }


def test_both_sides_pay_one_trader_list_and_one_grid_per_page(report: GraphReport) -> None:
    """Counted by the sandbox per route template, per query served (warm index, warm token)."""
    per_page = {"GET /v2/webserv/openPositions": 1.0, "GET /v2/webserv/traders/": 1.0}
    routes = [report.facade.upstream_calls_by_route, report.direct.upstream_calls_by_route]
    assert routes == [per_page, per_page]


def test_every_query_of_every_round_is_served_and_counted(report: GraphReport) -> None:
    served = TINY.clients * TINY.queries * TINY.rounds
    counts = [(side.queries, side.failures) for side in (report.facade, report.direct)]
    assert counts == [(served, 0), (served, 0)]


def test_the_memory_walk_visits_every_seeded_trader_once(report: GraphReport) -> None:
    assert report.memory is not None
    walked = (report.memory.pages, report.memory.traders_paged, report.memory.complete)
    assert walked == (3, 150, True)


def test_the_table_has_a_line_per_figure(report: GraphReport) -> None:
    firsts = [line.split()[0] for line in table(report).splitlines()]
    assert firsts == [
        "read",
        "side",
        "facade",
        "direct",
        "facade/direct",
        "CPU",
        "service",
        "peak",
        "VmHWM",
    ]


def test_the_json_file_is_the_report(report: GraphReport, tmp_path: Path) -> None:
    written = write_json(report, tmp_path / "results" / "latest.json")
    assert json.loads(written.read_text(encoding="utf-8")) == as_json(report)
