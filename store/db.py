"""The service's own database: one async engine, one metadata, SQLite (WAL) or PostgreSQL by URL.

Every table of the service hangs off `metadata` and is named with the `tg_` prefix, so that the
service can share a PostgreSQL database with the sandbox (whose tables start with `sbx_`) in tests.

Writes go through `writing` (a transaction on the async engine) or `write` (a whole transaction
of plain Core work, one thread hop on a SQLite file: the money journal's hot path); both take the
process's one write turn on SQLite. `read` is `write`'s counterpart for hot one-row lookups.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, Executable, MetaData, Row, create_engine, event
from sqlalchemy.exc import DBAPIError
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


T = TypeVar("T")
_TWINS: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def _twin(engine: AsyncEngine) -> Engine | None:
    """The blocking pysqlite engine over the same SQLite file, made once per async engine and
    disposed with it; None for PostgreSQL and for an in-memory SQLite (a twin would open another
    database)."""
    if not is_sqlite(str(engine.url)) or engine.url.database in {None, "", ":memory:"}:
        return None
    twin = _TWINS.get(engine.sync_engine)
    if twin is None:
        twin = create_engine(engine.url.set(drivername="sqlite"))
        event.listen(twin, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "engine_disposed", lambda _: twin.dispose())
        _TWINS[engine.sync_engine] = twin
    return twin


def _blocking(twin: Engine, work: Callable[[Connection], T], *, commit: bool) -> T:
    with twin.connect() as connection:
        result = work(connection)
        if commit:
            connection.commit()
        return result


async def write(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work` (plain SQLAlchemy Core on a blocking `Connection`) as one write transaction.

    On a SQLite file the whole transaction runs on a worker thread in one hop, over a pysqlite
    twin of the engine, and takes this process's write turn like `writing`: through aiosqlite each
    statement costs four thread hops (cursor, execute, fetch, close) plus the commit's, and every
    hop waits for the busy event loop to come round, with the write turn held all the while. That
    made the money journal's two writes per deposit the service's bottleneck. On PostgreSQL `work`
    runs on the async connection through `run_sync`, as any other statement would.
    """
    twin = _twin(engine)
    if twin is None:
        async with writing(engine) as connection:
            return await connection.run_sync(work)
    async with _writer_lock(engine):
        return await asyncio.to_thread(_blocking, twin, work, commit=True)


async def read(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """Run `work` as one read: on a SQLite file in one thread hop, like `write`, without a turn."""
    twin = _twin(engine)
    if twin is None:
        async with engine.connect() as connection:
            return await connection.run_sync(work)
    return await asyncio.to_thread(_blocking, twin, work, commit=False)


def first_row(
    statement: Executable, parameters: Mapping[str, object] | None = None
) -> Callable[[Connection], Row[Any] | None]:
    """The work, for `write` or `read`, of one statement whose answer is at most one row."""

    def work(connection: Connection) -> Row[Any] | None:
        return connection.execute(statement, parameters).first()

    return work


CREATE_ATTEMPTS = 3


async def create_tables(engine: AsyncEngine) -> None:
    """Create the service's tables if they are missing (idempotent, safe across replicas).

    Workers or replicas starting together race: each sees a table missing, and the one that
    creates it second fails (PostgreSQL: a duplicate `pg_type` key; SQLite: "already exists").
    That one tries again: the next pass finds the table and creates only what is still missing.
    """
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            async with engine.begin() as connection:
                await connection.run_sync(metadata.create_all)
        except DBAPIError:
            if attempt == CREATE_ATTEMPTS:
                raise
        else:
            return
