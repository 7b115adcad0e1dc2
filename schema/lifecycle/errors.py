"""The expected failures of the lifecycle mutations, as union members, and the one mapping.

Failures that mean the same as a money failure reuse its type (`TraderNotFound`,
`NotEnoughRights`, `InvalidInput`, `RateLimited`, `UpstreamUnavailable`); their `movement` is
always null here, as no money request is involved. The types below are the lifecycle's own.
"""

from __future__ import annotations

import strawberry

from resolvers.lifecycle.failures import Failure, Refusal
from schema.field_errors import FieldError
from schema.money.errors import (
    InvalidInput,
    NotEnoughRights,
    RateLimited,
    TraderNotFound,
    UpstreamUnavailable,
)


@strawberry.type(description="No trader group has this name (TRADER_GROUP_NOT_FOUND).")
class GroupNotFound:
    message: str


@strawberry.type(description="Not a white label the service is configured with, or the plant's.")
class WhiteLabelNotFound:
    message: str


@strawberry.type(description="No cTrader ID has this userId, for the service or the upstream.")
class UserNotFound:
    message: str


@strawberry.type(description="The email is already a cTrader ID; nothing was created.")
class EmailAlreadyExists:
    message: str
    user_id: int | None = strawberry.field(description="The existing user, when known.")


@strawberry.type(description="The trader is already linked to a cTrader ID.")
class AlreadyLinked:
    message: str


@strawberry.type(description="The trader's password is not the one given.")
class WrongPassword:
    message: str


Member = (
    InvalidInput
    | TraderNotFound
    | UserNotFound
    | NotEnoughRights
    | GroupNotFound
    | WhiteLabelNotFound
    | EmailAlreadyExists
    | AlreadyLinked
    | WrongPassword
    | RateLimited
    | UpstreamUnavailable
)

_PLAIN: dict[Failure, type[GroupNotFound | WhiteLabelNotFound | UserNotFound | AlreadyLinked]] = {
    Failure.GROUP_NOT_FOUND: GroupNotFound,
    Failure.WHITE_LABEL_NOT_FOUND: WhiteLabelNotFound,
    Failure.USER_NOT_FOUND: UserNotFound,
    Failure.ALREADY_LINKED: AlreadyLinked,
}
_SHARED: dict[Failure, type[TraderNotFound | NotEnoughRights | RateLimited | UpstreamUnavailable]]
_SHARED = {
    Failure.TRADER_NOT_FOUND: TraderNotFound,
    Failure.NOT_ENOUGH_RIGHTS: NotEnoughRights,
    Failure.RATE_LIMITED: RateLimited,
    Failure.UPSTREAM_UNAVAILABLE: UpstreamUnavailable,
}


def member(refusal: Refusal) -> Member:
    """The union member of a refusal (every mutation's union holds the ones it can produce)."""
    failure, message = refusal.failure, refusal.message
    if failure is Failure.INVALID_INPUT:
        fields = [FieldError(path=list(f.path), message=f.message) for f in refusal.fields]
        return InvalidInput(message=message, movement=None, fields=fields)
    if failure is Failure.EMAIL_ALREADY_EXISTS:
        return EmailAlreadyExists(message=message, user_id=refusal.user_id)
    if failure is Failure.WRONG_PASSWORD:
        return WrongPassword(message=message)
    if failure in _SHARED:
        return _SHARED[failure](message=message, movement=None)
    return _PLAIN[failure](message=message)
