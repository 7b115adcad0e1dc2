"""`CatchUp`: the worker that keeps a backfilled mirror current while the service runs.

Each pass, on the replica holding the `worker` lock (history/locks.py): drop what is older than
the retention, refresh the traders' white labels and partners (one list call), then read every
window from the mirror's oldest (or the retention's start) up to now that is not settled yet,
oldest first, skipping any window another holder is reading. A mirror never backfilled is left
alone: the worker keeps history, it does not start it. Every replica, leader or not, reloads
the coverage after its pass, so reads everywhere see what any replica synced.

`status()` is what `/readyz` shows and the gauges in `/metrics` carry: how far behind now the
mirror is, and the last pass's error (its class, never a URL or token).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from history.sync import Outcome, Sync
from history.windows import windows_between
from live.clock import Clock
from observability.telemetry import current
from settings.history import HistorySettings
from store.db import write
from store.deal_figures import UnitError
from store.deals import forget_before

log = structlog.get_logger("tradergraph.history")
DAY_MS = 86_400_000


@dataclass
class PassResult:
    led: bool
    windows_read: int = 0
    error: str | None = None


def error_name(error: Exception) -> str:
    """The error as the status shows it: its class, and the row at fault for a unit error."""
    return (
        f"{type(error).__name__}: {error}" if isinstance(error, UnitError) else type(error).__name__
    )


class CatchUp:
    def __init__(
        self,
        sync: Sync,
        settings: HistorySettings,
        clock: Clock,
        refreshed: Callable[[], Awaitable[None]],
    ) -> None:
        self._sync, self._settings, self._clock, self._refreshed = sync, settings, clock, refreshed
        self.last_error: str | None = None
        self.last_pass_ms: int | None = None

    async def run(self) -> None:
        """A pass every interval, the first one interval after start (start-up loaded the
        coverage already, and a fresh replica should not hit the upstream the moment it starts)."""
        while True:
            await self._clock.sleep(self._settings.history_interval_seconds)
            await self.pass_once()

    async def pass_once(self) -> PassResult:
        async with self._sync.locks.hold("worker", wait=False) as led:
            result = PassResult(led)
            if led:
                result = await self._guarded()
        await self._refreshed()
        return result

    async def _guarded(self) -> PassResult:
        try:
            read = await self._catch_up()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # reported in /readyz and /metrics; the next pass retries
            self.last_error = error_name(error)
            current().metrics.history_pass(failed=self.last_error)
            log.warning("history catch-up failed", error=self.last_error)
            return PassResult(True, error=self.last_error)
        if read is None:  # never backfilled: nothing to keep current, nothing to report
            return PassResult(True)
        self.last_error, self.last_pass_ms = None, self._sync.now_ms()
        current().metrics.history_pass(failed=None)
        return PassResult(True, windows_read=read)

    async def _catch_up(self) -> int | None:
        records = await self._sync.records()
        if not records:
            return None
        now = self._sync.now_ms()
        cutoff = now - self._settings.history_retention_days * DAY_MS
        await write(self._sync.engine, lambda connection: forget_before(connection, cutoff))
        await self._sync.traders()
        start = max(min(records), cutoff)
        read = 0
        for window in windows_between(start, now + 1):
            if self._sync.settled(records.get(window.start_ms)):
                continue
            done = await self._sync.window(window, wait=False)
            read += done.outcome is Outcome.READ
        return read
