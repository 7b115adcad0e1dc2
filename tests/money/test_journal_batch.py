"""Group commit on SQLite: the journal writes waiting at one moment share one commit.

Commits are counted on every engine (`ConnectionEvents.commit`), so the tests see the pysqlite
twin's commits as well as the async engine's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import first_row, read
from store.journal import Draft, MovementKind, MovementState, movements
from store.journal_batch import committed
from store.journal_ops import Settlement, claim, settle


def draft(key: str) -> Draft:
    return Draft("1001", key, MovementKind.DEPOSIT, 5001, Decimal("1.25"), "USD", f"hash-{key}")


@contextmanager
def counted_commits() -> Iterator[list[int]]:
    commits: list[int] = []

    def count(_: Any) -> None:
        commits.append(1)

    event.listen(Engine, "commit", count)
    try:
        yield commits
    finally:
        event.remove(Engine, "commit", count)


async def test_sixteen_claims_at_once_are_one_commit(engine: AsyncEngine) -> None:
    with counted_commits() as commits:
        claims = await asyncio.gather(*(claim(engine, draft(f"k{n}")) for n in range(16)))

    ids = [each.entry.id for each in claims]
    assert (len(commits), [each.owned for each in claims], len(set(ids))) == (1, [True] * 16, 16)


async def test_a_key_claimed_twice_in_one_batch_is_owned_once(engine: AsyncEngine) -> None:
    first, second = await asyncio.gather(claim(engine, draft("same")), claim(engine, draft("same")))

    assert (first.owned, second.owned, second.entry) == (True, False, first.entry)


async def test_settlements_at_once_share_a_commit_and_each_gets_its_own_entry(
    engine: AsyncEngine,
) -> None:
    claims = [await claim(engine, draft(f"s{n}")) for n in range(3)]
    with counted_commits() as commits:
        settled = await asyncio.gather(
            *(
                settle(engine, each.entry.id, Settlement(MovementState.SUCCEEDED, history_id=n))
                for n, each in enumerate(claims)
            )
        )

    assert (len(commits), [(e.id, e.state, e.history_id) for e in settled if e]) == (
        1,
        [(each.entry.id, MovementState.SUCCEEDED, n) for n, each in enumerate(claims)],
    )


def _failing(_: Connection) -> None:
    raise RuntimeError("the disk is full")


async def test_a_failed_batch_fails_every_write_in_it_and_commits_none(
    engine: AsyncEngine,
) -> None:
    results = await asyncio.gather(
        claim(engine, draft("lost")), committed(engine, _failing), return_exceptions=True
    )
    rows = await read(engine, first_row(select(func.count()).select_from(movements)))

    assert ([repr(each) for each in results], rows[0] if rows else None) == (
        ["RuntimeError('the disk is full')"] * 2,
        0,
    )
