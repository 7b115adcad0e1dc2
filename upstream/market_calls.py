"""Reference data and position grids (3.12-3.14, 3.27, 3.28)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from upstream import decode, grids
from upstream.base import ClientBase
from upstream.calls import Answer, Call
from upstream.listing import windows
from upstream.position_grid import PositionGrid
from upstream.records import ClosedDeal, OpenPosition, Symbol, TraderGroup
from upstream.times import format_query_time

Query = tuple[tuple[str, str], ...]
R = TypeVar("R")


class MarketCalls(ClientBase):
    async def trader_groups(self) -> tuple[TraderGroup, ...]:
        call = Call("GET", "/v2/webserv/tradergroups")
        return await self._read(call, decode.trader_groups)

    async def open_positions(self, login: int | None = None) -> tuple[OpenPosition, ...]:
        query: Query = () if login is None else (("login", str(login)),)
        call = Call("GET", "/v2/webserv/openPositions", query=query, answer=Answer.GRID)
        return await self._grid(call, grids.open_positions, shared="rows")

    async def open_position_grid(self) -> PositionGrid[OpenPosition]:
        """Everyone's open positions (3.13 without `login`), for picking out many traders' rows."""
        call = Call("GET", "/v2/webserv/openPositions", answer=Answer.GRID)
        return await self._grid(
            call, lambda body: grids.open_position_grid(body, call), shared="grid"
        )

    async def closed_positions(
        self, from_: datetime, to: datetime, login: int | None = None
    ) -> tuple[ClosedDeal, ...]:
        """One raw call of 3.14; the upstream refuses windows wider than two days."""
        query: Query = (("from", format_query_time(from_)), ("to", format_query_time(to)))
        query += () if login is None else (("login", str(login)),)
        call = Call("GET", "/v2/webserv/closedPositions", query=query, answer=Answer.GRID)
        return await self._grid(call, grids.closed_deals)

    async def closed_positions_grid(
        self, from_: datetime, to: datetime, parse: Callable[[bytes], R]
    ) -> R:
        """3.14 for every trader the manager sees, its CSV body read by `parse` (a `ShapeError`
        it raises is a `MalformedResponse`): for a caller that makes its own rows of the grid
        (the deal mirror, store/deal_rows.py) instead of `ClosedDeal` records."""
        query: Query = (("from", format_query_time(from_)), ("to", format_query_time(to)))
        call = Call("GET", "/v2/webserv/closedPositions", query=query, answer=Answer.GRID)
        return await self._grid(call, parse)

    async def closed_positions_window(
        self, from_: datetime, to: datetime, login: int | None = None
    ) -> tuple[ClosedDeal, ...]:
        """Any window, split into consecutive windows the upstream accepts, oldest first."""
        deals: list[ClosedDeal] = []
        for start, end in windows(from_, to, self._config.closed_positions_window):
            deals.extend(await self.closed_positions(start, end, login))
        return tuple(deals)

    async def symbols(self) -> tuple[Symbol, ...]:
        call = Call("GET", "/v2/webserv/symbols")
        return await self._read(call, decode.symbols)

    async def deposit_assets(self) -> tuple[str, ...]:
        call = Call("GET", "/v2/webserv/depositAssets")
        return await self._read(call, lambda f: tuple(decode.text_items(f, "depositAsset")))
