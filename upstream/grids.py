"""The CSV grids of 3.13 (open positions) and 3.14 (closed positions), parsed exactly.

The header row is checked against the reference's column order, so a reordered or renamed column
is a `ShapeError` rather than prices silently read as volumes. Numbers go from their text
straight to `Decimal`. A grid without quotes, carriage returns or NULs (what the upstream sends:
numbers, times, symbols and flags) is split on its newlines and commas directly, which gives the
cells the `csv` module would, at half its cost; any other grid goes through `csv`. Everyone's
open positions (`open_position_grid`, read whole for every page) go further: a plain grid's
lines are counted for commas in C and kept as text, and only the lines of the traders asked about
are ever split (`PositionGrid`).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from typing import TypeVar

from upstream.calls import Call
from upstream.enums import BookType, Direction
from upstream.fields import ShapeError, as_enum, as_flag, as_integer, parse_decimal
from upstream.position_grid import Line, PositionGrid
from upstream.records import ClosedDeal, OpenPosition
from upstream.times import parse_grid_time

Row = dict[str, str]
E = TypeVar("E", bound=StrEnum)

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
    text = _text(body)
    if not _plain(text):
        return PositionGrid(_checked(_rows(text), OPEN_COLUMNS), _open_position, call)
    return PositionGrid.plain(_plain_lines(text, OPEN_COLUMNS), _open_position, call)


def closed_deals(body: bytes) -> tuple[ClosedDeal, ...]:
    return tuple(_closed_deal(line) for line in grid_lines(body, CLOSED_COLUMNS))


def _text(body: bytes) -> str:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ShapeError("the grid is not UTF-8 CSV") from None
    return text.replace("\r\n", "\n") if "\r" in text else text


def _plain(text: str) -> bool:
    """Whether every comma separates cells and every newline lines, as `csv` would read them."""
    return '"' not in text and "\r" not in text and "\x00" not in text


def _rows(text: str) -> list[list[str]]:
    """The grid's non-empty lines, split into cells."""
    if not _plain(text):
        try:
            return [line for line in csv.reader(io.StringIO(text)) if line]
        except csv.Error:
            raise ShapeError("the grid is not UTF-8 CSV") from None
    return [line.split(",") for line in text.split("\n") if line]


def _plain_lines(text: str, columns: list[str]) -> list[str]:
    """A plain grid's data lines, as text (`PositionGrid` splits a line when it builds its
    record); the header and the cell count of every line are checked all the same."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if "" in lines:
        lines = list(filter(None, lines))
    if not lines or lines[0].split(",") != columns:
        raise ShapeError("the grid's header is not the expected columns")
    if set(map(str.count, lines, repeat(","))) != {len(columns) - 1}:
        _checked([line.split(",") for line in lines], columns)  # to say which line
    del lines[0]
    return lines


def grid_lines(body: bytes, columns: list[str]) -> list[Line]:
    """The numbered data lines of a grid whose header is `columns` and whose lines fit it."""
    return _checked(_rows(_text(body)), columns)


def _checked(lines: list[list[str]], columns: list[str]) -> list[Line]:
    if not lines or lines[0] != columns:
        raise ShapeError("the grid's header is not the expected columns")
    numbered = list(enumerate(lines[1:], 2))
    if set(map(len, lines)) != {len(columns)}:  # the usual case checked in C; then say where
        for number, line in numbered:
            if len(line) != len(columns):
                raise ShapeError(f"grid line {number} has {len(line)} cells, not {len(columns)}")
    return numbered


def _open_position(line: Line) -> OpenPosition:
    """One row of 3.13 (its cell count checked when the grid arrived), the usual cells read
    by their fast path: plain digits, the enums' values looked up in a dict."""
    login, position, opened, entry, direction, volume, symbol, *rest = line[1]
    commission, swap, book, stake, spread, margin = rest
    return OpenPosition(
        login=_digits(login, "login"),
        position_id=_digits(position, "positionId"),
        open_timestamp=_parsed_time(opened, "openTimestamp"),
        entry_price=parse_decimal(entry, "entryPrice"),
        direction=_member(_DIRECTIONS, direction, Direction, "direction"),
        volume=parse_decimal(volume, "volume"),
        symbol=symbol,
        commission=parse_decimal(commission, "commission"),
        swap=parse_decimal(swap, "swap"),
        book_type=_member(_BOOK_TYPES, book, BookType, "bookType"),
        stake=parse_decimal(stake, "stake") if stake else None,
        spread_betting=as_flag(spread, "spreadBetting"),
        used_margin=parse_decimal(margin, "usedMargin"),
    )


_DIRECTIONS = {member.value: member for member in Direction}
_BOOK_TYPES = {member.value: member for member in BookType}


def _digits(text: str, key: str) -> int:
    return int(text) if text.isdigit() and text.isascii() else as_integer(text, key)


def _member(members: dict[str, E], text: str, kind: type[E], key: str) -> E:
    found = members.get(text)
    return found if found is not None else as_enum(text, kind, key)


def _parsed_time(text: str, key: str) -> datetime:
    try:
        return parse_grid_time(text)
    except ValueError:
        raise ShapeError(f"{key!r} is not a yyyy-MM-ddTHH:mm:ss.SSS time") from None


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
