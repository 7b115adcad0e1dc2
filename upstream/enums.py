"""The upstream's enumerations, with the exact wire strings of reference §7.

`StrEnum` members compare equal to their wire text, so a record field holds the enum and the
codecs can write it back unchanged.
"""

from __future__ import annotations

from enum import StrEnum


class AccessRights(StrEnum):
    FULL_ACCESS = "FULL_ACCESS"
    CLOSE_ONLY = "CLOSE_ONLY"
    NO_TRADING = "NO_TRADING"
    NO_LOGIN = "NO_LOGIN"


class AccountType(StrEnum):
    HEDGED = "HEDGED"
    NETTED = "NETTED"
    SPREAD_BETTING = "SPREAD_BETTING"


class TotalMarginCalculationType(StrEnum):
    MAX = "MAX"
    SUM = "SUM"
    NET = "NET"


class LimitedRiskStrategy(StrEnum):
    """The wire key is `limitedRiskMarginCalculationStrategy`."""

    ACCORDING_TO_LEVERAGE = "ACCORDING_TO_LEVERAGE"
    ACCORDING_TO_GSL = "ACCORDING_TO_GSL"
    ACCORDING_TO_GSL_AND_LEVERAGE = "ACCORDING_TO_GSL_AND_LEVERAGE"


class IbCommissionsType(StrEnum):
    USD_PER_LOT = "USD_PER_LOT"
    USD_PER_MILLION_USD = "USD_PER_MILLION_USD"


class BalanceChangeType(StrEnum):
    """DEPOSIT/WITHDRAW move the balance; the *_NONWITHDRAWABLE_BONUS pair moves the credit."""

    DEPOSIT = "DEPOSIT"
    WITHDRAW = "WITHDRAW"
    DEPOSIT_NONWITHDRAWABLE_BONUS = "DEPOSIT_NONWITHDRAWABLE_BONUS"
    WITHDRAW_NONWITHDRAWABLE_BONUS = "WITHDRAW_NONWITHDRAWABLE_BONUS"


class BonusChangeType(StrEnum):
    DEPOSIT = "DEPOSIT"
    WITHDRAW = "WITHDRAW"


class CtidStatus(StrEnum):
    CTID_NEW = "CTID_NEW"
    CTID_ACTIVE = "CTID_ACTIVE"
    CTID_DELETED = "CTID_DELETED"


class Direction(StrEnum):
    BUY = "BUY"
    SELL = "SELL"


class BookType(StrEnum):
    BOOK_A = "BOOK_A"
    BOOK_B = "BOOK_B"


class WireFormat(StrEnum):
    """The body format for `/v2/webserv` calls; `/cid` calls are JSON whatever this says."""

    JSON = "json"
    XML = "xml"


class TraderField(StrEnum):
    """Wire keys a `fields`-restricted trader list may ask for (see `TraderSummary`)."""

    LOGIN = "login"
    REGISTRATION_TIMESTAMP = "registrationTimestamp"
    LAST_UPDATE_TIMESTAMP = "lastUpdateTimestamp"
    GROUP_NAME = "groupName"
    BROKER_NAME = "brokerName"
    DEPOSIT_CURRENCY = "depositCurrency"
    MONEY_DIGITS = "moneyDigits"
    ACCESS_RIGHTS = "accessRights"
    ACCOUNT_TYPE = "accountType"
    NAME = "name"
    LAST_NAME = "lastName"
    CONTACT_DETAILS = "contactDetails"
    LEVERAGE_IN_CENTS = "leverageInCents"
    BALANCE = "balance"
    BONUS = "bonus"
    NON_WITHDRAWABLE_BONUS = "nonWithdrawableBonus"
    EQUITY = "equity"
    USED_MARGIN = "usedMargin"
    FREE_MARGIN = "freeMargin"
    MIN_EQUITY_DAILY = "minEquityDaily"
    MAX_EQUITY_DAILY = "maxEquityDaily"


MONEY_FIELDS = frozenset(
    {
        TraderField.BALANCE,
        TraderField.BONUS,
        TraderField.NON_WITHDRAWABLE_BONUS,
        TraderField.EQUITY,
        TraderField.USED_MARGIN,
        TraderField.FREE_MARGIN,
        TraderField.MIN_EQUITY_DAILY,
        TraderField.MAX_EQUITY_DAILY,
    }
)
"""Fields that only mean something next to `moneyDigits`; the client asks for it with them."""
