"""Transfers as sagas over an in-memory upstream: completion, compensation, crashes, resolution."""

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.failures import Failure, Refused, Rejection, Unknown
from resolvers.money.movements import STALE_AFTER, Movements
from resolvers.money.orders import Account, MoneyOrder, TransferOrder
from resolvers.money.recovery import recover
from resolvers.money.resolution import Outcome, ResolutionRefused, Unresolvable, resolve
from resolvers.money.transfers import CrashPoint, Transfer, Transfers, step_of
from store.db import make_engine
from store.journal import JournalEntry, MovementKind, MovementState
from store.journal import movements as journal
from store.journal_ops import claim, find, get
from store.money_transfers import TransferState
from tests.money.expect import entry_for
from tests.money.ledger import Ledger

A = Account(login=5001, currency="USD", money_digits=2)
B = Account(login=5002, currency="USD", money_digits=2)
E = Account(login=5003, currency="EUR", money_digits=2)
ORDER = TransferOrder(5001, 5002, Decimal(40), "t-1")
Summary = tuple[TransferState, list[tuple[str, int, Decimal, MovementState]], dict[int, Decimal]]


class Crash(Exception):
    pass


def crash_at(point: str) -> CrashPoint:
    def crash_point(name: str) -> None:
        if name == point:
            raise Crash(name)

    return crash_point


async def funded(engine: AsyncEngine, *accounts: Account) -> tuple[Ledger, Movements]:
    """A ledger where A holds 100 USD."""
    ledger = Ledger(*accounts)
    movements = Movements(engine, ledger)
    await movements.move("1001", MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(100), "fund"))
    ledger.calls.clear()
    return ledger, movements


def summary(result: Transfer | Rejection, ledger: Ledger) -> Summary:
    assert isinstance(result, Transfer), result
    steps = [(step_of(e).value, e.login, e.amount, e.state) for e in result.steps]
    return result.row.state, steps, ledger.balances


async def test_a_transfer_withdraws_then_deposits(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, B)
    result = await Transfers(movements).transfer("1001", ORDER)
    assert summary(result, ledger) == (
        TransferState.COMPLETED,
        [
            ("withdraw", 5001, Decimal(40), MovementState.SUCCEEDED),
            ("deposit", 5002, Decimal(40), MovementState.SUCCEEDED),
        ],
        {5001: Decimal(60), 5002: Decimal(40)},
    )


async def test_a_refused_deposit_is_compensated(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, B)
    ledger.script.extend(["apply", Refused(Failure.NOT_ENOUGH_RIGHTS, "no rights on 5002")])
    result = await Transfers(movements).transfer("1001", ORDER)
    assert summary(result, ledger) == (
        TransferState.COMPENSATED,
        [
            ("withdraw", 5001, Decimal(40), MovementState.SUCCEEDED),
            ("deposit", 5002, Decimal(40), MovementState.FAILED),
            ("compensate", 5001, Decimal(40), MovementState.SUCCEEDED),
        ],
        {5001: Decimal(100), 5002: Decimal(0)},
    )


async def test_a_refused_withdrawal_fails_the_transfer_and_moves_nothing(
    engine: AsyncEngine,
) -> None:
    ledger, movements = await funded(engine, A, B)
    too_much = TransferOrder(5001, 5002, Decimal(500), "t-2")
    result = await Transfers(movements).transfer("1001", too_much)
    assert isinstance(result, Rejection)
    assert ((result.failure, result.message), ledger.balances) == (
        (Failure.INSUFFICIENT_FUNDS, "not enough money"),
        {5001: Decimal(100), 5002: Decimal(0)},
    )


async def test_another_currency_without_rate_is_refused_before_any_step(
    engine: AsyncEngine,
) -> None:
    ledger, movements = await funded(engine, A, E)
    result = await Transfers(movements).transfer("1001", TransferOrder(5001, 5003, Decimal(1), "x"))
    message = "account 5003 is in EUR, the amount in USD; give a rate to convert"
    assert (result, ledger.calls) == (Rejection(Failure.CURRENCY_MISMATCH, message), [])


async def test_a_rate_converts_the_deposit_into_the_target_currency(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, E)
    order = TransferOrder(5001, 5003, Decimal(10), "x", rate=Decimal("0.9"))
    result = await Transfers(movements).transfer("1001", order)
    assert summary(result, ledger)[2] == {5001: Decimal(90), 5003: Decimal("9.00")}


async def test_a_repeated_transfer_request_moves_nothing_more(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, B)
    transfers = Transfers(movements)
    first = await transfers.transfer("1001", ORDER)
    again = await transfers.transfer("1001", ORDER)
    assert (again, len(ledger.calls)) == (first, 2)


async def test_a_reused_transfer_key_is_refused(engine: AsyncEngine) -> None:
    _ledger, movements = await funded(engine, A, B)
    transfers = Transfers(movements)
    await transfers.transfer("1001", ORDER)
    other = TransferOrder(5001, 5002, Decimal(1), "t-1")
    message = "idempotencyKey 't-1' was used for a different request"
    assert await transfers.transfer("1001", other) == Rejection(
        Failure.IDEMPOTENCY_KEY_REUSED, message
    )


@pytest.mark.parametrize(
    ("point", "script", "state", "balances"),
    [
        ("after-withdraw", [], TransferState.COMPLETED, {5001: Decimal(60), 5002: Decimal(40)}),
        (
            "before-compensation",
            ["apply", Refused(Failure.TRADER_NOT_FOUND, "gone")],
            TransferState.COMPENSATED,
            {5001: Decimal(100), 5002: Decimal(0)},
        ),
    ],
)
async def test_recovery_finishes_a_transfer_interrupted_by_a_crash(
    engine: AsyncEngine,
    point: str,
    script: list[Refused | str],
    state: TransferState,
    balances: dict[int, Decimal],
) -> None:
    ledger, movements = await funded(engine, A, B)
    ledger.script.extend(script)
    with pytest.raises(Crash):
        await Transfers(movements, crash_at(point)).transfer("1001", ORDER)
    restarted = Transfers(Movements(engine, ledger))
    recovered = await recover(restarted)
    result = await restarted.transfer("1001", ORDER)
    assert (recovered.resumed, summary(result, ledger)[0], ledger.balances) == (
        (1,),
        state,
        balances,
    )


async def test_after_a_restart_the_deposit_needs_no_read_of_the_source_account(
    engine: AsyncEngine,
) -> None:
    """The withdrawal's entry names A's currency; reading A again (nothing cached after a
    restart) could fail and stop the saga with A's money out."""
    ledger, movements = await funded(engine, A, B)
    with pytest.raises(Crash):
        await Transfers(movements, crash_at("after-withdraw")).transfer("1001", ORDER)
    ledger.unreadable.add(A.login)
    restarted = Transfers(Movements(engine, ledger))
    recovered = await recover(restarted)
    result = await restarted.transfer("1001", ORDER)
    assert (recovered.resumed, summary(result, ledger)) == (
        (1,),
        (
            TransferState.COMPLETED,
            [
                ("withdraw", 5001, Decimal(40), MovementState.SUCCEEDED),
                ("deposit", 5002, Decimal(40), MovementState.SUCCEEDED),
            ],
            {5001: Decimal(60), 5002: Decimal(40)},
        ),
    )


async def test_recovery_goes_on_past_a_transfer_it_cannot_drive(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, B)
    second = TransferOrder(5001, 5002, Decimal(10), "t-2")
    for order in (ORDER, second):
        with pytest.raises(Crash):
            await Transfers(movements, crash_at("after-withdraw")).transfer("1001", order)
    crashes: list[str] = []

    def first_drive_crashes(point: str) -> None:
        if not crashes:
            crashes.append(point)
            raise Crash(point)

    restarted = Transfers(Movements(engine, ledger), first_drive_crashes)
    recovered = await recover(restarted)
    states = [(await restarted.load(n)) for n in (1, 2)]
    assert (recovered.resumed, [t and t.row.state for t in states], ledger.balances) == (
        (1, 2),
        [TransferState.IN_PROGRESS, TransferState.COMPLETED],
        {5001: Decimal(50), 5002: Decimal(10)},
    )


async def test_recovery_declares_an_orphaned_pending_entry_unknown(engine: AsyncEngine) -> None:
    _ledger, movements = await funded(engine, A, B)
    order = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(1), "orphan")
    draft = await movements.draft("1001", order, "h", None)
    orphan = (await claim(engine, draft)).entry
    recovered = await recover(Transfers(movements), stale_after=timedelta(0))
    after = await get(engine, orphan.id)
    assert (recovered.unknown, after and after.state) == (
        (orphan.id,),
        MovementState.OUTCOME_UNKNOWN,
    )


async def test_two_workers_recovering_at_once_drive_each_step_once(engine: AsyncEngine) -> None:
    """`serve --workers 2`: every worker runs start-up recovery, over the one journal, at once.

    Each has its own engine (its own write turn), as a process would; an orphan older than the
    lease is declared unknown by one of them, and the interrupted transfer's deposit reaches the
    upstream once."""
    ledger, movements = await funded(engine, A, B)
    with pytest.raises(Crash):
        await Transfers(movements, crash_at("after-withdraw")).transfer("1001", ORDER)
    order = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(1), "orphan")
    orphan = (await claim(engine, await movements.draft("1001", order, "h", None))).entry
    long_ago = orphan.updated_at - 2 * STALE_AFTER
    async with engine.begin() as connection:
        await connection.execute(
            update(journal).where(journal.c.id == orphan.id).values(updated_at=long_ago)
        )
    other = make_engine(str(engine.url))
    try:
        workers = [Transfers(Movements(each, ledger)) for each in (engine, other)]
        recovered = await asyncio.gather(*(recover(worker) for worker in workers))
    finally:
        await other.dispose()
    after, transfer = await get(engine, orphan.id), await workers[0].load(1)
    assert (
        sorted(r.unknown for r in recovered),
        after and after.state,
        transfer and transfer.row.state,
        [(kind, login, amount) for kind, login, amount, _ in ledger.calls],
        ledger.balances,
    ) == (
        [(), (orphan.id,)],
        MovementState.OUTCOME_UNKNOWN,
        TransferState.COMPLETED,
        [(MovementKind.WITHDRAW, 5001, Decimal(40)), (MovementKind.DEPOSIT, 5002, Decimal(40))],
        {5001: Decimal(60), 5002: Decimal(40)},
    )


@pytest.mark.parametrize(
    ("lost", "outcome", "state", "balances"),
    [
        (Unknown("dropped"), Outcome.SUCCEEDED, TransferState.COMPLETED, (60, 40)),
        ("lost", Outcome.FAILED, TransferState.COMPENSATED, (100, 0)),
    ],
)
async def test_resolving_an_unknown_deposit_drives_the_transfer_on(
    engine: AsyncEngine,
    lost: Unknown | str,
    outcome: Outcome,
    state: TransferState,
    balances: tuple[int, int],
) -> None:
    ledger, movements = await funded(engine, A, B)
    ledger.script.extend(["apply", lost])
    transfers = Transfers(movements)
    stuck = await transfers.transfer("1001", ORDER)
    assert isinstance(stuck, Transfer)
    await resolve(transfers, "ops-1", stuck.steps[1].id, outcome)
    result = await transfers.transfer("1001", ORDER)
    assert (stuck.row.state, summary(result, ledger)[0], ledger.balances) == (
        TransferState.OUTCOME_UNKNOWN,
        state,
        {5001: Decimal(balances[0]), 5002: Decimal(balances[1])},
    )


async def test_a_compensation_resolved_as_not_applied_is_sent_again(engine: AsyncEngine) -> None:
    """Found by the seeded property: the operator's "did not apply" left A's money missing and
    the transfer IN_PROGRESS forever, every drive replaying the failed compensation."""
    ledger, movements = await funded(engine, A, B)
    ledger.script.extend(["apply", Refused(Failure.NOT_ENOUGH_RIGHTS, "no rights"), "lost"])
    transfers = Transfers(movements)
    stuck = await transfers.transfer("1001", ORDER)
    assert isinstance(stuck, Transfer)
    await resolve(transfers, "ops-1", stuck.steps[2].id, Outcome.FAILED)
    result = await transfers.transfer("1001", ORDER)
    assert isinstance(result, Transfer)
    assert (
        stuck.row.state,
        summary(result, ledger),
        result.steps[2].attempts,
        [(kind.value, login) for kind, login, _, _ in ledger.calls],
    ) == (
        TransferState.OUTCOME_UNKNOWN,
        (
            TransferState.COMPENSATED,
            [
                ("withdraw", 5001, Decimal(40), MovementState.SUCCEEDED),
                ("deposit", 5002, Decimal(40), MovementState.FAILED),
                ("compensate", 5001, Decimal(40), MovementState.SUCCEEDED),
            ],
            {5001: Decimal(100), 5002: Decimal(0)},
        ),
        2,
        [("WITHDRAW", 5001), ("DEPOSIT", 5002), ("DEPOSIT", 5001), ("DEPOSIT", 5001)],
    )


@pytest.mark.parametrize(
    ("outcome", "history_id", "compensation", "balances"),
    [
        # Refunded by hand in the broker's back office (not on this ledger): A stays at 60 here.
        (Outcome.SUCCEEDED, 88, (MovementState.SUCCEEDED, 88, 1), (60, 0)),
        # "It never happened": once the rights are back, the saga sends it again.
        (Outcome.FAILED, None, (MovementState.SUCCEEDED, 3, 2), (100, 0)),
    ],
)
async def test_a_compensation_refused_outright_is_settled_by_an_operator(
    engine: AsyncEngine,
    outcome: Outcome,
    history_id: int | None,
    compensation: tuple[MovementState, int, int],
    balances: tuple[int, int],
) -> None:
    ledger, movements = await funded(engine, A, B)
    refused = Refused(Failure.NOT_ENOUGH_RIGHTS, "no rights")
    ledger.script.extend(["apply", Refused(Failure.TRADER_NOT_FOUND, "no B"), refused])
    transfers = Transfers(movements)
    stuck = await transfers.transfer("1001", ORDER)
    assert isinstance(stuck, Transfer)
    resolved = await resolve(transfers, "ops-1", stuck.steps[2].id, outcome, history_id)
    result = await transfers.transfer("1001", ORDER)
    assert isinstance(resolved, JournalEntry)
    assert isinstance(result, Transfer)
    back = result.steps[2]
    assert (
        stuck.row.state,
        stuck.steps[2].state,
        resolved.resolved_by,
        result.row.state,
        (back.state, back.history_id, back.attempts),
        ledger.balances,
    ) == (
        TransferState.IN_PROGRESS,
        MovementState.FAILED,
        "ops-1",
        TransferState.COMPENSATED,
        compensation,
        {5001: Decimal(balances[0]), 5002: Decimal(balances[1])},
    )


async def test_only_a_compensation_refused_outright_is_resolvable_once_settled(
    engine: AsyncEngine,
) -> None:
    """The withdrawal a refused compensation follows stays as the upstream left it."""
    ledger, movements = await funded(engine, A, B)
    refused = Refused(Failure.NOT_ENOUGH_RIGHTS, "no rights")
    ledger.script.extend(["apply", Refused(Failure.TRADER_NOT_FOUND, "no B"), refused])
    transfers = Transfers(movements)
    stuck = await transfers.transfer("1001", ORDER)
    assert isinstance(stuck, Transfer)
    deposit = stuck.steps[1]
    answer = await resolve(transfers, "ops-1", deposit.id, Outcome.SUCCEEDED, 5)
    message = f"money movement {deposit.id} is FAILED, not OUTCOME_UNKNOWN"
    assert answer == ResolutionRefused(Unresolvable.MOVEMENT_NOT_UNKNOWN, message, deposit)


async def test_resolving_an_unknown_movement_records_the_operator(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, B)
    ledger.script.append(Unknown("dropped"))
    order = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(1), "u")
    stuck = await movements.move("1001", order)
    assert isinstance(stuck, JournalEntry)
    resolved = await resolve(Transfers(movements), "ops-1", stuck.id, Outcome.SUCCEEDED, 77)
    assert resolved == entry_for(
        resolved if isinstance(resolved, JournalEntry) else stuck,
        order,
        state=MovementState.SUCCEEDED,
        history_id=77,
        error_message="dropped; resolved by operator ops-1: the upstream applied it",
        resolved_by="ops-1",
    )


async def test_resolving_an_unknown_movement_failed_keeps_why_its_answer_was_lost(
    engine: AsyncEngine,
) -> None:
    ledger, movements = await funded(engine, A, B)
    ledger.script.append(Unknown("read timeout after sending"))
    order = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(1), "lost")
    stuck = await movements.move("1001", order)
    assert isinstance(stuck, JournalEntry)
    resolved = await resolve(Transfers(movements), "ops-1", stuck.id, Outcome.FAILED)
    assert isinstance(resolved, JournalEntry)
    message = (
        "read timeout after sending; resolved by operator ops-1: the upstream did not apply it"
    )
    assert (resolved, await movements.move("1001", order), ledger.calls) == (
        entry_for(
            resolved,
            order,
            state=MovementState.FAILED,
            failure=(Failure.UPSTREAM_UNAVAILABLE, message),
            resolved_by="ops-1",
        ),
        Rejection(Failure.UPSTREAM_UNAVAILABLE, message, resolved),
        [(MovementKind.DEPOSIT, 5001, Decimal(1), "lost")],  # sent once, never again
    )


async def test_a_settled_movement_cannot_be_resolved(engine: AsyncEngine) -> None:
    _, movements = await funded(engine, A, B)
    funding = await find(engine, "1001", "fund")
    assert funding is not None
    refused = await resolve(Transfers(movements), "ops-1", funding.id, Outcome.FAILED)
    message = f"money movement {funding.id} is SUCCEEDED, not OUTCOME_UNKNOWN"
    assert refused == ResolutionRefused(Unresolvable.MOVEMENT_NOT_UNKNOWN, message, funding)


async def test_resolving_a_missing_movement_is_refused(engine: AsyncEngine) -> None:
    _, movements = await funded(engine, A, B)
    refused = await resolve(Transfers(movements), "ops-1", 999, Outcome.FAILED)
    message = "no money movement with id 999"
    assert refused == ResolutionRefused(Unresolvable.MOVEMENT_NOT_FOUND, message)


async def test_concurrent_duplicate_transfers_move_the_money_once(engine: AsyncEngine) -> None:
    ledger, movements = await funded(engine, A, B)
    transfers = Transfers(movements)
    results = await asyncio.gather(*(transfers.transfer("1001", ORDER) for _ in range(10)))
    states = {summary(result, ledger)[0] for result in results}
    assert (states, len(ledger.calls), ledger.balances) == (
        {TransferState.COMPLETED},
        2,
        {5001: Decimal(60), 5002: Decimal(40)},
    )
