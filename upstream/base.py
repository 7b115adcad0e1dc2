"""The client's plumbing shared by its endpoint methods: the HTTP client, the exchange, decoding."""

from __future__ import annotations

import copy
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Self, TypeVar, cast

import httpx
from pydantic import SecretStr

from upstream.answers import body_fields, malformed_as
from upstream.breaker import BreakerState
from upstream.calls import Call, media_type
from upstream.config import ClientConfig
from upstream.exchange import Exchange
from upstream.fields import Fields
from upstream.hooks import RequestHook
from upstream.pacing import Pacing
from upstream.read_cache import LocalTags
from upstream.redaction import redact_httpx_logs
from upstream.sharing import Answered, ReadStore, Sharing, credentials_of, request_key
from upstream.sockets import pooled_transport
from upstream.tokens import TokenCache, md5_hex
from upstream.turns import waiting
from upstream.wire import Document

R = TypeVar("R")

AUTH_PATH = "/v2/webserv/managers/token"
STREAMED = "streamed"
"""Where a streamed read's result rides in its flight's `Answered` (its body is never there)."""


class ClientBase:
    """Holds one `httpx.AsyncClient` (keep-alive pool); use `async with` or call `aclose()`."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_request: RequestHook | None = None,
        pacing: Pacing | None = None,
        reads: ReadStore | None = None,
    ) -> None:
        """`reads` keeps answers for a while (`read_cache`); without it reads in flight are
        still shared (`sharing`)."""
        redact_httpx_logs(logging.getLogger("httpx"))
        pacing = pacing or Pacing()
        self._config = config
        self._http = _http_client(config, transport)
        self._tokens = TokenCache(self._fetch_token)
        self._exchange = Exchange(self._http, config, self._tokens, pacing, on_request)
        self._sharing = Sharing(reads or LocalTags(), pacing.clock)
        self._credentials = credentials_of("manager", config.base_url, config.manager_login)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()
        await self._sharing.store.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"

    def for_token(self, token: str) -> Self:
        """A view that sends `token` (another manager's) instead of the configured manager's.

        It shares this client's connection pool and circuit breaker; a refused token is not
        replaced (the view has no password). Close the client, never a view.
        """
        view = copy.copy(self)
        view._tokens = TokenCache(_fixed(token))
        view._exchange = self._exchange.with_tokens(view._tokens)
        view._credentials = credentials_of("token", self._config.base_url, token)
        return view

    async def token_for(self, login: int, password: SecretStr) -> str:
        """3.0 for another manager's credentials: their token, or `InvalidToken` (401)."""
        body: Document = {"login": login, "hashedPassword": md5_hex(password)}
        call = Call("POST", AUTH_PATH, body=body, root="token", read=True, authenticated=False)
        return await self._read(call, lambda f: f.text("webservToken"))

    @property
    def circuit(self) -> BreakerState:
        """The circuit breaker's state: `open` means recent calls kept failing (for /readyz)."""
        return self._exchange.breaker.state

    async def _fetch_token(self) -> str:
        """3.0. Safe to retry: the same credentials give the same token."""
        return await self.token_for(self._config.manager_login, self._config.manager_password)

    async def _read(
        self, call: Call, decode: Callable[[Fields], R], *, shared: str | None = None
    ) -> R:
        """`shared` names a decoder of immutable records: an answer several reads share is
        decoded once for them all (`sharing.Answered.decoded`)."""
        media = media_type(call, self._config.wire_format)
        answered = await self._answer(call, media)

        def read(a: Answered) -> R:
            return decode(body_fields(a.content_type, a.content, media))

        with malformed_as(call):
            return read(answered) if shared is None else answered.decoded(shared, read)

    async def _grid(
        self,
        call: Call,
        parse: Callable[[bytes], R],
        *,
        shared: str | None = None,
        keep: bool = True,
    ) -> R:
        """`keep` False: the answer is shared in flight but never kept by the read cache (the
        trader index's list, megabytes that have a cache of their own)."""
        answered = await self._answer(call, "text/csv", keep=keep)

        def read(a: Answered) -> R:
            return parse(a.content)

        with malformed_as(call):
            return read(answered) if shared is None else answered.decoded(shared, read)

    async def _streamed(
        self, call: Call, read: Callable[[AsyncIterator[bytes]], Awaitable[R]], reader: str
    ) -> R:
        """A GET whose body `read` takes as it arrives (`Exchange.stream`), so it is never
        whole: the trader index's list. Identical reads in flight with the same `reader` (what
        they make of the body: one `read` stands for all) share one call and its result; none
        is ever kept by the read cache (the index is a cache with its own TTL)."""
        key = request_key(self._credentials, call, f"stream:{reader}")

        async def fetch() -> Answered:
            with malformed_as(call):
                return Answered(b"", "", {STREAMED: await self._exchange.stream(call, read)})

        answered = await self._sharing.read(key, call, fetch, keep=False)
        return cast(R, answered.memo[STREAMED])

    async def _send(self, call: Call) -> None:
        await self._answer(call, media_type(call, self._config.wire_format))

    async def _answer(self, call: Call, media: str, *, keep: bool = True) -> Answered:
        """GETs are shared (`sharing`); every other write makes its changes read anew. The
        request gives its turn to the next while it waits on the upstream (`turns`)."""
        if call.method == "GET":
            key = request_key(self._credentials, call, media)
            return await self._sharing.read(key, call, lambda: self._fetch(call), keep=keep)
        if call.is_read:
            return await waiting(self._fetch(call))
        try:
            return await waiting(self._fetch(call))
        finally:
            await self._sharing.wrote(call)

    async def _fetch(self, call: Call) -> Answered:
        response = await self._exchange.send(call)
        return Answered(response.content, response.headers.get("content-type", ""))


def _fixed(token: str) -> Callable[[], Awaitable[str]]:
    async def fetch() -> str:
        return token

    return fetch


def _http_client(
    config: ClientConfig, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    t = config.timeouts
    pool = config.pool
    limits = httpx.Limits(
        max_connections=pool.max_connections,
        max_keepalive_connections=pool.max_keepalive_connections,
        keepalive_expiry=pool.keepalive_expiry,
    )
    return httpx.AsyncClient(
        base_url=config.base_url,
        transport=transport or pooled_transport(limits),
        timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.read, pool=t.pool),
        follow_redirects=False,
        headers={"User-Agent": "tradergraph-upstream"},
    )
