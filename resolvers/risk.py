"""Account risk, derived exactly from the upstream's own figures (docs/architecture.md).

The upstream's equity rule (reference §4; the sandbox's `sandbox/entity.py` follows it):

    equity = balance + bonus + nonWithdrawableBonus (credit) + unrealised P&L

so the unrealised P&L of open positions is `equity - balance - bonus - credit`, and the margin
level is `equity / usedMargin x 100` in percent, rounded to 0.01 half-even, or None while no
margin is used. Both are exact for any size of amount (`Fraction`, no `Decimal` context).

`traders(filter: {marginLevelBelow})` needs every candidate's level before the page is cut. One
`fields`-restricted list call of the traders with open positions (`hasOpenPositions=true`, reference
§3.3) answers it for everyone, once per request: only open positions hold margin (an account's
`usedMargin` is the sum of its positions', as the open-positions grid shows), so a trader left out
has no margin level and never passes the filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, Rounded
from fractions import Fraction

from resolvers.decimals import UnusableDecimal
from resolvers.errors import InvalidInput
from resolvers.index import EPOCH, HORIZON
from upstream.client import WebServicesClient
from upstream.enums import TraderField
from upstream.records import TraderSummary

MARGIN_FIELDS = (TraderField.EQUITY, TraderField.USED_MARGIN, TraderField.MONEY_DIGITS)
"""What the margin filter's one list call asks for (login and registration time come too)."""

EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Rounded])
"""Arithmetic that raises rather than round: money of any size stays exact."""

MarginLevels = dict[int, Decimal]
"""Login -> margin level, for every trader that uses margin."""


def unrealized_pnl(equity: Decimal, balance: Decimal, bonus: Decimal, credit: Decimal) -> Decimal:
    """Equity less what is booked: the open positions' unrealised P&L, exactly."""
    return EXACT.subtract(EXACT.subtract(EXACT.subtract(equity, balance), bonus), credit)


def margin_level(equity: Decimal, used_margin: Decimal) -> Decimal | None:
    """`equity / used_margin x 100`, rounded to 0.01 half-even; None when no margin is used."""
    if used_margin <= 0:
        return None
    hundredths = round(Fraction(equity) * 10_000 / Fraction(used_margin))  # half-even, exact
    return EXACT.scaleb(Decimal(hundredths), -2)


def checked_bound(bound: Decimal | None) -> Decimal | None:
    """A `marginLevelBelow` the filter can compare with; refused before any upstream call."""
    if isinstance(bound, UnusableDecimal):
        raise InvalidInput(f"marginLevelBelow: {bound.reason}.")
    return bound


def levels_of(summaries: Iterable[TraderSummary]) -> MarginLevels:
    """The margin level of each summary that carries margin (equity and usedMargin present)."""
    levels: MarginLevels = {}
    for summary in summaries:
        if summary.equity is None or summary.used_margin is None:
            continue
        level = margin_level(summary.equity, summary.used_margin)
        if level is not None:
            levels[summary.login] = level
    return levels


async def margin_levels(client: WebServicesClient) -> MarginLevels:
    """Everyone's margin level: one list call of the traders with open positions."""
    to = datetime.now(UTC) + HORIZON
    found = await client.list_trader_summaries(EPOCH, to, MARGIN_FIELDS, has_open_positions=True)
    return levels_of(found)
