"""The exactly-once engine over an in-memory upstream: claims, replays, unknowns, retries."""

import asyncio
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.failures import Failure, Refused, Rejection, Unknown
from resolvers.money.movements import Movements
from resolvers.money.orders import Account, MoneyOrder, order_hash
from store import journal_ops
from store.journal import JournalEntry, MovementKind, MovementState
from tests.money.expect import entry_for
from tests.money.ledger import Ledger

USD = Account(login=5001, currency="USD", money_digits=2)
DEPOSIT = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal("100.50"), "key-1", comment="wire")


def engine_over(engine: AsyncEngine, ledger: Ledger, wait: float = 30.0) -> Movements:
    return Movements(engine, ledger, wait_timeout=wait)


def as_entry(result: JournalEntry | Rejection) -> JournalEntry:
    assert isinstance(result, JournalEntry), result
    return result


async def test_a_deposit_is_journaled_with_the_upstream_history_id(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    result = as_entry(await engine_over(engine, ledger).move("1001", DEPOSIT))
    assert result == entry_for(result, DEPOSIT, state=MovementState.SUCCEEDED, history_id=1)


async def test_the_idempotency_key_is_what_the_upstream_receives(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    await engine_over(engine, ledger).move("1001", DEPOSIT)
    assert ledger.calls == [(MovementKind.DEPOSIT, 5001, Decimal("100.5"), "key-1")]


async def test_a_repeated_request_returns_the_stored_result_without_a_call(
    engine: AsyncEngine,
) -> None:
    ledger = Ledger(USD)
    movements = engine_over(engine, ledger)
    first = await movements.move("1001", DEPOSIT)
    again = await movements.move("1001", DEPOSIT)
    assert (again, len(ledger.calls)) == (first, 1)


async def test_an_equal_amount_written_differently_is_the_same_request(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    movements = engine_over(engine, ledger)
    first = await movements.move("1001", DEPOSIT)
    again = await movements.move("1001", replace(DEPOSIT, amount=Decimal("100.500")))
    assert (again, len(ledger.calls)) == (first, 1)


async def test_a_reused_key_with_another_input_is_refused(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    movements = engine_over(engine, ledger)
    first = as_entry(await movements.move("1001", DEPOSIT))
    other = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal("7"), "key-1", comment="wire")
    message = "idempotencyKey 'key-1' was used for a different request"
    assert await movements.move("1001", other) == Rejection(
        Failure.IDEMPOTENCY_KEY_REUSED, message, first
    )


async def test_keys_belong_to_their_caller(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    movements = engine_over(engine, ledger)
    await movements.move("1001", DEPOSIT)
    second = as_entry(await movements.move("1002", DEPOSIT))
    assert second == entry_for(
        second, DEPOSIT, caller="1002", state=MovementState.SUCCEEDED, history_id=2
    )


async def test_concurrent_duplicates_make_one_upstream_call(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.gate = asyncio.Event()
    movements = engine_over(engine, ledger)
    requests = [asyncio.create_task(movements.move("1001", DEPOSIT)) for _ in range(50)]
    await ledger.called.wait()
    ledger.gate.set()
    results = await asyncio.gather(*requests)
    assert (len(ledger.calls), len(set(results))) == (1, 1)


async def test_a_lost_answer_leaves_the_entry_outcome_unknown(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.append(Unknown("read timeout after sending"))
    result = as_entry(await engine_over(engine, ledger).move("1001", DEPOSIT))
    assert result == entry_for(
        result,
        DEPOSIT,
        state=MovementState.OUTCOME_UNKNOWN,
        error_message="read timeout after sending",
    )


async def test_an_unknown_outcome_is_never_resent(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.append(Unknown("dropped"))
    movements = engine_over(engine, ledger)
    first = await movements.move("1001", DEPOSIT)
    again = await movements.move("1001", DEPOSIT)
    assert (again, len(ledger.calls)) == (first, 1)


async def test_a_definitive_refusal_is_stored_and_replayed(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    withdraw = MoneyOrder(MovementKind.WITHDRAW, 5001, Decimal(5), "w-1")
    movements = engine_over(engine, ledger)
    first = await movements.move("1001", withdraw)
    again = await movements.move("1001", withdraw)
    assert isinstance(first, Rejection)
    assert (again, len(ledger.calls)) == (first, 1)
    assert first == Rejection(
        Failure.INSUFFICIENT_FUNDS,
        "not enough money",
        entry_for(
            first.movement or as_entry(first),
            withdraw,
            amount=Decimal(5),
            state=MovementState.FAILED,
            failure=(Failure.INSUFFICIENT_FUNDS, "not enough money"),
        ),
    )


async def test_a_retryable_failure_is_retried_under_the_same_key(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    ledger.script.append(Refused(Failure.UPSTREAM_UNAVAILABLE, "503"))
    movements = engine_over(engine, ledger)
    await movements.move("1001", DEPOSIT)
    second = as_entry(await movements.move("1001", DEPOSIT))
    assert (second, len(ledger.calls)) == (
        entry_for(second, DEPOSIT, state=MovementState.SUCCEEDED, history_id=1, attempts=2),
        2,
    )


async def test_a_waiter_gives_up_and_sees_the_entry_still_pending(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    movements = engine_over(engine, ledger, wait=0.05)
    draft = await movements.draft("1001", DEPOSIT, order_hash(DEPOSIT), None)
    claimed = await journal_ops.claim(engine, draft)
    result = await movements.move("1001", DEPOSIT)
    assert (result, ledger.calls) == (claimed.entry, [])


async def test_an_unknown_account_is_refused_before_journaling(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    order = MoneyOrder(MovementKind.DEPOSIT, 7777, Decimal(1), "k")
    result = await engine_over(engine, ledger).move("1001", order)
    assert (result, await journal_ops.find(engine, "1001", "k")) == (
        Rejection(Failure.TRADER_NOT_FOUND, "trader 7777 not found"),
        None,
    )


async def test_a_pending_entry_older_than_any_call_is_declared_unknown(
    engine: AsyncEngine,
) -> None:
    ledger = Ledger(USD)
    movements = Movements(engine, ledger, stale_after=timedelta(0))
    draft = await movements.draft("1001", DEPOSIT, order_hash(DEPOSIT), None)
    await journal_ops.claim(engine, draft)
    result = as_entry(await movements.move("1001", DEPOSIT))
    assert (result, ledger.calls) == (
        entry_for(
            result,
            DEPOSIT,
            state=MovementState.OUTCOME_UNKNOWN,
            error_message="the service stopped before it recorded the upstream's answer",
        ),
        [],
    )


async def test_concurrent_first_requests_read_the_account_once(engine: AsyncEngine) -> None:
    ledger = Ledger(USD)
    movements = engine_over(engine, ledger)
    await asyncio.gather(*(movements.move("1001", DEPOSIT) for _ in range(20)))
    assert ledger.account_reads == 1
