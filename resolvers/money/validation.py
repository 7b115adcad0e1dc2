"""The checks an amount passes before anything is journaled or sent upstream.

The upstream would refuse a bad amount itself (`CHANGE_BALANCE_BAD_AMOUNT`), but refusing it here
keeps the journal free of requests that could never succeed, and turns a cross-currency amount into
the account's currency exactly, once, with the rate the client gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from resolvers.decimals import UnusableDecimal
from resolvers.money.failures import Failure, Refused
from resolvers.money.orders import Account, MoneyOrder, TransferOrder, canonical

MAX_KEY_LENGTH = 128
UPSTREAM_DIGITS = 15
"""The upstream reads `preciseAmount` as a double, which holds 15 significant decimal digits
exactly (C's DBL_DIG): a longer amount could be booked as another number than the one journaled."""


@dataclass(frozen=True)
class Applied:
    """The amount as it will move the account: in the account's currency and digits."""

    amount: Decimal
    currency: str
    rate: Decimal | None


def check_form(order: MoneyOrder | TransferOrder) -> None:
    """What needs no account: usable numbers and positive logins. It runs first, before the
    order hash, the journal and any upstream call see the order."""
    for name, value in (("amount", order.amount), ("rate", order.rate)):
        if isinstance(value, UnusableDecimal):
            raise Refused(Failure.INVALID_AMOUNT, f"{name} {value.reason}")
    check_digits(order.amount)
    if isinstance(order, MoneyOrder):
        logins = {"login": order.login}
    else:
        logins = {"fromLogin": order.from_login, "toLogin": order.to_login}
    for name, login in logins.items():
        if login <= 0:
            raise Refused(Failure.INVALID_INPUT, f"{name} must be positive, got {login}")


def check_digits(amount: Decimal) -> None:
    """At most `UPSTREAM_DIGITS` significant digits (trailing zeros are not significant)."""
    if amount.is_finite() and len(amount.normalize().as_tuple().digits) > UPSTREAM_DIGITS:
        message = (
            f"amount {canonical(amount)} has more than {UPSTREAM_DIGITS} significant digits,"
            " more than the upstream's amounts hold exactly"
        )
        raise Refused(Failure.INVALID_AMOUNT, message)


def check_key(key: str) -> None:
    if not 0 < len(key) <= MAX_KEY_LENGTH or key != key.strip():
        message = f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} characters, without outer spaces"
        raise Refused(Failure.INVALID_INPUT, message)


def check_amount(amount: Decimal, account: Account) -> Decimal:
    """Positive, finite, with at most the account's moneyDigits decimals and the digits the
    upstream holds exactly; returns it normalised."""
    if not amount.is_finite() or amount <= 0:
        raise Refused(Failure.INVALID_AMOUNT, f"amount must be positive, got {amount}")
    check_digits(amount)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > account.money_digits:
        message = (
            f"amount {canonical(amount)} has more than {account.money_digits} decimals "
            f"allowed for {account.currency}"
        )
        raise Refused(Failure.INVALID_AMOUNT, message)
    return Decimal(canonical(amount))


def convert(order: MoneyOrder, account: Account) -> Decimal:
    """The amount in the account's currency; a foreign amount needs the client's explicit rate."""
    if order.currency is None or order.currency == account.currency:
        if order.rate is not None:
            raise Refused(Failure.CURRENCY_MISMATCH, "a rate is only given with another currency")
        return order.amount
    if order.rate is None:
        message = (
            f"account {account.login} is in {account.currency}, the amount in {order.currency}; "
            "give a rate to convert"
        )
        raise Refused(Failure.CURRENCY_MISMATCH, message)
    if not order.rate.is_finite() or order.rate <= 0:
        raise Refused(Failure.INVALID_AMOUNT, f"rate must be positive, got {order.rate}")
    quantum = Decimal(1).scaleb(-account.money_digits)
    return (order.amount * order.rate).quantize(quantum, rounding=ROUND_HALF_EVEN)


def applied(order: MoneyOrder, account: Account) -> Applied:
    """Check an order against its account: the key, the currency, then the amount."""
    check_key(order.idempotency_key)
    if order.rate is None:
        check_amount(order.amount, account)
    amount = check_amount(convert(order, account), account)
    return Applied(amount, account.currency, order.rate)
