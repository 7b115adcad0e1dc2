import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from store.db import create_tables, is_sqlite, make_engine, writing


def test_sqlite_urls_are_recognised() -> None:
    assert (is_sqlite("sqlite+aiosqlite:///x.db"), is_sqlite("postgresql+asyncpg://h/db")) == (
        True,
        False,
    )


async def test_a_sqlite_file_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}")
    await create_tables(engine)
    async with engine.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
    await engine.dispose()
    assert mode == "wal"


async def test_writers_of_one_process_take_turns_on_sqlite(tmp_path: Path) -> None:
    """SQLite makes a second writer sleep in its busy handler; `writing` queues them instead."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    open_now, most_open = 0, 0

    async def write(n: int) -> None:
        nonlocal open_now, most_open
        async with writing(engine) as connection:
            open_now += 1
            most_open = max(most_open, open_now)
            await connection.execute(text("INSERT INTO t (n) VALUES (:n)"), {"n": n})
            await asyncio.sleep(0)  # let the other writers try to start meanwhile
            open_now -= 1

    await asyncio.gather(*(write(n) for n in range(20)))
    async with engine.connect() as connection:
        written = (await connection.execute(text("SELECT n FROM t ORDER BY n"))).scalars().all()
    await engine.dispose()
    assert (most_open, written) == (1, list(range(20)))


async def test_a_failed_write_rolls_back_and_frees_the_turn(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))

    async def twice() -> None:
        async with writing(engine) as connection:
            await connection.execute(text("INSERT INTO t (n) VALUES (1)"))
            await connection.execute(text("INSERT INTO t (n) VALUES (1)"))

    with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: t\.n"):
        await twice()
    async with writing(engine) as connection:
        await connection.execute(text("INSERT INTO t (n) VALUES (2)"))
    async with engine.connect() as connection:
        written = (await connection.execute(text("SELECT n FROM t"))).scalars().all()
    await engine.dispose()
    assert written == [2]
