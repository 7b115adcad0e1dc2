"""The descriptive parts of a `Trader`: rights, account type, contact details, attributes."""

from __future__ import annotations

from enum import Enum

import strawberry

from upstream.records import ContactDetails as ContactRecord


@strawberry.enum(description="What the trader may do on the platform.")
class AccessRights(Enum):
    FULL_ACCESS = "FULL_ACCESS"
    CLOSE_ONLY = "CLOSE_ONLY"
    NO_TRADING = "NO_TRADING"
    NO_LOGIN = "NO_LOGIN"


@strawberry.enum(description="How positions of one symbol combine.")
class AccountType(Enum):
    HEDGED = "HEDGED"
    NETTED = "NETTED"
    SPREAD_BETTING = "SPREAD_BETTING"


@strawberry.type(description="Personal and contact details kept with the account.")
class ContactDetails:
    email: str | None
    phone: str | None
    address: str | None
    city: str | None
    state: str | None
    zip_code: str | None
    country_id: int | None = strawberry.field(description="ISO 3166-1 numeric.")
    document_id: str | None

    @classmethod
    def of(cls, details: ContactRecord) -> ContactDetails:
        return cls(
            email=details.email,
            phone=details.phone,
            address=details.address,
            city=details.city,
            state=details.state,
            zip_code=details.zip_code,
            country_id=details.country_id,
            document_id=details.document_id,
        )


@strawberry.type(description="A free-form name/value pair attached to the trader.")
class Attribute:
    name: str
    value: str
