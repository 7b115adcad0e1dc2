"""`Mutation` fields of the money domain; each takes one `input` and returns a union."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar, cast

import strawberry

from observability.telemetry import current
from resolvers.money.desk import MoneyContext
from resolvers.money.failures import Rejection
from resolvers.money.movements import MoveResult
from resolvers.money.resolution import resolve
from resolvers.money.transfers import Transfer, TransferResult
from schema.money.inputs import MoneyMovementInput, ResolveMoneyMovementInput, TransferFundsInput
from schema.money.results import (
    MoneyMovementResult,
    ResolveMoneyMovementResult,
    TransferFundsResult,
    movement_result,
    resolution_result,
    transfer_result,
)
from schema.node import parse_global_id
from store.journal import MovementKind

Info: TypeAlias = strawberry.Info[MoneyContext, None]
F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R", MoveResult, TransferResult)


def mutation(description: str) -> Callable[[F], F]:
    """`strawberry.mutation(description=...)`, typed (its called form is untyped for mypy)."""

    def wrap(resolver: F) -> F:
        return cast(F, strawberry.mutation(resolver, description=description))

    return wrap


def counted(operation: str, result: R) -> R:
    """Count the money operation by its outcome: the state reached or the failure code."""
    if isinstance(result, Rejection):
        outcome = result.failure.value
    else:
        outcome = result.row.state.value if isinstance(result, Transfer) else result.state.value
    current().metrics.money_operation(operation, outcome)
    return result


async def move(info: Info, kind: MovementKind, input: MoneyMovementInput) -> MoneyMovementResult:
    desk, caller = info.context.money, info.context.caller
    return movement_result(
        counted(kind.value, await desk.movements.move(caller, input.order(kind)))
    )


def movement_id(value: str) -> int:
    """The journal id inside a MoneyMovement global id; -1 (never an id) when it is not one."""
    try:
        type_name, key = parse_global_id(value)
        return int(key) if type_name == "MoneyMovement" else -1
    except Exception:
        return -1


@strawberry.type
class MoneyMutation:
    @mutation("Add funds to the balance.")
    async def deposit(self, info: Info, input: MoneyMovementInput) -> MoneyMovementResult:
        return await move(info, MovementKind.DEPOSIT, input)

    @mutation("Take funds from the balance.")
    async def withdraw(self, info: Info, input: MoneyMovementInput) -> MoneyMovementResult:
        return await move(info, MovementKind.WITHDRAW, input)

    @mutation("Allocate bonus.")
    async def deposit_bonus(self, info: Info, input: MoneyMovementInput) -> MoneyMovementResult:
        return await move(info, MovementKind.DEPOSIT_BONUS, input)

    @mutation("Remove bonus.")
    async def withdraw_bonus(self, info: Info, input: MoneyMovementInput) -> MoneyMovementResult:
        return await move(info, MovementKind.WITHDRAW_BONUS, input)

    @mutation("Add credit (non-withdrawable bonus).")
    async def deposit_credit(self, info: Info, input: MoneyMovementInput) -> MoneyMovementResult:
        return await move(info, MovementKind.DEPOSIT_CREDIT, input)

    @mutation("Remove credit (non-withdrawable bonus).")
    async def withdraw_credit(self, info: Info, input: MoneyMovementInput) -> MoneyMovementResult:
        return await move(info, MovementKind.WITHDRAW_CREDIT, input)

    @mutation("Withdraw from one account, deposit to another (a saga).")
    async def transfer_funds(self, info: Info, input: TransferFundsInput) -> TransferFundsResult:
        desk, caller = info.context.money, info.context.caller
        return transfer_result(
            counted("TRANSFER", await desk.transfers.transfer(caller, input.order()))
        )

    @mutation(
        "Operators: settle an OUTCOME_UNKNOWN movement, or a transfer's compensation the upstream"
        " refused outright."
    )
    async def resolve_money_movement(
        self, info: Info, input: ResolveMoneyMovementInput
    ) -> ResolveMoneyMovementResult:
        desk, operator = info.context.money, info.context.caller
        entry_id = movement_id(input.id)
        result = await resolve(desk.transfers, operator, entry_id, input.outcome, input.history_id)
        return resolution_result(result)
