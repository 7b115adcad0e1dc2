"""The `input` arguments of the lifecycle mutations, each turned into the upstream's records.

Passwords are `String` on the wire of GraphQL and become a `SecretStr` the moment they are read,
so no repr, log line or traceback of an order shows them. Omitted optional fields of
`UpdateTraderInput` (and explicit nulls) leave the trader's value as it is.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry
from pydantic import SecretStr

from schema.accounts import MarginCalculationType
from schema.traders import AccessRights, AccountType
from upstream import enums
from upstream.inputs import NewCtid, NewTrader, TraderPatch, TraderSettings
from upstream.records import ContactDetails


@strawberry.input(description="Contact details; given fields are set, the others kept.")
class ContactDetailsInput:
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    country_id: int | None = strawberry.field(default=None, description="ISO 3166-1 numeric.")
    document_id: str | None = None

    def record(self, partner1: str | None = None, partner2: str | None = None) -> ContactDetails:
        return ContactDetails(
            address=self.address,
            city=self.city,
            country_id=self.country_id,
            document_id=self.document_id,
            email=self.email,
            phone=self.phone,
            state=self.state,
            zip_code=self.zip_code,
            introducing_broker1=partner1,
            introducing_broker2=partner2,
        )


@strawberry.input(description="A new cTrader ID (user).")
class CreateUserInput:
    email: str
    white_label: str | None = strawberry.field(default=None, description="brokerName.")
    preferred_language: str | None = strawberry.field(default=None, description="ISO 639-1.")

    def order(self) -> NewCtid:
        return NewCtid(self.email, self.white_label, self.preferred_language)


@strawberry.input(description="A new trading account.")
class CreateTraderInput:
    white_label: str = strawberry.field(
        description="brokerName, one the service is configured with."
    )
    group: str = strawberry.field(description="Trader group name.")
    deposit_currency: str = strawberry.field(description="A deposit asset, e.g. USD.")
    leverage: Decimal = strawberry.field(description="1:100 is 100; at most 2 decimals.")
    password: str = strawberry.field(description="Initial password; hashed, never returned.")
    access_rights: AccessRights = AccessRights.FULL_ACCESS
    account_type: AccountType = AccountType.HEDGED
    margin_calculation_type: MarginCalculationType = MarginCalculationType.MAX
    name: str | None = None
    last_name: str | None = None
    description: str | None = None
    contact_details: ContactDetailsInput | None = None
    introducing_broker1: str | None = strawberry.field(
        default=None, description="Partner, 1st level."
    )
    introducing_broker2: str | None = strawberry.field(
        default=None, description="Partner, 2nd level."
    )
    swap_free: bool | None = None
    limited_risk: bool | None = None
    send_own_statement: bool | None = None
    send_statement_to_broker: bool | None = None

    def order(self) -> NewTrader:
        return NewTrader(
            access_rights=enums.AccessRights(self.access_rights.value),
            account_type=enums.AccountType(self.account_type.value),
            broker_name=self.white_label,
            deposit_currency=self.deposit_currency,
            group_name=self.group,
            password=SecretStr(self.password),
            leverage=self.leverage,
            total_margin_calculation_type=enums.TotalMarginCalculationType(
                self.margin_calculation_type.value
            ),
            settings=self.settings(),
        )

    def settings(self) -> TraderSettings:
        details = self.contact_details or ContactDetailsInput()
        partners = (self.introducing_broker1, self.introducing_broker2)
        given = self.contact_details is not None or partners != (None, None)
        return TraderSettings(
            contact_details=details.record(*partners) if given else None,
            description=self.description,
            is_limited_risk=self.limited_risk,
            name=self.name,
            last_name=self.last_name,
            send_own_statement=self.send_own_statement,
            send_statement_to_broker=self.send_statement_to_broker,
            swap_free=self.swap_free,
        )


@strawberry.input(description="The fields to change; partners have `attributeToPartners`.")
class UpdateTraderInput:
    login: int
    name: str | None = None
    last_name: str | None = None
    description: str | None = None
    contact_details: ContactDetailsInput | None = None
    group: str | None = None
    leverage: Decimal | None = strawberry.field(default=None, description="1:100 is 100.")
    access_rights: AccessRights | None = None
    swap_free: bool | None = None
    limited_risk: bool | None = None
    send_own_statement: bool | None = None
    send_statement_to_broker: bool | None = None

    def order(self) -> TraderPatch:
        rights = (
            None if self.access_rights is None else enums.AccessRights(self.access_rights.value)
        )
        details = None if self.contact_details is None else self.contact_details.record()
        settings = TraderSettings(
            contact_details=details,
            description=self.description,
            is_limited_risk=self.limited_risk,
            name=self.name,
            last_name=self.last_name,
            send_own_statement=self.send_own_statement,
            send_statement_to_broker=self.send_statement_to_broker,
            swap_free=self.swap_free,
        )
        return TraderPatch(rights, self.group, self.leverage, settings)
