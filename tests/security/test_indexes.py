"""Per-manager trader indexes: a write through one makes every index rebuild."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from resolvers.index import TraderIndex
from resolvers.scope import ManagerIndexes
from upstream.client import WebServicesClient
from upstream.records import TraderSummary


class NoTraders:
    """Stands for the upstream client: every index it builds is empty."""

    async def keep_trader_summaries(
        self, start: datetime, end: datetime, fields: object, keep: object
    ) -> list[TraderSummary]:
        return []


CLIENT = cast(WebServicesClient, NoTraders())


async def test_a_write_through_a_managers_index_invalidates_every_index() -> None:
    shared, indexes = TraderIndex(60.0), ManagerIndexes()
    desk, admin = indexes.of(1002, 60.0, shared), indexes.of(1001, 60.0, shared)
    for index in (shared, desk, admin):
        await index.snapshot(CLIENT)

    desk.invalidate()

    assert [index.current() for index in (shared, desk, admin)] == [None, None, None]


async def test_each_manager_has_one_index() -> None:
    shared, indexes = TraderIndex(60.0), ManagerIndexes()

    assert indexes.of(1002, 60.0, shared) is indexes.of(1002, 60.0, shared)
