import asyncio
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

# The service's own tables hang off `metadata` once their modules are imported.
import store.journal
import store.money_transfers
import store.users  # noqa: F401
from store.db import (
    CREATE_ATTEMPTS,
    create_tables,
    is_sqlite,
    make_engine,
    metadata,
    read,
    write,
    writing,
)


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


async def make_table(tmp_path: Path) -> AsyncEngine:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'state.db'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
    return engine


def numbers(connection: Connection) -> list[int]:
    return list(connection.execute(text("SELECT n FROM t ORDER BY n")).scalars())


async def test_a_whole_write_commits_and_a_read_sees_it(tmp_path: Path) -> None:
    engine = await make_table(tmp_path)

    def insert_two(connection: Connection) -> int:
        connection.execute(text("INSERT INTO t (n) VALUES (1), (2)"))
        return len(numbers(connection))

    inside = await write(engine, insert_two)
    seen = await read(engine, numbers)
    async with engine.connect() as connection:  # the async engine sees the same file
        through_aiosqlite = (await connection.execute(text("SELECT count(*) FROM t"))).scalar()
    await engine.dispose()
    assert (inside, seen, through_aiosqlite) == (2, [1, 2], 2)


async def test_a_whole_write_that_raises_leaves_nothing(tmp_path: Path) -> None:
    engine = await make_table(tmp_path)

    def half(connection: Connection) -> None:
        connection.execute(text("INSERT INTO t (n) VALUES (1)"))
        raise RuntimeError("the second half failed")

    with pytest.raises(RuntimeError, match=r"^the second half failed$"):
        await write(engine, half)
    seen = await read(engine, numbers)
    await engine.dispose()
    assert seen == []


async def test_whole_writes_take_the_same_turn_as_writing_blocks(tmp_path: Path) -> None:
    engine = await make_table(tmp_path)
    order: list[str] = []

    def insert(connection: Connection) -> None:
        order.append("whole write")
        connection.execute(text("INSERT INTO t (n) VALUES (2)"))

    async with writing(engine) as connection:
        await connection.execute(text("INSERT INTO t (n) VALUES (1)"))
        waiting = asyncio.ensure_future(write(engine, insert))
        for _ in range(5):
            await asyncio.sleep(0)  # give the whole write every chance to jump the turn
        order.append("block ends")
    await waiting
    seen = await read(engine, numbers)
    await engine.dispose()
    assert (order, seen) == (["block ends", "whole write"], [1, 2])


def racing_starter(
    path: Path, statements: list[str], *, always: bool = False
) -> Callable[..., None]:
    """A `before_cursor_execute` hook: another worker starting at the same moment creates the
    table this engine is about to create (the first time, or `always`)."""

    def create_it_first(*args: object) -> None:
        statement = str(args[2])
        if statement.lstrip().startswith("CREATE TABLE") and (always or not statements):
            statements.append(statement)
            with closing(sqlite3.connect(path)) as other:
                other.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))

    return create_it_first


async def tables_of(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))


async def test_tables_another_worker_created_meanwhile_are_taken_as_made(tmp_path: Path) -> None:
    """Workers starting together race on the same CREATE; the loser's next pass finds the table."""
    path = tmp_path / "state.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    raced: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", racing_starter(path, raced))
    await create_tables(engine)
    made = await tables_of(engine)
    await engine.dispose()
    assert (len(raced), made) == (1, set(metadata.tables))


async def test_creating_tables_gives_up_after_three_lost_races(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    raced: list[str] = []
    hook = racing_starter(path, raced, always=True)
    event.listen(engine.sync_engine, "before_cursor_execute", hook)
    with pytest.raises(OperationalError) as failed:
        await create_tables(engine)
    await engine.dispose()
    assert (len(raced), "already exists" in str(failed.value.orig)) == (CREATE_ATTEMPTS, True)
