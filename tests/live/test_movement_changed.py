"""`moneyMovementChanged`: the journal entry each time it moves on, polled in the journal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp

from schema.node import global_id
from store import journal_ops
from store.db import create_tables, make_engine
from store.journal import Draft, JournalEntry, MovementKind, MovementState
from store.journal_ops import Settlement
from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL
from tests.live.ws import live_client

MOVEMENT = """subscription ($id: ID!) {
  moneyMovementChanged(id: $id) { id state historyId caller amount { amount currency } }
}"""


@pytest.fixture
async def journal(service: ASGIApp, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """The service's own database, as another process sharing it would see it."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    await create_tables(engine)
    yield engine
    await engine.dispose()


async def pending(engine: AsyncEngine, caller: str) -> JournalEntry:
    draft = Draft(caller, "key-1", MovementKind.DEPOSIT, 3000001, Decimal("12.50"), "USD", "h")
    return (await journal_ops.claim(engine, draft)).entry


async def test_a_movement_settling_reaches_its_subscriber_within_one_poll_interval(
    service: ASGIApp, journal: AsyncEngine, clock: ManualClock
) -> None:
    entry = await pending(journal, "1001")
    movement_id = global_id("MoneyMovement", entry.id)
    async with live_client(service) as client:
        await client.subscribe("1", MOVEMENT, id=movement_id)
        await clock.settled(1)
        settled = Settlement(MovementState.SUCCEEDED, history_id=1000001)
        await journal_ops.settle(journal, entry.id, settled)
        await clock.advance(INTERVAL)
        event = await client.receive()
    movement = {
        "id": movement_id,
        "state": "SUCCEEDED",
        "historyId": 1000001,
        "caller": "1001",
        "amount": {"amount": "12.50", "currency": "USD"},
    }
    payload = {"data": {"moneyMovementChanged": movement}}
    assert event == {"id": "1", "type": "next", "payload": payload}


async def test_another_callers_movement_is_never_shown(
    service: ASGIApp, journal: AsyncEngine, clock: ManualClock
) -> None:
    foreign = await pending(journal, "partner-7")
    mine = await pending(journal, "1001")
    async with live_client(service) as client:
        await client.subscribe("1", MOVEMENT, id=global_id("MoneyMovement", foreign.id))
        await clock.settled(1)
        await journal_ops.settle(journal, foreign.id, Settlement(MovementState.FAILED))
        await clock.advance(INTERVAL)
        await clock.settled(1)
        await client.subscribe("2", MOVEMENT, id=global_id("MoneyMovement", mine.id))
        await clock.settled(2)
        await journal_ops.settle(journal, mine.id, Settlement(MovementState.FAILED))
        await clock.advance(INTERVAL)
        event = await client.receive()
    assert (event["id"], event["type"]) == ("2", "next")
