"""One closing deal's figures, as the mirror stores them for SQL to add up exactly.

SQLite has no exact decimal type (its NUMERIC is a float), so every amount the activity figures
sum is kept as an integer count of a fixed unit, and converted back to `Decimal` once per
answer. A value finer than its unit is refused (`UnitError`), never rounded silently: the
window it came in fails and says why.

    column                   unit          from the grid row
    volume_units             0.0001        volume (base-asset units; the upstream's have 2 dp)
    commission_units         0.00000001    commission (USD)
    swap_units               0.00000001    swap (USD)
    notional_usd_cents       0.01          volume x usdConversionRate, rounded half-even
    realized_pnl_usd_cents   0.01          pnl x usdConversionRate / depositConversionRate,
                                           rounded half-even
    winning                  -             pnl > 0
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from upstream.records import ClosedDeal

VOLUME_PLACES = 4
USD_PLACES = 8
CENT = Decimal("0.01")
PRECISION = 60
"""Digits kept by the one division (pnl in USD) before it is rounded to the cent."""


class UnitError(ValueError):
    """A grid value the mirror cannot hold exactly."""


def units(value: Decimal, places: int, what: str, deal_id: int) -> int:
    """`value` as an integer count of 10**-places, or `UnitError` if that is not exact."""
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise UnitError(f"deal {deal_id}: {what} {value} has more than {places} decimals")
    return int(scaled)


def cents(value: Decimal) -> int:
    """`value` rounded to the cent, half to even, as a count of cents."""
    return int(value.quantize(CENT, rounding=ROUND_HALF_EVEN).scaleb(2))


def notional_usd(deal: ClosedDeal) -> Decimal:
    """volume x usdConversionRate (base asset to USD), rounded to the cent, half to even."""
    with localcontext() as context:
        context.prec = PRECISION
        return (deal.volume * deal.usd_conversion_rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def realized_pnl_usd(deal: ClosedDeal) -> Decimal:
    """pnl (deposit currency) x usdConversionRate / depositConversionRate, to the cent."""
    if deal.deposit_conversion_rate <= 0:
        raise UnitError(f"deal {deal.deal_id}: depositConversionRate is not positive")
    with localcontext() as context:
        context.prec = PRECISION
        usd = deal.pnl * deal.usd_conversion_rate / deal.deposit_conversion_rate
        return usd.quantize(CENT, rounding=ROUND_HALF_EVEN)
