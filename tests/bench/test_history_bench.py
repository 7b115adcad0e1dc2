"""`bench.history_bench` with tiny sizes: the report's lines, never its timings."""

from __future__ import annotations

import asyncio
import re

from bench.history_bench import Options, report, run

TINY = Options(traders=60, days=4, rounds=1, queries=1)


def test_a_tiny_run_reports_every_figure_with_its_target() -> None:
    result = asyncio.run(run(TINY))
    labels = [re.split(r"\s{2,}", line.strip())[0] for line in report(result).splitlines()]
    assert (labels, len(result.questions)) == (
        [
            "traders",
            "days",
            "windows",
            "deals",
            "download (best of 1)",
            "backfill (best of 1)",
            "backfill / download",
            "backfill CPU per window",
            "upstream CPU per window",
            "sync process",
            "sync peak RSS",
            "Partner.activity",
            "mirror",
            "from the grids",
            "speedup",
            "Query.activity(groupBy: [DAY])",
            "mirror",
            "from the grids",
            "speedup",
        ],
        2,
    )
