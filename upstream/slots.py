"""The connection pool's limit, counted before a request is handed to httpx.

Inside httpx, a request waiting for a free pooled connection looks the same from outside as one
on the wire, so a deadline that passed while a write waited would leave its outcome unknown
though nothing was sent. `ConnectionSlots` holds the pool's own limit (`PoolLimits
.max_connections`): a call takes a slot first, and only then is its request sent, so httpx's
pool always has a connection for it. A write is in flight only once it holds a slot
(`upstream/exchange.py`). Waiting longer than the pool's wait (`Timeouts.pool`) is an
`UpstreamTimeout`: nothing was sent, for a write too.
"""

from __future__ import annotations

import asyncio
from weakref import WeakKeyDictionary

from upstream.calls import Call
from upstream.errors import UpstreamTimeout

NO_SLOT = "no free connection to the upstream within the pool's wait"


class ConnectionSlots:
    """One semaphore per event loop (a semaphore belongs to the loop it waits on); the views of
    a client (`for_token`) share their client's."""

    def __init__(self, limit: int, wait: float) -> None:
        self._limit = limit
        self._wait = wait
        self._per_loop: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._per_loop = WeakKeyDictionary()

    async def take(self, call: Call) -> asyncio.Semaphore:
        """A slot, held until the caller releases the semaphore returned."""
        loop = asyncio.get_running_loop()
        slots = self._per_loop.get(loop)
        if slots is None:
            slots = self._per_loop.setdefault(loop, asyncio.Semaphore(self._limit))
        if not slots.locked():  # acquired at once, without yielding to the loop
            await slots.acquire()
            return slots
        try:
            async with asyncio.timeout(self._wait):
                await slots.acquire()
        except TimeoutError:
            raise UpstreamTimeout(NO_SLOT, method=call.method, path=call.template) from None
        return slots
