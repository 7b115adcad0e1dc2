"""The money journal: one row per money request, written BEFORE the upstream is called.

The row is the service's memory of a money movement. Its unique `(caller, idempotency_key)` pair is
what makes a movement happen at most once: the request whose insert wins owns the upstream call,
every other request with the same pair reads the owner's result. Amounts are exact decimal strings,
never floats. Rows are never deleted (the audit trail is append-only); only their state moves on:

    PENDING ──> SUCCEEDED | FAILED | OUTCOME_UNKNOWN
    OUTCOME_UNKNOWN ──(operator resolution)──> SUCCEEDED | FAILED
    FAILED (retryable: nothing reached the upstream's books) ──(same key again)──> PENDING
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from store.db import metadata

ID_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class MovementKind(enum.StrEnum):
    """What a movement does; each maps onto one upstream call and `type`."""

    DEPOSIT = "DEPOSIT"
    WITHDRAW = "WITHDRAW"
    DEPOSIT_BONUS = "DEPOSIT_BONUS"
    WITHDRAW_BONUS = "WITHDRAW_BONUS"
    DEPOSIT_CREDIT = "DEPOSIT_CREDIT"
    WITHDRAW_CREDIT = "WITHDRAW_CREDIT"


class MovementState(enum.StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"


movements = Table(
    "tg_money_movements",
    metadata,
    Column("id", ID_TYPE, primary_key=True, autoincrement=True),
    Column("caller", String(64), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("login", BigInteger, nullable=False, index=True),
    Column("amount", String(40), nullable=False),
    Column("currency", String(12), nullable=False),
    Column("rate", String(40), nullable=True),
    Column("comment", Text, nullable=True),
    Column("input_hash", String(64), nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("history_id", BigInteger, nullable=True),
    Column("error_code", String(40), nullable=True),
    Column("error_message", Text, nullable=True),
    Column("retryable", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("transfer_id", BigInteger, nullable=True, index=True),
    Column("resolved_by", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("caller", "idempotency_key", name="uq_tg_money_movements_caller_key"),
)


@dataclass(frozen=True)
class Draft:
    """A money request as it is recorded before anything is sent upstream."""

    caller: str
    idempotency_key: str
    kind: MovementKind
    login: int
    amount: Decimal
    currency: str
    input_hash: str
    rate: Decimal | None = None
    comment: str | None = None
    transfer_id: int | None = None


@dataclass(frozen=True)
class JournalEntry:
    id: int
    caller: str
    idempotency_key: str
    kind: MovementKind
    login: int
    amount: Decimal
    currency: str
    rate: Decimal | None
    comment: str | None
    input_hash: str
    state: MovementState
    history_id: int | None
    error_code: str | None
    error_message: str | None
    retryable: bool
    attempts: int
    transfer_id: int | None
    resolved_by: str | None
    created_at: datetime
    updated_at: datetime


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time this service stores is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def draft_values(draft: Draft, now: datetime) -> dict[str, object]:
    return {
        "caller": draft.caller,
        "idempotency_key": draft.idempotency_key,
        "kind": draft.kind.value,
        "login": draft.login,
        "amount": str(draft.amount),
        "currency": draft.currency,
        "rate": None if draft.rate is None else str(draft.rate),
        "comment": draft.comment,
        "input_hash": draft.input_hash,
        "state": MovementState.PENDING.value,
        "retryable": False,
        "attempts": 1,
        "transfer_id": draft.transfer_id,
        "created_at": now,
        "updated_at": now,
    }


def entry_from_row(row: Row[tuple[object, ...]]) -> JournalEntry:
    m = row._mapping
    rate = m["rate"]
    return JournalEntry(
        id=int(m["id"]),
        caller=m["caller"],
        idempotency_key=m["idempotency_key"],
        kind=MovementKind(m["kind"]),
        login=int(m["login"]),
        amount=Decimal(m["amount"]),
        currency=m["currency"],
        rate=None if rate is None else Decimal(rate),
        comment=m["comment"],
        input_hash=m["input_hash"],
        state=MovementState(m["state"]),
        history_id=m["history_id"],
        error_code=m["error_code"],
        error_message=m["error_message"],
        retryable=bool(m["retryable"]),
        attempts=int(m["attempts"]),
        transfer_id=m["transfer_id"],
        resolved_by=m["resolved_by"],
        created_at=as_utc(m["created_at"]),
        updated_at=as_utc(m["updated_at"]),
    )
