"""`ManualClock`: pollers wait on it, and only the test moves it, so every poll is counted.

`advance(seconds)` wakes the pollers whose wait is over; `settled(n)` returns once `n` waits are
pending again, that is once every woken poller has polled and gone back to waiting. Both are
bounded by `LIMIT` real seconds so a broken poller fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio

LIMIT = 10.0


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0
        self._waits: list[tuple[float, asyncio.Future[None]]] = []
        self._changed = asyncio.Condition()

    async def sleep(self, seconds: float) -> None:
        wait = (self.now + seconds, asyncio.get_running_loop().create_future())
        self._waits.append(wait)
        async with self._changed:
            self._changed.notify_all()
        try:
            await wait[1]
        finally:
            if wait in self._waits:
                self._waits.remove(wait)

    def pending(self) -> list[float]:
        """The remaining time of each pending wait, shortest first."""
        return sorted(deadline - self.now for deadline, _ in self._waits)

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        for wait in [w for w in self._waits if w[0] <= self.now]:
            self._waits.remove(wait)
            if not wait[1].done():  # a cancelled poller's wait is already over
                wait[1].set_result(None)

    async def settled(self, waits: int) -> None:
        async with asyncio.timeout(LIMIT), self._changed:
            await self._changed.wait_for(lambda: len(self._waits) >= waits)
