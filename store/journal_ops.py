"""Writes and point reads on the money journal, each in its own short transaction.

Every state change is a compare-and-set (`UPDATE ... WHERE state = <expected>`), so two processes
that share the database can never both move one entry on: the loser sees zero rows changed. Each
transaction starts with its write, which keeps SQLite's single writer from dead-locking readers that
would upgrade to writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Text,
    Update,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import first_row, read, write
from store.journal import (
    Draft,
    JournalEntry,
    MovementState,
    draft_values,
    entry_from_row,
    movements,
)
from store.journal_batch import batched, committed


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Claim:
    """The entry for a (caller, key) pair and whether this request inserted it (owns the call)."""

    entry: JournalEntry
    owned: bool


@dataclass(frozen=True)
class Settlement:
    """The final facts of one upstream attempt."""

    state: MovementState
    history_id: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    retryable: bool = False


def _entry(row: Row[Any] | None) -> JournalEntry | None:
    return None if row is None else entry_from_row(row)


MESSAGE_SEPARATOR = "; "
SETTLED = ("state", "history_id", "error_code", "error_message", "retryable", "updated_at")


def _transition_statement(*, by_operator: bool) -> Update:
    """Built once: the two statements of every deposit are the hot path, and building a statement
    costs about as much as executing it. Bind names differ from the columns' (SQLAlchemy reserves
    those for the SET clause). An operator's settlement keeps the entry's message and appends its
    own (`kept_message`): why the answer was lost stays beside what the operator found."""
    columns = (*SETTLED, "resolved_by") if by_operator else SETTLED
    values: dict[str, Any] = {name: bindparam(f"new_{name}") for name in columns}
    if by_operator:
        values["error_message"] = kept_message(bindparam("new_error_message", type_=Text))
    return (
        update(movements)
        .where(movements.c.id == bindparam("entry_id"))
        .where(movements.c.state == bindparam("expected_state"))
        .values(values)
        .returning(movements)
    )


def kept_message(note: BindParameter[str]) -> ColumnElement[str]:
    """`message; note`, or whichever of the two there is (SQL's `||` is NULL if either is)."""
    current = movements.c.error_message
    return func.coalesce(current + MESSAGE_SEPARATOR + note, note, current)


CLAIM = insert(movements).returning(movements)
CLAIM_ONCE = (
    sqlite.insert(movements)
    .on_conflict_do_nothing(index_elements=["caller", "idempotency_key"])
    .returning(movements)
)
"""The claim in a batch (`journal_batch`): a key that exists answers no row instead of raising."""
TRANSITIONS = {by: _transition_statement(by_operator=by) for by in (False, True)}


async def claim(engine: AsyncEngine, draft: Draft) -> Claim:
    """Insert the draft as PENDING; if the pair exists already, return that entry, not owned."""
    values = draft_values(draft, utc_now())
    try:
        if batched(engine):
            entry = _entry(await committed(engine, first_row(CLAIM_ONCE, values)))
        else:
            entry = _entry(await write(engine, first_row(CLAIM, values)))
    except IntegrityError:
        entry = None
    if entry is not None:
        return Claim(entry, owned=True)
    existing = await find(engine, draft.caller, draft.idempotency_key)
    if existing is None:  # pragma: no cover - a row that violated uniqueness cannot vanish
        raise RuntimeError("the journal insert returned no row, and no row holds its key")
    return Claim(existing, owned=False)


async def get(engine: AsyncEngine, entry_id: int) -> JournalEntry | None:
    query = select(movements).where(movements.c.id == entry_id)
    return _entry(await read(engine, first_row(query)))


async def find(engine: AsyncEngine, caller: str, key: str) -> JournalEntry | None:
    query = select(movements).where(
        movements.c.caller == caller, movements.c.idempotency_key == key
    )
    return _entry(await read(engine, first_row(query)))


async def transition(
    engine: AsyncEngine,
    entry_id: int,
    expected: MovementState,
    settlement: Settlement,
    resolved_by: str | None = None,
) -> JournalEntry | None:
    """Move an entry from `expected` to the settlement's state; None if it was not in `expected`."""
    parameters: dict[str, object] = {
        "entry_id": entry_id,
        "expected_state": expected.value,
        "new_state": settlement.state.value,
        "new_history_id": settlement.history_id,
        "new_error_code": settlement.error_code,
        "new_error_message": settlement.error_message,
        "new_retryable": settlement.retryable,
        "new_updated_at": utc_now(),
    }
    if resolved_by is not None:
        parameters["new_resolved_by"] = resolved_by
    statement = TRANSITIONS[resolved_by is not None]
    return _entry(await committed(engine, first_row(statement, parameters)))


async def settle(engine: AsyncEngine, entry_id: int, settlement: Settlement) -> JournalEntry | None:
    """Record the outcome of the owner's upstream call (PENDING → final)."""
    return await transition(engine, entry_id, MovementState.PENDING, settlement)


async def retake(engine: AsyncEngine, entry_id: int) -> JournalEntry | None:
    """Take a retryable failure back to PENDING for one more attempt; None if another did it."""
    statement = (
        update(movements)
        .where(
            movements.c.id == entry_id,
            movements.c.state == MovementState.FAILED.value,
            movements.c.retryable.is_(True),
        )
        .values(
            state=MovementState.PENDING.value,
            retryable=False,
            error_code=None,
            error_message=None,
            attempts=movements.c.attempts + 1,
            updated_at=utc_now(),
        )
        .returning(movements)
    )
    return _entry(await committed(engine, first_row(statement)))
