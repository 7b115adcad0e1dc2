"""The mirror's rows of one closed-positions grid, made straight from its CSV text.

A window's grid is about 1,700 lines. Making each a `ClosedDeal` (two datetimes, nine `Decimal`s,
two enums) and then a dict of 25 columns cost about 50 us a line, most of the backfill's CPU.
So a *plain* grid (the header expected, no quotes, every line of the shape below) is read by one
regular expression over the whole text, in C, and each line becomes a tuple in the column order
of `COLUMNS`: ids as integers, times as epoch milliseconds, the exact values as their own text,
and the summed figures as integer units (store/deal_figures.py). A line is plain when every number
is written as `str(Decimal(text))` writes it back (no exponent, no leading zeros, no spaces), so
the stored text is exactly what the record path stores, and the unit columns have no more
decimals than their unit. Any grid with a line that is not plain, or a value that fails the
figures, goes through the record path instead (`upstream.grids.closed_deals`, then `deal_row`):
the same rows, or the same `ShapeError` / `UnitError` naming the line or deal.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, localcontext

from store.deal_figures import (
    PRECISION,
    USD_PLACES,
    VOLUME_PLACES,
    UnitError,
    cents,
    notional_usd,
    realized_pnl_usd,
    units,
)
from store.deals import deals
from upstream.grids import CLOSED_COLUMNS, closed_deals
from upstream.records import ClosedDeal
from upstream.times import to_epoch_ms

Row = tuple[object, ...]
COLUMNS = tuple(column.name for column in deals.columns)
DAY_MS = 86_400_000
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_INT = r"(-?\d+)"
_TIME = r"(\d{4}-\d\d-\d\d)T((?:[01]\d|2[0-3]):[0-5]\d):([0-5]\d)\.(\d{3})"
_MINUTES = {f"{m // 60:02d}:{m % 60:02d}": m * 60_000 for m in range(24 * 60)}
"""`HH:MM` -> milliseconds since midnight."""


def _number(places: str) -> str:
    """A number `str(Decimal(text))` gives back unchanged, with up to `places` decimals: a
    leading 0 is alone before the point and not followed by six zeros (that is 1E-7 and below)."""
    return rf"(-?(?:[1-9]\d*(?:\.\d{{1,{places}}})?|0(?:\.(?!0{{6}})\d{{1,{places}}})?))"


_ANY, _VOLUME, _USD = _number(""), _number(str(VOLUME_PLACES)), _number(str(USD_PLACES))
_CELLS = [_INT, _INT, _INT, _TIME, _TIME, _ANY, _ANY, "(BUY|SELL)", _VOLUME, r"([^,\n]+)"]
_CELLS += [_USD, _USD, _ANY, _ANY, _ANY, "(BOOK_A|BOOK_B)", f"{_ANY}?", "(true|false)"]
LINE = re.compile("^(?:" + ",".join(_CELLS) + "|(.*))$", re.MULTILINE | re.ASCII)
"""A plain line's 24 cells, else (group 25) any other line's text, else an empty line."""
HEADER = ",".join(CLOSED_COLUMNS)
_SCALE: list[int] = [10**places for places in range(USD_PLACES + 1)]


class NotPlain(Exception):
    """This grid is read through the record path."""


def mirror_rows(body: bytes) -> list[Row]:
    """The grid's rows for tg_deals, in `COLUMNS` order (`ShapeError`, `UnitError` as above)."""
    try:
        return _plain_rows(body)
    except NotPlain:
        return [_record_row(deal) for deal in closed_deals(body)]


def _plain_rows(body: bytes) -> list[Row]:
    try:
        text = body.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise NotPlain from None
    header, _, data = text.partition("\n")
    if header != HEADER or '"' in text or "\r" in text or "\x00" in text:
        raise NotPlain
    days = _Days()
    rows: list[Row] = []
    try:
        with localcontext() as context:
            context.prec = PRECISION
            for cells in LINE.findall(data):
                if cells[24]:
                    rows += _record_rows(cells[24])
                elif cells[0]:
                    rows.append(_row(cells, days))
    except (ArithmeticError, ValueError):  # ShapeError and UnitError are ValueErrors
        raise NotPlain from None  # the record path says which line or deal
    return rows


def _record_rows(line: str) -> list[Row]:
    """A line that is not plain, read as a grid of its own by the record path."""
    return [_record_row(deal) for deal in closed_deals(f"{HEADER}\n{line}".encode())]


class _Days(dict[str, int]):
    """`yyyy-MM-dd` -> epoch milliseconds of its midnight, computed (and checked) once."""

    def __missing__(self, day: str) -> int:
        at = self[day] = (date.fromisoformat(day).toordinal() - _EPOCH_DAY) * DAY_MS
        return at


def _row(cells: tuple[str, ...], days: _Days) -> Row:
    (login, position, deal, o_day, o_minute, o_s, o_ms, c_day, c_minute, c_s, c_ms, entry, close,
     direction, volume, symbol, commission, swap, pnl, deposit_rate, usd_rate, book, stake, spread,
     _) = cells  # fmt: skip
    close_ms = days[c_day] + _MINUTES[c_minute] + int(c_s + c_ms)
    amount, usd, profit = Decimal(volume), Decimal(usd_rate), Decimal(pnl)
    rate = Decimal(deposit_rate)
    if rate <= 0:
        raise UnitError("depositConversionRate is not positive")
    vw, _, vf = volume.partition(".")
    cw, _, cf = commission.partition(".")
    sw, _, sf = swap.partition(".")
    return (
        int(deal), int(position), int(login), symbol, direction,
        days[o_day] + _MINUTES[o_minute] + int(o_s + o_ms), close_ms, close_ms // DAY_MS,
        entry, close, volume, commission, swap, pnl, deposit_rate, usd_rate, book,
        stake or None, spread == "true",
        int(vw + vf) * _SCALE[VOLUME_PLACES - len(vf)],
        int(cw + cf) * _SCALE[USD_PLACES - len(cf)],
        int(sw + sf) * _SCALE[USD_PLACES - len(sf)],
        cents(amount * usd),
        cents(profit * usd / rate),
        1 if profit > 0 else 0,
    )  # fmt: skip


def _record_row(deal: ClosedDeal) -> Row:
    row = deal_row(deal)
    return tuple(row[column] for column in COLUMNS)


def deal_row(deal: ClosedDeal) -> dict[str, object]:
    """The mirror's row of one parsed grid row (`UnitError` when a value cannot be held
    exactly): the record path, and the definition the plain path is tested against."""
    close_ms = to_epoch_ms(deal.close_timestamp)
    return {
        "deal_id": deal.deal_id,
        "position_id": deal.position_id,
        "login": deal.login,
        "symbol": deal.symbol,
        "direction": deal.direction.value,
        "open_ms": to_epoch_ms(deal.open_timestamp),
        "close_ms": close_ms,
        "close_day": close_ms // DAY_MS,
        "entry_price": str(deal.entry_price),
        "close_price": str(deal.close_price),
        "volume": str(deal.volume),
        "commission": str(deal.commission),
        "swap": str(deal.swap),
        "pnl": str(deal.pnl),
        "deposit_conversion_rate": str(deal.deposit_conversion_rate),
        "usd_conversion_rate": str(deal.usd_conversion_rate),
        "book_type": deal.book_type.value,
        "stake": None if deal.stake is None else str(deal.stake),
        "spread_betting": deal.spread_betting,
        "volume_units": units(deal.volume, VOLUME_PLACES, "volume", deal.deal_id),
        "commission_units": units(deal.commission, USD_PLACES, "commission", deal.deal_id),
        "swap_units": units(deal.swap, USD_PLACES, "swap", deal.deal_id),
        "notional_usd_cents": cents(notional_usd(deal)),
        "realized_pnl_usd_cents": cents(realized_pnl_usd(deal)),
        "winning": 1 if deal.pnl > 0 else 0,
    }
