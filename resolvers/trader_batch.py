"""Full trader records for many logins in as few upstream calls as the index allows.

One login is one `GET /traders/{login}`. Several logins known to the index are grouped into
registration windows, each fetched with one list call (reference §3.3) and filtered to the logins
asked for; a window grows while it stays dense (the extra traders it drags in are at most as many
as the ones wanted, plus some slack), so a page of the unfiltered index is always one call.
Logins the index does not know yet (registered since it was built) are read one by one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from resolvers.batching import slots_by_key
from resolvers.index import IndexEntry, IndexSnapshot, TraderIndex
from upstream.client import WebServicesClient
from upstream.errors import TraderNotFound
from upstream.records import Trader

SLACK = 16
ONE_MS = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class Window:
    """One list call: every trader registered in [first.registered, last.registered]."""

    entries: tuple[IndexEntry, ...]


def plan_windows(snapshot: IndexSnapshot, entries: Sequence[IndexEntry]) -> list[Window]:
    """Group `entries` (any order) into dense registration windows, oldest first."""
    ordered = sorted(entries, key=lambda entry: entry.sort_key)
    windows: list[list[IndexEntry]] = []
    for entry in ordered:
        current = windows[-1] if windows else None
        if current and _dense(snapshot, current[0], entry, len(current) + 1):
            current.append(entry)
        else:
            windows.append([entry])
    return [Window(tuple(window)) for window in windows]


def _dense(snapshot: IndexSnapshot, first: IndexEntry, last: IndexEntry, wanted: int) -> bool:
    return snapshot.count_between(first.registered, last.registered) <= 2 * wanted + SLACK


async def _one(client: WebServicesClient, login: int) -> Trader | None:
    try:
        return await client.get_trader(login)
    except TraderNotFound:
        return None


async def _window(client: WebServicesClient, window: Window) -> dict[int, Trader]:
    wanted = {entry.login for entry in window.entries}
    start, end = window.entries[0].registered, window.entries[-1].registered + ONE_MS
    traders = await client.list_traders(start, end)
    return {trader.login: trader for trader in traders if trader.login in wanted}


async def load_traders(
    client: WebServicesClient, index: TraderIndex, logins: Sequence[int]
) -> list[Trader | BaseException | None]:
    """The loader's batch function: one slot per login, None for a login that does not exist."""
    if len(logins) == 1:
        return [await _one(client, logins[0])]
    snapshot = await index.snapshot(client)
    known = [snapshot.by_login[login] for login in logins if login in snapshot.by_login]
    unknown = [login for login in logins if login not in snapshot.by_login]
    windows = await asyncio.gather(*(_window(client, w) for w in plan_windows(snapshot, known)))
    singles = await asyncio.gather(*(_one(client, login) for login in unknown))
    found: dict[int, Trader | None] = {}
    for window in windows:
        found.update(window)
    found.update(zip(unknown, singles, strict=True))
    return slots_by_key(logins, found, None)
