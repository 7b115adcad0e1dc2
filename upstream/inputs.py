"""What the client sends: typed, frozen records for the write calls.

Passwords travel as `SecretStr` until the client hashes them (MD5, as the protocol mandates), so
they never show in a repr. Amounts are `Decimal` and reach the wire as exact JSON numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from pydantic import SecretStr

from upstream.enums import (
    AccessRights,
    AccountType,
    BalanceChangeType,
    BonusChangeType,
    LimitedRiskStrategy,
    TotalMarginCalculationType,
)
from upstream.records import Attribute, ContactDetails


@dataclass(frozen=True, slots=True)
class TraderSettings:
    """The optional trader settings shared by create (3.1), replace (3.5) and patch (3.6)."""

    contact_details: ContactDetails | None = None
    description: str | None = None
    is_limited_risk: bool | None = None
    name: str | None = None
    last_name: str | None = None
    limited_risk_margin_calculation_strategy: LimitedRiskStrategy | None = None
    max_leverage: Decimal | None = None
    send_own_statement: bool | None = None
    send_statement_to_broker: bool | None = None
    swap_free: bool | None = None


@dataclass(frozen=True, slots=True)
class NewTrader:
    """3.1. `initial_balance` is the wire's scaled integer (units of 10^-moneyDigits)."""

    access_rights: AccessRights
    account_type: AccountType
    broker_name: str
    deposit_currency: str
    group_name: str
    password: SecretStr
    leverage: Decimal
    initial_balance: int = 0
    total_margin_calculation_type: TotalMarginCalculationType = TotalMarginCalculationType.MAX
    settings: TraderSettings = field(default_factory=TraderSettings)


@dataclass(frozen=True, slots=True)
class TraderReplacement:
    """3.5 (PUT): every field is sent; omitted settings are reset upstream. Balance is not here."""

    access_rights: AccessRights
    group_name: str
    leverage: Decimal
    broker_name: str
    total_margin_calculation_type: TotalMarginCalculationType = TotalMarginCalculationType.MAX
    account_type: AccountType | None = None
    deposit_currency: str | None = None
    settings: TraderSettings = field(default_factory=TraderSettings)


@dataclass(frozen=True, slots=True)
class TraderPatch:
    """3.6 (PATCH): only the fields that are not None are sent."""

    access_rights: AccessRights | None = None
    group_name: str | None = None
    leverage: Decimal | None = None
    settings: TraderSettings = field(default_factory=TraderSettings)


@dataclass(frozen=True, slots=True)
class BalanceChangeRequest:
    """3.8. `amount` is positive, in currency units; `type` carries the direction."""

    type: BalanceChangeType
    amount: Decimal
    comment: str | None = None
    external_note: str | None = None
    external_id: str | None = None
    source: str | None = None
    skip_margin_check: bool | None = None


@dataclass(frozen=True, slots=True)
class BonusChangeRequest:
    """3.11, like 3.8 for the bonus."""

    type: BonusChangeType
    amount: Decimal
    comment: str | None = None
    external_note: str | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class NewCtid:
    """3.24."""

    email: str
    broker_name: str | None = None
    preferred_language: str | None = None


@dataclass(frozen=True, slots=True)
class LinkRequest:
    """3.25. The trader's password is hashed by the client."""

    trader_login: int
    trader_password: SecretStr
    user_id: int
    broker_name: str
    environment_name: str
    return_account_details: bool = True


@dataclass(frozen=True, slots=True)
class AttributeUpsert:
    """One entity's name/value pairs for the upsert calls (3.18-3.20)."""

    entity_id: int
    attributes: tuple[Attribute, ...]


@dataclass(frozen=True, slots=True)
class AttributeQuery:
    """Filters shared by the three attribute list calls."""

    name_filter: str | None = None
    changed_since: datetime | None = None
