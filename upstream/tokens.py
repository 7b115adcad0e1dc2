"""The manager token: fetched lazily, cached, shared by concurrent calls, dropped when refused.

The token lives only here and in the one place that adds it to a request's query; this object's
repr does not show it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable

from pydantic import SecretStr


def md5_hex(password: SecretStr) -> str:
    """The protocol sends every password as the lowercase MD5 hex of its UTF-8 bytes."""
    return hashlib.md5(password.get_secret_value().encode()).hexdigest()


class TokenCache:
    __slots__ = ("_fetch", "_lock", "_token")

    def __init__(self, fetch: Callable[[], Awaitable[str]]) -> None:
        self._fetch = fetch
        self._token: str | None = None
        self._lock = asyncio.Lock()

    async def current(self) -> str:
        """The cached token, or a new one; concurrent callers wait for a single fetch."""
        if self._token is not None:
            return self._token
        async with self._lock:
            if self._token is None:
                self._token = await self._fetch()
            return self._token

    def invalidate(self, refused: str) -> None:
        """Forget `refused`, unless another call already replaced it."""
        if self._token == refused:
            self._token = None

    def __repr__(self) -> str:
        return f"TokenCache(cached={self._token is not None})"
