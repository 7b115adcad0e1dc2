"""The seeded history's market: a daily USD value per asset, walked back from the catalog's rates.

Day 0 is the day before the seed's anchor, day k the k-th day before that. Day 0 ends at
`catalog.USD_RATES` (today's static rates); each day before it differs from the next by a random
step of the asset's daily volatility, drawn from `random.Random(f"market:{seed}:{asset}")`, so
the path of the last k days is the same whatever the history's length. Exact decimals throughout:
a step is a whole number of hundredths of a basis point.
"""

from __future__ import annotations

import random
from decimal import Decimal

from sandbox import catalog

# Daily volatility in hundredths of a basis point (40_00 = 0.40 %), roughly the real ones.
VOLATILITY: dict[str, int] = {
    "EUR": 40_00, "GBP": 50_00, "JPY": 55_00, "AUD": 65_00, "XAU": 90_00, "BTC": 300_00,
}  # fmt: skip
STEP = Decimal("0.000001")
SIGNIFICANT = 12


class Market:
    def __init__(self, seed: int, days: int) -> None:
        self.days = days
        self.usd: dict[str, list[Decimal]] = {"USD": [Decimal(1)] * days}
        self._mids: dict[tuple[str, int], Decimal] = {}
        for asset, volatility in VOLATILITY.items():
            rng = random.Random(f"market:{seed}:{asset}")  # noqa: S311 - reproducible test data
            self.usd[asset] = _walk(rng, catalog.USD_RATES[asset], volatility, days)

    def value(self, asset: str, day: int) -> Decimal:
        """USD value of one unit of `asset` on `day` (days past the path repeat its oldest)."""
        return self.usd[asset][min(day, self.days - 1)]

    def mid(self, spec: catalog.SymbolSpec, day: int) -> Decimal:
        """The symbol's price on `day`, at its digits (remembered: every deal of the day asks)."""
        key = (spec.name, min(day, self.days - 1))
        if key not in self._mids:
            price = self.value(spec.base, day) / self.value(spec.quote, day)
            self._mids[key] = price.quantize(Decimal(1).scaleb(-spec.digits))
        return self._mids[key]


def _walk(rng: random.Random, today: Decimal, volatility: int, days: int) -> list[Decimal]:
    """Uniform steps of +-sqrt(3) x volatility have the volatility as standard deviation."""
    reach = volatility * 173 // 100
    values = [today]
    for _ in range(days - 1):
        step = Decimal(rng.randint(-reach, reach)) * STEP
        values.append(_round(values[-1] / (1 + step)))
    return values


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(value.adjusted() - SIGNIFICANT + 1))
