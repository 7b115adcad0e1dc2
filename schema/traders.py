"""`Trader`: a trading account, identified by its login, and what hangs off it.

A `Trader` is created from a login and, when it comes from a page, the index's entry for it;
fields the entry answers (white label, group, partners, registration) cost nothing. Each other
field reads one per-request loader, declared with `batched` (`schema/batched.py`): a list of
traders warms what its query selects for all its nodes at once (one call for a whole page), and
each node's field then answers from the loader's cache without waiting; a trader on its own
(`trader(login)`) waits for its loader like any batch. Every field that needs the upstream is
nullable, so a failing branch leaves the rest of the page.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from resolvers.activity import activity
from resolvers.batching import Maybe, then
from resolvers.context import Info
from resolvers.errors import TraderGone
from resolvers.index import IndexEntry
from resolvers.position_batch import ClosedKey
from resolvers.positions import checked_window
from resolvers.summary_batch import SummaryKey
from resolvers.traders import summary_for
from schema.accounts import Account, Money, account_fields
from schema.activity import Activity, From
from schema.batched import Batched, batched, warm
from schema.fields import answering, described
from schema.node import Node, node_id
from schema.partners import Partner
from schema.positions import ClosedPosition, Position
from schema.reference import TraderGroup
from schema.trader_details import AccessRights, AccountType, Attribute, ContactDetails
from schema.white_labels import WhiteLabel
from store.activity import Selection
from store.users import User as UserRecord
from upstream.enums import TraderField
from upstream.records import Attribute as AttributeRecord
from upstream.records import OpenPosition, TraderSummary
from upstream.records import Trader as TraderRecord

if TYPE_CHECKING:
    from schema.users import User

Found = TypeVar("Found")
MONEY_SCALE = (TraderField.MONEY_DIGITS, TraderField.DEPOSIT_CURRENCY)

__all__ = ["AccessRights", "AccountType", "Attribute", "ContactDetails", "SubAccounts", "Trader"]


def _summary_of(*fields: TraderField) -> Batched[SummaryKey, TraderSummary | None]:
    """A summary with just `fields` (the page's summaries are one list call per window)."""
    wanted = frozenset(fields)
    return Batched(lambda loaders: loaders.summary, lambda login, _: SummaryKey(login, wanted))


RECORD: Batched[int, TraderRecord | None] = Batched(
    lambda loaders: loaders.trader, lambda login, _: login
)
ACCOUNT: Batched[SummaryKey, TraderSummary | None] = Batched(
    lambda loaders: loaders.summary,
    lambda login, names: SummaryKey(login, account_fields(names)),
    by_selection=True,
)
OPEN_POSITIONS: Batched[int, tuple[OpenPosition, ...]] = Batched(
    lambda loaders: loaders.open_positions, lambda login, _: login
)
USER: Batched[int, UserRecord | None] = Batched(
    lambda loaders: loaders.user_by_login, lambda login, _: login
)
ATTRIBUTES: Batched[int, tuple[AttributeRecord, ...]] = Batched(
    lambda loaders: loaders.attributes, lambda login, _: login
)
NAME = _summary_of(TraderField.NAME)
LAST_NAME = _summary_of(TraderField.LAST_NAME)
CONTACT_DETAILS = _summary_of(TraderField.CONTACT_DETAILS)
ACCESS_RIGHTS = _summary_of(TraderField.ACCESS_RIGHTS)
ACCOUNT_TYPE = _summary_of(TraderField.ACCOUNT_TYPE)
LAST_UPDATED = _summary_of(TraderField.LAST_UPDATE_TIMESTAMP)


@strawberry.type(description="Copy sub-accounts of a trader and their totals.")
class SubAccounts:
    logins: list[int]
    total_balance: Money
    total_equity: Money

    @strawberry.field
    async def traders(self, info: Info) -> list[Trader]:
        """The sub-accounts as traders (what the query selects of them loads in one batch)."""
        return await Trader.warmed(info, self.logins)


@strawberry.type(description="A trading account, identified by its login.")
class Trader(Node):
    id: strawberry.ID = node_id("Trader", "login")
    login: int
    entry: strawberry.Private[IndexEntry | None]

    @classmethod
    def of(cls, login: int, entry: IndexEntry | None = None) -> Trader:
        return cls(login=login, entry=entry)

    @classmethod
    async def warmed(cls, info: Info, logins: list[int]) -> list[Trader]:
        """Traders without index entries, what the query selects of them loaded at once."""
        await warm(info, cls, logins)
        return [cls.of(login) for login in logins]

    def _summary(
        self, info: Info, loads: Batched[SummaryKey, TraderSummary | None]
    ) -> Maybe[TraderSummary]:
        return then(loads.now(info, self.login), self._found)

    def _record(self, info: Info) -> Maybe[TraderRecord]:
        return then(RECORD.now(info, self.login), self._found)

    def _found(self, found: Found | None) -> Found:
        if found is None:
            raise TraderGone(self.login)
        return found

    @batched(NAME, str | None)
    def name(self, info: Info) -> Maybe[str | None]:
        return then(self._summary(info, NAME), lambda summary: summary.name)

    @batched(LAST_NAME, str | None)
    def last_name(self, info: Info) -> Maybe[str | None]:
        return then(self._summary(info, LAST_NAME), lambda summary: summary.last_name)

    @batched(RECORD, str | None)
    def description(self, info: Info) -> Maybe[str | None]:
        return then(self._record(info), lambda record: record.description)

    @batched(CONTACT_DETAILS, ContactDetails | None)
    def contact_details(self, info: Info) -> Maybe[ContactDetails | None]:
        return then(self._summary(info, CONTACT_DETAILS), _contact_details)

    @batched(ACCESS_RIGHTS, AccessRights | None)
    def access_rights(self, info: Info) -> Maybe[AccessRights | None]:
        return then(self._summary(info, ACCESS_RIGHTS), _access_rights)

    @batched(ACCOUNT_TYPE, AccountType | None)
    def account_type(self, info: Info) -> Maybe[AccountType | None]:
        return then(self._summary(info, ACCOUNT_TYPE), _account_type)

    @batched(
        ACCOUNT,
        Account | None,
        "Money and risk settings; only the selected parts are asked of the upstream.",
    )
    def account(self, info: Info) -> Maybe[Account | None]:
        return then(self._summary(info, ACCOUNT), lambda summary: Account(summary=summary))

    @answering(datetime | None)
    def registered_at(self, info: Info) -> Maybe[datetime | None]:
        if self.entry is not None:
            return self.entry.registered
        summary = self._summary(info, _summary_of())
        return then(summary, lambda found: found.registration_timestamp)

    @batched(LAST_UPDATED, datetime | None)
    def last_updated_at(self, info: Info) -> Maybe[datetime | None]:
        return then(self._summary(info, LAST_UPDATED), lambda found: found.last_update_timestamp)

    @batched(RECORD, datetime | None)
    def last_connected_at(self, info: Info) -> Maybe[datetime | None]:
        return then(self._record(info), lambda record: record.last_connection_timestamp)

    @answering(TraderGroup | None)
    def group(self, info: Info) -> Maybe[TraderGroup | None]:
        if self.entry is not None and self.entry.group_name is not None:
            return TraderGroup.named(self.entry.group_name)
        summary = self._summary(info, _summary_of(TraderField.GROUP_NAME))
        return then(summary, lambda found: _group(found.group_name))

    @answering(WhiteLabel | None)
    def white_label(self, info: Info) -> Maybe[WhiteLabel | None]:
        if self.entry is not None and self.entry.broker_name is not None:
            return WhiteLabel.named(info, self.entry.broker_name)
        summary = self._summary(info, _summary_of(TraderField.BROKER_NAME))
        return then(summary, lambda found: _white_label(info, found.broker_name))

    @answering(list[Partner] | None, "Partners (introducing brokers) the account is attributed to.")
    def partners(self, info: Info) -> Maybe[list[Partner] | None]:
        if self.entry is not None:
            return [Partner.of(partner) for partner in self.entry.partners]
        return then(self._summary(info, CONTACT_DETAILS), _partners)

    @batched(
        USER,
        Annotated["User", strawberry.lazy("schema.users")] | None,
        "The cTrader ID that owns this account, if the service knows it.",
    )
    def user(self, info: Info) -> Maybe[User | None]:
        return then(USER.now(info, self.login), _user_of)

    @batched(OPEN_POSITIONS, list[Position] | None)
    def open_positions(self, info: Info) -> Maybe[list[Position] | None]:
        return then(OPEN_POSITIONS.now(info, self.login), _positions)

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

    @described(
        "This trader's closing deals in [from, to), added up, from the deal mirror"
        " (HISTORY_NOT_SYNCED when it does not hold the window)."
    )
    async def activity(self, info: Info, from_: From, to: datetime) -> Activity | None:
        question, figures, _ = await activity(info, from_, to, Selection(logins=(self.login,)))
        return Activity.of(figures, question)

    @strawberry.field
    async def sub_accounts(self, info: Info) -> SubAccounts | None:
        summary = await summary_for(info, self.login, frozenset(MONEY_SCALE))
        digits = summary.money_digits
        found = await info.context.client.sub_accounts(self.login, money_digits=digits)
        currency = summary.deposit_currency or ""
        return SubAccounts(
            logins=list(found.logins),
            total_balance=Money(amount=found.total_balance, currency=currency),
            total_equity=Money(amount=found.total_equity, currency=currency),
        )

    @batched(ATTRIBUTES, list[Attribute] | None)
    def attributes(self, info: Info) -> Maybe[list[Attribute] | None]:
        return then(ATTRIBUTES.now(info, self.login), _attributes)


def _contact_details(summary: TraderSummary) -> ContactDetails | None:
    details = summary.contact_details
    return None if details is None else ContactDetails.of(details)


def _access_rights(summary: TraderSummary) -> AccessRights | None:
    rights = summary.access_rights
    return None if rights is None else AccessRights(rights.value)


def _account_type(summary: TraderSummary) -> AccountType | None:
    kind = summary.account_type
    return None if kind is None else AccountType(kind.value)


def _group(name: str | None) -> TraderGroup | None:
    return None if name is None else TraderGroup.named(name)


def _white_label(info: Info, name: str | None) -> WhiteLabel | None:
    return None if name is None else WhiteLabel.named(info, name)


def _partners(summary: TraderSummary) -> list[Partner]:
    details = summary.contact_details
    named = (
        (None, None)
        if details is None
        else (details.introducing_broker1, details.introducing_broker2)
    )
    return [Partner.of(partner) for partner in named if partner]


def _positions(rows: tuple[OpenPosition, ...]) -> list[Position]:
    return [Position.of(row) for row in rows]


def _attributes(found: tuple[AttributeRecord, ...]) -> list[Attribute]:
    return [Attribute(name=item.name, value=item.value) for item in found]


def _user_of(found: UserRecord | None) -> User | None:
    return None if found is None else _user_type().of(found)


@cache
def _user_type() -> type[User]:
    """`schema.users.User`, imported once it is needed (users refers back to traders), not
    on every call: an import statement costs a microsecond, once per node of a page."""
    from schema.users import User

    return User
