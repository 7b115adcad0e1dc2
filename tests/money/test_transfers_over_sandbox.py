"""Transfer sagas against the sandbox: the books after completion, compensation and a crash."""

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder, TransferOrder
from resolvers.money.transfers import Transfer, Transfers
from store.journal import MovementKind
from store.money_transfers import TransferState
from tests.money.sandbox_kit import Sandbox, sandbox_desk

Rig = tuple[Sandbox, MoneyDesk, int, int]


class Crash(Exception):
    pass


def crash_after_withdraw(point: str) -> None:
    if point == "after-withdraw":
        raise Crash(point)


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    """Account A with 100 USD, account B empty."""
    async with sandbox_desk(engine, read_timeout=5.0) as (sandbox, desk):
        a, b = await sandbox.open_account(), await sandbox.open_account()
        await desk.movements.move("1001", MoneyOrder(MovementKind.DEPOSIT, a, Decimal(100), "f"))
        yield sandbox, desk, a, b


async def balances(sandbox: Sandbox, *logins: int) -> list[Decimal]:
    return [(await sandbox.money(login))[0] for login in logins]


async def test_a_completed_transfer_moves_the_funds(rig: Rig) -> None:
    sandbox, desk, a, b = rig
    result = await desk.transfers.transfer("1001", TransferOrder(a, b, Decimal("30.5"), "t"))
    assert isinstance(result, Transfer)
    assert (result.row.state, await balances(sandbox, a, b)) == (
        TransferState.COMPLETED,
        [Decimal("69.5"), Decimal("30.5")],
    )


async def test_a_deposit_refused_upstream_is_compensated(rig: Rig) -> None:
    sandbox, desk, a, b = rig
    path = f"/v2/webserv/traders/{b}/changebalance"
    await sandbox.fault("error", path=path, status=403, errorCode="NOT_ENOUGH_RIGHTS", times=1)
    result = await desk.transfers.transfer("1001", TransferOrder(a, b, Decimal(30), "t"))
    assert isinstance(result, Transfer)
    assert (result.row.state, await balances(sandbox, a, b), await sandbox.calls()) == (
        TransferState.COMPENSATED,
        [Decimal(100), Decimal(0)],
        4,
    )


async def test_recovery_resumes_a_transfer_after_a_crash(engine: AsyncEngine, rig: Rig) -> None:
    sandbox, desk, a, b = rig
    crashing = Transfers(desk.movements, crash_after_withdraw)
    with pytest.raises(Crash):
        await crashing.transfer("1001", TransferOrder(a, b, Decimal(30), "t"))
    halfway = await balances(sandbox, a, b)
    restarted = MoneyDesk.over(engine, desk.movements.gateway)
    recovered = await restarted.recover()
    assert (halfway, recovered.resumed, await balances(sandbox, a, b)) == (
        [Decimal(70), Decimal(0)],
        (1,),
        [Decimal(70), Decimal(30)],
    )
