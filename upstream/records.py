"""What the upstream answers, as typed, frozen records.

Money is `Decimal`, converted exactly from the wire's scaled integers with the account's
`moneyDigits` (balance 1234512 with moneyDigits 2 is Decimal("12345.12")); grid columns are
parsed from their CSV text without passing through float. Timestamps are aware UTC datetimes.
Field names follow the wire keys in snake case, so a reader of the reference finds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

from upstream.enums import (
    AccessRights,
    AccountType,
    BookType,
    CtidStatus,
    Direction,
    IbCommissionsType,
    LimitedRiskStrategy,
    TotalMarginCalculationType,
)


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """`contactDetails`; `introducing_broker1/2` are the partner (IB) attribution."""

    address: str | None = None
    city: str | None = None
    country_id: int | None = None
    document_id: str | None = None
    email: str | None = None
    phone: str | None = None
    state: str | None = None
    zip_code: str | None = None
    introducing_broker1: str | None = None
    introducing_broker2: str | None = None


@dataclass(frozen=True, slots=True)
class Trader:
    """The full trader entity of reference §4 (3.1, 3.2 and unrestricted 3.3)."""

    login: int
    group_name: str
    deposit_currency: str
    access_rights: AccessRights
    account_type: AccountType
    money_digits: int
    balance: Decimal
    bonus: Decimal
    non_withdrawable_bonus: Decimal
    equity: Decimal
    used_margin: Decimal
    free_margin: Decimal
    cash_equity: Decimal | None
    min_equity_daily: Decimal | None
    max_equity_daily: Decimal | None
    leverage: Decimal
    max_leverage: Decimal | None
    contact_details: ContactDetails
    broker_name: str | None
    name: str | None
    last_name: str | None
    description: str | None
    total_margin_calculation_type: TotalMarginCalculationType
    is_limited_risk: bool
    limited_risk_margin_calculation_strategy: LimitedRiskStrategy | None
    send_own_statement: bool | None
    send_statement_to_broker: bool | None
    swap_free: bool
    registration_timestamp: datetime
    last_update_timestamp: datetime
    last_connection_timestamp: datetime | None
    introducing_broker: bool | None = None
    introduced_by_broker: int | None = None
    introducing_broker_commission_rate: Decimal | None = None
    pocket_commission_rate: Decimal | None = None
    pocket_markup_rate: Decimal | None = None
    default_introducing_broker_commission_rate: Decimal | None = None
    default_pocket_commission_rate: Decimal | None = None
    default_pocket_markup_rate: Decimal | None = None
    default_rebate_rate: Decimal | None = None
    default_split_revenue: bool | None = None
    split_revenue: bool | None = None
    french_risk: bool | None = None
    default_ib_commissions_type: IbCommissionsType | None = None
    ib_commissions_type: IbCommissionsType | None = None
    rank_id: int | None = None
    sub_account_of: int | None = None


@dataclass(frozen=True, slots=True)
class TraderSummary:
    """One item of a `fields`-restricted list: what was not asked for is None.

    `login` and `registration_timestamp` are always asked for (the paging rule needs the
    latter), and `money_digits` whenever a money field is.
    """

    login: int
    registration_timestamp: datetime
    last_update_timestamp: datetime | None = None
    group_name: str | None = None
    broker_name: str | None = None
    deposit_currency: str | None = None
    money_digits: int | None = None
    access_rights: AccessRights | None = None
    account_type: AccountType | None = None
    name: str | None = None
    last_name: str | None = None
    contact_details: ContactDetails | None = None
    leverage: Decimal | None = None
    balance: Decimal | None = None
    bonus: Decimal | None = None
    non_withdrawable_bonus: Decimal | None = None
    equity: Decimal | None = None
    used_margin: Decimal | None = None
    free_margin: Decimal | None = None
    min_equity_daily: Decimal | None = None
    max_equity_daily: Decimal | None = None


TraderT = TypeVar("TraderT", Trader, TraderSummary)


@dataclass(frozen=True, slots=True)
class TraderPage(Generic[TraderT]):
    """One answer of 3.3: newest first; `has_more` means call again with `to` moved down."""

    traders: tuple[TraderT, ...]
    has_more: bool


@dataclass(frozen=True, slots=True)
class SubAccounts:
    """3.4; the totals are scaled by the parent's moneyDigits."""

    logins: tuple[int, ...]
    total_balance: Decimal
    total_equity: Decimal


@dataclass(frozen=True, slots=True)
class TraderGroup:
    id: int
    name: str
    description: str | None


@dataclass(frozen=True, slots=True)
class Symbol:
    id: int
    name: str
    description: str | None
    asset_class: str
    category: str
    quotes_enabled: bool
    show_in_ctrader: bool


@dataclass(frozen=True, slots=True)
class OpenPosition:
    """A row of the 3.13 grid; money columns are plain decimals, not moneyDigits-scaled."""

    login: int
    position_id: int
    open_timestamp: datetime
    entry_price: Decimal
    direction: Direction
    volume: Decimal
    symbol: str
    commission: Decimal
    swap: Decimal
    book_type: BookType
    stake: Decimal | None
    spread_betting: bool
    used_margin: Decimal


@dataclass(frozen=True, slots=True)
class ClosedDeal:
    """A row of the 3.14 grid: one closing deal (a position closed in parts has several)."""

    login: int
    position_id: int
    deal_id: int
    open_timestamp: datetime
    close_timestamp: datetime
    entry_price: Decimal
    close_price: Decimal
    direction: Direction
    volume: Decimal
    symbol: str
    commission: Decimal
    swap: Decimal
    pnl: Decimal
    deposit_conversion_rate: Decimal
    usd_conversion_rate: Decimal
    book_type: BookType
    stake: Decimal | None
    spread_betting: bool


@dataclass(frozen=True, slots=True)
class CtidUser:
    """3.24 for a new email: the whole user."""

    user_id: int
    nickname: str
    email: str
    preferred_language: str | None
    utc_create_timestamp: datetime
    status: CtidStatus


@dataclass(frozen=True, slots=True)
class ExistingCtid:
    """3.24 for an email already registered: the upstream answers only the user's id."""

    user_id: int


@dataclass(frozen=True, slots=True)
class Link:
    """3.25 with `returnAccountDetails`: the link's own id, used by the Open API."""

    ctid_trader_account_id: int


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class EntityAttributes:
    """The attributes of one trader, group or manager, and when the latest of them changed."""

    entity_id: int
    attributes: tuple[Attribute, ...]
    last_change_timestamp: datetime | None


@dataclass(frozen=True, slots=True)
class AttributePage:
    """3.15 answers a cursor while more pages exist; group and manager lists have none."""

    entries: tuple[EntityAttributes, ...]
    next_cursor: int | None


@dataclass(frozen=True, slots=True)
class BalanceChange:
    history_id: int


@dataclass(frozen=True, slots=True)
class BonusChange:
    history_id: int
