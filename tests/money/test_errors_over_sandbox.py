"""Every typed money error over the sandbox: its union member, and nothing changed upstream."""

import base64
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from tests.money.graph import MOVEMENT_FIELDS, execute
from tests.money.sandbox_kit import READ_ONLY, Sandbox, sandbox_desk

NOTHING = (Decimal(0), Decimal(0), Decimal(0))
FIRST = base64.b64encode(b"MoneyMovement:1").decode()
Rig = tuple[Sandbox, MoneyDesk, int]


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    async with sandbox_desk(engine, read_timeout=5.0) as (sandbox, desk):
        yield sandbox, desk, await sandbox.open_account("USD")


def mutation(name: str) -> str:
    signature = "mutation ($input: MoneyMovementInput!)"
    return f"{signature} {{ {name}(input: $input) {{ {MOVEMENT_FIELDS} }} }}"


def money_input(login: int, amount: str = "10", **extra: object) -> dict[str, object]:
    return {"login": login, "amount": amount, "idempotencyKey": "k", **extra}


async def outcome(
    sandbox: Sandbox, desk: MoneyDesk, name: str, variables: dict[str, object], login: int
) -> tuple[object, tuple[Decimal, Decimal, Decimal]]:
    data = await execute(desk, mutation(name), input=variables)
    return data[name], await sandbox.money(login)


def refused(typename: str, message: str) -> dict[str, object]:
    return {"__typename": typename, "message": message, "movement": None}


def failed(typename: str, code: str, message: str) -> dict[str, object]:
    error = {"code": code, "message": message}
    movement = {"id": FIRST, "state": "FAILED", "error": error}
    return {"__typename": typename, "message": message, "movement": movement}


async def test_insufficient_funds(rig: Rig) -> None:
    sandbox, desk, login = rig
    message = "Not enough money on the account"
    assert await outcome(sandbox, desk, "withdraw", money_input(login), login) == (
        failed("InsufficientFunds", "INSUFFICIENT_FUNDS", message),
        NOTHING,
    )


async def test_invalid_amount(rig: Rig) -> None:
    sandbox, desk, login = rig
    message = "amount 10.001 has more than 2 decimals allowed for USD"
    assert await outcome(sandbox, desk, "deposit", money_input(login, "10.001"), login) == (
        refused("InvalidAmount", message),
        NOTHING,
    )


async def test_currency_mismatch(rig: Rig) -> None:
    sandbox, desk, login = rig
    message = f"account {login} is in USD, the amount in EUR; give a rate to convert"
    variables = money_input(login, currency="EUR")
    assert await outcome(sandbox, desk, "deposit", variables, login) == (
        refused("CurrencyMismatch", message),
        NOTHING,
    )


async def test_idempotency_key_reused(rig: Rig) -> None:
    sandbox, desk, login = rig
    await execute(desk, mutation("depositBonus"), input=money_input(login, "1"))
    message = "idempotencyKey 'k' was used for a different request"
    movement = {"id": FIRST, "state": "SUCCEEDED", "error": None}
    assert await outcome(sandbox, desk, "depositBonus", money_input(login, "2"), login) == (
        {"__typename": "IdempotencyKeyReused", "message": message, "movement": movement},
        (Decimal(0), Decimal(1), Decimal(0)),
    )


async def test_trader_not_found(rig: Rig) -> None:
    sandbox, desk, _login = rig
    data = await execute(desk, mutation("deposit"), input=money_input(987654))
    assert (data["deposit"], await sandbox.calls()) == (
        refused("TraderNotFound", "Trader 987654 not found"),
        0,
    )


async def test_rate_limited(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("error", status=429, errorCode="REQUEST_FREQUENCY_EXCEEDED", times=1)
    message = "Injected fault: error"
    assert await outcome(sandbox, desk, "depositCredit", money_input(login), login) == (
        failed("RateLimited", "RATE_LIMITED", message),
        NOTHING,
    )


async def test_upstream_unavailable(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("error", status=503, times=1)
    message = "503 UNKNOWN_ERROR: Injected fault: error"
    assert await outcome(sandbox, desk, "deposit", money_input(login), login) == (
        failed("UpstreamUnavailable", "UPSTREAM_UNAVAILABLE", message),
        NOTHING,
    )


async def test_outcome_unknown_when_the_answer_is_dropped(rig: Rig) -> None:
    sandbox, desk, login = rig
    await sandbox.fault("drop_after_commit", times=1)
    data = await execute(desk, mutation("deposit"), input=money_input(login))
    lost = "RemoteProtocolError talking to the upstream; the write may have been applied"
    assert (data["deposit"], await sandbox.money(login)) == (
        {
            "__typename": "OutcomeUnknown",
            "message": f"the upstream's answer to movement {FIRST} was lost; "
            "it stays OUTCOME_UNKNOWN until an operator resolves it",
            "movement": {
                "id": FIRST,
                "state": "OUTCOME_UNKNOWN",
                "historyId": None,
                "error": {"code": "OUTCOME_UNKNOWN", "message": lost},
            },
        },
        (Decimal(10), Decimal(0), Decimal(0)),
    )


async def test_not_enough_rights(engine: AsyncEngine) -> None:
    async with sandbox_desk(engine, manager=READ_ONLY) as (sandbox, desk):
        login = await sandbox.open_account("USD")
        message = "This manager is read-only"
        assert await outcome(sandbox, desk, "deposit", money_input(login), login) == (
            failed("NotEnoughRights", "NOT_ENOUGH_RIGHTS", message),
            NOTHING,
        )
