"""The sandbox's database: one async engine, and the locking that makes each write atomic.

Every write runs in one transaction under a per-process lock, so concurrent balance changes on one
account never lose an update; balance updates are also written as atomic `SET balance = balance + d`
so that several processes sharing a PostgreSQL database stay correct; on PostgreSQL each write
transaction also takes a transaction-scoped advisory lock, so sandboxes in several processes on
one database (a served sandbox plus a test process, say) never interleave a reset with a write.
SQLite (one connection for `:memory:`) serialises reads behind the same lock, since its single
connection cannot interleave.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, delete, event, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.schema import Column

from sandbox.models import ALL_TABLES, metadata

LOCK_KEY = 0x5B5_0001  # the sandbox's advisory-lock key on PostgreSQL


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite") and ":memory:" in url:
        return create_async_engine(
            url, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    engine = create_async_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_connect)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    """Let SQLAlchemy, not the driver, open transactions; wait for a busy file, don't fail."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE takes the file's write lock up front, so two processes sharing one SQLite
    file serialise their transactions instead of failing half-way."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.is_sqlite = url.startswith("sqlite")
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction, committed on success, rolled back on any exception."""
        async with self._lock, self.engine.begin() as connection:
            await self._cross_process_lock(connection)
            yield connection

    async def _cross_process_lock(self, connection: AsyncConnection) -> None:
        if not self.is_sqlite:
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        if self.is_sqlite:
            async with self._lock, self.engine.connect() as connection:
                yield connection
        else:
            async with self.engine.connect() as connection:
                yield connection

    async def create_tables(self) -> None:
        async with self.engine.begin() as connection:
            await self._cross_process_lock(connection)
            await connection.run_sync(metadata.create_all)

    async def wipe(self, connection: AsyncConnection) -> None:
        """Empty every sandbox table (never drop: the service may share the database)."""
        for table in ALL_TABLES:
            await connection.execute(delete(table))

    async def dispose(self) -> None:
        await self.engine.dispose()


async def next_id(connection: AsyncConnection, column: Column[int], floor: int) -> int:
    """The next free id above `floor`; callers hold the write lock, so ids never collide."""
    current = (await connection.execute(select(func.max(column)))).scalar()
    return max(int(current or 0), floor) + 1
