"""Activity: what the traders did in a window, from the deal mirror (docs/history.md).

`Query.activity`, `Partner.activity`, `WhiteLabel.activity` answer an `ActivityReport` (a total
and, with `groupBy`, one group per key); `Trader.activity` answers one `Activity`. A window the
mirror does not hold whole is the error `HISTORY_NOT_SYNCED`, which names what it holds.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry

from history.mirror import ActivityQuestion
from resolvers.activity import activity, journal
from resolvers.context import Info
from schema.accounts import Money
from schema.fields import described
from store.activity import Dimension, Figures, Group, GroupKey, Selection
from store.journal import MovementKind

WHOLE = GroupKey()


def _money(totals: list[tuple[str, Decimal]] | None) -> list[Money] | None:
    if totals is None:
        return None
    return [Money(amount=amount, currency=currency) for currency, amount in totals]


From = Annotated[datetime, strawberry.argument(name="from")]


@strawberry.type(description="Closing deals of a window and what they add up to (exact).")
class Activity:
    deals: int = strawberry.field(description="Closing deals in the window.")
    traders: int = strawberry.field(description="Distinct logins with at least one deal.")
    winning_deals: int = strawberry.field(description="Deals with pnl > 0.")
    volume: Decimal = strawberry.field(description="Base-asset units.")
    notional_usd: Decimal = strawberry.field(
        description="Sum over deals of volume x usdConversionRate, each deal rounded to 0.01"
        " (half-even)."
    )
    commission_usd: Decimal = strawberry.field(description="Sum of the deals' commission (USD).")
    swap_usd: Decimal = strawberry.field(description="Sum of the deals' swap (USD).")
    realized_pnl_usd: Decimal = strawberry.field(
        description="Sum over deals of pnl x usdConversionRate / depositConversionRate, each deal"
        " rounded to 0.01 (half-even)."
    )
    question: strawberry.Private[ActivityQuestion]
    key: strawberry.Private[GroupKey]

    @described(
        "From the service's own money journal: deposits made through this service in the window"
        " (by request time), per currency; movements made elsewhere are not known. Null for a"
        " group or filter by symbol. Partner keys: FORBIDDEN."
    )
    async def journal_deposits(self, info: Info) -> list[Money] | None:
        return _money(await journal(info, self.question, self.key, MovementKind.DEPOSIT))

    @described(
        "From the service's own money journal: withdrawals made through this service in the"
        " window, per currency, as journalDeposits."
    )
    async def journal_withdrawals(self, info: Info) -> list[Money] | None:
        return _money(await journal(info, self.question, self.key, MovementKind.WITHDRAW))

    @classmethod
    def of(cls, figures: Figures, question: ActivityQuestion, key: GroupKey = WHOLE) -> Activity:
        return cls(
            question=question,
            key=key,
            deals=figures.deals,
            traders=figures.traders,
            winning_deals=figures.winning_deals,
            volume=figures.volume,
            notional_usd=figures.notional_usd,
            commission_usd=figures.commission_usd,
            swap_usd=figures.swap_usd,
            realized_pnl_usd=figures.realized_pnl_usd,
        )


@strawberry.enum(description="What activity can be grouped by.")
class ActivityDimension(Enum):
    DAY = "DAY"
    SYMBOL = "SYMBOL"
    LOGIN = "LOGIN"
    PARTNER = "PARTNER"
    WHITE_LABEL = "WHITE_LABEL"

    def dimension(self) -> Dimension:
        return Dimension[self.value]


GroupBy = Annotated[
    list[ActivityDimension],
    strawberry.argument(description="One group per distinct key of these dimensions."),
]
NO_GROUPS: list[ActivityDimension] = []
"""`groupBy`'s default (the schema prints `[]`); never mutated."""


@strawberry.type(description="A group's key: the fields of the dimensions grouped by.")
class ActivityKey:
    day: date | None = strawberry.field(description="UTC date of the close.")
    symbol: str | None
    login: int | None
    partner_id: str | None = strawberry.field(description="First-level introducing broker.")
    white_label: str | None


@strawberry.type
class ActivityGroup:
    key: ActivityKey
    activity: Activity

    @classmethod
    def of(cls, group: Group, question: ActivityQuestion) -> ActivityGroup:
        key = group.key
        return cls(
            key=ActivityKey(
                day=key.day,
                symbol=key.symbol,
                login=key.login,
                partner_id=key.partner_id,
                white_label=key.white_label,
            ),
            activity=Activity.of(group.figures, question, key),
        )


@strawberry.type
class ActivityReport:
    total: Activity
    groups: list[ActivityGroup] = strawberry.field(description="Ordered by key.")


@strawberry.input(description="Which deals to count; every field given must hold.")
class ActivityFilterInput:
    partner_id: str | None = strawberry.field(
        default=None, description="Traders naming this partner as first- or second-level IB."
    )
    white_label: str | None = None
    group: str | None = strawberry.field(default=None, description="Trader group name.")
    logins: list[int] | None = None
    symbols: list[str] | None = None

    def selection(self) -> Selection:
        return Selection(
            partner=self.partner_id,
            white_label=self.white_label,
            group=self.group,
            logins=None if self.logins is None else tuple(self.logins),
            symbols=None if self.symbols is None else tuple(self.symbols),
        )


def selection_of(given: ActivityFilterInput | None, **implied: str) -> Selection:
    """The client's filter with the parent's condition on top (the parent's value wins)."""
    base = given.selection() if given is not None else Selection()
    return Selection(
        partner=implied.get("partner", base.partner),
        white_label=implied.get("white_label", base.white_label),
        group=base.group,
        logins=base.logins,
        symbols=base.symbols,
    )


async def activity_report(
    info: Info,
    start: datetime,
    end: datetime,
    selection: Selection,
    group_by: list[ActivityDimension],
) -> ActivityReport:
    by = [dimension.dimension() for dimension in group_by]
    question, whole, groups = await activity(info, start, end, selection, by)
    return ActivityReport(
        total=Activity.of(whole, question),
        groups=[ActivityGroup.of(group, question) for group in groups],
    )


@strawberry.type
class ActivityQuery:
    @described(
        "Closing deals in [from, to) of the traders the caller sees, from the deal mirror;"
        " error HISTORY_NOT_SYNCED when the mirror does not hold the whole window."
    )
    async def activity(
        self,
        info: Info,
        from_: From,
        to: datetime,
        filter: ActivityFilterInput | None = None,
        group_by: GroupBy = NO_GROUPS,
    ) -> ActivityReport:
        return await activity_report(info, from_, to, selection_of(filter), group_by)
