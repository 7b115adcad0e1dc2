"""`Account` (the money side of a trader) and `Money`.

Amounts come from the upstream record as exact `Decimal`s, already scaled by the account's
`moneyDigits`; they are printed as strings (see `schema.scalars`), so 1234567.89 USD and
0.12345678 BTC reach the client digit for digit.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from upstream.records import Trader as TraderRecord


@strawberry.type(description="An exact amount of one currency or asset.")
class Money:
    amount: Decimal
    currency: str


@strawberry.enum(description="How the margin of hedged positions adds up.")
class MarginCalculationType(Enum):
    MAX = "MAX"
    SUM = "SUM"
    NET = "NET"


def _money(amount: Decimal | None, currency: str) -> Money | None:
    return None if amount is None else Money(amount=amount, currency=currency)


@strawberry.type(description="The trading account's money, leverage and risk settings.")
class Account:
    currency: str
    money_digits: int = strawberry.field(description="Decimal digits of this account's money.")
    balance: Money
    bonus: Money
    credit: Money = strawberry.field(description="Non-withdrawable bonus.")
    equity: Money
    used_margin: Money
    free_margin: Money
    cash_equity: Money | None
    min_equity_daily: Money | None
    max_equity_daily: Money | None
    leverage: Decimal = strawberry.field(description="1:100 is 100.")
    max_leverage: Decimal | None
    margin_calculation_type: MarginCalculationType
    swap_free: bool
    limited_risk: bool

    @classmethod
    def of(cls, record: TraderRecord) -> Account:
        currency = record.deposit_currency

        def money(amount: Decimal) -> Money:
            return Money(amount=amount, currency=currency)

        return cls(
            currency=currency,
            money_digits=record.money_digits,
            balance=money(record.balance),
            bonus=money(record.bonus),
            credit=money(record.non_withdrawable_bonus),
            equity=money(record.equity),
            used_margin=money(record.used_margin),
            free_margin=money(record.free_margin),
            cash_equity=_money(record.cash_equity, currency),
            min_equity_daily=_money(record.min_equity_daily, currency),
            max_equity_daily=_money(record.max_equity_daily, currency),
            leverage=record.leverage,
            max_leverage=record.max_leverage,
            margin_calculation_type=MarginCalculationType(
                record.total_margin_calculation_type.value
            ),
            swap_free=record.swap_free,
            limited_risk=record.is_limited_risk,
        )
