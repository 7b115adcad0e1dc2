"""Open and closed positions for many traders in one call per window, not one per trader.

The position grids (reference §3.13, §3.14) take an optional `login`: for one trader we pass it,
for several we ask for everyone's and keep the rows of the traders asked for. Closed positions
are asked per window; the client splits a window into the upstream's 2-day windows, so a page of
traders over 30 days costs 15 calls whatever the page size, and nothing when the deal mirror
holds the window (history/).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from history.mirror import HistoryMirror
from resolvers.batching import Once
from upstream.client import WebServicesClient
from upstream.position_grid import PositionGrid
from upstream.records import ClosedDeal, OpenPosition


class _HasLogin(Protocol):
    @property
    def login(self) -> int: ...


R = TypeVar("R", bound=_HasLogin)


@dataclass(frozen=True, slots=True)
class ClosedKey:
    """Closed deals of `login` whose close time is in [start, end)."""

    login: int
    start: datetime
    end: datetime


def by_login(rows: Iterable[R], logins: Sequence[int]) -> list[tuple[R, ...]]:
    """The rows of each login, in grid order; a login without rows gets an empty tuple."""
    grouped: defaultdict[int, list[R]] = defaultdict(list)
    for row in rows:
        grouped[row.login].append(row)
    return [tuple(grouped.get(login, ())) for login in logins]


async def load_open_positions(
    client: WebServicesClient, everyone: Once[PositionGrid[OpenPosition]], logins: Sequence[int]
) -> list[tuple[OpenPosition, ...] | BaseException]:
    """One trader: its own grid. Several: everyone's grid, shared with the request's filters,
    whose rows become records only for the logins asked (a bad row fails only its trader)."""
    if len(logins) == 1:
        return list(by_login(await client.open_positions(logins[0]), logins))
    grid = await everyone.get()
    return [_records_of(grid, login) for login in logins]


def _records_of(grid: PositionGrid[R], login: int) -> tuple[R, ...] | BaseException:
    try:
        return grid.records_of(login)
    except Exception as error:  # this trader's rows are bad: its slot carries the failure
        return error


async def _closed_window(
    client: WebServicesClient,
    mirror: HistoryMirror,
    start: datetime,
    end: datetime,
    logins: Sequence[int],
) -> list[tuple[ClosedDeal, ...]]:
    if mirror.holds(start, end):
        return by_login(await mirror.deals_of(logins, start, end), logins)
    login = logins[0] if len(logins) == 1 else None
    return by_login(await client.closed_positions_window(start, end, login), logins)


async def load_closed_deals(
    client: WebServicesClient, mirror: HistoryMirror, keys: Sequence[ClosedKey]
) -> list[tuple[ClosedDeal, ...] | BaseException]:
    """Group the keys by window; a window the deal mirror holds is read from it (no upstream
    call, docs/history.md); a failing window fails only its own keys."""
    windows: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for key in keys:
        windows[(key.start, key.end)].append(key.login)
    answers: dict[ClosedKey, tuple[ClosedDeal, ...] | BaseException] = {}
    for (start, end), logins in windows.items():
        try:
            rows = await _closed_window(client, mirror, start, end, logins)
        except Exception as error:  # this window's keys carry the failure
            answers.update((ClosedKey(login, start, end), error) for login in logins)
            continue
        answers.update(
            (ClosedKey(login, start, end), deals) for login, deals in zip(logins, rows, strict=True)
        )
    return [answers[key] for key in keys]
