"""Shared reads: identical GETs in flight at once are one upstream call, and writes invalidate.

`Sharing.read(credentials, call, send)` answers a GET's body. Two reads are *identical* when
their credentials (a hash: `credentials_of`, never the token), method, path, query, wire format
and expected answer kind are equal (`request_key`). An identical read already in flight is
joined instead of sent again; an optional `ReadStore` (`read_cache`) also keeps answers for a
few seconds, in this process or in Redis.

Freshness rests on *tags*. Every GET depends on one tag: `login:<n>` when its path names a
trader (`/traders/{login}`, `/traders/{login}/subaccounts`), `lists` otherwise (trader lists,
position grids, reference data). A tag has a current *token*, which a write replaces: after a
write naming a trader (in its path or as `traderLogin`/`login` in its body) both `login:<n>`
and `lists` get new tokens; any other write replaces `lists`. A read takes its tag's token
*before* it asks the upstream; its flight and its kept answer are filed under that token, and
neither is used once the token has changed. So a read that started before a write completed
is never served to a caller who asks after it: every caller reads its own writes, in flight
and from the cache. Writes replace the tokens whatever their outcome (an unanswered write may
have been applied).

A flight is a task of its own: a waiter that is cancelled leaves, the others still get the
answer; the task is cancelled only when its last waiter has left. A failure reaches every
waiter of the flight as the same exception, and is never kept. While a request waits on a
flight it gives its turn to the next request (`turns`); the flight itself belongs to none.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast
from urllib.parse import urlencode

from upstream.calls import Call
from upstream.turns import leave_turns, waiting

T = TypeVar("T")
Send = Callable[[], Awaitable["Answered"]]
LISTS = "lists"


@dataclass(frozen=True, slots=True)
class Answered:
    """A successful answer's body and declared Content-Type: all a decoder reads.

    Every waiter of a flight, and every hit of the in-memory cache, gets the same `Answered`, so
    a decoder whose records are immutable decodes it once for all of them (`decoded`).
    """

    content: bytes
    content_type: str
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def decoded(self, name: str, decode: Callable[[Answered], T]) -> T:
        """`decode(self)`, computed once per `name` (a decoder of immutable records)."""
        if name not in self.memo:
            self.memo[name] = decode(self)
        return cast(T, self.memo[name])


class ReadStore(Protocol):
    """Where tags' tokens live, and (when caching) answers; `read_cache` has the two kinds."""

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        """The answer kept under `key` if its token is still `tag`'s, and `tag`'s token."""

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        """Keep `answered`, read under `tag`'s `token`, its request sent `age` seconds ago."""

    async def touch(self, tags: tuple[str, ...]) -> None:
        """Give `tags` new tokens: what was read under the old ones is no longer used."""

    async def aclose(self) -> None: ...


def credentials_of(kind: str, *parts: object) -> str:
    """A credentials identity for keys: a SHA-256 of what identifies them, never the token."""
    text = "\0".join([kind, *map(str, parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def request_key(credentials: str, call: Call, media: str) -> str:
    """The identity of a read: credentials, method, path, query, body format, answer kind."""
    query = urlencode(call.query)
    text = f"{credentials}\0{call.method}\0{call.path}\0{query}\0{media}\0{call.answer}"
    return hashlib.sha256(text.encode()).hexdigest()


def read_tag(call: Call) -> str:
    login = call.params.get("login")
    return LISTS if login is None else f"login:{login}"


def written_tags(call: Call) -> tuple[str, ...]:
    login = call.params.get("login")
    if login is None and isinstance(call.body, dict):
        named = call.body.get("traderLogin", call.body.get("login"))
        login = named if isinstance(named, int) else None
    return (LISTS,) if login is None else (f"login:{login}", LISTS)


@dataclass(eq=False)
class _Flight:
    task: asyncio.Task[Answered]
    waiters: int = 0


@dataclass
class Sharing:
    """The reads of one client and its views (`for_token`): flights, and the store's tokens."""

    store: ReadStore
    clock: Callable[[], float]
    _flights: dict[tuple[str, str], _Flight] = field(default_factory=dict)

    async def read(self, key: str, call: Call, send: Send, *, keep: bool = True) -> Answered:
        """`send`'s answer, shared with identical reads under the same token (see above); with
        `keep` False it is shared in flight only, never kept (a read too large to keep)."""
        tag = read_tag(call)
        kept, token = await self.store.look(key, tag)
        if kept is not None:
            return kept
        flight = self._flights.get((key, token))
        if flight is None:
            flight = self._start(key, tag, token, send, keep=keep)
        return await waiting(self._wait(key, token, flight))  # the turn passes on meanwhile

    async def wrote(self, call: Call) -> None:
        """`call` (a write) has ended, however: what it may have changed is read again."""
        await self.store.touch(written_tags(call))

    def _start(self, key: str, tag: str, token: str, send: Send, *, keep: bool) -> _Flight:
        started = self.clock()

        async def fetch() -> Answered:
            leave_turns()  # this task's own context: the flight is no one request's
            answered = await send()
            if keep:
                await self.store.keep(key, tag, token, answered, self.clock() - started)
            return answered

        flight = _Flight(asyncio.create_task(fetch()))
        self._flights[key, token] = flight
        flight.task.add_done_callback(lambda task: self._land(key, token, flight))
        return flight

    def _land(self, key: str, token: str, flight: _Flight) -> None:
        if self._flights.get((key, token)) is flight:
            del self._flights[key, token]
        if flight.task.done() and not flight.task.cancelled():
            flight.task.exception()  # every waiter has it; mark it retrieved

    async def _wait(self, key: str, token: str, flight: _Flight) -> Answered:
        flight.waiters += 1
        try:
            return await asyncio.shield(flight.task)
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                self._land(key, token, flight)  # nobody wants it: a new read starts afresh
                flight.task.cancel()
