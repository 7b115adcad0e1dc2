"""Transfers between two accounts: the saga's own row; its steps are journal entries.

A transfer's state is a summary of its steps, written by whoever drives the saga (the request,
a duplicate of it, start-up recovery or an operator's resolution), always by compare-and-set
from an unfinished state, so concurrent drivers cannot overwrite a finished transfer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import metadata, writing
from store.journal import ID_TYPE, as_utc
from store.journal_ops import utc_now


class TransferState(enum.StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    COMPENSATED = "COMPENSATED"
    FAILED = "FAILED"
    OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN"


UNFINISHED = (TransferState.IN_PROGRESS.value, TransferState.OUTCOME_UNKNOWN.value)

transfers = Table(
    "tg_money_transfers",
    metadata,
    Column("id", ID_TYPE, primary_key=True, autoincrement=True),
    Column("caller", String(64), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("from_login", BigInteger, nullable=False),
    Column("to_login", BigInteger, nullable=False),
    Column("amount", String(40), nullable=False),
    Column("rate", String(40), nullable=True),
    Column("comment", Text, nullable=True),
    Column("input_hash", String(64), nullable=False),
    Column("state", String(20), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("caller", "idempotency_key", name="uq_tg_money_transfers_caller_key"),
)


@dataclass(frozen=True)
class TransferRow:
    id: int
    caller: str
    idempotency_key: str
    from_login: int
    to_login: int
    amount: Decimal
    rate: Decimal | None
    comment: str | None
    input_hash: str
    state: TransferState
    created_at: datetime
    updated_at: datetime


def _from_row(row: Row[tuple[object, ...]]) -> TransferRow:
    m = row._mapping
    return TransferRow(
        id=int(m["id"]),
        caller=m["caller"],
        idempotency_key=m["idempotency_key"],
        from_login=int(m["from_login"]),
        to_login=int(m["to_login"]),
        amount=Decimal(m["amount"]),
        rate=None if m["rate"] is None else Decimal(m["rate"]),
        comment=m["comment"],
        input_hash=m["input_hash"],
        state=TransferState(m["state"]),
        created_at=as_utc(m["created_at"]),
        updated_at=as_utc(m["updated_at"]),
    )


async def open_transfer(engine: AsyncEngine, values: dict[str, object]) -> tuple[TransferRow, bool]:
    """Insert an IN_PROGRESS transfer; on a duplicate (caller, key) return the existing one."""
    now = utc_now()
    row = {**values, "state": TransferState.IN_PROGRESS.value, "created_at": now, "updated_at": now}
    try:
        async with writing(engine) as connection:
            result = await connection.execute(insert(transfers).values(row).returning(transfers))
            return _from_row(result.one()), True
    except IntegrityError:
        existing = await find_transfer(
            engine, str(values["caller"]), str(values["idempotency_key"])
        )
        if existing is None:  # pragma: no cover - a row that violated uniqueness cannot vanish
            raise
        return existing, False


async def _one(engine: AsyncEngine, *where: ColumnElement[bool]) -> TransferRow | None:
    async with engine.connect() as connection:
        row = (await connection.execute(select(transfers).where(*where))).first()
    return None if row is None else _from_row(row)


async def get_transfer(engine: AsyncEngine, transfer_id: int) -> TransferRow | None:
    return await _one(engine, transfers.c.id == transfer_id)


async def find_transfer(engine: AsyncEngine, caller: str, key: str) -> TransferRow | None:
    return await _one(engine, transfers.c.caller == caller, transfers.c.idempotency_key == key)


async def mark(engine: AsyncEngine, transfer_id: int, state: TransferState) -> None:
    """Record the saga's state unless the transfer has already finished."""
    statement = (
        update(transfers)
        .where(transfers.c.id == transfer_id, transfers.c.state.in_(UNFINISHED))
        .values(state=state.value, updated_at=utc_now())
    )
    async with writing(engine) as connection:
        await connection.execute(statement)


async def unfinished(engine: AsyncEngine) -> list[TransferRow]:
    query = select(transfers).where(transfers.c.state.in_(UNFINISHED)).order_by(transfers.c.id)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [_from_row(row) for row in rows]
