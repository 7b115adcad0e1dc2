"""The trader list (3.3) and the closed-positions windows (3.14): raw pages and whole ranges.

Paging rule of 3.3: the filter is `from <= registrationTimestamp < to`, answers come newest first,
and while `hasMore` is true the next call moves `to` down to the earliest registration time
received. A page that would not move `to` down is malformed (it would loop forever).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from upstream.decode import trader
from upstream.enums import MONEY_FIELDS, TraderField
from upstream.fields import Fields, ShapeError
from upstream.records import Trader, TraderPage, TraderSummary
from upstream.streamed import Records
from upstream.summaries import summary

T = TypeVar("T", Trader, TraderSummary)
K = TypeVar("K")
PageCall = Callable[[datetime], Awaitable[TraderPage[T]]]


def requested_fields(fields: Collection[TraderField]) -> str:
    """The `fields` parameter: what was asked, plus what paging and money need, in enum order."""
    wanted = set(fields) | {TraderField.LOGIN, TraderField.REGISTRATION_TIMESTAMP}
    if wanted & MONEY_FIELDS:
        wanted.add(TraderField.MONEY_DIGITS)
    return ",".join(field.value for field in TraderField if field in wanted)


def trader_page(f: Fields) -> TraderPage[Trader]:
    return TraderPage(tuple(trader(item) for item in f.records("trader")), f.flag("hasMore"))


def summary_page(f: Fields) -> TraderPage[TraderSummary]:
    return TraderPage(tuple(summary(item) for item in f.drain("trader")), f.flag("hasMore"))


@dataclass(frozen=True)
class KeptPage(Generic[K]):
    """One answer of 3.3 whose summaries were each turned into what the caller keeps."""

    kept: tuple[tuple[int, K], ...]
    """(login, what was kept), newest first."""
    earliest: datetime | None
    has_more: bool


class Keeping(Generic[K]):
    """One answer of 3.3 kept record by record as its records come (`KeptPage`)."""

    def __init__(self, keep: Callable[[TraderSummary], K]) -> None:
        self._keep = keep
        self._kept: list[tuple[int, K]] = []
        self._earliest: datetime | None = None

    def add(self, items: Iterable[Fields]) -> None:
        """Each record read, kept and let go: no page of summaries is ever whole."""
        for item in items:
            record = summary(item)
            self._kept.append((record.login, self._keep(record)))
            moment, earliest = record.registration_timestamp, self._earliest
            self._earliest = moment if earliest is None or moment < earliest else earliest

    def page(self, rest: Fields) -> KeptPage[K]:
        return KeptPage(tuple(self._kept), self._earliest, rest.flag("hasMore"))


async def kept_stream(
    chunks: AsyncIterator[bytes], records: Records, keep: Callable[[TraderSummary], K]
) -> KeptPage[K]:
    """An answer's records kept as its chunks arrive: neither the body nor its text is ever
    whole (`upstream.streamed`)."""
    keeping = Keeping(keep)
    async for chunk in chunks:
        keeping.add(records.feed(chunk))
    keeping.add(records.end())
    return keeping.page(records.rest)


async def all_kept(to: datetime, fetch: Callable[[datetime], Awaitable[KeptPage[K]]]) -> list[K]:
    """`all_pages` for kept summaries: every trader of the range once, following `hasMore`."""
    seen: dict[int, K] = {}
    while True:
        page = await fetch(to)
        for login, item in page.kept:
            seen.setdefault(login, item)
        if not page.has_more:
            return list(seen.values())
        if page.earliest is None or page.earliest >= to:
            raise ShapeError("hasMore is true but the page does not move the window down")
        to = page.earliest


async def all_pages(to: datetime, fetch: PageCall[T]) -> tuple[T, ...]:
    """Every trader of the range, newest first, each once, following `hasMore`."""
    seen: dict[int, T] = {}
    while True:
        page = await fetch(to)
        for item in page.traders:
            seen.setdefault(item.login, item)
        if not page.has_more:
            return tuple(seen.values())
        to = _next_upper_bound(page, to)


def _next_upper_bound(page: TraderPage[T], to: datetime) -> datetime:
    earliest = min((item.registration_timestamp for item in page.traders), default=to)
    if earliest >= to:
        raise ShapeError("hasMore is true but the page does not move the window down")
    return earliest


def windows(from_: datetime, to: datetime, width: timedelta) -> list[tuple[datetime, datetime]]:
    """[from_, to) cut into consecutive windows no wider than `width`, oldest first."""
    cuts: list[tuple[datetime, datetime]] = []
    start = from_
    while start < to:
        end = min(start + width, to)
        cuts.append((start, end))
        start = end
    return cuts
