"""The CSV grids of 3.13 (open positions) and 3.14 (closed positions), parsed exactly.

The header row is checked against the reference's column order, so a reordered or renamed column
is a `ShapeError` rather than prices silently read as volumes. Numbers go from their text
straight to `Decimal`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from upstream.calls import Call
from upstream.enums import BookType, Direction
from upstream.fields import ShapeError, as_enum, as_flag, as_integer, parse_decimal
from upstream.position_grid import Line, PositionGrid
from upstream.records import ClosedDeal, OpenPosition
from upstream.times import parse_grid_time

Row = dict[str, str]

OPEN_COLUMNS = [
    "login",
    "positionId",
    "openTimestamp",
    "entryPrice",
    "direction",
    "volume",
    "symbol",
    "commission",
    "swap",
    "bookType",
    "stake",
    "spreadBetting",
    "usedMargin",
]
CLOSED_COLUMNS = [
    "login",
    "positionId",
    "dealId",
    "openTimestamp",
    "closeTimestamp",
    "entryPrice",
    "closePrice",
    "direction",
    "volume",
    "symbol",
    "commission",
    "swap",
    "pnl",
    "depositConversionRate",
    "usdConversionRate",
    "bookType",
    "stake",
    "spreadBetting",
]


def open_positions(body: bytes) -> tuple[OpenPosition, ...]:
    return tuple(_open_position(line) for line in grid_lines(body, OPEN_COLUMNS))


def open_position_grid(body: bytes, call: Call) -> PositionGrid[OpenPosition]:
    """Everyone's open positions, made records only for the logins asked (`PositionGrid`)."""
    return PositionGrid(grid_lines(body, OPEN_COLUMNS), _open_position, call)


def closed_deals(body: bytes) -> tuple[ClosedDeal, ...]:
    return tuple(_closed_deal(line) for line in grid_lines(body, CLOSED_COLUMNS))


def grid_lines(body: bytes, columns: list[str]) -> list[Line]:
    """The numbered data lines of a grid whose header is `columns` and whose lines fit it."""
    try:
        lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        raise ShapeError("the grid is not UTF-8 CSV") from None
    lines = [line for line in lines if line]
    if not lines or lines[0] != columns:
        raise ShapeError("the grid's header is not the expected columns")
    numbered = list(enumerate(lines[1:], 2))
    for number, line in numbered:
        if len(line) != len(columns):
            raise ShapeError(f"grid line {number} has {len(line)} cells, not {len(columns)}")
    return numbered


def _open_position(line: Line) -> OpenPosition:
    row = dict(zip(OPEN_COLUMNS, line[1], strict=True))
    return OpenPosition(
        login=_int(row, "login"),
        position_id=_int(row, "positionId"),
        open_timestamp=_time(row, "openTimestamp"),
        entry_price=_dec(row, "entryPrice"),
        direction=as_enum(row["direction"], Direction, "direction"),
        volume=_dec(row, "volume"),
        symbol=row["symbol"],
        commission=_dec(row, "commission"),
        swap=_dec(row, "swap"),
        book_type=as_enum(row["bookType"], BookType, "bookType"),
        stake=_dec(row, "stake") if row["stake"] else None,
        spread_betting=as_flag(row["spreadBetting"], "spreadBetting"),
        used_margin=_dec(row, "usedMargin"),
    )


def _closed_deal(line: Line) -> ClosedDeal:
    row = dict(zip(CLOSED_COLUMNS, line[1], strict=True))
    return ClosedDeal(
        login=_int(row, "login"),
        position_id=_int(row, "positionId"),
        deal_id=_int(row, "dealId"),
        open_timestamp=_time(row, "openTimestamp"),
        close_timestamp=_time(row, "closeTimestamp"),
        entry_price=_dec(row, "entryPrice"),
        close_price=_dec(row, "closePrice"),
        direction=as_enum(row["direction"], Direction, "direction"),
        volume=_dec(row, "volume"),
        symbol=row["symbol"],
        commission=_dec(row, "commission"),
        swap=_dec(row, "swap"),
        pnl=_dec(row, "pnl"),
        deposit_conversion_rate=_dec(row, "depositConversionRate"),
        usd_conversion_rate=_dec(row, "usdConversionRate"),
        book_type=as_enum(row["bookType"], BookType, "bookType"),
        stake=_dec(row, "stake") if row["stake"] else None,
        spread_betting=as_flag(row["spreadBetting"], "spreadBetting"),
    )


def _time(row: Row, key: str) -> datetime:
    try:
        return parse_grid_time(row[key])
    except ValueError:
        raise ShapeError(f"{key!r} is not a yyyy-MM-ddTHH:mm:ss.SSS time") from None


def _dec(row: Row, key: str) -> Decimal:
    return parse_decimal(row[key], key)


def _int(row: Row, key: str) -> int:
    return as_integer(row[key], key)
