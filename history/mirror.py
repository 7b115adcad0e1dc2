"""`HistoryMirror`: the deal mirror as the running service sees it, built once by the lifespan.

It keeps the current `Coverage` in memory (reloaded after every catch-up pass and at start), so
that a read and the cost estimate before it (limits/cost.py) both know, without a query, whether
a window is answered from the mirror. It starts and stops the catch-up worker, picks the locks
that fit the deployment (Redis if configured, else PostgreSQL advisory locks, else in-process)
and answers the mirror's reads.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from history.coverage import Coverage, HistoryNotSynced
from history.locks import locks_for
from history.sync import Sync, wall_clock_ms
from history.worker import CatchUp
from live.clock import Clock, RealClock
from observability.telemetry import current
from settings import ServiceSettings
from settings.history import HistorySettings
from store.activity import Dimension, Figures, Group, Scope, Selection, groups, total
from store.db import read
from store.deals import deals_of, window_records
from upstream.client import WebServicesClient
from upstream.records import ClosedDeal
from upstream.times import to_epoch_ms


@dataclass(frozen=True)
class ActivityQuestion:
    """One activity read: whose deals, which, closed in [start, end), grouped `by`."""

    scope: Scope
    selection: Selection
    start: datetime
    end: datetime
    by: tuple[Dimension, ...] = ()

    def answer(self, connection: Connection) -> tuple[Figures, list[Group]]:
        start_ms, end_ms = to_epoch_ms(self.start), to_epoch_ms(self.end)
        whole = total(connection, self.scope, self.selection, start_ms, end_ms)
        if not self.by:
            return whole, []
        return whole, groups(connection, self.scope, self.selection, start_ms, end_ms, self.by)


class HistoryMirror:
    def __init__(
        self,
        sync: Sync,
        settings: HistorySettings,
        *,
        clock: Clock | None = None,
    ) -> None:
        self._sync, self._settings = sync, settings
        self.coverage = Coverage()
        self.worker = CatchUp(sync, settings, clock or RealClock(), self.refresh)
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def over(
        cls,
        engine: AsyncEngine,
        client: WebServicesClient,
        settings: ServiceSettings,
        *,
        now_ms: Callable[[], int] = wall_clock_ms,
        clock: Clock | None = None,
    ) -> HistoryMirror:
        horizon = int(settings.history_horizon_seconds * 1000)
        locks = locks_for(settings, engine)
        return cls(
            Sync(engine, client, locks, horizon_ms=horizon, now_ms=now_ms), settings, clock=clock
        )

    @property
    def engine(self) -> AsyncEngine:
        return self._sync.engine

    def now_ms(self) -> int:
        return self._sync.now_ms()

    async def refresh(self) -> None:
        """Reload the coverage from the window records; the lag gauge follows."""
        self.coverage = Coverage.of(await read(self.engine, window_records))
        newest = self.coverage.newest_ms
        if newest is not None:
            current().metrics.history_lag_seconds(max(0, self.now_ms() - newest) / 1000)

    def holds(self, start: datetime, end: datetime) -> bool:
        """Whether deals closed in [start, end) are answered from the mirror now."""
        lag_ms = int(self._settings.history_max_lag_seconds * 1000)
        return self.coverage.holds(to_epoch_ms(start), to_epoch_ms(end), self.now_ms(), lag_ms)

    async def deals_of(
        self, logins: Sequence[int], start: datetime, end: datetime
    ) -> list[ClosedDeal]:
        start_ms, end_ms = to_epoch_ms(start), to_epoch_ms(end)
        return await read(self.engine, lambda c: deals_of(c, logins, start_ms, end_ms))

    async def activity(self, question: ActivityQuestion) -> tuple[Figures, list[Group]]:
        """The total and (when `question.by` names dimensions) the groups, or
        `HistoryNotSynced` when the mirror does not hold the whole window."""
        if not self.holds(question.start, question.end):
            raise HistoryNotSynced(question.start, question.end, self.coverage)
        return await read(self.engine, question.answer)

    async def start(self) -> None:
        """Load the coverage (a database down now only leaves it empty), start the worker."""
        with contextlib.suppress(Exception):
            await self.refresh()
        if self._settings.history_sync_enabled:
            self._task = asyncio.create_task(self.worker.run(), name="history-catch-up")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._sync.locks.aclose()

    def status(self) -> dict[str, object]:
        """The readiness details: what is synced, how far behind now, the last pass's error."""
        newest = self.coverage.newest_ms
        lag = None if newest is None else max(0, self.now_ms() - newest) / 1000
        return {
            "synced": self.coverage.describe(),
            "lagSeconds": lag,
            "lastError": self.worker.last_error,
        }
