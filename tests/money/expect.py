"""Whole expected journal entries: every fact spelled out, only the assigned id and times copied."""

from __future__ import annotations

from decimal import Decimal

from resolvers.money.failures import Failure
from resolvers.money.orders import MoneyOrder, order_hash
from store.journal import JournalEntry, MovementState


def entry_for(
    actual: JournalEntry,
    order: MoneyOrder,
    *,
    state: MovementState,
    caller: str = "1001",
    currency: str = "USD",
    amount: Decimal | None = None,
    history_id: int | None = None,
    failure: tuple[Failure, str] | None = None,
    error_message: str | None = None,
    retryable: bool = False,
    attempts: int = 1,
    transfer_id: int | None = None,
    resolved_by: str | None = None,
) -> JournalEntry:
    return JournalEntry(
        id=actual.id,
        caller=caller,
        idempotency_key=order.idempotency_key,
        kind=order.kind,
        login=order.login,
        amount=order.amount if amount is None else amount,
        currency=currency,
        rate=order.rate,
        comment=order.comment,
        input_hash=order_hash(order, transfer_id),
        state=state,
        history_id=history_id,
        error_code=None if failure is None else failure[0].value,
        error_message=error_message if failure is None else failure[1],
        retryable=retryable,
        attempts=attempts,
        transfer_id=transfer_id,
        resolved_by=resolved_by,
        created_at=actual.created_at,
        updated_at=actual.updated_at,
    )
