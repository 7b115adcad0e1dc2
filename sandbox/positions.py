"""Positions: opened and closed through the control API, read through the two grids (§3.13, §3.14).

Prices and rates are static (catalog.USD_RATES): a position is marked at its entry price while
open; closing it (wholly or in part, one closing deal per call) realises
`(closePrice - entryPrice) * volume * (+1 BUY / -1 SELL)` in the quote asset, converted to the
deposit asset, into the balance, and releases the matching share of its used margin.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import catalog, models
from sandbox.db import next_id
from sandbox.exceptions import InvalidRequest
from sandbox.money import daily_equity
from sandbox.traders import load

P = models.positions
T = models.traders


@dataclass(frozen=True)
class SymbolInfo:
    name: str
    base: str
    quote: str
    digits: int
    price: Decimal


async def symbol_info(connection: AsyncConnection, name: str) -> SymbolInfo:
    row = (
        await connection.execute(select(models.symbols).where(models.symbols.c.name == name))
    ).first()
    if row is None:
        raise InvalidRequest(f"Unknown symbol '{name}'")
    return SymbolInfo(
        str(row.name),
        str(row.base_asset),
        str(row.quote_asset),
        int(row.digits),
        Decimal(row.price),
    )


def rate(from_asset: str, to_asset: str) -> Decimal:
    return catalog.USD_RATES[from_asset] / catalog.USD_RATES[to_asset]


def to_units(amount: Decimal, digits: int) -> int:
    return int(amount.scaleb(digits).to_integral_value(ROUND_HALF_EVEN))


def margin(volume: Decimal, symbol: SymbolInfo, currency: str, leverage_in_cents: int) -> Decimal:
    return volume * rate(symbol.base, currency) * 100 / leverage_in_cents


@dataclass(frozen=True)
class OpenRequest:
    login: int
    symbol: str
    direction: str
    volume: Decimal
    entry_price: Decimal | None


async def open_position(connection: AsyncConnection, request: OpenRequest, now: int) -> int:
    trader = await load(connection, request.login)
    symbol = await symbol_info(connection, request.symbol)
    if request.direction not in ("BUY", "SELL") or request.volume <= 0:
        raise InvalidRequest("direction must be BUY or SELL and volume positive")
    price = request.entry_price or symbol.price
    used = to_units(
        margin(request.volume, symbol, trader.deposit_currency, trader.leverage_in_cents),
        trader.money_digits,
    )
    position_id = await next_id(connection, P.c.position_id, catalog.FIRST_POSITION_ID)
    await connection.execute(
        insert(P).values(
            position_id=position_id,
            login=trader.login,
            symbol=symbol.name,
            direction=request.direction,
            volume=str(request.volume.quantize(Decimal("0.01"))),
            entry_price=str(price),
            open_ms=now,
            used_margin=used,
            commission="0.00",
            swap="0.00",
            book_type="BOOK_B",
            is_open=True,
        )
    )
    await connection.execute(
        update(T)
        .where(T.c.login == trader.login)
        .values(
            used_margin=T.c.used_margin + used,
            open_positions=T.c.open_positions + 1,
            last_deal_ms=now,
            last_update_ms=now,
        )
    )
    return position_id


@dataclass(frozen=True)
class ClosedDeal:
    deal_id: int
    position_id: int
    volume: Decimal
    close_price: Decimal
    pnl: Decimal


async def close_position(
    connection: AsyncConnection,
    position_id: int,
    volume: Decimal | None,
    close_price: Decimal | None,
    now: int,
) -> ClosedDeal:
    row = (await connection.execute(select(P).where(P.c.position_id == position_id))).first()
    if row is None or not row.is_open:
        raise InvalidRequest(f"No open position {position_id}")
    trader = await load(connection, int(row.login))
    symbol = await symbol_info(connection, str(row.symbol))
    open_volume = Decimal(row.volume)
    closing = open_volume if volume is None else volume
    if closing <= 0 or closing > open_volume:
        raise InvalidRequest("volume must be positive and at most the open volume")
    price = close_price or symbol.price
    sign = 1 if row.direction == "BUY" else -1
    pnl_quote = (price - Decimal(row.entry_price)) * closing * sign
    pnl = (pnl_quote * rate(symbol.quote, trader.deposit_currency)).quantize(
        Decimal(1).scaleb(-trader.money_digits), ROUND_HALF_EVEN
    )
    remaining = open_volume - closing
    released = (
        int(row.used_margin) if remaining == 0 else int(row.used_margin * closing / open_volume)
    )
    deal_id = await next_id(connection, models.deals.c.deal_id, catalog.FIRST_DEAL_ID)
    await connection.execute(
        insert(models.deals).values(
            deal_id=deal_id,
            position_id=position_id,
            login=trader.login,
            volume=str(closing.quantize(Decimal("0.01"))),
            close_price=str(price),
            close_ms=now,
            commission="0.00",
            swap="0.00",
            pnl=str(pnl),
            deposit_conversion_rate=str(
                rate(symbol.base, trader.deposit_currency).quantize(Decimal("0.00001"))
            ),
            usd_conversion_rate=str(rate(symbol.base, "USD").quantize(Decimal("0.00001"))),
        )
    )
    await connection.execute(
        update(P)
        .where(P.c.position_id == position_id)
        .values(
            volume=str(remaining.quantize(Decimal("0.01"))),
            used_margin=P.c.used_margin - released,
            is_open=remaining > 0,
        )
    )
    realised = to_units(pnl, trader.money_digits)
    await connection.execute(
        update(T)
        .where(T.c.login == trader.login)
        .values(
            {
                T.c.balance: T.c.balance + realised,
                T.c.used_margin: T.c.used_margin - released,
                T.c.open_positions: T.c.open_positions - (0 if remaining > 0 else 1),
                T.c.last_deal_ms: now,
                T.c.last_update_ms: now,
                **daily_equity(realised, now),
            }
        )
    )
    return ClosedDeal(deal_id, position_id, closing, price, pnl)
