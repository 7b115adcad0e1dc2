"""Exactly once on PostgreSQL: concurrent duplicates in one process, and across two processes.

Skipped, with the reason shown, unless TRADERGRAPH_TEST_POSTGRES_URL names a database. Each test
uses its own caller id, so runs sharing the database never see each other's keys.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.failures import Unknown
from resolvers.money.movements import Movements
from resolvers.money.orders import Account, MoneyOrder
from resolvers.money.resolution import Outcome, resolve
from resolvers.money.transfers import Transfers
from store.db import create_tables, make_engine
from store.journal import JournalEntry, MovementKind, MovementState
from tests.money.ledger import Ledger
from tests.money.sandbox_kit import sandbox_desk
from tests.money.two_processes import Outcome as Processes
from tests.money.two_processes import deposit_from_two_processes

POSTGRES_URL = os.environ.get("TRADERGRAPH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    POSTGRES_URL is None, reason="TRADERGRAPH_TEST_POSTGRES_URL is not set"
)


@pytest.fixture
async def pg_engine() -> AsyncIterator[AsyncEngine]:
    assert POSTGRES_URL is not None
    engine = make_engine(POSTGRES_URL)
    await create_tables(engine)
    yield engine
    await engine.dispose()


def caller_of_this_test() -> str:
    return f"pg-{uuid.uuid4().hex[:12]}"


async def test_fifty_concurrent_deposits_on_postgres_make_one_call(pg_engine: AsyncEngine) -> None:
    async with sandbox_desk(pg_engine) as (sandbox, desk):
        login = await sandbox.open_account()
        await sandbox.fault("latency", latencyMs=50)
        order = MoneyOrder(MovementKind.DEPOSIT, login, Decimal("12.34"), "once")
        caller = caller_of_this_test()
        results = await asyncio.gather(*(desk.movements.move(caller, order) for _ in range(50)))
        assert (len(set(results)), await sandbox.calls(), await sandbox.money(login)) == (
            1,
            1,
            (Decimal("12.34"), Decimal(0), Decimal(0)),
        )


async def test_two_processes_sharing_postgres_make_one_call(pg_engine: AsyncEngine) -> None:
    assert POSTGRES_URL is not None
    outcome = await deposit_from_two_processes(pg_engine, POSTGRES_URL, caller_of_this_test())
    entry_id = min(entry for entry, _ in outcome.answers if entry is not None)
    assert outcome == Processes(
        frozenset({(entry_id, MovementState.SUCCEEDED.value)}),
        50,
        1,
        (Decimal("12.34"), Decimal(0), Decimal(0)),
    )


async def test_an_operator_resolution_on_postgres_keeps_why_the_answer_was_lost(
    pg_engine: AsyncEngine,
) -> None:
    ledger = Ledger(Account(5001, "USD", 2))
    ledger.script.append(Unknown("read timeout after sending"))
    movements = Movements(pg_engine, ledger)
    caller = caller_of_this_test()
    stuck = await movements.move(caller, MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(1), "k"))
    assert isinstance(stuck, JournalEntry)
    resolved = await resolve(Transfers(movements), "ops-1", stuck.id, Outcome.FAILED)
    assert isinstance(resolved, JournalEntry)
    assert (resolved.state, resolved.error_message, resolved.resolved_by, len(ledger.calls)) == (
        MovementState.FAILED,
        "read timeout after sending; resolved by operator ops-1: the upstream did not apply it",
        "ops-1",
        1,
    )
