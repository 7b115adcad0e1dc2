"""Sessions a process has just looked up, kept for a few seconds: no database read per request.

Every request made with a session token named its caller by reading `tg_sessions` (a thread hop
and a query on SQLite, a round trip on PostgreSQL), the same row again and again. A process now
keeps what it read for `TRADERGRAPH_SESSION_CACHE_SECONDS` (2 s; 0 turns it off) and reads the
row again after that. What that costs, and why it is safe (docs/security.md, "Sessions"):

- `logout` drops the session from its own process's cache at once, whichever `SessionStore` of
  that process revokes it (the cache belongs to the engine, not to a store).
- A session revoked in another worker or replica, or by deleting its row, is still accepted
  by a process that read it in the last `cache_seconds`: that long, no longer.
- An expired session is never served from the cache: its expiry is checked on every hit.
- Only sessions found are kept; an unknown token reads the database every time.

At most `MAX_SESSIONS` are kept; past that the oldest read goes first.
"""

from __future__ import annotations

from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

MAX_SESSIONS = 10_000

S = TypeVar("S")


class SessionCache(Generic[S]):
    """Sessions by token digest, each with the time (epoch ms) it was read from the database."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[S, int]] = {}

    def fresh(self, key: str, now_ms: int, within_ms: int) -> S | None:
        """The session read for `key` less than `within_ms` ago, if any."""
        kept = self._kept.get(key)
        if kept is None or now_ms - kept[1] >= within_ms:
            return None
        return kept[0]

    def keep(self, key: str, session: S, now_ms: int) -> None:
        self._kept.pop(key, None)  # a session read again goes to the back of the line
        if len(self._kept) >= MAX_SESSIONS:
            del self._kept[next(iter(self._kept))]
        self._kept[key] = (session, now_ms)

    def drop(self, key: str) -> None:
        self._kept.pop(key, None)

    def __len__(self) -> int:
        return len(self._kept)


_CACHES: WeakKeyDictionary[Engine, SessionCache[object]] = WeakKeyDictionary()


def cache_of(engine: AsyncEngine) -> SessionCache[object]:
    """The process's one cache for the sessions of `engine`'s database."""
    return _CACHES.setdefault(engine.sync_engine, SessionCache())
