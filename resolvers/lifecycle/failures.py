"""Why a lifecycle mutation changed nothing, and the one mapping of upstream errors onto it.

Operations raise `Refused` (or let an `UpstreamError` through); `attempt` turns both into a
`Refusal` at the operation's edge, and the schema turns each `Failure` into its union member.
Upstream errors that are no fault of the request (our own credentials refused, a code the
service does not know) are not refusals: they propagate and become masked GraphQL errors.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from upstream import errors

T = TypeVar("T")


class Failure(enum.StrEnum):
    INVALID_INPUT = "INVALID_INPUT"
    TRADER_NOT_FOUND = "TRADER_NOT_FOUND"
    USER_NOT_FOUND = "USER_NOT_FOUND"
    NOT_ENOUGH_RIGHTS = "NOT_ENOUGH_RIGHTS"
    GROUP_NOT_FOUND = "GROUP_NOT_FOUND"
    WHITE_LABEL_NOT_FOUND = "WHITE_LABEL_NOT_FOUND"
    EMAIL_ALREADY_EXISTS = "EMAIL_ALREADY_EXISTS"
    ALREADY_LINKED = "ALREADY_LINKED"
    WRONG_PASSWORD = "WRONG_PASSWORD"  # noqa: S105 - a failure code, not a password
    RATE_LIMITED = "RATE_LIMITED"
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"


@dataclass(frozen=True)
class FieldProblem:
    """One wrong input field: its path inside `input` (GraphQL names) and what is wrong."""

    path: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Refusal:
    """A request that changed nothing. `cause` is the upstream error behind it, if any;
    `user_id` names the existing user of an EMAIL_ALREADY_EXISTS."""

    failure: Failure
    message: str
    fields: tuple[FieldProblem, ...] = ()
    user_id: int | None = None
    cause: errors.UpstreamError | None = None


class Refused(Exception):
    """Raised inside an operation; caught by `attempt`."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


LOST = "the upstream's answer was lost, so the change may have been applied; read it back first"

_REJECTIONS: dict[type[errors.UpstreamRejected], Failure] = {
    errors.InvalidRequest: Failure.INVALID_INPUT,
    errors.NotEnoughRights: Failure.NOT_ENOUGH_RIGHTS,
    errors.TraderNotFound: Failure.TRADER_NOT_FOUND,
    errors.UserNotFound: Failure.USER_NOT_FOUND,
    errors.GroupNotFound: Failure.GROUP_NOT_FOUND,
    errors.BrokerNotFound: Failure.WHITE_LABEL_NOT_FOUND,
    errors.WrongPassword: Failure.WRONG_PASSWORD,
    errors.AlreadyLinked: Failure.ALREADY_LINKED,
    errors.EmailAlreadyExists: Failure.EMAIL_ALREADY_EXISTS,
}


def translate(error: errors.UpstreamError) -> Refusal:
    """The single mapping of the upstream error tree onto lifecycle failures; raises `error`
    itself when it is not the request's doing."""
    if isinstance(error, errors.OutcomeUnknown):
        return Refusal(Failure.UPSTREAM_UNAVAILABLE, LOST, cause=error)
    if isinstance(error, errors.UpstreamUnavailable):
        return Refusal(Failure.UPSTREAM_UNAVAILABLE, error.message, cause=error)
    if isinstance(error, errors.RateLimited):
        return Refusal(Failure.RATE_LIMITED, _rate_limited(error), cause=error)
    if isinstance(error, errors.UpstreamRejected) and type(error) in _REJECTIONS:
        message = error.description or error.message
        return Refusal(_REJECTIONS[type(error)], message, cause=error)
    raise error


def _rate_limited(error: errors.RateLimited) -> str:
    if error.retry_after is None:
        return "the upstream's rate limit was reached; retry later"
    return f"the upstream's rate limit was reached; retry in {error.retry_after:g} seconds"


def refuse(failure: Failure, message: str) -> Refused:
    return Refused(Refusal(failure, message))


async def attempt(work: Awaitable[T]) -> T | Refusal:
    """Run one operation; what it refused, or the upstream refused, comes back as a Refusal."""
    try:
        return await work
    except Refused as refused:
        return refused.refusal
    except errors.UpstreamError as error:
        return translate(error)
