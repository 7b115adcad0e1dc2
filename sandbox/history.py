"""The seeded trading history: each trader's closed positions in the last N days (docs/sandbox.md).

A trader's history comes from its own `random.Random(f"history:{seed}:{login}")`, so it never
shifts the seed's other data, and it is drawn backwards from the anchor, so the last k days are the
same whatever N is (only deal and position ids move). A profile says how often the trader closes a
position (none for ~40 %, a few a week for ~45 %, one to four each weekday for ~15 %), in which
symbols, how large and for how long. Positions close on weekdays only; ~10 % close in two deals.

Each closing deal is consistent with the reference's grid (§3.14): prices on the market's path
(sandbox/market.py), `usdConversionRate` = base asset -> USD and `depositConversionRate` = base
asset -> deposit asset at the close (at least 5 decimals and 6 significant digits), `commission`
(USD, negative: a charge, round turn per million USD of notional) and `swap` (USD, per 22:00 UTC
rollover held; 0 on swap-free accounts), and `pnl` in the deposit asset rounded half-even to its
moneyDigits: `(closePrice - entryPrice) x volume x (+1 BUY / -1 SELL) x depositConversionRate /
closePrice`, computed from the row's own values.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from sandbox import catalog
from sandbox.clock import DAY_MS
from sandbox.market import Market

Row = dict[str, object]
SYMBOLS = catalog.SYMBOLS
SYMBOL_WEIGHTS = [30, 15, 15, 8, 7, 15, 10]
ROLLOVER_MS = 22 * 3_600_000
CENT = Decimal("0.01")
QUANTUM = {digits: Decimal(1).scaleb(-digits) for digits in range(10)}
# Swap per night in hundredths of a basis point of the notional: (long, short).
SWAP = {
    "EURUSD": (-60, 20), "GBPUSD": (-40, 5), "USDJPY": (90, -210), "AUDUSD": (-30, 0),
    "EURGBP": (-50, 10), "XAUUSD": (-110, 40), "BTCUSD": (-500, -500),
}  # fmt: skip
# Units of the base asset in one unit of a profile's lot: FX in currency units, gold in ounces.
UNITS = {"XAU": Decimal("0.001"), "BTC": Decimal("0.00001")}


@dataclass(frozen=True)
class Window:
    """The weekdays of the last `days` days before `anchor`, newest first."""

    anchor: int
    days: int
    weekdays: tuple[int, ...]

    @classmethod
    def before(cls, anchor: int, days: int) -> Window:
        starts = (anchor - (k + 1) * DAY_MS for k in range(days))
        return cls(anchor, days, tuple(s for s in starts if (s // DAY_MS + 3) % 7 < 5))

    def close_time(self, trading_ms: int) -> int | None:
        """The moment `trading_ms` of weekday trading time before the anchor, if in the window."""
        index = trading_ms // DAY_MS
        if index >= len(self.weekdays):
            return None
        return self.weekdays[index] + DAY_MS - 1 - trading_ms % DAY_MS

    def day(self, ms: int) -> int:
        return (self.anchor - 1 - ms) // DAY_MS


@dataclass(frozen=True)
class Profile:
    per_weekday: float  # closing events per weekday; 0 = inactive
    symbols: tuple[catalog.SymbolSpec, ...]
    lot: Decimal  # typical volume in FX units
    hold_ms: float  # mean time a position stays open
    commission: int  # USD per million USD of notional, per side
    book: str


def profile(rng: random.Random, trader: Row) -> Profile:
    kind = rng.choices(["inactive", "weekly", "daily"], [40, 45, 15])[0]
    per_weekday = {"inactive": 0.0, "weekly": rng.uniform(0.2, 1.0), "daily": rng.uniform(1, 4)}
    weights = list(SYMBOL_WEIGHTS)
    if trader["deposit_currency"] == "BTC":
        weights[-1] *= 6
    favourites = {s.name: s for s in rng.choices(SYMBOLS, weights, k=rng.randint(1, 3))}
    lots = [1000, 10_000, 100_000, 1_000_000]
    lot = rng.choices(lots, [10, 30, 50, 10] if trader["group_id"] == 5 else [35, 40, 22, 3])[0]
    return Profile(
        per_weekday=per_weekday[kind],
        symbols=tuple(favourites.values()),
        lot=Decimal(lot),
        hold_ms=rng.choice([20 * 60_000, 3 * 3_600_000, 36 * 3_600_000]),
        commission=rng.choices([0, 25, 30, 35, 50], [20, 20, 30, 20, 10])[0],
        book=rng.choices(["BOOK_A", "BOOK_B"], [30, 70])[0],
    )


@dataclass
class History:
    """Ids and the things every trader's history shares."""

    seed: int
    market: Market
    window: Window
    position_id: int
    deal_id: int

    def of(self, trader: Row) -> Iterator[tuple[Row, list[Row]]]:
        """The trader's closed positions, each with its closing deals, oldest first."""
        rng = random.Random(f"history:{self.seed}:{trader['login']}")  # noqa: S311 - test data
        closes = list(self._closes(rng, profile(rng, trader), trader))
        account = Account.of(trader)
        for close_ms, drawn in reversed(closes):
            yield self._position(account, close_ms, drawn)
        if closes:
            trader["last_deal_ms"] = max(int(str(trader["last_deal_ms"] or 0)), closes[0][0])

    def _closes(self, rng: random.Random, p: Profile, trader: Row) -> Iterator[tuple[int, Drawn]]:
        if not p.per_weekday:
            return
        floor = max(
            int(str(trader["registration_ms"])), self.window.anchor - self.window.days * DAY_MS
        )
        trading_ms = 0
        while True:
            trading_ms += int(rng.expovariate(p.per_weekday / DAY_MS)) + 1
            close_ms = self.window.close_time(trading_ms)
            if close_ms is None or close_ms < floor:
                return
            yield close_ms, draw(rng, p, trader, (trading_ms, close_ms), self.window, floor)

    def _position(self, account: Account, close_ms: int, d: Drawn) -> tuple[Row, list[Row]]:
        self.position_id += 1
        day, digits = self.window.day, d.spec.digits
        entry = fill(d.noise[0], self.market.mid(d.spec, day(d.open_ms)), digits)
        deals, commission, swap = [], Decimal("0.00"), Decimal("0.00")
        for part, (volume, at) in enumerate(d.parts):
            self.deal_id += 1
            close = fill(d.noise[part + 1], self.market.mid(d.spec, day(at)), digits)
            deal, charged, swapped = self._deal(account, d, (volume, at), entry, close)
            deals.append(deal)
            commission, swap = commission + charged, swap + swapped
        position: Row = {
            "position_id": self.position_id, "login": account.login, "symbol": d.spec.name,
            "direction": d.direction, "volume": "0.00", "entry_price": str(entry),
            "open_ms": d.open_ms, "used_margin": 0, "commission": str(commission),
            "swap": str(swap), "book_type": d.book, "is_open": False,
        }  # fmt: skip
        return position, deals

    def _deal(
        self, account: Account, d: Drawn, part: tuple[Decimal, int], entry: Decimal, close: Decimal
    ) -> tuple[Row, Decimal, Decimal]:
        """The deal's row, its commission and its swap."""
        volume, at = part
        base_usd, deposit_usd = self._usd(d.spec, account.currency, at, close)
        usd_rate, deposit_rate = rate_text(base_usd), rate_text(base_usd / deposit_usd)
        sign = 1 if d.direction == "BUY" else -1
        pnl = (close - entry) * volume * sign * deposit_rate / close
        notional = volume * usd_rate
        nights = (at - ROLLOVER_MS) // DAY_MS - (d.open_ms - ROLLOVER_MS) // DAY_MS
        rate = SWAP[d.spec.name][sign < 0] if account.swaps else 0
        commission = cents(-notional * d.commission * 2 / 1_000_000)
        swap = cents(notional * nights * rate / 1_000_000)
        row = {
            "deal_id": self.deal_id, "position_id": self.position_id, "login": account.login,
            "volume": str(volume), "close_price": str(close), "close_ms": at,
            "commission": str(commission), "swap": str(swap),
            "pnl": str(pnl.quantize(account.quantum, ROUND_HALF_EVEN) + 0),
            "deposit_conversion_rate": str(deposit_rate), "usd_conversion_rate": str(usd_rate),
        }  # fmt: skip
        return row, commission, swap

    def _usd(
        self, spec: catalog.SymbolSpec, deposit: str, at: int, close: Decimal
    ) -> tuple[Decimal, Decimal]:
        """USD values of the base and deposit assets at the close, the close price included."""
        day = self.window.day(at)
        quote_usd = 1 / close if spec.base == "USD" else self.market.value(spec.quote, day)
        base_usd = Decimal(1) if spec.base == "USD" else close * quote_usd
        known = {spec.base: base_usd, spec.quote: quote_usd}
        return base_usd, known.get(deposit) or self.market.value(deposit, day)


@dataclass(frozen=True)
class Account:
    """What a trader's deals need of it, read once."""

    login: object
    currency: str
    quantum: Decimal  # one unit of the deposit asset's last digit
    swaps: bool

    @classmethod
    def of(cls, trader: Row) -> Account:
        digits = int(str(trader["money_digits"]))
        return cls(
            trader["login"],
            str(trader["deposit_currency"]),
            QUANTUM[digits],
            not trader["swap_free"],
        )


@dataclass(slots=True)
class Drawn:
    """What one closed position draws: symbol, side, size, times and fills."""

    spec: catalog.SymbolSpec
    direction: str
    open_ms: int
    parts: tuple[tuple[Decimal, int], ...]  # (volume, close time) per closing deal, oldest first
    noise: tuple[int, ...]  # the entry's and each close's offset from the day's mid, per 10,000
    commission: int
    book: str


def draw(
    rng: random.Random,
    p: Profile,
    trader: Row,
    close: tuple[int, int],
    window: Window,
    floor: int,
) -> Drawn:
    """`close` is the last closing deal's time in trading time and in calendar time."""
    trading_ms, close_ms = close
    spec = p.symbols[rng.randrange(len(p.symbols))] if len(p.symbols) > 1 else p.symbols[0]
    volume = p.lot * rng.choice([1, 1, 1, 2, 3, 5]) * UNITS.get(spec.base, Decimal(1))
    held = int(rng.expovariate(1 / p.hold_ms)) + 60_000
    open_ms = max(close_ms - held, int(str(trader["registration_ms"])))
    parts: tuple[tuple[Decimal, int], ...] = ((volume.quantize(CENT), close_ms),)
    first = (volume / 2).quantize(CENT)
    if rng.random() < 0.1 and 0 < first < volume:
        at = window.close_time(trading_ms + rng.randint(1, held))
        if at is not None and at >= max(open_ms, floor):
            parts = ((first, at), ((volume - first).quantize(CENT), close_ms))
    noise = tuple(int(rng.random() * 51) - 25 for _ in range(len(parts) + 1))
    direction = "BUY" if rng.random() < 0.55 else "SELL"
    return Drawn(spec, direction, open_ms, parts, noise, p.commission, p.book)


def fill(noise: int, mid: Decimal, digits: int) -> Decimal:
    """A fill `noise` ten-thousandths of the mid away from it, at the symbol's digits."""
    return (mid * (10_000 + noise) / 10_000).quantize(QUANTUM[digits])


def rate_text(value: Decimal) -> Decimal:
    """A conversion rate with at least 5 decimals and 6 significant digits."""
    return value.quantize(Decimal(1).scaleb(min(-5, value.adjusted() - 5)), ROUND_HALF_EVEN)


def cents(value: Decimal) -> Decimal:
    """Rounded half-even to cents; `+ 0` turns a negative zero (`-0.00`) into `0.00`."""
    return value.quantize(CENT, ROUND_HALF_EVEN) + 0
