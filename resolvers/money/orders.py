"""What a client asks the money code to do, and the account facts needed to check it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from store.journal import MovementKind


@dataclass(frozen=True)
class Account:
    """The two facts of an account that never change after it is opened."""

    login: int
    currency: str
    money_digits: int


@dataclass(frozen=True)
class MoneyOrder:
    """One movement on one account. `currency`/`rate` only when the amount is in another currency:
    the account is then moved by `amount * rate` (rate = account currency per unit of `currency`).
    """

    kind: MovementKind
    login: int
    amount: Decimal
    idempotency_key: str
    currency: str | None = None
    rate: Decimal | None = None
    comment: str | None = None


@dataclass(frozen=True)
class TransferOrder:
    """Funds from one account to another; `amount` is in the source account's currency."""

    from_login: int
    to_login: int
    amount: Decimal
    idempotency_key: str
    rate: Decimal | None = None
    comment: str | None = None


def canonical(value: Decimal | None) -> str:
    """The same number always prints the same way: 10, 10.0 and 1E+1 are one amount."""
    if value is None or not value.is_finite():
        return "" if value is None else str(value)
    return format(value.normalize(), "f")


def digest(*parts: object) -> str:
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()


def order_hash(order: MoneyOrder, transfer_id: int | None = None) -> str:
    """What makes two requests with one key the same request (and the transfer of a step)."""
    return digest(
        order.kind.value,
        order.login,
        canonical(order.amount),
        order.currency,
        canonical(order.rate),
        order.comment,
        transfer_id,
    )


def transfer_hash(order: TransferOrder) -> str:
    return digest(
        "TRANSFER",
        order.from_login,
        order.to_login,
        canonical(order.amount),
        canonical(order.rate),
        order.comment,
    )
