"""`Account` (the money side of a trader) and `Money`.

Amounts come from the upstream as exact `Decimal`s, already scaled by the account's
`moneyDigits`; they are printed as strings (see `schema.scalars`), so 1234567.89 USD and
0.12345678 BTC reach the client digit for digit.

An `Account` reads a trader *summary*: only the fields its query selected were asked of the
upstream (`ACCOUNT_FIELDS`, chosen by `Trader.account`). The few settings a summary cannot carry
(cash equity, maximum leverage, margin type, swap-free, limited risk) load the full record.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import TypeVar

import strawberry

from resolvers.context import Info
from resolvers.risk import margin_level, unrealized_pnl
from resolvers.traders import record_of
from schema.fields import described
from upstream.enums import TraderField
from upstream.records import Trader as TraderRecord
from upstream.records import TraderSummary


@strawberry.type(description="An exact amount of one currency or asset.")
class Money:
    amount: Decimal
    currency: str


@strawberry.enum(description="How the margin of hedged positions adds up.")
class MarginCalculationType(Enum):
    MAX = "MAX"
    SUM = "SUM"
    NET = "NET"


T = TypeVar("T")
_MONEY = {TraderField.DEPOSIT_CURRENCY, TraderField.MONEY_DIGITS}
ACCOUNT_FIELDS: dict[str, frozenset[TraderField]] = {
    "currency": frozenset({TraderField.DEPOSIT_CURRENCY}),
    "moneyDigits": frozenset({TraderField.MONEY_DIGITS}),
    "balance": frozenset({TraderField.BALANCE, *_MONEY}),
    "bonus": frozenset({TraderField.BONUS, *_MONEY}),
    "credit": frozenset({TraderField.NON_WITHDRAWABLE_BONUS, *_MONEY}),
    "equity": frozenset({TraderField.EQUITY, *_MONEY}),
    "usedMargin": frozenset({TraderField.USED_MARGIN, *_MONEY}),
    "freeMargin": frozenset({TraderField.FREE_MARGIN, *_MONEY}),
    "minEquityDaily": frozenset({TraderField.MIN_EQUITY_DAILY, *_MONEY}),
    "maxEquityDaily": frozenset({TraderField.MAX_EQUITY_DAILY, *_MONEY}),
    "leverage": frozenset({TraderField.LEVERAGE_IN_CENTS}),
    "marginLevel": frozenset({TraderField.EQUITY, TraderField.USED_MARGIN, *_MONEY}),
    "unrealizedPnl": frozenset(
        {
            TraderField.EQUITY,
            TraderField.BALANCE,
            TraderField.BONUS,
            TraderField.NON_WITHDRAWABLE_BONUS,
            *_MONEY,
        }
    ),
}
"""GraphQL field of `Account` -> the upstream fields it needs (the others need the record)."""


def account_fields(names: Collection[str]) -> frozenset[TraderField]:
    """The upstream fields a summary needs to answer these `Account` fields."""
    return _account_fields(names if isinstance(names, frozenset) else frozenset(names))


@lru_cache(maxsize=1024)
def _account_fields(names: frozenset[str]) -> frozenset[TraderField]:
    """Worked out once per selection, not once per node of every page that selects it."""
    return frozenset().union(*(ACCOUNT_FIELDS.get(name, ()) for name in names))


class MissingField(Exception):
    """A summary lacks a field its query selected: a bug in `ACCOUNT_FIELDS`, never the client's."""


def _present(value: T | None, name: str) -> T:
    if value is None:
        raise MissingField(f"the trader summary has no {name}")
    return value


@strawberry.type(description="The trading account's money, leverage and risk settings.")
class Account:
    summary: strawberry.Private[TraderSummary]

    def _money(self, amount: Decimal | None, name: str) -> Money:
        currency = _present(self.summary.deposit_currency, "depositCurrency")
        return Money(amount=_present(amount, name), currency=currency)

    def _optional_money(self, amount: Decimal | None, name: str) -> Money | None:
        return None if amount is None else self._money(amount, name)

    async def _record(self, info: Info) -> TraderRecord:
        return await record_of(info, self.summary.login)

    @strawberry.field
    def currency(self) -> str:
        return _present(self.summary.deposit_currency, "depositCurrency")

    @described("Decimal digits of this account's money.")
    def money_digits(self) -> int:
        return _present(self.summary.money_digits, "moneyDigits")

    @strawberry.field
    def balance(self) -> Money:
        return self._money(self.summary.balance, "balance")

    @strawberry.field
    def bonus(self) -> Money:
        return self._money(self.summary.bonus, "bonus")

    @described("Non-withdrawable bonus.")
    def credit(self) -> Money:
        return self._money(self.summary.non_withdrawable_bonus, "nonWithdrawableBonus")

    @strawberry.field
    def equity(self) -> Money:
        return self._money(self.summary.equity, "equity")

    @strawberry.field
    def used_margin(self) -> Money:
        return self._money(self.summary.used_margin, "usedMargin")

    @strawberry.field
    def free_margin(self) -> Money:
        return self._money(self.summary.free_margin, "freeMargin")

    @described(
        "Equity / used margin x 100, in percent, rounded to 0.01 half-even (150.00 is 150 %); "
        "null while no margin is used. From the upstream's equity and usedMargin."
    )
    def margin_level(self) -> Decimal | None:
        equity = _present(self.summary.equity, "equity")
        return margin_level(equity, _present(self.summary.used_margin, "usedMargin"))

    @described(
        "The open positions' unrealised P&L: equity - balance - bonus - credit, exactly, since "
        "the upstream counts equity as balance + bonus + credit + unrealised P&L."
    )
    def unrealized_pnl(self) -> Money:
        summary = self.summary
        pnl = unrealized_pnl(
            _present(summary.equity, "equity"),
            _present(summary.balance, "balance"),
            _present(summary.bonus, "bonus"),
            _present(summary.non_withdrawable_bonus, "nonWithdrawableBonus"),
        )
        return self._money(pnl, "unrealizedPnl")

    @strawberry.field
    def min_equity_daily(self) -> Money | None:
        return self._optional_money(self.summary.min_equity_daily, "minEquityDaily")

    @strawberry.field
    def max_equity_daily(self) -> Money | None:
        return self._optional_money(self.summary.max_equity_daily, "maxEquityDaily")

    @described("1:100 is 100.")
    def leverage(self) -> Decimal:
        return _present(self.summary.leverage, "leverageInCents")

    @strawberry.field
    async def cash_equity(self, info: Info) -> Money | None:
        record = await self._record(info)
        amount = record.cash_equity
        return None if amount is None else Money(amount=amount, currency=record.deposit_currency)

    @strawberry.field
    async def max_leverage(self, info: Info) -> Decimal | None:
        return (await self._record(info)).max_leverage

    @strawberry.field
    async def margin_calculation_type(self, info: Info) -> MarginCalculationType:
        record = await self._record(info)
        return MarginCalculationType(record.total_margin_calculation_type.value)

    @strawberry.field
    async def swap_free(self, info: Info) -> bool:
        return (await self._record(info)).swap_free

    @strawberry.field
    async def limited_risk(self, info: Info) -> bool:
        return (await self._record(info)).is_limited_risk
