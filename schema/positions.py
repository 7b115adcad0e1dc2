"""Open positions and closed positions (one row per closing deal) of a trader.

The grid's money columns are plain decimals in the upstream's units: commission and swap in
USD, P&L and used margin in the account's deposit currency, volume in base-asset units.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

import strawberry

from upstream.records import ClosedDeal, OpenPosition


@strawberry.enum(description="BUY is long, SELL is short.")
class Direction(Enum):
    BUY = "BUY"
    SELL = "SELL"


@strawberry.enum(description="Whether the broker hedges (A book) or keeps (B book) the risk.")
class BookType(Enum):
    BOOK_A = "BOOK_A"
    BOOK_B = "BOOK_B"


_DIRECTIONS = {member.value: member for member in Direction}
_BOOK_TYPES = {member.value: member for member in BookType}
"""The schema's enums by value: a dict look-up per row, where calling the enum costs more."""


@strawberry.type(description="A position still open.")
class Position:
    position_id: int
    login: int
    symbol: str
    direction: Direction
    volume: Decimal = strawberry.field(description="Base-asset units, e.g. 1000.00.")
    entry_price: Decimal
    opened_at: datetime
    commission: Decimal = strawberry.field(description="USD.")
    swap: Decimal = strawberry.field(description="USD.")
    used_margin: Decimal = strawberry.field(description="Deposit currency.")
    book_type: BookType
    stake: Decimal | None = strawberry.field(description="Spread-betting stake.")
    spread_betting: bool

    @classmethod
    def of(cls, row: OpenPosition) -> Position:
        return cls(
            position_id=row.position_id,
            login=row.login,
            symbol=row.symbol,
            direction=_DIRECTIONS[row.direction.value],
            volume=row.volume,
            entry_price=row.entry_price,
            opened_at=row.open_timestamp,
            commission=row.commission,
            swap=row.swap,
            used_margin=row.used_margin,
            book_type=_BOOK_TYPES[row.book_type.value],
            stake=row.stake,
            spread_betting=row.spread_betting,
        )


@strawberry.type(
    description="One closing deal of a position (a position closed in parts has several)."
)
class ClosedPosition:
    position_id: int
    deal_id: int
    login: int
    symbol: str
    direction: Direction
    volume: Decimal = strawberry.field(description="Base-asset units closed by this deal.")
    entry_price: Decimal = strawberry.field(description="VWAP of the volume this deal closed.")
    close_price: Decimal
    opened_at: datetime
    closed_at: datetime
    commission: Decimal = strawberry.field(description="USD.")
    swap: Decimal = strawberry.field(description="USD.")
    pnl: Decimal = strawberry.field(description="Net realised P&L, deposit currency.")
    deposit_conversion_rate: Decimal
    usd_conversion_rate: Decimal
    book_type: BookType
    stake: Decimal | None
    spread_betting: bool

    @classmethod
    def of(cls, row: ClosedDeal) -> ClosedPosition:
        return cls(
            position_id=row.position_id,
            deal_id=row.deal_id,
            login=row.login,
            symbol=row.symbol,
            direction=_DIRECTIONS[row.direction.value],
            volume=row.volume,
            entry_price=row.entry_price,
            close_price=row.close_price,
            opened_at=row.open_timestamp,
            closed_at=row.close_timestamp,
            commission=row.commission,
            swap=row.swap,
            pnl=row.pnl,
            deposit_conversion_rate=row.deposit_conversion_rate,
            usd_conversion_rate=row.usd_conversion_rate,
            book_type=_BOOK_TYPES[row.book_type.value],
            stake=row.stake,
            spread_betting=row.spread_betting,
        )
