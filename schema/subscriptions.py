"""`Subscription`: live accounts, positions and money movements over graphql-transport-ws.

The upstream has no push: each field is served by shared pollers (`live/`, wired in
`resolvers/subscriptions.py`), one per account, position scope or movement whatever the number of
subscribers, every `live_poll_interval_seconds`. Events carry only what changed since the
previous poll; the first poll after subscribing is the baseline and sends nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any, TypeVar, cast

import strawberry

from live.changes import Change, ChangeKind
from resolvers.live_sources import AccountFigures
from resolvers.subscriptions import LiveInfo, account_changes, movement_changes, position_changes
from schema.accounts import Money
from schema.money.queries import key_of
from schema.money.types import MoneyMovement
from schema.positions import Position
from upstream.records import OpenPosition

F = TypeVar("F", bound=Callable[..., Any])


def subscription(description: str) -> Callable[[F], F]:
    """A typed `@strawberry.subscription(description=...)` (see `schema.fields.described`)."""

    def wrap(resolver: F) -> F:
        return cast(F, strawberry.subscription(resolver, description=description))

    return wrap


@strawberry.type(description="An account's money after a change (exact, deposit currency).")
class AccountChange:
    login: int
    money_digits: int
    balance: Money
    bonus: Money
    credit: Money = strawberry.field(description="Non-withdrawable bonus.")
    equity: Money
    used_margin: Money
    free_margin: Money

    @classmethod
    def of(cls, figures: AccountFigures) -> AccountChange:
        def money(amount: Decimal) -> Money:
            return Money(amount=amount, currency=figures.currency)

        return cls(
            login=figures.login,
            money_digits=figures.money_digits,
            balance=money(figures.balance),
            bonus=money(figures.bonus),
            credit=money(figures.credit),
            equity=money(figures.equity),
            used_margin=money(figures.used_margin),
            free_margin=money(figures.free_margin),
        )


@strawberry.type(description="Open positions that changed between two polls.")
class PositionsChange:
    opened: list[Position]
    updated: list[Position] = strawberry.field(description="Volume, swap or margin moved.")
    closed: list[Position] = strawberry.field(description="As last seen before they closed.")

    @classmethod
    def of(cls, changes: tuple[Change[OpenPosition], ...]) -> PositionsChange:
        def of_kind(kind: ChangeKind) -> list[Position]:
            return [Position.of(change.value) for change in changes if change.kind is kind]

        return cls(
            opened=of_kind(ChangeKind.ADDED),
            updated=of_kind(ChangeKind.UPDATED),
            closed=of_kind(ChangeKind.REMOVED),
        )


@strawberry.type
class Subscription:
    """Each resolver checks its arguments and the connection's cap when the subscription starts
    (errors then carry the field's path), and answers the stream of events."""

    @subscription("The money of these accounts, each time it changes.")
    async def account_changed(
        self, info: LiveInfo, logins: list[int]
    ) -> AsyncIterator[AccountChange]:
        return account_changes(info.context, logins, AccountChange.of)

    @subscription("Open positions of one account, or of one white label, as they change.")
    async def positions_changed(
        self, info: LiveInfo, login: int | None = None, white_label: str | None = None
    ) -> AsyncIterator[PositionsChange]:
        return position_changes(info.context, login, white_label, PositionsChange.of)

    @subscription("A money movement each time its journal entry moves on.")
    async def money_movement_changed(
        self, info: LiveInfo, id: strawberry.ID
    ) -> AsyncIterator[MoneyMovement]:
        movement_id = key_of(id, "MoneyMovement")
        return movement_changes(info.context, movement_id, MoneyMovement.of)
