"""Turns: of a process's requests resumed by upstream answers, half go on at once, the rest wait.

Identical reads in flight are shared (`sharing`), so the requests of one process that ask the
same thing wait on the same call and get its answer at the same moment. Resumed together, the
event loop runs them round-robin, a step of each in turn, so they all finish together too; their
clients all ask again at once, all join the next call, and the process has nothing to do while
that call is out: a convoy. With eight clients on a worker and a 20 ms upstream, a worker idled
29% of the time, so two workers did not make twice one (bench/README.md, `workers`).

In turns, at most half of the requests in progress (`request`) go on at once after an upstream
wait (`waiting`); the others wait for a turn, first come first. The first half finishes while the
second is still being answered, so its clients' next reads go out (together: they are still
shared) while the process works on the second half, and the process's work and its upstream
waits overlap. Not one at a time: each request would then finish alone, its next read would be
shared with fewer others, and every extra upstream answer costs its decoding.

A request gives its turn back when it waits on the upstream again or ends. One that holds a turn
longer than `max_hold` seconds (it computes a long time, or waits on something that is not the
upstream: the database, Redis) lets the next go on beside it: turns order the work, they never
stop it. Outside a request (live polls, background work, a shared flight itself) `waiting` only
waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
MAX_HOLD = 0.02
"""Seconds a request holds its turn before the next goes on beside it: a few page queries' work."""


@dataclass(eq=False)
class _Request:
    turns: Turns
    ended: bool = False
    resumed: list[asyncio.Future[None]] = field(default_factory=list)
    expiry: asyncio.TimerHandle | None = None


_CURRENT: ContextVar[_Request | None] = ContextVar("tradergraph_turn", default=None)


class Turns:
    """One process's turns: who holds one, and who waits for one, first come first."""

    def __init__(self, max_hold: float = MAX_HOLD) -> None:
        self._max_hold = max_hold
        self._running = 0
        self._holders: set[_Request] = set()
        self._queue: dict[_Request, None] = {}  # insertion-ordered

    @property
    def _room(self) -> int:
        """Half of the requests in progress, at least one, hold turns at once."""
        return max(1, self._running // 2)

    @contextmanager
    def request(self) -> Iterator[None]:
        """The code inside is one request, which takes turns (`waiting`)."""
        ask = _Request(self)
        token = _CURRENT.set(ask)
        self._running += 1
        try:
            yield
        finally:
            _CURRENT.reset(token)
            self._running -= 1
            ask.ended = True
            self._queue.pop(ask, None)
            for resumed in ask.resumed:  # a task it left behind (it no longer takes turns)
                if not resumed.done():
                    resumed.set_result(None)
            self.give(ask)

    def give(self, ask: _Request) -> None:
        """`ask` waits on the upstream, or has ended: the next request in line goes on."""
        if ask in self._holders:
            self._holders.remove(ask)
            if ask.expiry is not None:
                ask.expiry.cancel()
            self._fill()

    async def take(self, ask: _Request) -> None:
        """`ask`'s upstream wait has ended: it goes on when its turn comes (at once if free)."""
        if ask.ended or ask in self._holders:
            return
        resumed = asyncio.get_running_loop().create_future()
        ask.resumed.append(resumed)
        self._queue[ask] = None
        self._fill()
        try:
            await resumed
        finally:
            ask.resumed.remove(resumed)
            if not ask.resumed:
                self._queue.pop(ask, None)

    def _fill(self) -> None:
        while self._queue and len(self._holders) < self._room:
            ask = next(iter(self._queue))
            del self._queue[ask]
            if ask.resumed:
                self._hand(ask)

    def _hand(self, ask: _Request) -> None:
        self._holders.add(ask)
        for resumed in ask.resumed:
            if not resumed.done():
                resumed.set_result(None)
        ask.expiry = asyncio.get_running_loop().call_later(self._max_hold, self.give, ask)


def leave_turns() -> None:
    """The current task takes no turns: a shared flight, which belongs to no one request."""
    _CURRENT.set(None)


async def waiting(pending: Awaitable[T]) -> T:
    """`await pending` (an upstream call), giving the turn to the next request meanwhile and
    taking it back, in order, once it has answered or failed."""
    ask = _CURRENT.get()
    if ask is None:
        return await pending
    ask.turns.give(ask)
    try:
        return await pending
    finally:
        await ask.turns.take(ask)
