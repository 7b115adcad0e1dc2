from pathlib import Path

from sqlalchemy import text

from store.db import create_tables, is_sqlite, make_engine


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
