"""`Sync`: copy the upstream's closed-positions grid into the mirror, one 2-day window at a time.

Each window is one upstream call without `login` (every trader the manager can see), its CSV
made into rows on a worker thread (store/deal_rows.py), and one transaction (store/deals.py), so
a crash or Ctrl-C between windows loses nothing that was saved. The backfill reads the next window
while the last one read is parsed and saved (history/behind.py): at most two windows are in
memory, one's body arriving, the other's body and rows. A window
read at least `horizon` after its end is *settled*: the backfill skips it on the next run, so a
run that stopped continues from the first window it had not saved, and a second run changes
nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncEngine

from history.behind import Behind
from history.locks import Locks
from history.windows import Window, windows_between
from store.db import read, write
from store.deal_rows import Row, mirror_rows
from store.deals import WindowRecord, save_traders, save_window, window_records
from upstream.client import WebServicesClient
from upstream.enums import TraderField
from upstream.errors import MalformedResponse
from upstream.fields import ShapeError
from upstream.times import EPOCH

TRADER_FIELDS = (
    TraderField.LOGIN,
    TraderField.REGISTRATION_TIMESTAMP,
    TraderField.BROKER_NAME,
    TraderField.GROUP_NAME,
    TraderField.CONTACT_DETAILS,
)
GRID_PATH = "/v2/webserv/closedPositions"
FUTURE = timedelta(days=3650)
"""How far past now the trader list looks (the sandbox's clock may run ahead of ours)."""


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Outcome(Enum):
    READ = "read"
    SETTLED = "already synced"
    BUSY = "being synced elsewhere"


@dataclass(frozen=True)
class WindowDone:
    """What happened to one window of a run: `deals` saved when it was read."""

    window: Window
    outcome: Outcome
    deals: int = 0


class Sync:
    """Reads windows and saves them; shared by the backfill command and the catch-up worker."""

    def __init__(
        self,
        engine: AsyncEngine,
        client: WebServicesClient,
        locks: Locks,
        *,
        horizon_ms: int,
        now_ms: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self.engine, self._client, self.locks = engine, client, locks
        self._horizon_ms, self.now_ms = horizon_ms, now_ms

    def settled(self, record: WindowRecord | None) -> bool:
        return record is not None and record.read_at_ms >= record.end_ms + self._horizon_ms

    async def records(self) -> dict[int, WindowRecord]:
        return {r.start_ms: r for r in await read(self.engine, window_records)}

    async def traders(self) -> int:
        """Refresh white label, group and partners of every trader (one list call)."""
        until = datetime.now(UTC) + FUTURE
        summaries = await self._client.list_trader_summaries(EPOCH, until, TRADER_FIELDS)
        return await write(self.engine, lambda connection: save_traders(connection, summaries))

    async def window(self, window: Window, *, wait: bool) -> WindowDone:
        """Read and save `window` unless another holder has it (or, waiting, settled it)."""
        key = _key(window)
        async with self.locks.hold(key, wait=False) as held:
            if held:
                return await self._read(window)
        if not wait:
            return WindowDone(window, Outcome.BUSY)
        async with self.locks.hold(key, wait=True):  # its holder may settle it meanwhile
            if self.settled((await self.records()).get(window.start_ms)):
                return WindowDone(window, Outcome.SETTLED)
            return await self._read(window)

    async def _read(self, window: Window) -> WindowDone:
        read_at, rows = await self._fetch(window)
        return await self._save(window, read_at, rows)

    async def _fetch(self, window: Window) -> tuple[int, bytes]:
        """The window's CSV body, and the moment its read began. The body is made into rows
        by `_save`, on a thread: parsed here, in the event loop, the upstream sat idle while
        it ran, since the next read starts only once this one is done."""
        read_at = self.now_ms()
        body = await self._client.closed_positions_grid(window.start, window.end, _body)
        return read_at, body

    async def _save(self, window: Window, read_at: int, body: bytes) -> WindowDone:
        start_ms, end_ms = window.start_ms, window.end_ms
        rows = await asyncio.to_thread(grid_rows, body)
        await write(self.engine, lambda c: save_window(c, start_ms, end_ms, read_at, rows))
        return WindowDone(window, Outcome.READ, len(rows))

    async def backfill(
        self, start_ms: int, end_ms: int, report: Callable[[int, int, WindowDone], None]
    ) -> list[WindowDone]:
        """Every window of [start_ms, end_ms) not settled yet, oldest first; `report(i, n, done)`
        after each."""
        traders = asyncio.create_task(self.traders())  # its wait overlaps the windows'
        try:
            done = await self._windows(start_ms, end_ms, report)
        except BaseException:  # Ctrl-C, a failing window: the trader list goes too
            traders.cancel()
            await asyncio.gather(traders, return_exceptions=True)
            raise
        await traders  # a failed trader list fails the run, once its windows are saved
        return done

    async def _windows(
        self, start_ms: int, end_ms: int, report: Callable[[int, int, WindowDone], None]
    ) -> list[WindowDone]:
        settled = {start for start, r in (await self.records()).items() if self.settled(r)}
        todo = list(windows_between(start_ms, end_ms))
        done: list[WindowDone] = []

        def finished(result: WindowDone) -> None:
            done.append(result)
            report(len(done), len(todo), result)

        behind = Behind(finished)
        try:
            for window in todo:
                if window.start_ms in settled:
                    await behind.settle()
                    finished(WindowDone(window, Outcome.SETTLED))
                else:
                    await self._ahead(window, behind)
            await behind.settle()
        finally:
            await behind.close()
        return done

    async def _ahead(self, window: Window, behind: Behind[WindowDone]) -> None:
        """Read `window` while the window before it is saved, then save it while the next is
        read; a window another holder has is waited for, with nothing in flight."""
        lock = AsyncExitStack()
        try:
            held = await lock.enter_async_context(self.locks.hold(_key(window), wait=False))
            fetched = await self._fetch(window) if held else None
            await behind.settle()
        except BaseException:
            await lock.aclose()
            raise
        if fetched is None:
            await lock.aclose()
            behind.finished(await self.window(window, wait=True))
        else:
            behind.start(self._save(window, *fetched), lock)


def _body(body: bytes) -> bytes:
    return body


def grid_rows(body: bytes) -> list[Row]:
    """The grid's rows; a grid of the wrong shape is the upstream's `MalformedResponse`, as the
    client makes it of any answer it cannot read."""
    try:
        return mirror_rows(body)
    except ShapeError as exc:
        message = f"malformed answer: {exc}"
        raise MalformedResponse(message, method="GET", path=GRID_PATH) from None


def _key(window: Window) -> str:
    return f"window:{window.start_ms}"
