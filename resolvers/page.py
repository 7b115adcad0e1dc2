"""A page's node data, loaded once for the whole page before its nodes resolve.

The acceptance page asks each of its 50 traders for `account`, `openPositions` and `user`. Loaded
field by field, that is 150 coroutines and as many awaits through GraphQL execution, which cost
more CPU than the upstream calls themselves. The connection resolver reads which of them the
query selects (`PageWants`), asks the same per-request loaders for the whole page at once (the
same batches, so the same upstream calls), and hands each node its `TraderPreload`; the node
fields then answer synchronously. A failure stays a per-key slot: the field that needed it raises
it, so a failing branch still nulls only its own fields.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from resolvers.batching import Loader
from resolvers.context import Info
from resolvers.summary_batch import SummaryKey
from store.users import User
from upstream.enums import TraderField
from upstream.records import OpenPosition, TraderSummary

V = TypeVar("V")
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Loaded(Generic[V]):
    """One key's answer: its value, or the exception its field raises."""

    slot: V | BaseException

    def get(self) -> V:
        if isinstance(self.slot, BaseException):
            raise self.slot
        return self.slot


@dataclass(frozen=True, slots=True)
class PageWants:
    """What a page's nodes select: the account's upstream fields (None: no account), and more."""

    account_fields: frozenset[TraderField] | None = None
    open_positions: bool = False
    user: bool = False


@dataclass(frozen=True, slots=True)
class TraderPreload:
    """A node's preloaded answers; None where the query did not select the field."""

    summary: Loaded[TraderSummary | None] | None = None
    open_positions: Loaded[tuple[OpenPosition, ...]] | None = None
    user: Loaded[User | None] | None = None


async def _slots(
    loader: Loader[K, V], keys: Sequence[K], wanted: bool
) -> list[Loaded[V]] | list[None]:
    if not wanted:
        return [None] * len(keys)
    return [Loaded(slot) for slot in await loader.load_slots(keys)]


async def preload_page(info: Info, logins: Sequence[int], wants: PageWants) -> list[TraderPreload]:
    """One `TraderPreload` per login, in order; the loaders batch the page as the fields would."""
    loaders, fields = info.context.loaders, wants.account_fields
    summary_keys = [SummaryKey(login, fields or frozenset()) for login in logins]
    summaries, positions, users = await asyncio.gather(
        _slots(loaders.summary, summary_keys, fields is not None),
        _slots(loaders.open_positions, logins, wants.open_positions),
        _slots(loaders.user_by_login, logins, wants.user),
    )
    return [
        TraderPreload(summary, open_positions, user)
        for summary, open_positions, user in zip(summaries, positions, users, strict=True)
    ]
