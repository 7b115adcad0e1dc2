"""One upstream call over HTTP: token, deadline, retries, circuit breaker, logging, counting.

Reads are retried on transport errors, timeouts, 429 and 502/503/504, waiting Retry-After when
the upstream sends one and a jittered backoff otherwise, and never past the call's deadline.
Writes are sent once: if their answer is lost, the caller gets `OutcomeUnknown`. A write is in
flight only once it holds a connection slot (`upstream/slots.py`, the pool's own limit): a
deadline that passes while it waits for one sent nothing, and is an `UpstreamTimeout` as for a
read (safe to try again). A 401 drops the token and repeats the call once with a new one, for
writes too (a refused token applied nothing). The token is added to the query here and nowhere
else.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx

from upstream.answers import rejection
from upstream.breaker import CircuitBreaker
from upstream.calls import Call, content, headers, media_type
from upstream.config import ClientConfig
from upstream.errors import (
    CircuitOpen,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    TransportFailure,
    UpstreamError,
    UpstreamTimeout,
)
from upstream.hooks import CallRecord, RequestHook
from upstream.kept_logger import KeptLogger
from upstream.pacing import Pacing, backoff
from upstream.requests import RequestForm
from upstream.slots import ConnectionSlots
from upstream.tokens import TokenCache

log = KeptLogger("upstream")

R = TypeVar("R")
Finish = Callable[[httpx.Response], Awaitable[R]]
"""What a successful attempt does with its response, whose body has not been read yet."""

_RETRIED_STATUSES = frozenset({502, 503, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class _Refused:
    """An answer that was not a success, its body read (for `rejection`)."""

    response: httpx.Response


@dataclass(slots=True)
class _Flight:
    """Whether a write is on the wire now: a deadline hit then leaves its outcome unknown."""

    write_in_flight: bool = False


class Exchange:
    def __init__(
        self,
        http: httpx.AsyncClient,
        config: ClientConfig,
        tokens: TokenCache,
        pacing: Pacing,
        on_request: RequestHook | None,
        slots: ConnectionSlots | None = None,
    ) -> None:
        """`slots` defaults to the pool's limit from `config`."""
        self._http = http
        self._config = config
        self._tokens = tokens
        self._pacing = pacing
        self._on_request = on_request
        self.breaker = CircuitBreaker(config.breaker, pacing.clock)
        self._slots = slots or ConnectionSlots(config.pool.max_connections, config.timeouts.pool)
        self._form = RequestForm.of(http)

    def with_tokens(self, tokens: TokenCache) -> Exchange:
        """This exchange sending `tokens`' token: same pool, pacing, hook and breaker."""
        view = copy.copy(self)
        view._tokens = tokens
        return view

    async def send(self, call: Call) -> httpx.Response:
        """The successful response to `call`, its body read, or an `UpstreamError`."""
        return await self._sent(call, _whole)

    async def stream(self, call: Call, read: Callable[[AsyncIterator[bytes]], Awaitable[R]]) -> R:
        """`send` for a read whose body `read` takes chunk by chunk as it arrives, so it is
        never whole in memory. A retried attempt is read again from its first chunk: `read`
        must start afresh each time it is called."""
        return await self._sent(call, lambda response: read(response.aiter_bytes()))

    async def _sent(self, call: Call, finish: Finish[R]) -> R:
        flight = _Flight()
        deadline = self._pacing.clock() + self._config.timeouts.total
        try:
            async with asyncio.timeout(self._config.timeouts.total):
                return await self._with_retries(call, flight, deadline, finish)
        except TimeoutError:
            self.breaker.failure()
            raise _deadline_error(call, flight) from None

    async def _with_retries(
        self, call: Call, flight: _Flight, deadline: float, finish: Finish[R]
    ) -> R:
        attempts = self._config.retry.attempts if call.is_read else 1
        for attempt in range(1, attempts):
            try:
                return await self._attempt(call, flight, finish)
            except UpstreamError as exc:
                delay = self._delay(exc, attempt)
                if delay is None or self._pacing.clock() + delay >= deadline:
                    raise
                await self._pacing.sleep(delay)
        return await self._attempt(call, flight, finish)

    def _delay(self, exc: UpstreamError, attempt: int) -> float | None:
        """How long to wait before retrying after `exc`, or None when it must not be retried."""
        if isinstance(exc, RateLimited | ServerError):
            if isinstance(exc, ServerError) and exc.status not in _RETRIED_STATUSES:
                return None
            if exc.retry_after is not None:
                return exc.retry_after
        elif not isinstance(exc, TransportFailure | UpstreamTimeout):
            return None
        return backoff(self._config.retry, attempt, self._pacing.jitter())

    async def _attempt(self, call: Call, flight: _Flight, finish: Finish[R]) -> R:
        if call.authenticated and not self.breaker.allow():
            raise CircuitOpen(
                "the upstream keeps failing; calls are paused",
                method=call.method,
                path=call.template,
            )
        token = await self._tokens.current() if call.authenticated else None
        answer = await self._exchange(call, token, flight, finish)
        refused = isinstance(answer, _Refused) and answer.response.status_code == 401
        if refused and token is not None:
            self._tokens.invalidate(token)
            token = await self._tokens.current()
            answer = await self._exchange(call, token, flight, finish)
        if isinstance(answer, _Refused):
            expected = media_type(call, self._config.wire_format)
            raise rejection(call, answer.response, token, expected)
        return answer

    async def _exchange(
        self, call: Call, token: str | None, flight: _Flight, finish: Finish[R]
    ) -> R | _Refused:
        """One request; its body read by `finish` when it succeeded, else whole."""
        request = self._request(call, token)
        slot = await self._slots.take(call)
        started = self._pacing.clock()
        status: int | None = None
        flight.write_in_flight = not call.is_read
        try:
            response = await self._http.send(request, stream=True)
            status = response.status_code
            answer = await _finished(response, finish)
        except httpx.HTTPError as exc:
            status = None  # the body broke off: no answer, as when the headers never came
            self.breaker.failure()
            raise _transport_error(call, exc) from None
        finally:
            slot.release()
            self._report(call, status, self._pacing.clock() - started)
        flight.write_in_flight = False
        self._record_health(response.status_code)
        return answer

    def _request(self, call: Call, token: str | None) -> httpx.Request:
        """The only place the token enters a request: last in the query, as §1.2 says."""
        query = [*call.query, *((("token", token),) if token is not None else ())]
        wire_format = self._config.wire_format
        return self._form.request(
            call.method,
            call.path,
            query,
            content(call, wire_format),
            headers(call, wire_format),
        )

    def _record_health(self, status: int) -> None:
        if status >= 500:
            self.breaker.failure()
        else:
            self.breaker.success()

    def _report(self, call: Call, status: int | None, duration: float) -> None:
        log.info(
            "upstream_call",
            method=call.method,
            path=call.template,
            status=status,
            duration_ms=round(duration * 1000, 1),
        )
        if self._on_request is not None:
            self._on_request(CallRecord(call.method, call.template, status, duration))


async def _whole(response: httpx.Response) -> httpx.Response:
    await response.aread()
    return response


async def _finished(response: httpx.Response, finish: Finish[R]) -> R | _Refused:
    try:
        if response.is_success:
            return await finish(response)
        await response.aread()
        return _Refused(response)
    finally:
        await response.aclose()
        # httpx's response and its stream hold each other (`BoundAsyncStream._response`): a
        # reference cycle that keeps the body (a grid of several MB) until the cyclic
        # collector runs, which a serving process does rarely (`server.tune_collector`).
        # The body is read or the stream closed by now, so the stream is not needed again.
        response.stream = _SPENT


_SPENT = httpx.ByteStream(b"")


def _transport_error(call: Call, exc: httpx.HTTPError) -> UpstreamError:
    """httpx's exception carries the URL, token included: only its class name goes on."""
    what = f"{type(exc).__name__} talking to the upstream"
    where = {"method": call.method, "path": call.template}
    if not call.is_read and not isinstance(exc, _NOT_SENT):
        return OutcomeUnknown(f"{what}; the write may have been applied", **where)
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamTimeout(what, **where)
    return TransportFailure(what, **where)


def _deadline_error(call: Call, flight: _Flight) -> UpstreamError:
    where = {"method": call.method, "path": call.template}
    if flight.write_in_flight:
        return OutcomeUnknown("the call's deadline passed with the write unanswered", **where)
    return UpstreamTimeout("the call's deadline passed", **where)
