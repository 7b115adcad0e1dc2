from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import create_tables, make_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A fresh journal in a SQLite file in WAL mode, as the service runs by default."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'journal.db'}")
    await create_tables(engine)
    yield engine
    await engine.dispose()
