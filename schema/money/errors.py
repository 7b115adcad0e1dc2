"""The expected failures of the money mutations, as union members, and the one mapping to them.

Each member carries a message for people and, when the request was journaled, its `movement`
(state FAILED: nothing moved). `OutcomeUnknown` is not a failure: the money may have moved, and
its movement stays OUTCOME_UNKNOWN until an operator calls `resolveMoneyMovement`.
"""

from __future__ import annotations

from typing import TypeAlias, cast

import strawberry

from resolvers.money.failures import Failure, Rejection
from resolvers.money.resolution import ResolutionRefused, Unresolvable
from schema.field_errors import FieldError
from schema.money.types import MoneyMovement


@strawberry.interface(
    description="A request that changed nothing, and why: the money mutations' refusals, which the"
    " lifecycle mutations share."
)
class MoneyError:
    message: str
    movement: MoneyMovement | None = strawberry.field(
        description="The journal entry, when a money request got that far (lifecycle ones: null)."
    )


@strawberry.type(description="Not enough free funds (upstream NOT_ENOUGH_MONEY).")
class InsufficientFunds(MoneyError):
    pass


@strawberry.type(description="Not positive, or more decimals than the account's moneyDigits.")
class InvalidAmount(MoneyError):
    pass


@strawberry.type(
    description="An argument the service refuses (an empty idempotencyKey, a malformed email...)."
)
class InvalidInput(MoneyError):
    fields: list[FieldError] = strawberry.field(
        default_factory=list, description="The refused fields, when the fault lies in some."
    )


@strawberry.type(description="The amount is in another currency and no rate was given.")
class CurrencyMismatch(MoneyError):
    pass


@strawberry.type(description="This idempotencyKey was used before for a different request.")
class IdempotencyKeyReused(MoneyError):
    pass


@strawberry.type(description="No such trading account (upstream TRADER_NOT_FOUND).")
class TraderNotFound(MoneyError):
    pass


@strawberry.type(description="The manager may not act on this account (NOT_ENOUGH_RIGHTS).")
class NotEnoughRights(MoneyError):
    pass


@strawberry.type(
    description="A rate limit was reached and nothing changed; retry later (a money mutation with"
    " the same idempotencyKey, so that it still moves money once)."
)
class RateLimited(MoneyError):
    pass


@strawberry.type(
    description="The upstream did not answer usably and nothing changed; retry later (a money"
    " mutation with the same idempotencyKey)."
)
class UpstreamUnavailable(MoneyError):
    pass


@strawberry.type(description="The answer was lost after sending: the money may have moved.")
class OutcomeUnknown:
    message: str
    movement: MoneyMovement | None = strawberry.field(
        description="Always set; nullable only to share its shape with `MoneyError.movement`."
    )


@strawberry.type(description="No money movement has this id.")
class MovementNotFound:
    message: str


@strawberry.type(
    description="Only an OUTCOME_UNKNOWN movement, or the compensation of an unfinished transfer"
    " that the upstream refused, can be resolved."
)
class MovementNotUnknown:
    message: str
    movement: MoneyMovement


MEMBERS: dict[Failure, type[MoneyError]] = {
    Failure.INSUFFICIENT_FUNDS: InsufficientFunds,
    Failure.INVALID_AMOUNT: InvalidAmount,
    Failure.INVALID_INPUT: InvalidInput,
    Failure.CURRENCY_MISMATCH: CurrencyMismatch,
    Failure.IDEMPOTENCY_KEY_REUSED: IdempotencyKeyReused,
    Failure.TRADER_NOT_FOUND: TraderNotFound,
    Failure.NOT_ENOUGH_RIGHTS: NotEnoughRights,
    Failure.RATE_LIMITED: RateLimited,
    Failure.UPSTREAM_UNAVAILABLE: UpstreamUnavailable,
}


Failures: TypeAlias = (
    InsufficientFunds
    | InvalidAmount
    | InvalidInput
    | CurrencyMismatch
    | IdempotencyKeyReused
    | TraderNotFound
    | NotEnoughRights
    | RateLimited
    | UpstreamUnavailable
)


def error_member(rejection: Rejection) -> Failures:
    movement = None if rejection.movement is None else MoneyMovement.of(rejection.movement)
    member = MEMBERS[rejection.failure](message=rejection.message, movement=movement)
    return cast("Failures", member)


def unknown_member(movement: MoneyMovement) -> OutcomeUnknown:
    message = (
        f"the upstream's answer to movement {movement.id} was lost; "
        "it stays OUTCOME_UNKNOWN until an operator resolves it"
    )
    if movement.state.value == "PENDING":
        message = "another request with this idempotencyKey is still being processed"
    return OutcomeUnknown(message=message, movement=movement)


def refusal_member(refused: ResolutionRefused) -> MovementNotFound | MovementNotUnknown:
    if refused.reason is Unresolvable.MOVEMENT_NOT_FOUND or refused.movement is None:
        return MovementNotFound(message=refused.message)
    return MovementNotUnknown(message=refused.message, movement=MoneyMovement.of(refused.movement))
