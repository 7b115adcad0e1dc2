"""`tradergraph serve` tunes the garbage collector once, before it serves (server.tune_collector).

Run in a child interpreter, so the test process keeps its own settings.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc
import server
before = gc.get_threshold()
server.tune_collector()
print(before[1:] == gc.get_threshold()[1:], gc.get_threshold()[0], gc.isenabled())
"""


def test_the_young_generation_is_collected_less_often_and_the_older_ones_as_before() -> None:
    answer = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe, no shell
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    assert answer.stdout.split() == ["True", "50000", "True"]
