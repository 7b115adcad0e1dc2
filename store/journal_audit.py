"""Reads over many journal entries: the audit listing, a transfer's steps, stuck entries.

The audit pages by entry id (ids only grow), so a cursor stays valid while new entries arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncEngine

from store.journal import JournalEntry, MovementKind, MovementState, entry_from_row, movements


@dataclass(frozen=True)
class AuditFilter:
    """Every field narrows the listing; None means any."""

    login: int | None = None
    caller: str | None = None
    idempotency_key: str | None = None
    kind: MovementKind | None = None
    state: MovementState | None = None
    transfer_id: int | None = None


def _conditions(audit: AuditFilter) -> list[ColumnElement[bool]]:
    wanted: list[tuple[object | None, ColumnElement[bool]]] = [
        (audit.login, movements.c.login == audit.login),
        (audit.caller, movements.c.caller == audit.caller),
        (audit.idempotency_key, movements.c.idempotency_key == audit.idempotency_key),
        (audit.kind, movements.c.kind == (audit.kind.value if audit.kind else None)),
        (audit.state, movements.c.state == (audit.state.value if audit.state else None)),
        (audit.transfer_id, movements.c.transfer_id == audit.transfer_id),
    ]
    return [condition for value, condition in wanted if value is not None]


async def page(
    engine: AsyncEngine, audit: AuditFilter, first: int, after: int | None = None
) -> tuple[list[JournalEntry], bool]:
    """Up to `first` entries with id > `after`, oldest first, and whether more follow."""
    query = select(movements).where(*_conditions(audit)).order_by(movements.c.id).limit(first + 1)
    if after is not None:
        query = query.where(movements.c.id > after)
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [entry_from_row(row) for row in rows[:first]], len(rows) > first


async def of_transfer(engine: AsyncEngine, transfer_id: int) -> list[JournalEntry]:
    """The steps of one transfer, in the order they were started."""
    entries, _ = await page(engine, AuditFilter(transfer_id=transfer_id), first=1000)
    return entries


async def stale_pending(engine: AsyncEngine, updated_before: datetime) -> list[JournalEntry]:
    """PENDING entries nobody touched since `updated_before`: their owner is presumed dead."""
    query = (
        select(movements)
        .where(
            movements.c.state == MovementState.PENDING.value,
            movements.c.updated_at < updated_before,
        )
        .order_by(movements.c.id)
    )
    async with engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return [entry_from_row(row) for row in rows]
