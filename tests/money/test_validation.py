"""Amount rules: positive, at most moneyDigits decimals, in the account currency or with a rate."""

from decimal import Decimal

import pytest

from resolvers.decimals import UnusableDecimal
from resolvers.money.failures import Failure, Refused
from resolvers.money.orders import Account, MoneyOrder, TransferOrder
from resolvers.money.validation import Applied, applied, check_form
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


def form_refusal(order: MoneyOrder | TransferOrder) -> tuple[Failure, str]:
    with pytest.raises(Refused) as caught:
        check_form(order)
    return caught.value.failure, caught.value.message


def test_an_unusable_amount_is_refused_before_any_account_is_known() -> None:
    bad = MoneyOrder(
        MovementKind.DEPOSIT, 5001, UnusableDecimal("'NaN' is not a finite number"), "k"
    )
    message = "amount 'NaN' is not a finite number"
    assert form_refusal(bad) == (Failure.INVALID_AMOUNT, message)


def test_an_unusable_rate_is_refused_before_any_account_is_known() -> None:
    bad = TransferOrder(1, 2, Decimal(1), "k", rate=UnusableDecimal("'1e9' is too big"))
    assert form_refusal(bad) == (Failure.INVALID_AMOUNT, "rate '1e9' is too big")


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (MoneyOrder(MovementKind.WITHDRAW, 0, Decimal(1), "k"), "login must be positive, got 0"),
        (TransferOrder(-3, 2, Decimal(1), "k"), "fromLogin must be positive, got -3"),
        (TransferOrder(1, -2, Decimal(1), "k"), "toLogin must be positive, got -2"),
    ],
)
def test_a_login_that_is_not_positive_is_invalid_input(
    order: MoneyOrder | TransferOrder, message: str
) -> None:
    assert form_refusal(order) == (Failure.INVALID_INPUT, message)


def test_a_usable_order_passes_the_form_check() -> None:
    check_form(TransferOrder(1, 2, Decimal("10.5"), "k", rate=Decimal("1.1")))


@pytest.mark.parametrize("amount", ["999999999999999", "1000000000000000000.00", "0.00000001"])
def test_an_amount_of_up_to_15_significant_digits_passes(amount: str) -> None:
    check_form(MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal(amount), "k"))


def test_an_amount_of_16_significant_digits_is_refused_before_any_account_is_known() -> None:
    bad = MoneyOrder(MovementKind.DEPOSIT, 5001, Decimal("1234567890123.456"), "k")
    message = (
        "amount 1234567890123.456 has more than 15 significant digits,"
        " more than the upstream's amounts hold exactly"
    )
    assert form_refusal(bad) == (Failure.INVALID_AMOUNT, message)


def test_a_converted_amount_holds_at_most_15_significant_digits() -> None:
    message = (
        "amount 1234567890123456.78 has more than 15 significant digits,"
        " more than the upstream's amounts hold exactly"
    )
    converted = refusal("1234567890123456.78", USD, currency="EUR", rate="1")
    assert converted == (Failure.INVALID_AMOUNT, message)
