"""Exactly once against the sandbox: the wire, its faults, and what the upstream's books say."""

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.failures import Failure, Rejection
from resolvers.money.orders import MoneyOrder
from store.journal import JournalEntry, MovementKind, MovementState
from tests.money.expect import entry_for
from tests.money.sandbox_kit import Sandbox, sandbox_desk

Rig = tuple[Sandbox, MoneyDesk, int]


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    """A sandbox, a desk over it and a fresh USD account."""
    async with sandbox_desk(engine, read_timeout=1.0) as (sandbox, desk):
        yield sandbox, desk, await sandbox.open_account("USD")


def deposit(login: int, amount: str = "100.25", key: str = "dep-1") -> MoneyOrder:
    return MoneyOrder(MovementKind.DEPOSIT, login, Decimal(amount), key)


async def test_a_deposit_reaches_the_books_once(rig: Rig) -> None:
    sandbox, desk, login = rig
    order = deposit(login)
    result = await desk.movements.move("1001", order)
    assert isinstance(result, JournalEntry)
    assert (result, await sandbox.money(login), await sandbox.calls()) == (
        entry_for(result, order, state=MovementState.SUCCEEDED, history_id=result.history_id),
        (Decimal("100.25"), Decimal(0), Decimal(0)),
        1,
    )


async def test_fifty_concurrent_identical_deposits_make_one_changebalance(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("latency", latencyMs=50)
    results = await asyncio.gather(
        *(desk.movements.move("1001", deposit(login)) for _ in range(50))
    )
    assert (len(set(results)), await sandbox.calls(), await sandbox.money(login)) == (
        1,
        1,
        (Decimal("100.25"), Decimal(0), Decimal(0)),
    )


@pytest.mark.parametrize(
    ("kind", "books"),
    [
        (MovementKind.DEPOSIT_BONUS, (Decimal(0), Decimal(7), Decimal(0))),
        (MovementKind.DEPOSIT_CREDIT, (Decimal(0), Decimal(0), Decimal(7))),
    ],
)
async def test_bonus_and_credit_move_their_own_field(
    rig: Rig, kind: MovementKind, books: tuple[Decimal, Decimal, Decimal]
) -> None:
    sandbox, desk, login = rig
    await desk.movements.move("1001", MoneyOrder(kind, login, Decimal(7), "b"))
    assert await sandbox.money(login) == books


async def test_a_dropped_answer_is_unknown_and_never_resent(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("drop_after_commit", times=1)
    first = await desk.movements.move("1001", deposit(login))
    again = await desk.movements.move("1001", deposit(login))
    assert isinstance(first, JournalEntry)
    assert (first.state, again, await sandbox.calls(), await sandbox.money(login)) == (
        MovementState.OUTCOME_UNKNOWN,
        first,
        1,
        (Decimal("100.25"), Decimal(0), Decimal(0)),
    )


async def test_a_read_timeout_after_sending_is_unknown(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("timeout", latencyMs=10_000, times=1)
    result = await desk.movements.move("1001", deposit(login))
    assert isinstance(result, JournalEntry)
    assert (result.state, await sandbox.calls(), await sandbox.money(login)) == (
        MovementState.OUTCOME_UNKNOWN,
        1,
        (Decimal(0), Decimal(0), Decimal(0)),
    )


async def test_a_5xx_fails_retryably_and_the_retry_applies_once(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("error", status=503, errorCode="UNKNOWN_ERROR", times=1)
    first = await desk.movements.move("1001", deposit(login))
    again = await desk.movements.move("1001", deposit(login))
    assert isinstance(first, Rejection)
    assert isinstance(again, JournalEntry)
    assert (first.failure, again.state, again.attempts, await sandbox.money(login)) == (
        Failure.UPSTREAM_UNAVAILABLE,
        MovementState.SUCCEEDED,
        2,
        (Decimal("100.25"), Decimal(0), Decimal(0)),
    )


async def test_withdrawing_more_than_the_balance_is_insufficient_funds(rig: Rig) -> None:
    sandbox, desk, login = rig
    order = MoneyOrder(MovementKind.WITHDRAW, login, Decimal(5), "w")
    result = await desk.movements.move("1001", order)
    assert isinstance(result, Rejection)
    assert (
        (result.failure, result.movement and result.movement.state),
        await sandbox.money(login),
    ) == (
        (Failure.INSUFFICIENT_FUNDS, MovementState.FAILED),
        (Decimal(0), Decimal(0), Decimal(0)),
    )


async def test_an_unknown_trader_is_refused_before_journaling(rig: Rig) -> None:
    sandbox, desk, _ = rig
    result = await desk.movements.move("1001", deposit(424242))
    assert isinstance(result, Rejection)
    assert (result.failure, result.movement, await sandbox.calls()) == (
        Failure.TRADER_NOT_FOUND,
        None,
        0,
    )
