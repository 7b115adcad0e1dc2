"""Amount rules: positive, at most moneyDigits decimals, in the account currency or with a rate."""

from decimal import Decimal

import pytest

from resolvers.money.failures import Failure, Refused
from resolvers.money.orders import Account, MoneyOrder
from resolvers.money.validation import Applied, applied
from store.journal import MovementKind

USD = Account(login=5001, currency="USD", money_digits=2)
BTC = Account(login=5002, currency="BTC", money_digits=8)


def order(amount: str, currency: str | None = None, rate: str | None = None) -> MoneyOrder:
    return MoneyOrder(
        MovementKind.DEPOSIT,
        5001,
        Decimal(amount),
        "k",
        currency=currency,
        rate=None if rate is None else Decimal(rate),
    )


def refusal(amount: str, account: Account, **kwargs: str) -> tuple[Failure, str]:
    with pytest.raises(Refused) as caught:
        applied(order(amount, **kwargs), account)
    return caught.value.failure, caught.value.message


def test_an_amount_in_the_account_currency_moves_as_given() -> None:
    assert applied(order("12.30"), USD) == Applied(Decimal("12.3"), "USD", None)


def test_eight_decimals_are_fine_for_a_btc_account() -> None:
    assert applied(order("0.00000001"), BTC) == Applied(Decimal("0.00000001"), "BTC", None)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "amount must be positive, got 0"),
        ("-5", "amount must be positive, got -5"),
        ("NaN", "amount must be positive, got NaN"),
        ("Infinity", "amount must be positive, got Infinity"),
        ("1.001", "amount 1.001 has more than 2 decimals allowed for USD"),
    ],
)
def test_a_bad_amount_is_refused(amount: str, message: str) -> None:
    assert refusal(amount, USD) == (Failure.INVALID_AMOUNT, message)


def test_another_currency_without_a_rate_is_a_currency_mismatch() -> None:
    message = "account 5001 is in USD, the amount in EUR; give a rate to convert"
    assert refusal("10", USD, currency="EUR") == (Failure.CURRENCY_MISMATCH, message)


def test_a_rate_without_another_currency_is_a_currency_mismatch() -> None:
    message = "a rate is only given with another currency"
    assert refusal("10", USD, rate="1.1") == (Failure.CURRENCY_MISMATCH, message)


def test_a_rate_converts_into_the_account_currency_rounding_half_even() -> None:
    converted = applied(order("10.00", currency="EUR", rate="1.08125"), USD)
    assert converted == Applied(Decimal("10.81"), "USD", Decimal("1.08125"))


def test_a_non_positive_rate_is_an_invalid_amount() -> None:
    message = "rate must be positive, got 0"
    assert refusal("10", USD, currency="EUR", rate="0") == (Failure.INVALID_AMOUNT, message)


def test_an_empty_idempotency_key_is_invalid_input() -> None:
    bad = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(1), "")
    with pytest.raises(Refused) as caught:
        applied(bad, USD)
    message = "idempotencyKey must be 1 to 128 characters, without outer spaces"
    assert (caught.value.failure, caught.value.message) == (Failure.INVALID_INPUT, message)
