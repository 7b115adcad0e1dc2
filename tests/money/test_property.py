"""The seeded property: a thousand money operations with faults and retries lose and double none."""

import random
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from sandbox import SandboxSettings
from store.journal import JournalEntry, MovementState
from store.journal_audit import AuditFilter, page
from tests.money.ledger import SIGN
from tests.money.sandbox_kit import CHANGEBALANCE, Sandbox, served_desk
from tests.money.schedule import FAULTS, FIELD, Client, Operator, schedule

SEED = 20261124
OPERATIONS = 1000
ACCOUNTS = 8
CHANGEBONUS = "POST /v2/webserv/traders/{login}/changebonus"


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[tuple[Sandbox, MoneyDesk, list[int]]]:
    """Eight USD accounts in a sandbox that misbehaves, served on a loopback port."""
    settings = SandboxSettings(rate_limit_per_hour=1_000_000, fault_seed=SEED)
    async with served_desk(engine, settings, read_timeout=0.5) as (sandbox, desk):
        logins = [await sandbox.open_account() for _ in range(ACCOUNTS)]
        for fault in FAULTS:
            await sandbox.fault(**fault)  # type: ignore[arg-type]
        yield sandbox, desk, logins


async def journal(desk: MoneyDesk) -> list[JournalEntry]:
    entries, _ = await page(desk.engine, AuditFilter(), first=100_000)
    return entries


def sums(entries: list[JournalEntry], logins: list[int]) -> dict[int, list[Decimal]]:
    totals = {login: [Decimal(0)] * 3 for login in logins}
    for entry in entries:
        if entry.state is MovementState.SUCCEEDED:
            totals[entry.login][FIELD[entry.kind]] += SIGN[entry.kind] * entry.amount
    return totals


async def test_no_movement_is_applied_twice_or_lost(
    rig: tuple[Sandbox, MoneyDesk, list[int]],
) -> None:
    sandbox, desk, logins = rig
    rng = random.Random(SEED)
    operator = Operator(sandbox, desk)
    await Client(desk, operator, rng).run(schedule(rng, logins, OPERATIONS))
    await sandbox.clear_faults()
    entries = await journal(desk)
    books = {login: list(await sandbox.money(login)) for login in logins}
    calls = await sandbox.calls(CHANGEBALANCE) + await sandbox.calls(CHANGEBONUS)
    unsettled = [
        e.id for e in entries if e.state not in (MovementState.SUCCEEDED, MovementState.FAILED)
    ]
    assert (books, calls, unsettled, len(entries)) == (
        sums(entries, logins),
        sum(entry.attempts for entry in entries),
        [],
        OPERATIONS,
    )
    assert len(operator.resolved) > 0
