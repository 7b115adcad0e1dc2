"""The open- and closed-position grids (§3.13, §3.14): rows with the reference's column order.

Served as CSV with a header row by default, or as a JSON array of objects with the same keys.
Volumes have 2 decimals, prices the symbol's digits, commission and swap are USD with 2 decimals,
pnl and usedMargin are in the deposit asset with its moneyDigits. Closed positions filter on the
closing deal's time; `to - from` may not exceed 2 days. Each position has one opening deal, so a
closing deal's entryPrice is the position's entry price.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import ColumnElement, RowMapping, Select, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import models
from sandbox.auth import Manager
from sandbox.exceptions import InvalidRequest
from sandbox.jsonvalue import Json, JsonObject
from sandbox.timefmt import format_ms
from sandbox.traders import visibility, visible

P = models.positions
D = models.deals
T = models.traders
TWO_DAYS_MS = 2 * 86_400_000

OPEN_COLUMNS = [
    "login", "positionId", "openTimestamp", "entryPrice", "direction", "volume", "symbol",
    "commission", "swap", "bookType", "stake", "spreadBetting", "usedMargin",
]  # fmt: skip
CLOSED_COLUMNS = [
    "login", "positionId", "dealId", "openTimestamp", "closeTimestamp", "entryPrice", "closePrice",
    "direction", "volume", "symbol", "commission", "swap", "pnl", "depositConversionRate",
    "usdConversionRate", "bookType", "stake", "spreadBetting",
]  # fmt: skip


def _money(value: int | str, digits: int) -> Decimal:
    if isinstance(value, int):
        return Decimal(value).scaleb(-digits)
    return Decimal(value).quantize(Decimal(1).scaleb(-digits))


async def _scope(
    connection: AsyncConnection, manager: Manager, login: int | None
) -> list[ColumnElement[bool]]:
    if login is not None:
        await visible(connection, manager, login)
        return [T.c.login == login]
    return list(visibility(manager))


def _base(columns: Select[tuple[object, ...]]) -> Select[tuple[object, ...]]:
    return columns.join(T, T.c.login == P.c.login).join(
        models.symbols, models.symbols.c.name == P.c.symbol
    )


async def open_rows(
    connection: AsyncConnection, manager: Manager, login: int | None
) -> list[JsonObject]:
    scope = await _scope(connection, manager, login)
    query = _base(select(P, T.c.money_digits, T.c.account_type, models.symbols.c.digits))
    query = query.where(P.c.is_open, *scope).order_by(P.c.position_id)
    return [_open_row(row._mapping) for row in await connection.execute(query)]


def _open_row(m: RowMapping) -> JsonObject:
    return {
        "login": int(m["login"]),
        "positionId": int(m["position_id"]),
        "openTimestamp": format_ms(int(m["open_ms"])),
        "entryPrice": _money(str(m["entry_price"]), int(m["digits"])),
        "direction": str(m["direction"]),
        "volume": Decimal(str(m["volume"])),
        "symbol": str(m["symbol"]),
        "commission": Decimal(str(m["commission"])),
        "swap": Decimal(str(m["swap"])),
        "bookType": str(m["book_type"]),
        "stake": Decimal("0.00"),
        "spreadBetting": m["account_type"] == "SPREAD_BETTING",
        "usedMargin": _money(int(m["used_margin"]), int(m["money_digits"])),
    }


async def closed_rows(
    connection: AsyncConnection, manager: Manager, window: tuple[int, int], login: int | None
) -> list[JsonObject]:
    start, end = window
    if end < start or end - start > TWO_DAYS_MS:
        raise InvalidRequest("'to' must be after 'from' and at most 2 days later")
    scope = await _scope(connection, manager, login)
    query = _base(
        select(
            D,
            P.c.open_ms,
            P.c.entry_price,
            P.c.direction,
            P.c.symbol,
            P.c.book_type,
            T.c.money_digits,
            T.c.account_type,
            models.symbols.c.digits,
        ).join(P, P.c.position_id == D.c.position_id)
    )
    query = query.where(D.c.close_ms >= start, D.c.close_ms < end, *scope)
    if login is not None:
        query = query.where(D.c.login == login)  # so the (login, close_ms) index serves it
    query = query.order_by(D.c.close_ms, D.c.deal_id)
    return [_closed_row(row._mapping) for row in await connection.execute(query)]


def _closed_row(m: RowMapping) -> JsonObject:
    digits = int(m["digits"])
    return {
        "login": int(m["login"]),
        "positionId": int(m["position_id"]),
        "dealId": int(m["deal_id"]),
        "openTimestamp": format_ms(int(m["open_ms"])),
        "closeTimestamp": format_ms(int(m["close_ms"])),
        "entryPrice": _money(str(m["entry_price"]), digits),
        "closePrice": _money(str(m["close_price"]), digits),
        "direction": str(m["direction"]),
        "volume": Decimal(str(m["volume"])),
        "symbol": str(m["symbol"]),
        "commission": Decimal(str(m["commission"])),
        "swap": Decimal(str(m["swap"])),
        "pnl": _money(str(m["pnl"]), int(m["money_digits"])),
        "depositConversionRate": Decimal(str(m["deposit_conversion_rate"])),
        "usdConversionRate": Decimal(str(m["usd_conversion_rate"])),
        "bookType": str(m["book_type"]),
        "stake": Decimal("0.00"),
        "spreadBetting": m["account_type"] == "SPREAD_BETTING",
    }


def to_csv(columns: list[str], rows: list[JsonObject]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return out.getvalue()


def _cell(value: Json) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
