"""Long work shows progress: the sandbox's seeding reports each chunk of traders it generated and
wrote, and `tradergraph demo` prints those reports and how long each phase took.

Chunks are 10,000 traders; these tests shrink them to 10 so a few dozen traders show several.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

import demo
from sandbox import SandboxSettings, create_app, seed
from tests.explorer.served import free_port


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seed, "CHUNK", 10)


async def test_seeding_reports_traders_generated_then_written_chunk_by_chunk() -> None:
    reports: list[tuple[str, int, int]] = []
    app = create_app(
        SandboxSettings(seed=42, traders=25),
        progress=lambda step, done, total: reports.append((step, done, total)),
    )
    async with app.router.lifespan_context(app):
        pass
    assert reports == [
        ("generated", 10, 25),
        ("generated", 20, 25),
        ("generated", 25, 25),
        ("written", 10, 25),
        ("written", 20, 25),
        ("written", 25, 25),
    ]


async def test_the_demo_prints_seeding_progress_and_phase_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox_port = free_port()
    args = demo.build_parser().parse_args(
        ["--port", str(free_port()), "--sandbox-port", str(sandbox_port), "--traders", "25"]
    )
    ready, stop = asyncio.Event(), asyncio.Event()
    database = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    running = asyncio.create_task(demo.run(args, database, ready=ready, stop=stop))
    await asyncio.wait_for(ready.wait(), timeout=60)
    stop.set()
    await asyncio.wait_for(running, timeout=30)
    lines = capsys.readouterr().out.splitlines()[:8]
    timed = [re.sub(r"in \d+\.\d s$", "in T s", line) for line in lines]
    assert timed == [
        "seeding the sandbox: seed 42, 25 traders ...",
        "  generated 10/25 traders (40%)",
        "  generated 20/25 traders (80%)",
        "  generated 25/25 traders (100%)",
        "  written 10/25 traders (40%)",
        "  written 20/25 traders (80%)",
        "  written 25/25 traders (100%)",
        f"sandbox (emulated WebServices API) at http://127.0.0.1:{sandbox_port}, ready in T s",
    ]
