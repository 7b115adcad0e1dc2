"""`bench.front_door_bench` with tiny sizes: the report's shape, never its timings."""

from __future__ import annotations

import json
from pathlib import Path

from bench.front_door_bench import MAX_BODY, main, maximal_document
from settings.limits import LimitSettings


def test_the_maximal_document_fills_the_body_cap() -> None:
    body = json.dumps({"query": maximal_document()}).encode()

    assert MAX_BODY - 512 < len(body) <= LimitSettings().max_body_bytes == MAX_BODY


def test_a_quick_run_reports_both_measures(tmp_path: Path) -> None:
    written = tmp_path / "front_door.json"

    assert main(["--quick", "--json", str(written)]) == 0

    report = json.loads(written.read_text(encoding="utf-8"))
    assert {name: sorted(figures) for name, figures in report.items()} == {
        "anonymous_versus_logged_in": [
            "anonymous_cpu_ms",
            "document_bytes",
            "logged_in_cpu_ms",
            "ratio",
        ],
        "flooded": ["p50_alone_ms", "p50_flooded_ms", "ratio", "service_cpu_share_flooded"],
    }
