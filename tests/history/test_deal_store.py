"""A window's rows saved by `save_window` (one `executemany` of plain tuples) read back as the
grid's records, and saving the window again changes nothing: on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import create_tables, make_engine, read, write
from store.deal_rows import mirror_rows
from store.deals import deals, deals_of, save_window, windows
from tests.support.services import POSTGRES_URL, on_postgres
from tests.upstream.samples import CLOSED_HEADER
from upstream.grids import closed_deals
from upstream.records import ClosedDeal
from upstream.times import format_query_time, from_epoch_ms

WIDTH_MS = 2 * 86_400_000


def _grid(start_ms: int, first_id: int) -> bytes:
    """Three deals closed inside the 2-day window that starts at `start_ms` (one not plain)."""

    def at(offset_ms: int) -> str:
        return format_query_time(from_epoch_ms(start_ms + offset_ms))

    lines = [
        f"9001,{first_id},{first_id},{at(-5000)},{at(1000)},1.32315,1.32214,BUY,1000.00,GBPUSD,"
        "-1.25,25.83,44.79,0.96911,1.32214,BOOK_B,0.00,false",
        f"9002,{first_id + 1},{first_id + 1},{at(0)},{at(3_600_000)},147.392,147.4,SELL,"
        "5000.00,USDJPY,0.00,0,0E-8,0.0067,1.00000,BOOK_A,,true",
        f"9001,{first_id + 2},{first_id + 2},{at(10)},{at(WIDTH_MS - 1)},1.1,1.2,BUY,0.10,"
        "EURUSD,-0.00000001,0.5,-10.00,1.2,1.2,BOOK_B,1.5,false",
    ]
    return "\n".join([CLOSED_HEADER, *lines, ""]).encode()


@pytest.fixture(
    params=[
        pytest.param(None, id="sqlite"),
        on_postgres(POSTGRES_URL),
    ]
)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    url = request.param or f"sqlite+aiosqlite:///{tmp_path / 'mirror.db'}"
    engine = make_engine(url)
    await create_tables(engine)
    yield engine
    await engine.dispose()


async def _in_window(engine: AsyncEngine, start_ms: int) -> tuple[list[ClosedDeal], int]:
    logins = [9001, 9002]
    found = await read(engine, lambda c: deals_of(c, logins, start_ms, start_ms + WIDTH_MS))
    where = (deals.c.close_ms >= start_ms) & (deals.c.close_ms < start_ms + WIDTH_MS)
    count = select(func.count()).select_from(deals).where(where)
    return found, await read(engine, lambda c: int(c.execute(count).scalar_one()))


async def test_a_saved_window_reads_back_as_its_grid_and_saving_it_again_changes_nothing(
    engine: AsyncEngine,
) -> None:
    start_ms = random.randrange(3_000, 4_000) * WIDTH_MS  # a window no other run uses
    first_id = start_ms // 1000
    body = _grid(start_ms, first_id)
    rows = mirror_rows(body)

    def save(c: Connection) -> None:
        save_window(c, start_ms, start_ms + WIDTH_MS, start_ms + WIDTH_MS + 1, rows)

    try:
        await write(engine, save)
        once = await _in_window(engine, start_ms)
        await write(engine, save)
        twice = await _in_window(engine, start_ms)
    finally:
        await write(engine, lambda c: _forget(c, start_ms))
    expected = sorted(closed_deals(body), key=lambda d: (d.close_timestamp, d.deal_id))
    assert (once, twice) == ((expected, 3), (expected, 3))


def _forget(connection: Connection, start_ms: int) -> None:
    where = (deals.c.close_ms >= start_ms) & (deals.c.close_ms < start_ms + WIDTH_MS)
    connection.execute(delete(deals).where(where))
    connection.execute(delete(windows).where(windows.c.start_ms == start_ms))
