"""Input records into request documents with the wire's keys (None values are left out)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from upstream.inputs import (
    AttributeQuery,
    AttributeUpsert,
    BalanceChangeRequest,
    BonusChangeRequest,
    LinkRequest,
    NewCtid,
    NewTrader,
    TraderPatch,
    TraderReplacement,
    TraderSettings,
)
from upstream.records import ContactDetails
from upstream.times import to_epoch_ms
from upstream.tokens import md5_hex
from upstream.wire import Document, WireValue


def leverage_in_cents(leverage: Decimal) -> int:
    """1:100 is 10000; a leverage with more than two decimals has no wire form."""
    cents = leverage * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"leverage {leverage} is not a whole number of cents")
    return int(cents)


def contact_details(details: ContactDetails) -> Document:
    return {
        "address": details.address,
        "city": details.city,
        "countryId": details.country_id,
        "documentId": details.document_id,
        "email": details.email,
        "phone": details.phone,
        "state": details.state,
        "zipCode": details.zip_code,
        "introducingBroker1": details.introducing_broker1,
        "introducingBroker2": details.introducing_broker2,
    }


def settings(s: TraderSettings) -> dict[str, WireValue]:
    details = None if s.contact_details is None else contact_details(s.contact_details)
    max_leverage = None if s.max_leverage is None else leverage_in_cents(s.max_leverage)
    return {
        "contactDetails": details,
        "description": s.description,
        "isLimitedRisk": s.is_limited_risk,
        "name": s.name,
        "lastName": s.last_name,
        "limitedRiskMarginCalculationStrategy": s.limited_risk_margin_calculation_strategy,
        "maxLeverage": max_leverage,
        "sendOwnStatement": s.send_own_statement,
        "sendStatementToBroker": s.send_statement_to_broker,
        "swapFree": s.swap_free,
    }


def new_trader(new: NewTrader) -> Document:
    return {
        "accessRights": new.access_rights,
        "accountType": new.account_type,
        "balance": new.initial_balance,
        "brokerName": new.broker_name,
        "depositCurrency": new.deposit_currency,
        "groupName": new.group_name,
        "hashedPassword": md5_hex(new.password),
        "leverageInCents": leverage_in_cents(new.leverage),
        "totalMarginCalculationType": new.total_margin_calculation_type,
        **settings(new.settings),
    }


def replacement(login: int, trader: TraderReplacement) -> Document:
    return {
        "login": login,
        "accessRights": trader.access_rights,
        "groupName": trader.group_name,
        "leverageInCents": leverage_in_cents(trader.leverage),
        "brokerName": trader.broker_name,
        "totalMarginCalculationType": trader.total_margin_calculation_type,
        "accountType": trader.account_type,
        "depositCurrency": trader.deposit_currency,
        **settings(trader.settings),
    }


def patch(p: TraderPatch) -> Document:
    cents = None if p.leverage is None else leverage_in_cents(p.leverage)
    document = {
        "accessRights": p.access_rights,
        "groupName": p.group_name,
        "leverageInCents": cents,
        **settings(p.settings),
    }
    return {key: value for key, value in document.items() if value is not None}


def balance_change(login: int, change: BalanceChangeRequest) -> Document:
    return {
        "login": login,
        "preciseAmount": change.amount,
        "type": change.type,
        "comment": change.comment,
        "externalNote": change.external_note,
        "externalId": change.external_id,
        "source": change.source,
        "skipMarginCheck": change.skip_margin_check,
    }


def bonus_change(login: int, change: BonusChangeRequest) -> Document:
    return {
        "login": login,
        "preciseAmount": change.amount,
        "type": change.type,
        "comment": change.comment,
        "externalNote": change.external_note,
        "externalId": change.external_id,
    }


def new_ctid(new: NewCtid) -> Document:
    return {
        "email": new.email,
        "brokerName": new.broker_name,
        "preferredLanguage": new.preferred_language,
    }


def link(request: LinkRequest) -> Document:
    return {
        "traderLogin": request.trader_login,
        "traderPasswordHash": md5_hex(request.trader_password),
        "userId": request.user_id,
        "brokerName": request.broker_name,
        "environmentName": request.environment_name,
        "returnAccountDetails": request.return_account_details,
    }


def attribute_filters(query: AttributeQuery) -> dict[str, WireValue]:
    since = None if query.changed_since is None else to_epoch_ms(query.changed_since)
    return {"nameFilter": query.name_filter, "changedSince": since}


def attribute_upserts(id_key: str, upserts: Sequence[AttributeUpsert]) -> list[WireValue]:
    return [
        {
            id_key: upsert.entity_id,
            "attributes": [{"name": a.name, "value": a.value} for a in upsert.attributes],
        }
        for upsert in upserts
    ]
