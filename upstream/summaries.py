"""A trader summary (one item of a `fields`-restricted 3.3 list) read from its decoded fields.

A summary has some twenty optional fields and a list call asks for a handful (the page asks for
six), so only the keys an item holds are read: each optional key has its reader, called when the
key is there, in the record's field order, so a bad value raises the same `ShapeError` as
reading every field in turn would. A key an item does not hold is None, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from upstream.decode import contact_details, leverage
from upstream.enums import AccessRights, AccountType
from upstream.fields import Fields
from upstream.records import TraderSummary
from upstream.times import from_epoch_ms

Reader = Callable[[Fields, str, int | None], object]


def _timestamp(f: Fields, key: str, _digits: int | None) -> object:
    ms = f.opt_integer(key)
    return from_epoch_ms(ms) if ms else None


def _text(f: Fields, key: str, _digits: int | None) -> object:
    value = f.data[key]  # the key is there; a string is the usual case
    return value if type(value) is str else f.opt_text(key)


def _enum(kind: type[AccessRights] | type[AccountType]) -> Reader:
    return lambda f, key, _digits: f.opt_enum(key, kind)


def _contact(f: Fields, key: str, _digits: int | None) -> object:
    return contact_details(f.record(key))


def _leverage(f: Fields, key: str, _digits: int | None) -> Decimal | None:
    cents = f.opt_integer(key)
    return None if cents is None else leverage(cents)


def _scaled(f: Fields, key: str, digits: int | None) -> Decimal | None:
    value = f.data[key]  # the key is there; an integer (not a bool) is the usual case
    if type(value) is int and digits is not None:
        return Decimal(value).scaleb(-digits)
    return f.opt_scaled(key, digits)


def _integer(f: Fields, key: str, _digits: int | None) -> int | None:
    return f.opt_integer(key)


OPTIONAL: dict[str, tuple[str, Reader]] = {
    "lastUpdateTimestamp": ("last_update_timestamp", _timestamp),
    "groupName": ("group_name", _text),
    "brokerName": ("broker_name", _text),
    "depositCurrency": ("deposit_currency", _text),
    "moneyDigits": ("money_digits", _integer),
    "accessRights": ("access_rights", _enum(AccessRights)),
    "accountType": ("account_type", _enum(AccountType)),
    "name": ("name", _text),
    "lastName": ("last_name", _text),
    "contactDetails": ("contact_details", _contact),
    "leverageInCents": ("leverage", _leverage),
    "balance": ("balance", _scaled),
    "bonus": ("bonus", _scaled),
    "nonWithdrawableBonus": ("non_withdrawable_bonus", _scaled),
    "equity": ("equity", _scaled),
    "usedMargin": ("used_margin", _scaled),
    "freeMargin": ("free_margin", _scaled),
    "minEquityDaily": ("min_equity_daily", _scaled),
    "maxEquityDaily": ("max_equity_daily", _scaled),
}
"""Each optional key of a summary: its record field and its reader, in the record's order."""


def summary(f: Fields) -> TraderSummary:
    data = f.data
    digits = f.opt_integer("moneyDigits")
    f.opt_integer("leverageInCents")  # read before the others, as the record's reading always was
    login = f.integer("login")
    registered = f.timestamp("registrationTimestamp")
    found = {name: read(f, key, digits) for key, (name, read) in OPTIONAL.items() if key in data}
    return TraderSummary(login=login, registration_timestamp=registered, **found)  # type: ignore[arg-type]
