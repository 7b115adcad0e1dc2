"""The success members of the lifecycle mutations, their unions, and the one builder of both.

A success member carries the changed object: its fields load from the upstream after the write,
through the request's loader, which the operations never use before writing (they read with the
client). Two mutations of one trader in one request share that loader, so the second answer can
show the first one's state: send them as separate requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar, get_args

import strawberry

from resolvers.lifecycle.failures import Refusal
from schema.lifecycle.errors import (
    AlreadyLinked,
    EmailAlreadyExists,
    GroupNotFound,
    Member,
    UserNotFound,
    WhiteLabelNotFound,
    WrongPassword,
    member,
)
from schema.money.errors import (
    InvalidInput,
    NotEnoughRights,
    RateLimited,
    TraderNotFound,
    UpstreamUnavailable,
)
from schema.traders import Trader
from schema.users import User

S = TypeVar("S")
R = TypeVar("R")


@strawberry.type(description="The new cTrader ID, as the service now records it.")
class UserCreated:
    user: User


@strawberry.type(description="The new trading account.")
class TraderCreated:
    trader: Trader


@strawberry.type(description="The trader, now owned by the user.")
class TraderLinked:
    trader: Trader
    user: User
    ctid_trader_account_id: int | None = strawberry.field(description="The link's own id.")


@strawberry.type(description="The trader after the change.")
class TraderUpdated:
    trader: Trader


@strawberry.type(description="The password given is the trader's.")
class PasswordMatches:
    trader: Trader


@strawberry.type(description="The trader no longer exists.")
class TraderDeleted:
    login: int
    deleted_id: strawberry.ID = strawberry.field(description="The global id it had.")


Common = InvalidInput | NotEnoughRights | RateLimited | UpstreamUnavailable
CreateUserResult = Annotated[
    UserCreated | EmailAlreadyExists | WhiteLabelNotFound | Common,
    strawberry.union("CreateUserResult"),
]
CreateTraderResult = Annotated[
    TraderCreated | GroupNotFound | WhiteLabelNotFound | Common,
    strawberry.union("CreateTraderResult"),
]
LinkTraderResult = Annotated[
    TraderLinked
    | TraderNotFound
    | UserNotFound
    | WrongPassword
    | AlreadyLinked
    | WhiteLabelNotFound
    | Common,
    strawberry.union("LinkTraderResult"),
]
UpdateTraderResult = Annotated[
    TraderUpdated | TraderNotFound | GroupNotFound | Common, strawberry.union("UpdateTraderResult")
]
MoveTraderResult = Annotated[
    TraderUpdated | TraderNotFound | WhiteLabelNotFound | Common,
    strawberry.union("MoveTraderToWhiteLabelResult"),
]
TraderChangeResult = Annotated[
    TraderUpdated | TraderNotFound | Common, strawberry.union("TraderChangeResult")
]
CheckPasswordResult = Annotated[
    PasswordMatches | WrongPassword | TraderNotFound | Common,
    strawberry.union("CheckTraderPasswordResult"),
]
DeleteTraderResult = Annotated[
    TraderDeleted | TraderNotFound | Common, strawberry.union("DeleteTraderResult")
]


def outcome(result: S | Refusal, success: Callable[[S], R], union: object) -> R | Member:
    """The success member, or the refusal's member if `union` holds it. A refusal the union
    cannot express (an upstream answer the mutation never expects) is raised as its cause."""
    if not isinstance(result, Refusal):
        return success(result)
    found = member(result)
    if type(found) not in _members(union):
        raise result.cause or LookupError(f"{result.failure} is not expected here")
    return found


def _members(union: object) -> tuple[type, ...]:
    """The member types of an `Annotated[A | B, strawberry.union(...)]`."""
    members: tuple[type, ...] = get_args(get_args(union)[0])
    return members
