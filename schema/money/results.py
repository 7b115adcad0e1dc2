"""The unions the money mutations return, and the one function per union that builds a member."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.money.failures import Rejection
from resolvers.money.movements import MoveResult
from resolvers.money.resolution import ResolutionRefused
from resolvers.money.transfers import TransferResult
from schema.money.errors import (
    Failures,
    MovementNotFound,
    MovementNotUnknown,
    OutcomeUnknown,
    error_member,
    refusal_member,
    unknown_member,
)
from schema.money.types import MoneyMovement, Transfer
from store.journal import JournalEntry, MovementState

MoneyMovementResult = Annotated[
    MoneyMovement | OutcomeUnknown | Failures, strawberry.union("MoneyMovementResult")
]
TransferFundsResult = Annotated[Transfer | Failures, strawberry.union("TransferFundsResult")]
ResolveMoneyMovementResult = Annotated[
    MoneyMovement | MovementNotFound | MovementNotUnknown,
    strawberry.union("ResolveMoneyMovementResult"),
]


def movement_result(result: MoveResult) -> MoneyMovement | OutcomeUnknown | Failures:
    if isinstance(result, Rejection):
        return error_member(result)
    movement = MoneyMovement.of(result)
    return movement if result.state is MovementState.SUCCEEDED else unknown_member(movement)


def transfer_result(result: TransferResult) -> Transfer | Failures:
    if isinstance(result, Rejection):
        return error_member(result)
    return Transfer.of(result)


def resolution_result(
    result: JournalEntry | ResolutionRefused,
) -> MoneyMovement | MovementNotFound | MovementNotUnknown:
    if isinstance(result, ResolutionRefused):
        return refusal_member(result)
    return MoneyMovement.of(result)
