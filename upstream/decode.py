"""Decoded bodies (`Fields`) into records: one function per record, shared by JSON and XML."""

from __future__ import annotations

from decimal import Decimal

from upstream.enums import (
    AccessRights,
    AccountType,
    CtidStatus,
    IbCommissionsType,
    LimitedRiskStrategy,
    TotalMarginCalculationType,
)
from upstream.fields import Fields, ShapeError, as_integer
from upstream.records import (
    Attribute,
    AttributePage,
    ContactDetails,
    CtidUser,
    EntityAttributes,
    ExistingCtid,
    SubAccounts,
    Symbol,
    Trader,
    TraderGroup,
)

_HUNDRED = Decimal(100)


def leverage(cents: int) -> Decimal:
    """`leverageInCents` 10000 is 1:100, kept as Decimal("100")."""
    return Decimal(cents) / _HUNDRED


def contact_details(f: Fields) -> ContactDetails:
    return ContactDetails(
        address=f.opt_text("address"),
        city=f.opt_text("city"),
        country_id=f.opt_integer("countryId"),
        document_id=f.opt_text("documentId"),
        email=f.opt_text("email"),
        phone=f.opt_text("phone"),
        state=f.opt_text("state"),
        zip_code=f.opt_text("zipCode"),
        introducing_broker1=f.opt_text("introducingBroker1"),
        introducing_broker2=f.opt_text("introducingBroker2"),
    )


def trader(f: Fields) -> Trader:
    """The §4 entity, one line per field: long but flat, so it reads against the table."""
    digits = f.integer("moneyDigits")
    max_leverage = f.opt_integer("maxLeverage")
    return Trader(
        login=f.integer("login"),
        group_name=f.text("groupName"),
        deposit_currency=f.text("depositCurrency"),
        access_rights=f.enum("accessRights", AccessRights),
        account_type=f.enum("accountType", AccountType),
        money_digits=digits,
        balance=f.scaled("balance", digits),
        bonus=f.scaled("bonus", digits),
        non_withdrawable_bonus=f.scaled("nonWithdrawableBonus", digits),
        equity=f.scaled("equity", digits),
        used_margin=f.scaled("usedMargin", digits),
        free_margin=f.scaled("freeMargin", digits),
        cash_equity=f.opt_scaled("cashEquity", digits),
        min_equity_daily=f.opt_scaled("minEquityDaily", digits),
        max_equity_daily=f.opt_scaled("maxEquityDaily", digits),
        leverage=leverage(f.integer("leverageInCents")),
        max_leverage=None if max_leverage is None else leverage(max_leverage),
        contact_details=contact_details(f.record("contactDetails")),
        broker_name=f.opt_text("brokerName"),
        name=f.opt_text("name"),
        last_name=f.opt_text("lastName"),
        description=f.opt_text("description"),
        total_margin_calculation_type=f.enum(
            "totalMarginCalculationType", TotalMarginCalculationType
        ),
        is_limited_risk=_limited_risk(f),
        limited_risk_margin_calculation_strategy=f.opt_enum(
            "limitedRiskMarginCalculationStrategy", LimitedRiskStrategy
        ),
        send_own_statement=f.opt_flag("sendOwnStatement"),
        send_statement_to_broker=f.opt_flag("sendStatementToBroker"),
        swap_free=f.flag("swapFree"),
        registration_timestamp=f.timestamp("registrationTimestamp"),
        last_update_timestamp=f.timestamp("lastUpdateTimestamp"),
        last_connection_timestamp=f.opt_timestamp("lastConnectionTimestamp"),
        introducing_broker=f.opt_flag("introducingBroker"),
        introduced_by_broker=f.opt_integer("introducedByBroker"),
        introducing_broker_commission_rate=f.opt_decimal("introducingBrokerCommissionRate"),
        pocket_commission_rate=f.opt_decimal("pocketCommissionRate"),
        pocket_markup_rate=f.opt_decimal("pocketMarkupRate"),
        default_introducing_broker_commission_rate=f.opt_decimal(
            "defaultIntroducingBrokerCommissionRate"
        ),
        default_pocket_commission_rate=f.opt_decimal("defaultPocketCommissionRate"),
        default_pocket_markup_rate=f.opt_decimal("defaultPocketMarkupRate"),
        default_rebate_rate=f.opt_decimal("defaultRebateRate"),
        default_split_revenue=f.opt_flag("defaultSplitRevenue"),
        split_revenue=f.opt_flag("splitRevenue"),
        french_risk=f.opt_flag("frenchRisk"),
        default_ib_commissions_type=f.opt_enum("defaultIbCommissionsType", IbCommissionsType),
        ib_commissions_type=f.opt_enum("ibCommissionsType", IbCommissionsType),
        rank_id=f.opt_integer("rankId"),
        sub_account_of=f.opt_integer("subAccountOf"),
    )


def _limited_risk(f: Fields) -> bool:
    """`isLimitedRisk`, or its duplicate `limitedRisk` that some responses carry instead."""
    return f.flag("isLimitedRisk") if f.has("isLimitedRisk") else f.flag("limitedRisk")


def trader_group(f: Fields) -> TraderGroup:
    return TraderGroup(
        id=f.integer("id"), name=f.text("name"), description=f.opt_text("description")
    )


def symbol(f: Fields) -> Symbol:
    return Symbol(
        id=f.integer("id"),
        name=f.text("name"),
        description=f.opt_text("description"),
        asset_class=f.text("assetClass"),
        category=f.text("category"),
        quotes_enabled=f.flag("quotesEnabled"),
        show_in_ctrader=f.flag("showInCtrader"),
    )


def ctid(f: Fields) -> CtidUser | ExistingCtid:
    """A known email answers only `userId` (3.24), which is not an error."""
    if not f.has("email"):
        return ExistingCtid(user_id=f.integer("userId"))
    return CtidUser(
        user_id=f.integer("userId"),
        nickname=f.text("nickname"),
        email=f.text("email"),
        preferred_language=f.opt_text("preferredLanguage"),
        utc_create_timestamp=f.timestamp("utcCreateTimestamp"),
        status=f.enum("status", CtidStatus),
    )


def entity_attributes(f: Fields, id_key: str) -> EntityAttributes:
    return EntityAttributes(
        entity_id=f.integer(id_key),
        attributes=tuple(
            Attribute(name=a.text("name"), value=a.text("value")) for a in f.records("attributes")
        ),
        last_change_timestamp=f.opt_timestamp("lastUpdateTimestamp"),
    )


def attribute_page(f: Fields, list_key: str, id_key: str) -> AttributePage:
    return AttributePage(
        entries=tuple(entity_attributes(e, id_key) for e in f.records(list_key)),
        next_cursor=f.opt_integer("nextCursor"),
    )


def scaled_sub_accounts(f: Fields, digits: int) -> SubAccounts:
    """3.4: the totals are scaled by the parent's moneyDigits, which the answer does not carry."""
    return SubAccounts(
        logins=tuple(as_integer(x, "login") for x in f.record("subAccountLogins").items("login")),
        total_balance=f.scaled("totalSubAccountsBalance", digits),
        total_equity=f.scaled("totalSubAccountsEquity", digits),
    )


def text_items(f: Fields, key: str) -> list[str]:
    items = f.items(key)
    if not all(isinstance(item, str) for item in items):
        raise ShapeError(f"{key!r} holds something else than strings")
    return [str(item) for item in items]


def trader_groups(f: Fields) -> tuple[TraderGroup, ...]:
    return tuple(trader_group(g) for g in f.records("traderGroup"))


def symbols(f: Fields) -> tuple[Symbol, ...]:
    return tuple(symbol(s) for s in f.records("symbol"))
