"""`tradergraph serve` tunes the garbage collector once, before it serves (server.tune_collector).

Run in a child interpreter: freezing the test process's own heap would keep every later test's
garbage alive.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc
import server
before = gc.get_threshold()
server.tune_collector()
print(before[1:] == gc.get_threshold()[1:], gc.get_threshold()[0], gc.get_freeze_count() > 1000)
"""


def test_the_heap_at_start_up_is_frozen_and_the_young_generation_waits_longer() -> None:
    answer = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe, no shell
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert answer.stdout.split() == ["True", "50000", "True"]
