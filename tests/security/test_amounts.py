"""Attack: amounts no money can be ("1e999999999", "1e999990", NaN, 29 digits) on every money
mutation, as a variable and as an inline literal. Defence: the `Decimal` scalar marks them
unusable and the money code answers `InvalidAmount` before the order hash, the journal or the
upstream sees them: no journal row, no upstream call (counted by the sandbox)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, Wire

MOVES = ("deposit", "withdraw", "depositBonus", "withdrawBonus", "depositCredit", "withdrawCredit")
EXPONENT = 'is written with an exponent; write its digits out, as in "1234.56"'
ATTACKS = [
    ("1e999999999", f"amount '1e999999999' {EXPONENT}"),
    ("1e999990", f"amount '1e999990' {EXPONENT}"),
    ("NaN", "amount 'NaN' is not a finite number"),
    ("-Infinity", "amount '-Infinity' is not a finite number"),
    (
        "9" * 29,
        "amount '999999999999999999999999...' has more than 28 significant digits or decimals",
    ),
]
FIELDS = "__typename ... on MoneyError { message movement { id } }"


def invalid_amount(message: str) -> dict[str, object]:
    return {"__typename": "InvalidAmount", "message": message, "movement": None}


def rows(tmp_path: Path) -> tuple[int, int]:
    """Rows in the money journal and in the transfers table of the service's database."""
    with sqlite3.connect(tmp_path / "service.db") as db:
        (movements,) = db.execute("SELECT count(*) FROM tg_money_movements").fetchone()
        (transfers,) = db.execute("SELECT count(*) FROM tg_money_transfers").fetchone()
    return int(movements), int(transfers)


@pytest.mark.parametrize(("amount", "message"), ATTACKS)
@pytest.mark.parametrize("name", MOVES)
async def test_an_unusable_amount_variable_is_invalid_amount_and_nothing_happens(
    wire: Wire, upstream: Upstream, tmp_path: Path, name: str, amount: str, message: str
) -> None:
    query = f"mutation ($input: MoneyMovementInput!) {{ {name}(input: $input) {{ {FIELDS} }} }}"
    given = {"login": 4242, "amount": amount, "idempotencyKey": "attack"}

    answer = await wire.post(query, input=given)

    assert answer == Answer(200, {"data": {name: invalid_amount(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


@pytest.mark.parametrize(("amount", "message"), ATTACKS)
@pytest.mark.parametrize("name", MOVES)
async def test_an_unusable_amount_literal_is_invalid_amount_and_nothing_happens(
    wire: Wire, upstream: Upstream, tmp_path: Path, name: str, amount: str, message: str
) -> None:
    given = f'{{login: 4242, amount: {json.dumps(amount)}, idempotencyKey: "attack"}}'

    answer = await wire.post(f"mutation {{ {name}(input: {given}) {{ {FIELDS} }} }}")

    assert answer == Answer(200, {"data": {name: invalid_amount(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


@pytest.mark.parametrize(("amount", "message"), ATTACKS)
async def test_an_unusable_transfer_amount_is_invalid_amount_and_nothing_happens(
    wire: Wire, upstream: Upstream, tmp_path: Path, amount: str, message: str
) -> None:
    query = (
        f"mutation ($input: TransferFundsInput!) {{ transferFunds(input: $input) {{ {FIELDS} }} }}"
    )
    given = {"fromLogin": 4242, "toLogin": 4243, "amount": amount, "idempotencyKey": "attack"}

    answer = await wire.post(query, input=given)

    assert answer == Answer(200, {"data": {"transferFunds": invalid_amount(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


async def test_an_unusable_rate_is_invalid_amount_and_nothing_happens(
    wire: Wire, upstream: Upstream, tmp_path: Path
) -> None:
    given = '{fromLogin: 4242, toLogin: 4243, amount: "10", rate: "1e999990", idempotencyKey: "k"}'

    answer = await wire.post(f"mutation {{ transferFunds(input: {given}) {{ {FIELDS} }} }}")

    message = f"rate '1e999990' {EXPONENT}"
    assert answer == Answer(200, {"data": {"transferFunds": invalid_amount(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


async def test_an_integer_literal_of_thousands_of_digits_is_invalid_amount(
    wire: Wire, upstream: Upstream, tmp_path: Path
) -> None:
    given = f'{{login: 4242, amount: {"9" * 5000}, idempotencyKey: "attack"}}'

    answer = await wire.post(f"mutation {{ deposit(input: {given}) {{ {FIELDS} }} }}")

    message = "amount '999999999999999999999999...' has more than 28 significant digits or decimals"
    assert answer == Answer(200, {"data": {"deposit": invalid_amount(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)


async def test_an_amount_beyond_what_the_upstream_holds_exactly_is_invalid_amount(
    wire: Wire, upstream: Upstream, tmp_path: Path
) -> None:
    """preciseAmount is a double upstream: 12345678901234567.89 would be booked as ...568."""
    given = '{login: 4242, amount: "12345678901234567.89", idempotencyKey: "attack"}'

    answer = await wire.post(f"mutation {{ deposit(input: {given}) {{ {FIELDS} }} }}")

    message = (
        "amount 12345678901234567.89 has more than 15 significant digits,"
        " more than the upstream's amounts hold exactly"
    )
    assert answer == Answer(200, {"data": {"deposit": invalid_amount(message)}})
    assert await upstream.calls() == {}
    assert rows(tmp_path) == (0, 0)
