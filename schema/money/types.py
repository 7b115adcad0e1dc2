"""The money objects of the graph: `MoneyMovement` (one journal entry) and `Transfer` (a saga).

Ids are global ids (`MoneyMovement:12`, `Transfer:3`, base64) like every id of the graph.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from resolvers.money.transfers import Step, step_of
from resolvers.money.transfers import Transfer as Saga
from schema.accounts import Money
from schema.node import global_id
from store.journal import JournalEntry, MovementKind, MovementState
from store.money_transfers import TransferState

MoneyMovementKind = strawberry.enum(MovementKind, name="MoneyMovementKind")
MoneyMovementState = strawberry.enum(
    MovementState,
    name="MoneyMovementState",
    description="PENDING while its owner is calling upstream; OUTCOME_UNKNOWN until resolved.",
)
TransferFundsState = strawberry.enum(TransferState, name="TransferState")
TransferStepKind = strawberry.enum(Step, name="TransferStepKind")


@strawberry.type(description="Why a movement failed: a failure code and its message.")
class MovementError:
    code: str
    message: str


@strawberry.type(description="One money request as the journal recorded it (append-only).")
class MoneyMovement:
    id: strawberry.ID
    kind: MovementKind
    state: MovementState
    amount: Money = strawberry.field(description="In the account's currency, as sent upstream.")
    login: int
    history_id: int | None = strawberry.field(description="The upstream's history id.")
    idempotency_key: str
    caller: str
    rate: Decimal | None = strawberry.field(description="The conversion rate the client gave.")
    comment: str | None
    error: MovementError | None
    attempts: int
    resolved_by: str | None = strawberry.field(description="The operator who settled it.")
    transfer_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, entry: JournalEntry) -> MoneyMovement:
        error = None
        if entry.state in (MovementState.FAILED, MovementState.OUTCOME_UNKNOWN):
            code = entry.error_code or entry.state.value
            error = MovementError(code=code, message=entry.error_message or "")
        transfer = None if entry.transfer_id is None else global_id("Transfer", entry.transfer_id)
        return cls(
            id=global_id("MoneyMovement", entry.id),
            kind=entry.kind,
            state=entry.state,
            amount=Money(amount=entry.amount, currency=entry.currency),
            login=entry.login,
            history_id=entry.history_id,
            idempotency_key=entry.idempotency_key,
            caller=entry.caller,
            rate=entry.rate,
            comment=entry.comment,
            error=error,
            attempts=entry.attempts,
            resolved_by=entry.resolved_by,
            transfer_id=transfer,
            created_at=entry.created_at,
            updated_at=entry.updated_at,
        )


@strawberry.type(description="One step of a transfer saga.")
class TransferStep:
    kind: Step
    login: int
    state: MovementState
    history_id: int | None
    error: str | None
    movement: MoneyMovement

    @classmethod
    def of(cls, entry: JournalEntry) -> TransferStep:
        return cls(
            kind=step_of(entry),
            login=entry.login,
            state=entry.state,
            history_id=entry.history_id,
            error=entry.error_message,
            movement=MoneyMovement.of(entry),
        )


@strawberry.type(description="Funds from one account to another: withdraw, deposit, compensate.")
class Transfer:
    id: strawberry.ID
    state: TransferState
    from_login: int
    to_login: int
    amount: Money = strawberry.field(description="In the source account's currency.")
    idempotency_key: str
    steps: list[TransferStep]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, saga: Saga) -> Transfer:
        row = saga.row
        currency = saga.steps[0].currency if saga.steps else ""
        return cls(
            id=global_id("Transfer", row.id),
            state=row.state,
            from_login=row.from_login,
            to_login=row.to_login,
            amount=Money(amount=row.amount, currency=currency),
            idempotency_key=row.idempotency_key,
            steps=[TransferStep.of(entry) for entry in saga.steps],
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
