"""Group commit for the money journal on SQLite: the writes waiting at one moment share a commit.

Every deposit writes the journal twice, and each write is durable before anything acts on it
(`synchronous=FULL`: a commit returns once the disk has the WAL frame, 1-6 ms on the shared
machine). SQLite has one writer at a time, so a process's journal writes take turns
(`store/db.py`), and with 16 deposits in flight each of their 32 writes paid a commit of its own,
one after the other; with two worker processes on one file they also met in SQLite's busy
handler. Here a write joins the queue of its engine: one flusher at a time takes every write
waiting, runs them in one transaction in the order they came, commits once, and only then resumes
each writer with its own result. A row is never acted on before its commit, as before; what is
shared is the disk's flush and the thread hop.

A write in a batch must not fail for a reason of its own (the claim inserts with `ON CONFLICT DO
NOTHING`, a transition is a compare-and-set): if the transaction fails, nothing of it was
committed and every writer in it gets the error, as each would have alone. PostgreSQL is not
batched: it locks rows, not the database, so its writers already commit side by side, and two
replicas' batches could wait on each other's keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import write

T = TypeVar("T")
Work = Callable[[Connection], Any]


@dataclass
class _Queue:
    waiting: list[tuple[Work, asyncio.Future[Any]]] = field(default_factory=list)
    flusher: asyncio.Task[None] | None = None


_QUEUES: WeakKeyDictionary[asyncio.AbstractEventLoop, WeakKeyDictionary[Engine, _Queue]]
_QUEUES = WeakKeyDictionary()


def batched(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


async def committed(engine: AsyncEngine, work: Callable[[Connection], T]) -> T:
    """`store.db.write(engine, work)`, sharing its transaction with the writes waiting with it."""
    if not batched(engine):
        return await write(engine, work)
    loop = asyncio.get_running_loop()
    queue = _QUEUES.setdefault(loop, WeakKeyDictionary()).setdefault(engine.sync_engine, _Queue())
    done: asyncio.Future[T] = loop.create_future()
    queue.waiting.append((work, done))
    if queue.flusher is None:
        queue.flusher = loop.create_task(_flush(engine, queue), name="journal-commit")
    return await done


async def _flush(engine: AsyncEngine, queue: _Queue) -> None:
    """Commit what is waiting, batch after batch, until nothing is; a writer that went away
    (its request cancelled) still has its write committed, as a write already sent would."""
    try:
        while queue.waiting:
            batch, queue.waiting = queue.waiting, []
            try:
                results = await write(engine, _together([work for work, _ in batch]))
            except Exception as error:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            for (_, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)
    finally:
        queue.flusher = None


def _together(works: list[Work]) -> Callable[[Connection], list[Any]]:
    def work(connection: Connection) -> list[Any]:
        return [each(connection) for each in works]

    return work
