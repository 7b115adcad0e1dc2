"""The service's own database: one async engine, one metadata, SQLite (WAL) or PostgreSQL by URL.

Every table of the service hangs off `metadata` and is named with the `tg_` prefix, so that the
service can share a PostgreSQL database with the sandbox (whose tables start with `sbx_`) in tests.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
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


async def create_tables(engine: AsyncEngine) -> None:
    """Create the service's tables if they are missing (idempotent, safe across replicas)."""
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
