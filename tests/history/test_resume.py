"""The backfill survives a kill: a real `tradergraph history sync` process is killed (SIGKILL)
after some windows, and the same command continues from the first window it had not saved,
reading no saved window again; the mirror then holds exactly the upstream's deals."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from store.db import make_engine, read
from store.deals import deals, window_records
from tests.history.oracle import grid_rows
from tests.resolvers.harness import WEBSERV, Upstream, md5
from tests.support import processes
from tests.support.fixtures import ADMIN_LOGIN, ADMIN_PASSWORD

ANCHOR_MS = 1_772_409_600_000  # 2026-03-02T00:00:00Z
RANGE = ["--from", "2026-01-01", "--to", "2026-02-10"]  # 20 windows, all settled once read
RANGE_TIMES = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 10, tzinfo=UTC))
WINDOWS = 20
KILL_AFTER = 3


def _env(sandbox_url: str, database: Path) -> dict[str, str]:
    return {
        "TRADERGRAPH_UPSTREAM_URL": sandbox_url,
        "TRADERGRAPH_MANAGER_LOGIN": str(ADMIN_LOGIN),
        "TRADERGRAPH_MANAGER_PASSWORD": ADMIN_PASSWORD,
        "TRADERGRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
    }


async def _sync(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli", "history", "sync", *RANGE,
        cwd=processes.ROOT,
        env=processes._environment(env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip


async def _killed_after(process: asyncio.subprocess.Process, windows: int) -> list[str]:
    """The progress lines up to the `windows`-th, then SIGKILL (no chance to clean up)."""
    assert process.stdout is not None
    seen: list[str] = []
    while len(seen) < windows:
        line = (await process.stdout.readline()).decode()
        assert line, f"the sync ended early: {seen}"
        if line.startswith("["):
            seen.append(line.strip())
    process.send_signal(signal.SIGKILL)
    await process.wait()
    return seen


async def _saved(database: Path) -> tuple[list[int], set[int]]:
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    try:
        records = await read(engine, window_records)
        ids = await read(engine, lambda c: set(c.execute(deals.select()).scalars()))
    finally:
        await engine.dispose()
    return [record.start_ms for record in records], ids


async def test_a_killed_sync_continues_from_the_first_window_it_had_not_saved(
    tmp_path: Path,
) -> None:
    database = tmp_path / "service.db"
    async with (
        processes.sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url) as http,
    ):
        seeded = {"seed": 5, "traders": 150, "anchorMs": ANCHOR_MS}
        await http.post("/_sandbox/seed", json=seeded)
        slow = {"action": "latency", "path": f"{WEBSERV}/closedPositions", "latencyMs": 100}
        await http.post("/_sandbox/faults", json=slow)
        env = _env(sandbox.url, database)
        before_kill = await _killed_after(await _sync(env), KILL_AFTER)
        saved, _ = await _saved(database)
        await http.post("/_sandbox/stats/reset")
        second = await _sync(env)
        output, _ = await second.communicate()
        stats = (await http.get("/_sandbox/stats")).json()["requests"]
        token = await _token(http)
        upstream = Upstream(http, token)
        expected = {int(row["dealId"]) for row in await grid_rows(upstream, *RANGE_TIMES)}
    _, mirrored = await _saved(database)
    lines = [line for line in output.decode().splitlines() if line.startswith("[")]
    skipped = [line for line in lines if line.endswith("already synced")]
    assert (second.returncode, len(lines), len(skipped)) == (0, WINDOWS, len(saved))
    assert KILL_AFTER <= len(saved) < WINDOWS, before_kill
    assert lines[: len(saved)] == skipped  # the saved windows are the first ones, all skipped
    assert stats[f"GET {WEBSERV}/closedPositions"] == WINDOWS - len(saved)
    assert (mirrored, len(expected) > 20) == (expected, True)


async def _token(http: httpx.AsyncClient) -> str:
    body = {"login": ADMIN_LOGIN, "hashedPassword": md5(ADMIN_PASSWORD)}
    answer = await http.post(
        f"{WEBSERV}/managers/token", json=body, headers={"Accept": "application/json"}
    )
    return str(answer.json()["webservToken"])
