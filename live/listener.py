"""`Listener`: one Redis pub/sub connection per replica, shared by every channel it listens to.

`listen(channel, receive)` adds a receiver and answers how to stop it. A channel is subscribed
while it has a receiver: when its first one arrives, until its last one stops. One task, the
owner, alone sends on the connection (SUBSCRIBE, UNSUBSCRIBE, PING) and one reader task alone
reads it, so no two tasks ever write, read or reconnect it at once. Callers send nothing: they
change the set of wanted channels and wait for a *round*, in which the owner sends the difference
between the wanted channels and the subscribed ones, then `PING <token>`. Redis answers a
connection's commands in order, so the round's pong proves it applied them: `listen` returns once
the channel's messages will arrive, a last `stop` once they no longer will.

The reader hands each message to its channel's receivers, in the order Redis sent them; a
receiver that has stopped gets nothing more, even a message already on its way. A lost connection
fails the rounds in flight (their callers get the `RedisError`), waits `retry` seconds (less if a
caller asks for a round meanwhile), then subscribes every wanted channel again on a new one.

Why not redis-py's `PubSub`: its commands and its reads each reconnect and re-subscribe on their
own, so a `subscribe` from one task while another waits in `get_message` can open a second socket,
or re-subscribe a channel whose UNSUBSCRIBE is unconfirmed; and interrupting a waiting
`get_message` could cut such a reconnect in half. Here only the owner connects, and only after
the reader is stopped.
"""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ConnectionError, RedisError

from live.clock import Clock
from live.hub import Stop, cancel

Receive = Callable[[bytes | str], None]
ROUND_PING = "tradergraph-round:"
log = structlog.get_logger("tradergraph.live")


@dataclass(eq=False)  # told apart by identity: one callable may listen twice
class _Receiver:
    receive: Receive


class Listener:
    def __init__(self, redis: Redis, clock: Clock, *, retry: float) -> None:
        self._pool = redis.connection_pool
        self._clock = clock
        self._retry = retry
        self._receivers: dict[str, list[_Receiver]] = {}
        self._subscribed: set[str] = set()  # as sent on the current connection
        self._connection: AbstractConnection | None = None
        self._asked: list[asyncio.Future[None]] = []  # waiting for the next round
        self._rounds: dict[int, list[asyncio.Future[None]]] = {}  # sent, pong awaited
        self._tokens = itertools.count()
        self._demand = asyncio.Event()
        self._owner: asyncio.Task[None] | None = None
        self._closed = False

    async def listen(self, channel: str, receive: Receive) -> Stop:
        """Hand `channel`'s messages to `receive` from now on; raises if Redis is out of reach."""
        receiver = _Receiver(receive)
        self._receivers.setdefault(channel, []).append(receiver)
        try:
            await self._round()
        except BaseException:
            if self._leave(channel, receiver):
                self._demand.set()
            raise

        async def stop() -> None:
            if self._leave(channel, receiver):
                with suppress(RedisError):  # a lost connection has unsubscribed it anyway
                    await self._round()

        return stop

    async def aclose(self) -> None:
        """Stop the tasks and close the connection; later calls to `listen` fail."""
        self._closed = True
        if self._owner is not None:
            await cancel(self._owner)
        closed = ConnectionError("the change listener is closed")
        await self._drop(closed)
        _settle(self._asked, closed)

    def _leave(self, channel: str, receiver: _Receiver) -> bool:
        """Forget `receiver`; True when a round must unsubscribe `channel` (it was the last).

        Without a connection nothing is subscribed, and the next one subscribes only what is
        wanted then (`_apply` reads the wanted channels once connected).
        """
        receivers = self._receivers.get(channel, [])
        if receiver not in receivers:
            return False
        receivers.remove(receiver)
        if receivers:
            return False
        del self._receivers[channel]
        return self._connection is not None

    async def _round(self) -> None:
        """Return once the owner has applied the wanted channels as they are now."""
        if self._closed:
            raise ConnectionError("the change listener is closed")
        if self._owner is None:
            self._owner = asyncio.create_task(self._run())
        applied = asyncio.get_running_loop().create_future()
        self._asked.append(applied)
        self._demand.set()
        await applied

    async def _run(self) -> None:
        while True:
            try:
                await self._serve()
            except RedisError as error:
                log.warning("change channels lost, listening again", reason=str(error))
                await self._recover(error)
            except Exception as error:  # a bug: logged, and no caller is left waiting forever
                log.exception("change listener failed, listening again")
                await self._recover(error)

    async def _serve(self) -> None:
        """Apply a round (on a new connection: every wanted channel), then each one asked for,
        until the connection fails."""
        reader: asyncio.Task[None] | None = None
        try:
            while True:
                await self._apply()
                if reader is None and self._connection is not None:
                    reader = asyncio.create_task(self._read(self._connection))
                await self._next_demand(reader)
        finally:
            if reader is not None:
                await cancel(reader)

    async def _apply(self) -> None:
        """One round: subscribe and unsubscribe the difference, then PING the round's token."""
        self._demand.clear()
        token = next(self._tokens)
        self._rounds[token], self._asked = self._asked, []
        if self._connection is None:
            if not self._receivers:
                self._pong(token)
                return
            self._connection = await self._pool.get_connection()  # type: ignore[no-untyped-call]  # redis-py leaves it untyped
        wanted = set(self._receivers)
        await _send(self._connection, "UNSUBSCRIBE", self._subscribed - wanted)
        await _send(self._connection, "SUBSCRIBE", wanted - self._subscribed)
        self._subscribed = wanted
        await self._connection.send_command("PING", f"{ROUND_PING}{token}")

    async def _next_demand(self, reader: asyncio.Task[None] | None) -> None:
        """Return when a round is asked for; raise the reader's error if it stopped first."""
        raise_if_cancelled()
        demand = asyncio.create_task(_wait(self._demand))
        either = [demand] if reader is None else [demand, reader]
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            await cancel(demand)
        if reader is not None and reader.done():
            reader.result()

    async def _read(self, connection: AbstractConnection) -> None:
        while True:  # math.inf: wait for the next message however long it takes
            response = await connection.read_response(
                timeout=math.inf, disconnect_on_error=False, push_request=True
            )
            self._handle(response)

    def _handle(self, response: object) -> None:
        match response:
            case [kind, channel, bytes() | str() as data] if _text(kind) == "message":
                self._dispatch(_text(channel), data)
            case [kind, token] if _text(kind) == "pong":  # RESP2 answers PING so when subscribed
                self._pong(_round_of(token))
            case bytes() | str():  # RESP3 answers PING with its argument
                self._pong(_round_of(response))

    def _dispatch(self, channel: str, data: bytes | str) -> None:
        for receiver in list(self._receivers.get(channel, ())):
            try:
                receiver.receive(data)
            except Exception:  # one failing receiver must not silence the others or the channel
                log.exception("a change receiver failed", channel=channel)

    def _pong(self, token: int | None) -> None:
        """Every round up to `token` has been applied (a connection's pongs come in order)."""
        if token is None:
            return
        for each in [t for t in self._rounds if t <= token]:
            _settle(self._rounds.pop(each), None)

    async def _drop(self, error: Exception) -> None:
        """Let the connection go; the rounds it had not confirmed fail with `error`."""
        connection, self._connection, self._subscribed = self._connection, None, set()
        for waiting in self._rounds.values():
            _settle(waiting, error)
        self._rounds.clear()
        if connection is not None:
            with suppress(RedisError):  # closing a broken socket may fail; it is gone either way
                await connection.disconnect(nowait=True)
            await self._pool.release(connection)

    async def _recover(self, error: Exception) -> None:
        await self._drop(error)
        await self._rest()

    async def _rest(self) -> None:
        """Wait `retry` seconds, or less if a round is asked for meanwhile."""
        raise_if_cancelled()
        sleep = asyncio.create_task(self._clock.sleep(self._retry))
        demand = asyncio.create_task(_wait(self._demand))
        try:
            await asyncio.wait((sleep, demand), return_when=asyncio.FIRST_COMPLETED)
        finally:
            await cancel(sleep)
            await cancel(demand)


def raise_if_cancelled() -> None:
    """Raise the current task's cancellation if an `await` swallowed it.

    Python 3.11's `asyncio.wait_for`, through which redis-py sends every command, returns the
    result instead of raising when the cancellation lands just as the command is sent (fixed in
    3.12). A cancelled task that went on to park would then never end; call this before parking.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def _send(connection: AbstractConnection, command: str, channels: set[str]) -> None:
    if channels:
        await connection.send_command(command, *sorted(channels))


async def _wait(event: asyncio.Event) -> None:
    await event.wait()


def _settle(waiting: list[asyncio.Future[None]], error: Exception | None) -> None:
    for future in waiting:
        if future.done():  # its caller was cancelled
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
    waiting.clear()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _round_of(token: object) -> int | None:
    """The round a pong answers, or None for a pong that is not ours."""
    text = _text(token)
    return int(text.removeprefix(ROUND_PING)) if text.startswith(ROUND_PING) else None
