"""`bench.graph_instructions`: a recorded page query replayed to a fresh service, its CPU read."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.graph_instructions import record, run


def test_a_recorded_page_is_replayed_and_its_cpu_reported(tmp_path: Path) -> None:
    record(tmp_path, 200)
    page = json.loads((tmp_path / "answer.json").read_bytes())

    report = run(tmp_path, 3, 0.0, None)

    assert len(page["data"]["traders"]["edges"]) == 50
    assert re.fullmatch(r"service CPU \d+\.\d\d ms per page query over 3", report), report
