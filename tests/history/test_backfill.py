"""The backfill reads a window while the one before it is saved (history/behind.py): a read that
fails still lets the window before it finish saving and be reported, every window lock is given
back, and the next run reads only what was not saved."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from history.locks import LocalLocks
from history.sync import Outcome, Sync, WindowDone, grid_rows
from history.windows import WIDTH_MS, Window
from store.db import create_tables, make_engine, read
from store.deals import window_records
from tests.resolvers.harness import ADMIN
from tests.support.sandbox import BASE_URL, SandboxTransport
from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.errors import MalformedResponse, UpstreamRejected

START_MS = 10_000 * WIDTH_MS  # 2024-10-04: six windows no other test reads
WINDOWS = [Window(START_MS + n * WIDTH_MS) for n in range(6)]


class FailingTransport(httpx.AsyncBaseTransport):
    """The sandbox, but the `fail_at`-th closed-positions read is refused (400)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, fail_at: int | None) -> None:
        self._inner, self.fail_at, self.reads = inner, fail_at, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/closedPositions"):
            self.reads += 1
            if self.reads == self.fail_at:
                body = {"errorCode": "INCORRECT_BOUNDARIES", "description": "refused"}
                return httpx.Response(400, json=body)
        return await self._inner.handle_async_request(request)


async def _run(
    sandbox: Starlette, database: Path, locks: LocalLocks, fail_at: int | None, lines: list[str]
) -> int:
    """Backfill the six windows, a line per window reported into `lines`; the window reads."""
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    transport = FailingTransport(SandboxTransport(sandbox), fail_at)
    config = ClientConfig(
        base_url=BASE_URL, manager_login=ADMIN[0], manager_password=SecretStr(ADMIN[1])
    )

    def report(number: int, total: int, done: WindowDone) -> None:
        lines.append(f"{number}/{total} {done.window} {done.outcome.value}")

    async with WebServicesClient(config, transport=transport) as client:
        await create_tables(engine)
        sync = Sync(engine, client, locks, horizon_ms=0)
        try:
            await sync.backfill(START_MS, START_MS + 6 * WIDTH_MS, report)
        finally:
            await engine.dispose()
    return transport.reads


async def test_a_failing_read_lets_the_window_before_it_finish_and_the_next_run_continue(
    sandbox: Starlette, tmp_path: Path
) -> None:
    database, locks = tmp_path / "mirror.db", LocalLocks()
    first: list[str] = []
    with pytest.raises(UpstreamRejected, match="INCORRECT_BOUNDARIES"):
        await _run(sandbox, database, locks, 4, first)
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    saved = [record.start_ms for record in await read(engine, window_records)]
    await engine.dispose()
    held = [key for key, lock in locks._locks.items() if lock.locked()]
    second: list[str] = []
    reads = await _run(sandbox, database, locks, None, second)
    read_lines = [f"{n}/6 {w} {Outcome.READ.value}" for n, w in enumerate(WINDOWS, 1)]
    settled = [f"{n}/6 {w} {Outcome.SETTLED.value}" for n, w in enumerate(WINDOWS[:3], 1)]
    assert (first, saved, held) == (read_lines[:3], [w.start_ms for w in WINDOWS[:3]], [])
    assert (second, reads) == (settled + read_lines[3:], 3)


def test_a_grid_of_the_wrong_shape_is_the_upstreams_malformed_response() -> None:
    with pytest.raises(MalformedResponse) as raised:
        grid_rows(b"login,dealId\n1,2\n")
    error = raised.value
    assert (error.message, error.method, error.path) == (
        "malformed answer: the grid's header is not the expected columns",
        "GET",
        "/v2/webserv/closedPositions",
    )
