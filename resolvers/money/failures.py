"""Why a money request did not move money, as the money code and its GraphQL errors see it.

Upstream errors are translated into these once, in `gateway.py`; the schema turns each failure into
its union member once, in `schema/money.py`. `retryable` failures left nothing on the upstream's
books and may be tried again under the same idempotency key; the others are final for that key.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from store.journal import JournalEntry


class Failure(enum.StrEnum):
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INVALID_INPUT = "INVALID_INPUT"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    TRADER_NOT_FOUND = "TRADER_NOT_FOUND"
    NOT_ENOUGH_RIGHTS = "NOT_ENOUGH_RIGHTS"
    RATE_LIMITED = "RATE_LIMITED"
    UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE"


RETRYABLE = frozenset({Failure.RATE_LIMITED, Failure.UPSTREAM_UNAVAILABLE})


class Refused(Exception):
    """A definitive no: nothing moved (the upstream said so, or it was never asked)."""

    def __init__(self, failure: Failure, message: str) -> None:
        super().__init__(f"{failure.value}: {message}")
        self.failure = failure
        self.message = message

    @property
    def retryable(self) -> bool:
        return self.failure in RETRYABLE


class Unknown(Exception):
    """The request was sent and its answer lost: it may or may not have moved money."""


@dataclass(frozen=True)
class Rejection:
    """A money request that moved nothing; `movement` is its journal entry when it has one."""

    failure: Failure
    message: str
    movement: JournalEntry | None = None


def rejection_of(entry: JournalEntry) -> Rejection:
    """The stored failure of a FAILED entry, as it was first returned."""
    failure = Failure(entry.error_code or Failure.UPSTREAM_UNAVAILABLE.value)
    return Rejection(failure, entry.error_message or "", entry)
