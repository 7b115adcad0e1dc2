"""Transfers as sagas: withdraw from A, deposit to B, and give A its money back if B refuses.

Each step is an exactly-once movement under a key derived from the transfer's (`KEY/withdraw`,
`KEY/deposit`, `KEY/compensate`), so `drive` is idempotent: the request, a duplicate of it,
start-up recovery and an operator's resolution may all drive one transfer, even at the same time,
and each step still reaches the upstream once. The saga's state is recomputed from its steps:

    withdraw FAILED                        -> FAILED (nothing moved)
    withdraw SUCCEEDED, deposit SUCCEEDED  -> COMPLETED
    deposit FAILED, compensation SUCCEEDED -> COMPENSATED
    a step OUTCOME_UNKNOWN                 -> OUTCOME_UNKNOWN (until an operator resolves it)
    a step in flight, or compensation failed and is to be retried -> IN_PROGRESS

A compensation fails "to be retried" when the upstream refused it retryably or when an operator
resolved its lost answer as not applied: either way nothing reached the books, and A is owed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from resolvers.money.failures import RETRYABLE, Failure, Refused, Rejection
from resolvers.money.movements import Movements, MoveResult
from resolvers.money.orders import MoneyOrder, TransferOrder, transfer_hash
from resolvers.money.validation import applied, check_form
from store import journal_ops
from store import money_transfers as rows
from store.journal import JournalEntry, MovementKind, MovementState
from store.journal_audit import of_transfer
from store.journal_ops import Settlement
from store.money_transfers import TransferRow, TransferState


class Step(enum.StrEnum):
    WITHDRAW = "withdraw"
    DEPOSIT = "deposit"
    COMPENSATE = "compensate"


@dataclass(frozen=True)
class Transfer:
    row: TransferRow
    steps: tuple[JournalEntry, ...]


TransferResult = Transfer | Rejection
CrashPoint = Callable[[str], None]
"""Called between steps with the point's name; tests raise there to simulate a crash."""


def step_of(entry: JournalEntry) -> Step:
    return Step(entry.idempotency_key.rsplit("/", 1)[1])


def no_crash(_point: str) -> None:
    return None


def not_applied(rejection: Rejection) -> bool:
    """An operator's "the upstream did not apply it": final for a movement's own key, though
    its failure (UPSTREAM_UNAVAILABLE) is one that left nothing on the books."""
    entry = rejection.movement
    return (
        entry is not None
        and entry.resolved_by is not None
        and not entry.retryable
        and rejection.failure in RETRYABLE
    )


class Transfers:
    def __init__(self, movements: Movements, crash_point: CrashPoint = no_crash) -> None:
        self.movements = movements
        self.engine = movements.engine
        self.crash_point = crash_point

    async def transfer(self, caller: str, order: TransferOrder) -> TransferResult:
        """Start (or replay) the transfer for (caller, key) and drive it as far as it goes."""
        try:
            check_form(order)
        except Refused as refused:
            return Rejection(refused.failure, refused.message)
        input_hash = transfer_hash(order)
        row = await rows.find_transfer(self.engine, caller, order.idempotency_key)
        if row is None:
            try:
                await self.preflight(order)
            except Refused as refused:
                return Rejection(refused.failure, refused.message)
            row, _ = await rows.open_transfer(self.engine, self.values(caller, order, input_hash))
        if row.input_hash != input_hash:
            message = f"idempotencyKey {order.idempotency_key!r} was used for a different request"
            return Rejection(Failure.IDEMPOTENCY_KEY_REUSED, message)
        return await self.drive(row)

    async def preflight(self, order: TransferOrder) -> None:
        """Both legs must be acceptable before money leaves A (else CurrencyMismatch after it)."""
        source = await self.movements.account(order.from_login)
        target = await self.movements.account(order.to_login)
        key = order.idempotency_key
        applied(MoneyOrder(MovementKind.WITHDRAW, source.login, order.amount, key), source)
        deposit = MoneyOrder(
            MovementKind.DEPOSIT,
            target.login,
            order.amount,
            key,
            currency=source.currency,
            rate=order.rate,
        )
        applied(deposit, target)

    @staticmethod
    def values(caller: str, order: TransferOrder, input_hash: str) -> dict[str, object]:
        return {
            "caller": caller,
            "idempotency_key": order.idempotency_key,
            "from_login": order.from_login,
            "to_login": order.to_login,
            "amount": str(order.amount),
            "rate": None if order.rate is None else str(order.rate),
            "comment": order.comment,
            "input_hash": input_hash,
        }

    async def drive(self, row: TransferRow) -> TransferResult:
        withdraw = await self.step(row, Step.WITHDRAW)
        if isinstance(withdraw, Rejection):
            return await self.failed(row, withdraw)
        if withdraw.state is not MovementState.SUCCEEDED:
            return await self.settle(row, withdraw.state)
        self.crash_point("after-withdraw")
        deposit = await self.step(row, Step.DEPOSIT, currency=withdraw.currency)
        if isinstance(deposit, JournalEntry):
            state = TransferState.COMPLETED if deposit.state is MovementState.SUCCEEDED else None
            return await self.settle(row, state or deposit.state)
        self.crash_point("before-compensation")
        back = await self.step(row, Step.COMPENSATE)
        if isinstance(back, Rejection):
            return await self.settle(row, TransferState.IN_PROGRESS)
        state = TransferState.COMPENSATED if back.state is MovementState.SUCCEEDED else None
        return await self.settle(row, state or back.state)

    async def step(self, row: TransferRow, step: Step, currency: str | None = None) -> MoveResult:
        """One step, exactly once; only the compensation may be sent again, after a failure that
        left nothing on the upstream's books. The deposit names A's `currency`."""
        order = self.step_order(row, step, currency)
        if step is not Step.COMPENSATE:
            return await self.movements.move(row.caller, order, transfer_id=row.id, retake=False)
        back = await self.movements.move(row.caller, order, transfer_id=row.id)
        if isinstance(back, Rejection) and back.movement is not None and not_applied(back):
            await self.reopen(back.movement)
            back = await self.movements.move(row.caller, order, transfer_id=row.id)
        return back

    async def reopen(self, entry: JournalEntry) -> None:
        """Make a compensation an operator resolved as not applied retryable (unless another
        driver did, or already retook it): A must get its money back, and nothing reached the
        books, so it is sent again under its key like any failure that left nothing there."""
        settlement = Settlement(
            MovementState.FAILED,
            error_code=entry.error_code,
            error_message=entry.error_message,
            retryable=True,
        )
        await journal_ops.transition(self.engine, entry.id, MovementState.FAILED, settlement)

    @staticmethod
    def step_order(row: TransferRow, step: Step, currency: str | None = None) -> MoneyOrder:
        """One step as a movement. The deposit names A's currency, so B's is checked; it comes
        from the withdrawal's journal entry, not from reading A again: a read that failed there
        (after a restart, with nothing cached) would stop the saga halfway."""
        key = f"{row.idempotency_key}/{step.value}"
        if step is Step.WITHDRAW:
            return MoneyOrder(MovementKind.WITHDRAW, row.from_login, row.amount, key)
        if step is Step.COMPENSATE:
            return MoneyOrder(MovementKind.DEPOSIT, row.from_login, row.amount, key)
        if currency is None:  # pragma: no cover - drive always passes the withdrawal's currency
            raise ValueError("a transfer's deposit needs the currency of its withdrawal")
        return MoneyOrder(
            MovementKind.DEPOSIT,
            row.to_login,
            row.amount,
            key,
            currency=currency,
            rate=row.rate,
            comment=row.comment,
        )

    async def settle(self, row: TransferRow, state: TransferState | MovementState) -> Transfer:
        """Record the saga's state (a step still PENDING leaves it IN_PROGRESS) and read it back."""
        if state is MovementState.PENDING:
            state = TransferState.IN_PROGRESS
        await rows.mark(self.engine, row.id, TransferState(state.value))
        return await self.load(row.id) or Transfer(row, ())

    async def failed(self, row: TransferRow, rejection: Rejection) -> Rejection:
        await rows.mark(self.engine, row.id, TransferState.FAILED)
        return rejection

    async def load(self, transfer_id: int) -> Transfer | None:
        row = await rows.get_transfer(self.engine, transfer_id)
        if row is None:
            return None
        return Transfer(row, tuple(await of_transfer(self.engine, transfer_id)))
