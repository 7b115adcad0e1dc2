"""`python -m bench`: which benchmarks run, with what arguments, and how each run ends."""

from __future__ import annotations

import re
import sys

from bench.__main__ import BENCHMARKS, Benchmark, Outcome, command, run_one, selected

SANDBOX, MONEY, GRAPH, FRONT_DOOR, SHARED_READS, HISTORY, SUBSCRIPTIONS, WORKERS = BENCHMARKS
PYTHON = sys.executable


def labels(output: str) -> list[str]:
    """The first column of each line: the report's shape without its figures."""
    return [re.split(r"\s{2,}", line.strip())[0] for line in output.strip().splitlines()]


def test_every_benchmark_runs_when_none_is_named() -> None:
    assert selected(None) == [
        SANDBOX,
        MONEY,
        GRAPH,
        FRONT_DOOR,
        SHARED_READS,
        HISTORY,
        SUBSCRIPTIONS,
        WORKERS,
    ]


def test_only_names_the_benchmarks_to_run() -> None:
    assert selected(["graph", "sandbox"]) == [SANDBOX, GRAPH]


MONEY_QUICK = ("--operations", "100", "--concurrency", "4", "--rounds", "1")


def test_quick_passes_each_module_its_small_sizes() -> None:
    assert [command(b, quick=True) for b in BENCHMARKS] == [
        [PYTHON, "-m", "bench.sandbox_bench", "--requests", "200", "--traders", "2000"],
        [PYTHON, "-m", "bench.money_bench", *MONEY_QUICK],
        [PYTHON, "-m", "bench.graph_bench", "--quick"],
        [PYTHON, "-m", "bench.front_door_bench", "--quick"],
        [PYTHON, "-m", "bench.shared_reads_bench", "--quick"],
        [PYTHON, "-m", "bench.history_bench", "--quick"],
        [PYTHON, "-m", "bench.subscription_bench", "--quick"],
        [PYTHON, "-m", "bench.workers_bench", "--quick"],
    ]


def test_a_full_run_passes_no_sizes() -> None:
    assert command(GRAPH, quick=False) == [PYTHON, "-m", "bench.graph_bench"]


def test_a_missing_module_is_reported_missing_not_failed() -> None:
    absent = Benchmark("absent", "bench.no_such_bench", "nothing", ())
    assert run_one(absent, command(absent, quick=True), 10.0) == Outcome(absent, "missing", 0.0, "")


def test_a_failing_benchmark_reports_its_exit_status_and_output() -> None:
    args = [PYTHON, "-c", "print('half done'); raise SystemExit(3)"]
    outcome = run_one(GRAPH, args, 30.0)
    assert (outcome.status, outcome.output, outcome.ran) == (
        "failed (exit 3)",
        "half done\n",
        False,
    )


def test_a_benchmark_past_its_time_bound_is_killed() -> None:
    args = [PYTHON, "-c", "import threading; threading.Event().wait()"]
    outcome = run_one(GRAPH, args, 0.5)
    assert (outcome.status, outcome.ran) == ("timed out", False)


def test_the_sandbox_benchmark_reports_its_five_figures() -> None:
    args = [PYTHON, "-m", "bench.sandbox_bench", "--requests", "5", "--traders", "20"]
    args += ["--history-traders", "20", "--history-days", "30"]
    outcome = run_one(SANDBOX, args, 120.0)
    assert (outcome.status, labels(outcome.output)) == (
        "ok",
        [
            "sandbox benchmark",
            "GET /v2/webserv/traders/{login}",
            "POST /v2/webserv/traders/{login}/changebalance",
            "seed 20 traders without history (SQLite in memory)",
            "seed 20 traders with 30 days of history",
            "list 20 traders, fields=login,balance",
        ],
    )


def test_the_money_benchmark_reports_three_paths_and_its_verdicts() -> None:
    args = [PYTHON, "-m", "bench.money_bench", "--operations", "8", "--concurrency", "2"]
    args += ["--rounds", "1", "--workers", "2"]
    outcome = run_one(MONEY, args, 240.0)
    assert (outcome.status, [label.split()[0] for label in labels(outcome.output) if label]) == (
        "ok",
        ["path", "direct", "journal", "facade", "facade/direct", "one"],
    )


def test_the_subscription_benchmark_reports_one_row_per_subscriber_count() -> None:
    args = [PYTHON, "-m", "bench.subscription_bench", "--quick", "--subscribers", "1", "2"]
    outcome = run_one(SUBSCRIPTIONS, [*args, "--accounts", "1", "20"], 180.0)
    assert (outcome.status, labels(outcome.output)) == (
        "ok",
        [
            "subscribers",
            "1",
            "2",
            "one poll per 1 s is 60 calls/min",
            "",
            "10 subscribers sharing the accounts watched:",
            "",
            "accounts",
            "1",
            "20",
            "one poll per 1 s is 60 calls/min",
        ],
    )


WORKERS_REPORT = [
    "pages",
    "workers",
    "1",
    "2",
    "workers",
    "upstream",
    "cores",
    "workers",
    "workers",
    "each",
    "workers",
    "workers",
    "ceilings",
    "connections",
    "load",
]


def test_the_workers_benchmark_reports_both_sides_and_its_verdict_for_both_pages() -> None:
    """Distinct pages: 2 clients, 2 pages of 50 of the 120 traders."""
    args = [PYTHON, "-m", "bench.workers_bench", "--traders", "120", "--clients", "2"]
    args += ["--rounds", "1", "--seconds", "1"]
    outcome = run_one(WORKERS, args, 300.0)
    assert (outcome.status, [label.split()[0] for label in labels(outcome.output) if label]) == (
        "ok",
        [*WORKERS_REPORT, *WORKERS_REPORT, "workers"],
    )
    # Each client its own page: no list call is shared, on either side.
    distinct = outcome.output.split("pages distinct:", 1)[1]
    calls = next(line for line in distinct.splitlines() if line.startswith("upstream calls"))
    assert re.findall(r"GET /v2/webserv/traders/ (\d+\.\d\d)", calls) == ["1.00", "1.00"]
