"""`Trader`: a trading account, identified by its login, and what hangs off it.

A `Trader` is created from a login and, when it comes from a page, the index's entry for it;
fields the entry answers (white label, group, partners, registration) cost nothing, the others
load the full record through the request's trader loader (one call for a whole page). Every
field that needs the upstream is nullable, so a failing branch leaves the rest of the page.
"""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import strawberry

from resolvers.context import Info
from resolvers.errors import TraderGone
from resolvers.index import IndexEntry
from resolvers.page import TraderPreload
from resolvers.position_batch import ClosedKey
from resolvers.positions import checked_window
from resolvers.traders import record_of, summary_for
from schema.accounts import Account, Money, account_fields
from schema.fields import described
from schema.node import Node, global_id
from schema.partners import Partner
from schema.positions import ClosedPosition, Position
from schema.reference import TraderGroup
from schema.selection import selected_names
from schema.trader_details import AccessRights, AccountType, Attribute, ContactDetails
from schema.white_labels import WhiteLabel
from store.users import User as UserRecord
from upstream.enums import TraderField
from upstream.records import Trader as TraderRecord
from upstream.records import TraderSummary

if TYPE_CHECKING:
    from schema.users import User


def later(pending: Coroutine[Any, Any, T]) -> T:
    """Let a sync resolver answer "not yet": graphql-core awaits an awaitable result.

    Fields the index answers for a page (white label, group, partners, registration) stay
    synchronous, which saves a task per field and node; only a trader without an index entry
    (`trader(login)`, `User.traders`) waits for its summary. The cast tells mypy what the
    client eventually receives.
    """
    return cast(T, pending)


T = TypeVar("T")
MONEY_SCALE = (TraderField.MONEY_DIGITS, TraderField.DEPOSIT_CURRENCY)
NOTHING = TraderPreload()
"""A trader not on a page (`trader(login)`, `User.traders`): its fields load one by one."""

__all__ = ["AccessRights", "AccountType", "Attribute", "ContactDetails", "SubAccounts", "Trader"]


@strawberry.type(description="Copy sub-accounts of a trader and their totals.")
class SubAccounts:
    logins: list[int]
    total_balance: Money
    total_equity: Money

    @strawberry.field
    def traders(self) -> list[Trader]:
        """The sub-accounts as traders (their records load in one batch when asked for)."""
        return [Trader.of(login) for login in self.logins]


@strawberry.type(description="A trading account, identified by its login.")
class Trader(Node):
    login: int
    entry: strawberry.Private[IndexEntry | None]
    preload: strawberry.Private[TraderPreload]

    @classmethod
    def of(
        cls, login: int, entry: IndexEntry | None = None, preload: TraderPreload = NOTHING
    ) -> Trader:
        return cls(id=global_id("Trader", login), login=login, entry=entry, preload=preload)

    async def _record(self, info: Info) -> TraderRecord:
        return await record_of(info, self.login)

    async def _summary(self, info: Info, *fields: TraderField) -> TraderSummary:
        return await summary_for(info, self.login, frozenset(fields))

    @strawberry.field
    async def name(self, info: Info) -> str | None:
        return (await self._summary(info, TraderField.NAME)).name

    @strawberry.field
    async def last_name(self, info: Info) -> str | None:
        return (await self._summary(info, TraderField.LAST_NAME)).last_name

    @strawberry.field
    async def description(self, info: Info) -> str | None:
        return (await self._record(info)).description

    @strawberry.field
    async def contact_details(self, info: Info) -> ContactDetails | None:
        details = (await self._summary(info, TraderField.CONTACT_DETAILS)).contact_details
        return None if details is None else ContactDetails.of(details)

    @strawberry.field
    async def access_rights(self, info: Info) -> AccessRights | None:
        rights = (await self._summary(info, TraderField.ACCESS_RIGHTS)).access_rights
        return None if rights is None else AccessRights(rights.value)

    @strawberry.field
    async def account_type(self, info: Info) -> AccountType | None:
        kind = (await self._summary(info, TraderField.ACCOUNT_TYPE)).account_type
        return None if kind is None else AccountType(kind.value)

    @described("Money and risk settings; only the selected parts are asked of the upstream.")
    def account(self, info: Info) -> Account | None:
        if self.preload.summary is not None:  # the page loaded it (resolvers/page.py)
            summary = self.preload.summary.get()
            if summary is None:
                raise TraderGone(self.login)
            return Account(summary=summary)
        return later(self._account(info))

    async def _account(self, info: Info) -> Account | None:
        fields = account_fields(selected_names(info))
        return Account(summary=await summary_for(info, self.login, fields))

    @strawberry.field
    def registered_at(self, info: Info) -> datetime | None:
        if self.entry is not None:
            return self.entry.registered
        return later(self._registered_at(info))

    async def _registered_at(self, info: Info) -> datetime | None:
        return (await self._summary(info)).registration_timestamp

    @strawberry.field
    async def last_updated_at(self, info: Info) -> datetime | None:
        return (await self._summary(info, TraderField.LAST_UPDATE_TIMESTAMP)).last_update_timestamp

    @strawberry.field
    async def last_connected_at(self, info: Info) -> datetime | None:
        return (await self._record(info)).last_connection_timestamp

    @strawberry.field
    def group(self, info: Info) -> TraderGroup | None:
        if self.entry is not None and self.entry.group_name is not None:
            return TraderGroup.named(self.entry.group_name)
        return later(self._group(info))

    async def _group(self, info: Info) -> TraderGroup | None:
        name = (await self._summary(info, TraderField.GROUP_NAME)).group_name
        return None if name is None else TraderGroup.named(name)

    @strawberry.field
    def white_label(self, info: Info) -> WhiteLabel | None:
        if self.entry is not None and self.entry.broker_name is not None:
            return WhiteLabel.named(info, self.entry.broker_name)
        return later(self._white_label(info))

    async def _white_label(self, info: Info) -> WhiteLabel | None:
        name = (await self._summary(info, TraderField.BROKER_NAME)).broker_name
        return None if name is None else WhiteLabel.named(info, name)

    @described("Partners (introducing brokers) the account is attributed to.")
    def partners(self, info: Info) -> list[Partner] | None:
        if self.entry is not None:
            return [Partner.of(partner) for partner in self.entry.partners]
        return later(self._partners(info))

    async def _partners(self, info: Info) -> list[Partner] | None:
        details = (await self._summary(info, TraderField.CONTACT_DETAILS)).contact_details
        named = (
            (None, None)
            if details is None
            else (details.introducing_broker1, details.introducing_broker2)
        )
        return [Partner.of(partner) for partner in named if partner]

    @described("The cTrader ID that owns this account, if the service knows it.")
    def user(self, info: Info) -> Annotated[User, strawberry.lazy("schema.users")] | None:
        if self.preload.user is not None:
            return _user_of(self.preload.user.get())
        return later(self._user(info))

    async def _user(self, info: Info) -> User | None:
        return _user_of(await info.context.loaders.user_by_login.load(self.login))

    @strawberry.field
    def open_positions(self, info: Info) -> list[Position] | None:
        if self.preload.open_positions is not None:
            return [Position.of(row) for row in self.preload.open_positions.get()]
        return later(self._open_positions(info))

    async def _open_positions(self, info: Info) -> list[Position] | None:
        rows = await info.context.loaders.open_positions.load(self.login)
        return [Position.of(row) for row in rows]

    @described("Closing deals with a close time in [from, to); any window up to 92 days.")
    async def closed_positions(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[ClosedPosition] | None:
        start, end = checked_window(from_, to)
        rows = await info.context.loaders.closed_deals.load(ClosedKey(self.login, start, end))
        return [ClosedPosition.of(row) for row in rows]

    @strawberry.field
    async def sub_accounts(self, info: Info) -> SubAccounts | None:
        summary = await self._summary(info, *MONEY_SCALE)
        digits = summary.money_digits
        found = await info.context.client.sub_accounts(self.login, money_digits=digits)
        currency = summary.deposit_currency or ""
        return SubAccounts(
            logins=list(found.logins),
            total_balance=Money(amount=found.total_balance, currency=currency),
            total_equity=Money(amount=found.total_equity, currency=currency),
        )

    @strawberry.field
    async def attributes(self, info: Info) -> list[Attribute] | None:
        found = await info.context.loaders.attributes.load(self.login)
        return [Attribute(name=item.name, value=item.value) for item in found]


def _user_of(found: UserRecord | None) -> User | None:
    from schema.users import User  # users refers back to traders

    return None if found is None else User.of(found)
