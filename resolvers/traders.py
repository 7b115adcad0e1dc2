"""Trader reads: one trader by login, a page of traders from the index, a trader's record.

A page is a slice of the index (`resolvers.index`) after the cursor, filtered; the nodes it
returns carry their index entry, and everything beyond it (balances, contact details, ...)
comes through the per-request trader loader, which fetches the whole page in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from itertools import islice

from resolvers.context import Info
from resolvers.errors import TraderGone
from resolvers.index import IndexEntry, IndexSnapshot
from resolvers.pagination import checked_first, position_of
from resolvers.risk import MarginLevels, checked_bound
from resolvers.summary_batch import SummaryKey
from upstream.enums import TraderField
from upstream.records import Trader, TraderSummary


@dataclass(frozen=True)
class TraderFilter:
    """Which traders a connection lists; None means "any"."""

    white_label: str | None = None
    group: str | None = None
    partner: str | None = None
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    has_open_positions: bool | None = None
    margin_level_below: Decimal | None = None

    def narrowed(
        self, *, white_label: str | None, group: str | None, partner: str | None
    ) -> TraderFilter:
        """This filter with the parent's condition on top (the parent's value wins)."""
        return replace(
            self,
            white_label=white_label or self.white_label,
            group=group or self.group,
            partner=partner or self.partner,
        )

    def accepts(
        self, entry: IndexEntry, open_logins: frozenset[int] | None, levels: MarginLevels | None
    ) -> bool:
        return (
            (self.white_label is None or entry.broker_name == self.white_label)
            and (self.group is None or entry.group_name == self.group)
            and (self.partner is None or self.partner in entry.partners)
            and (self.registered_from is None or entry.registered >= self.registered_from)
            and (self.registered_to is None or entry.registered < self.registered_to)
            and (open_logins is None or (entry.login in open_logins) == self.has_open_positions)
            and (levels is None or self._below(levels.get(entry.login)))
        )

    def _below(self, level: Decimal | None) -> bool:
        """The margin level as `Account.marginLevel` shows it (rounded) is below the bound; a
        trader using no margin has no level and never passes."""
        bound = self.margin_level_below
        return bound is not None and level is not None and level < bound


@dataclass(frozen=True)
class TraderSlice:
    """One page; `total_count` walks the whole filtered index, so it runs only when asked."""

    entries: tuple[IndexEntry, ...]
    has_next: bool
    has_previous: bool
    total_count: Callable[[], int]


def _matching(
    snapshot: IndexSnapshot, start: int, accepts: Callable[[IndexEntry], bool]
) -> Iterator[IndexEntry]:
    tail = islice(snapshot.entries, start, None)  # no copy of a 100,000-entry tuple per page
    return (entry for entry in tail if accepts(entry))


async def _open_logins(info: Info, wanted: bool | None) -> frozenset[int] | None:
    if wanted is None:
        return None
    return (await info.context.loaders.all_open_positions.get()).logins()


async def _margin_levels(info: Info, bound: Decimal | None) -> MarginLevels | None:
    if bound is None:
        return None
    return await info.context.loaders.margin_levels.get()


async def trader_slice(
    info: Info, first: int, after: str | None, where: TraderFilter
) -> TraderSlice:
    """The page of at most `first` traders after `after` that pass `where`."""
    first = checked_first(first, info.context.settings.max_page_size)
    checked_bound(where.margin_level_below)
    start_key = position_of(after) if after is not None else None
    snapshot = await info.context.services.index.snapshot(info.context.client)
    open_logins = await _open_logins(info, where.has_open_positions)
    levels = await _margin_levels(info, where.margin_level_below)

    def accepts(entry: IndexEntry) -> bool:
        return where.accepts(entry, open_logins, levels)

    start = 0 if start_key is None else snapshot.position_after(start_key)
    page: list[IndexEntry] = []
    for entry in _matching(snapshot, start, accepts):
        if len(page) == first:
            return TraderSlice(tuple(page), True, start > 0, lambda: _count(snapshot, accepts))
        page.append(entry)
    return TraderSlice(tuple(page), False, start > 0, lambda: _count(snapshot, accepts))


def _count(snapshot: IndexSnapshot, accepts: Callable[[IndexEntry], bool]) -> int:
    return sum(1 for _ in _matching(snapshot, 0, accepts))


async def find_trader(info: Info, login: int) -> Trader | None:
    """The trader with this login, or None if the upstream has none (or does not show it)."""
    return await info.context.loaders.trader.load(login)


async def record_of(info: Info, login: int) -> Trader:
    """The full record of a trader the caller already knows exists."""
    trader = await info.context.loaders.trader.load(login)
    if trader is None:
        raise TraderGone(login)
    return trader


async def summary_for(info: Info, login: int, fields: frozenset[TraderField]) -> TraderSummary:
    """The `fields` of a trader the caller knows exists, batched with the rest of the page."""
    summary = await info.context.loaders.summary.load(SummaryKey(login, fields))
    if summary is None:
        raise TraderGone(login)
    return summary


async def index_entry(info: Info, login: int) -> IndexEntry | None:
    """The index's entry for a login, if the index is built and knows it (no upstream call)."""
    snapshot = info.context.services.index.current()
    return None if snapshot is None else snapshot.by_login.get(login)


async def has_partner(info: Info, partner_id: str) -> bool:
    """Whether any trader names this partner (partners exist only through their traders)."""
    snapshot = await info.context.services.index.snapshot(info.context.client)
    return any(partner_id in entry.partners for entry in snapshot.entries)
