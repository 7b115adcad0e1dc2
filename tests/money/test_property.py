"""The seeded property: a thousand money operations, transfers among them, with faults, client
retries and crashes between saga steps, lose and double none, and leave no transfer half done."""

import random
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.transfers import step_of
from sandbox import SandboxSettings
from store.journal import JournalEntry, MovementState
from store.money_transfers import TransferRow, TransferState
from tests.money.ledger import SIGN
from tests.money.sandbox_kit import CHANGEBALANCE, Sandbox, served_desk
from tests.money.schedule import BEYOND_THE_BOOKS, FAULTS, FIELD, PlannedTransfer, schedule
from tests.money.traffic import Client, Operator, Service, journal

SEED = 20261124
OPERATIONS = 1000
CURRENCIES = ["USD"] * 8 + ["EUR"] * 3
CHANGEBONUS = "POST /v2/webserv/traders/{login}/changebonus"
SUCCEEDED, FAILED = MovementState.SUCCEEDED, MovementState.FAILED
SHAPES = {
    TransferState.COMPLETED: (("withdraw", SUCCEEDED), ("deposit", SUCCEEDED)),
    TransferState.COMPENSATED: (
        ("withdraw", SUCCEEDED),
        ("deposit", FAILED),
        ("compensate", SUCCEEDED),
    ),
    TransferState.FAILED: (("withdraw", FAILED),),
}
"""The steps each finished state stands for; a transfer left unfinished has no shape."""
Rig = tuple[Sandbox, MoneyDesk, dict[int, str]]
Saga = tuple[TransferRow, list[JournalEntry]]


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    """Eight USD and three EUR accounts in a sandbox that misbehaves, on a loopback port."""
    settings = SandboxSettings(rate_limit_per_hour=1_000_000, fault_seed=SEED)
    async with served_desk(engine, settings, read_timeout=0.5) as (sandbox, desk):
        currencies = {await sandbox.open_account(currency): currency for currency in CURRENCIES}
        for fault in FAULTS:
            await sandbox.fault(**fault)  # type: ignore[arg-type]
        yield sandbox, desk, currencies


def sums(entries: list[JournalEntry], logins: list[int]) -> dict[int, list[Decimal]]:
    totals = {login: [Decimal(0)] * 3 for login in logins}
    for entry in entries:
        if entry.state is MovementState.SUCCEEDED:
            totals[entry.login][FIELD[entry.kind]] += SIGN[entry.kind] * entry.amount
    return totals


async def sagas(service: Service, plans: list[PlannedTransfer]) -> list[Saga]:
    """Each planned transfer's row and steps, in the order the schedule has them."""
    found = [await service.transfer(plan.order.idempotency_key) for plan in plans]
    return [(transfer.row, list(transfer.steps)) for transfer in found]


def shape(steps: list[JournalEntry]) -> tuple[tuple[str, MovementState], ...]:
    return tuple((step_of(step).value, step.state) for step in steps)


def moved(row: TransferRow, steps: list[JournalEntry]) -> dict[int, Decimal]:
    """What the transfer's successful steps did to each account."""
    net = {row.from_login: Decimal(0), row.to_login: Decimal(0)}
    for step in steps:
        if step.state is MovementState.SUCCEEDED:
            net[step.login] = net.get(step.login, Decimal(0)) + SIGN[step.kind] * step.amount
    return net


def promised(row: TransferRow) -> dict[int, Decimal]:
    """A completed transfer took X from A and gave B X·rate; any other left both as they were."""
    if row.state is not TransferState.COMPLETED:
        return {row.from_login: Decimal(0), row.to_login: Decimal(0)}
    received = row.amount if row.rate is None else (row.amount * row.rate).quantize(Decimal("0.01"))
    return {row.from_login: -row.amount, row.to_login: received}


async def test_no_movement_or_transfer_is_applied_twice_or_lost(rig: Rig) -> None:
    sandbox, desk, currencies = rig
    rng = random.Random(SEED)
    rounds = schedule(rng, currencies, OPERATIONS)
    plans = [op for operations in rounds for op in operations if isinstance(op, PlannedTransfer)]
    assert (
        sum(map(len, rounds)),
        len(plans),
        sum(plan.order.rate is not None for plan in plans),
        sum(plan.order.rate == BEYOND_THE_BOOKS for plan in plans),
    ) == (OPERATIONS, 249, 36, 17)

    service = Service(desk)
    operator = Operator(sandbox, service)
    await Client(service, operator, rng).run(rounds)
    await sandbox.clear_faults()
    await service.restart()
    await operator.settle_leftovers()

    entries = await journal(desk.engine)
    found = await sagas(service, plans)
    books = {login: list(await sandbox.money(login)) for login in currencies}
    calls = await sandbox.calls(CHANGEBALANCE) + await sandbox.calls(CHANGEBONUS)
    unsettled = [e.id for e in entries if e.state not in (SUCCEEDED, FAILED)]
    journaled = (sum(e.transfer_id is None for e in entries), len(entries))
    # The books hold exactly the journal's successes, each journaled attempt reached the upstream
    # once, nothing is left unknown, and every operation and saga step has its one entry.
    assert (books, calls, unsettled, journaled) == (
        sums(entries, list(currencies)),
        sum(entry.attempts for entry in entries),
        [],
        (OPERATIONS - len(plans), OPERATIONS - len(plans) + sum(len(s) for _, s in found)),
    )
    # Every transfer finished, with the steps its state stands for, and moved what it promised.
    assert [(row.state, shape(steps)) for row, steps in found] == [
        (row.state, SHAPES.get(row.state)) for row, _ in found
    ]
    assert [moved(row, steps) for row, steps in found] == [promised(row) for row, _ in found]
    # The run went through every path: each end state, both crash points, recoveries that had
    # work, and lost answers resolved for single movements and for saga steps alike.
    assert (
        {row.state for row, _ in found},
        set(service.crashes),
        any(recovered.resumed for recovered in service.recoveries),
        {entry.transfer_id is None for entry in operator.resolved},
    ) == (set(SHAPES), {"after-withdraw", "before-compensation"}, True, {True, False})
