"""`Behind`: the one window the backfill is saving while it reads the next.

Reading a window is mostly waiting for the upstream, saving it is parsing its grid and SQLite
on worker threads, so the backfill reads window N+1 while window N is written and takes about
as long as the longer of the two instead of their sum. Only one save is ever in flight and the
next read is the only other window held, so at most two windows are in memory: one being saved,
one being read. Saves still happen one after the other, oldest first, each with its window's
lock held until its transaction has ended; a window is reported when its save is done, in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Behind(Generic[T]):
    def __init__(self, finished: Callable[[T], None]) -> None:
        self.finished = finished
        self._saving: tuple[asyncio.Task[T], AsyncExitStack] | None = None

    def start(self, save: Coroutine[Any, Any, T], lock: AsyncExitStack) -> None:
        """Save in the background; `lock` (the window's) is released once the save has ended."""
        if self._saving is not None:
            raise RuntimeError("a save is already in flight: settle it first")
        self._saving = (asyncio.create_task(save), lock)

    async def settle(self) -> None:
        """Wait for the save in flight (its error is raised here), release its lock, report it."""
        if self._saving is None:
            return
        task, lock = self._saving
        self._saving = None
        try:
            result = await task
        finally:
            await lock.aclose()
        self.finished(result)

    async def close(self) -> None:
        """After an error or a cancellation: let the save in flight end (its transaction commits
        or not, as a whole), release its lock and report it if it was saved; never raises."""
        if self._saving is None:
            return
        task, lock = self._saving
        self._saving = None
        await asyncio.wait([task])
        await lock.aclose()
        if not task.cancelled() and task.exception() is None:
            self.finished(task.result())
