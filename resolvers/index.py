"""The trader index: every visible trader's login, registration time, white label, group and
partners, kept for `index_ttl_seconds` and shared by all requests.

The upstream lists traders only by registration window (reference §3.3), so paging and filtering
by white label, group or partner need to know who exists first. One `fields`-restricted list
call builds the index; a page is then a slice of it, and the page's full records come from one
list call over the page's registration window (see `resolvers.trader_batch`). A stale index only
means a brand-new trader shows up a little later; a deleted one resolves to nothing.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from observability.telemetry import current
from upstream.client import WebServicesClient
from upstream.enums import TraderField
from upstream.records import TraderSummary

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HORIZON = timedelta(days=3650)
"""How far past now the index looks: the sandbox's clock may run ahead of ours."""

FIELDS = (
    TraderField.LOGIN,
    TraderField.REGISTRATION_TIMESTAMP,
    TraderField.BROKER_NAME,
    TraderField.GROUP_NAME,
    TraderField.CONTACT_DETAILS,
)


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index knows of one trader; the full record is one loader call away."""

    login: int
    registered: datetime
    broker_name: str | None
    group_name: str | None
    partners: tuple[str, ...]

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.registered, self.login)


class _Entries:
    """Makes index entries whose strings are shared: 100,000 traders name a handful of white
    labels and groups and a few hundred partners, and each name read from the wire is a string
    of its own (about 16 MB of copies in all), as is each trader's tuple of partners."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._partners: dict[tuple[str, ...], tuple[str, ...]] = {}

    def name(self, text: str | None) -> str | None:
        return None if text is None else self._names.setdefault(text, text)

    def entry(self, summary: TraderSummary) -> IndexEntry:
        details = summary.contact_details
        brokers = (
            () if details is None else (details.introducing_broker1, details.introducing_broker2)
        )
        partners = tuple(self._names.setdefault(name, name) for name in brokers if name)
        return IndexEntry(
            login=summary.login,
            registered=summary.registration_timestamp,
            broker_name=self.name(summary.broker_name),
            group_name=self.name(summary.group_name),
            partners=self._partners.setdefault(partners, partners),
        )


@dataclass(frozen=True)
class IndexSnapshot:
    """The index at one moment, oldest registration first (ties by login)."""

    entries: tuple[IndexEntry, ...]
    by_login: dict[int, IndexEntry] = field(repr=False)
    registered: tuple[datetime, ...] = field(repr=False)

    @classmethod
    def of(cls, summaries: Iterable[TraderSummary]) -> IndexSnapshot:
        return cls.sorted(map(_Entries().entry, summaries))

    @classmethod
    def sorted(cls, unsorted: Iterable[IndexEntry]) -> IndexSnapshot:
        entries = tuple(sorted(unsorted, key=lambda entry: entry.sort_key))
        return cls(
            entries=entries,
            by_login={entry.login: entry for entry in entries},
            registered=tuple(entry.registered for entry in entries),
        )

    def position_after(self, key: tuple[datetime, int]) -> int:
        """Index of the first entry that sorts after `key` (a cursor's position)."""
        low = bisect_left(self.registered, key[0])
        high = bisect_right(self.registered, key[0])
        return next((at for at in range(low, high) if self.entries[at].login > key[1]), high)

    def count_between(self, first: datetime, last: datetime) -> int:
        """How many traders registered in [first, last]: what a window call would return."""
        return bisect_right(self.registered, last) - bisect_left(self.registered, first)


class TraderIndex:
    """Builds the snapshot on first use and again once it is older than `ttl` seconds."""

    def __init__(self, ttl: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = asyncio.Lock()
        self._snapshot: IndexSnapshot | None = None
        self._built_at = 0.0

    def _fresh(self) -> IndexSnapshot | None:
        if self._snapshot is not None and self._clock() - self._built_at < self._ttl:
            return self._snapshot
        return None

    async def snapshot(self, client: WebServicesClient) -> IndexSnapshot:
        """The current snapshot; one upstream call when it is missing or stale."""
        if (fresh := self._fresh()) is not None:
            current().metrics.index_lookup(hit=True)
            return fresh
        async with self._lock:
            if (fresh := self._fresh()) is not None:
                current().metrics.index_lookup(hit=True)
                return fresh
            current().metrics.index_lookup(hit=False)
            # Let the stale snapshot go before the new one is read: with 100,000 traders the two
            # together would set the process's peak memory. Meanwhile `current()` answers None
            # and its callers take their upstream path.
            self._snapshot = None
            to = datetime.now(UTC) + HORIZON
            # Each trader becomes its entry as it is read: the list is never held whole.
            entries = await client.keep_trader_summaries(EPOCH, to, FIELDS, keep=_Entries().entry)
            self._snapshot, self._built_at = IndexSnapshot.sorted(entries), self._clock()
            return self._snapshot

    def current(self) -> IndexSnapshot | None:
        """The last snapshot built, however old (None while it is being rebuilt), without
        calling the upstream."""
        return self._snapshot

    def invalidate(self) -> None:
        """Forget the snapshot, e.g. after the service itself created or moved a trader."""
        self._snapshot = None
