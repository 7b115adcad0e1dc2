"""The pure parts of the read-graph benchmark: percentiles, wire times, options."""

from __future__ import annotations

import argparse
import os

from bench.graph_bench import QUICK, Options, options_from
from bench.graph_clients import amount, wire_time
from bench.graph_measure import TICKS_PER_SECOND, cpu_seconds, percentile


def test_percentiles_are_nearest_rank() -> None:
    samples = [float(n) for n in range(20, 0, -1)]
    assert [percentile(samples, share) for share in (0.5, 0.95, 1.0)] == [10.0, 19.0, 20.0]


def test_a_percentile_of_one_sample_is_that_sample() -> None:
    assert percentile([0.25], 0.95) == 0.25


def test_wire_times_keep_the_milliseconds() -> None:
    assert wire_time(1740184411693) == "2025-02-22T00:33:31.693"


def test_amounts_are_scaled_by_money_digits_exactly() -> None:
    assert [amount(123456789, 2), amount(1, 8)] == ["1234567.89", "0.00000001"]


def test_quick_options_can_be_overridden_one_by_one() -> None:
    args = argparse.Namespace(
        quick=True, traders=None, clients=2, rounds=None, queries=None, memory_traders=None
    )
    assert options_from(args) == Options(
        traders=QUICK.traders,
        clients=2,
        rounds=QUICK.rounds,
        queries=QUICK.queries,
        memory_traders=QUICK.memory_traders,
    )


def test_cpu_seconds_reads_the_same_clock_as_os_times() -> None:
    """utime + stime from `/proc/<pid>/stat` against the kernel's `times()` for this process."""
    sum(range(2_000_000))  # spend a little CPU so the clock is not at zero
    mine = os.times()
    read = cpu_seconds(os.getpid())
    assert abs(read - (mine.user + mine.system)) <= 2 / TICKS_PER_SECOND
