"""The service's own database: one async engine, one metadata, SQLite (WAL) or PostgreSQL by URL.

Every table of the service hangs off `metadata` and is named with the `tg_` prefix, so that the
service can share a PostgreSQL database with the sandbox (whose tables start with `sbx_`) in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, MetaData, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase

metadata = MetaData()


class Base(DeclarativeBase):
    metadata = metadata


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside the one writer; a busy timeout waits instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    """Build the engine for `url`; SQLite files get WAL mode, PostgreSQL a modest pool."""
    if not is_sqlite(url):
        return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


_WRITERS: WeakKeyDictionary[asyncio.AbstractEventLoop, WeakKeyDictionary[Engine, asyncio.Lock]]
_WRITERS = WeakKeyDictionary()


def _writer_lock(engine: AsyncEngine) -> asyncio.Lock:
    """This event loop's one write lock for `engine` (a lock belongs to the loop it waits on)."""
    per_engine = _WRITERS.setdefault(asyncio.get_running_loop(), WeakKeyDictionary())
    return per_engine.setdefault(engine.sync_engine, asyncio.Lock())


@asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction: committed when the block ends, rolled back if it raises.

    SQLite has one writer at a time; a second connection that wants to write gets SQLITE_BUSY and
    its busy handler sleeps and retries in steps of up to 100 ms, which turned 16 concurrent
    deposits into a p99 of over a second. So on SQLite the writers of this process queue on one
    asyncio lock instead and never meet inside SQLite (another process's writers still wait in
    `busy_timeout`). PostgreSQL locks rows, not the database, and needs no gate.
    """
    if not is_sqlite(str(engine.url)):
        async with engine.begin() as connection:
            yield connection
        return
    async with _writer_lock(engine), engine.begin() as connection:
        yield connection


async def create_tables(engine: AsyncEngine) -> None:
    """Create the service's tables if they are missing (idempotent, safe across replicas)."""
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
