"""Exactly once on one SQLite file shared by two processes, as the workers of
`tradergraph serve --workers 2` share it.

Each process's writers take turns on its own write turn (store/db.py); across processes they meet
inside SQLite, where the second waits in its busy timeout (WAL mode). The journal's unique
(caller, key) still decides, across processes, which request calls the upstream.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine

from store.journal import MovementState
from tests.money.two_processes import Outcome, deposit_from_two_processes


async def test_two_processes_sharing_a_sqlite_file_make_one_call(engine: AsyncEngine) -> None:
    outcome = await deposit_from_two_processes(engine, str(engine.url), "1001")
    entry_id = min(entry for entry, _ in outcome.answers if entry is not None)
    assert outcome == Outcome(
        frozenset({(entry_id, MovementState.SUCCEEDED.value)}),
        50,
        1,
        (Decimal("12.34"), Decimal(0), Decimal(0)),
    )
