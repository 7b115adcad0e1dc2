"""§3.8 changebalance and §3.11 changebonus: history ids, exact scaled money (§1.4), the money
input rule and NOT_ENOUGH_MONEY of §12, and concurrent changes that never lose an update."""

import asyncio
from decimal import Decimal

import httpx
import pytest

from tests.sandbox.calls import change_balance, open_position, post_json
from tests.sandbox.matchers import ANY_INT, Matches, error_body, outcome, project
from tests.sandbox.traders import create_trader, get_trader
from tests.sandbox.wire import WEBSERV, Json, to_json, xml_value


def money(entity: Json) -> Json:
    """The money fields a balance or bonus change moves, with no position open."""
    keys = ("balance", "bonus", "nonWithdrawableBonus", "equity", "freeMargin", "cashEquity")
    return {key: entity.get(key) for key in keys}


def funds(balance: int, *, bonus: int = 0, credit: int = 0) -> Json:
    """Money fields of an account without positions: equity and free margin follow the balance."""
    return {
        "balance": balance,
        "bonus": bonus,
        "nonWithdrawableBonus": credit,
        "equity": balance,
        "freeMargin": balance,
        "cashEquity": balance,
    }


async def change_bonus(
    client: httpx.AsyncClient, token: str, login: object, amount: str, kind: str = "DEPOSIT"
) -> httpx.Response:
    body = {"login": login, "preciseAmount": Decimal(amount), "type": kind}
    return await post_json(client, f"{WEBSERV}/traders/{login}/changebonus", token, body)


async def test_a_deposit_answers_its_balance_history_id(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await change_balance(client, admin_token, login, "12.34")
    assert outcome(response) == (200, {"balanceHistoryId": ANY_INT})


async def test_a_deposit_answers_xml_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await client.post(
        f"{WEBSERV}/traders/{login}/changebalance",
        params={"token": admin_token},
        content=to_json({"login": login, "preciseAmount": Decimal("12.50"), "type": "DEPOSIT"}),
        headers={"Content-Type": "application/json"},
    )
    assert (response.status_code, xml_value(response.text)) == (
        200,
        ("balanceChange", {"balanceHistoryId": Matches(r"\d+")}),
    )


async def test_each_balance_change_gets_its_own_history_id(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    first = await change_balance(client, admin_token, login, "1.00")
    second = await change_balance(client, admin_token, login, "1.00")
    assert first.json()["balanceHistoryId"] != second.json()["balanceHistoryId"]


async def test_a_usd_deposit_with_two_decimals_is_scaled_exactly(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await change_balance(client, admin_token, login, "12345678.91")
    assert money(await get_trader(client, admin_token, login)) == funds(1234567891)


async def test_a_btc_deposit_with_eight_decimals_is_scaled_exactly(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # 90071992.54740993 has no exact binary double (it reads back as ...994): only a server that
    # never goes through a float keeps the last unit.
    login = (await create_trader(client, admin_token, depositCurrency="BTC"))["login"]
    await change_balance(client, admin_token, login, "90071992.54740993")
    assert money(await get_trader(client, admin_token, login)) == funds(9007199254740993)


async def test_a_withdrawal_takes_the_exact_amount(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=100000))["login"]
    await change_balance(client, admin_token, login, "0.01", "WITHDRAW")
    assert money(await get_trader(client, admin_token, login)) == funds(99999)


async def test_a_credit_deposit_moves_the_non_withdrawable_bonus(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=100000))["login"]
    response = await change_balance(
        client, admin_token, login, "25.50", "DEPOSIT_NONWITHDRAWABLE_BONUS"
    )
    entity = await get_trader(client, admin_token, login)
    expected = {"balance": 100000, "bonus": 0, "nonWithdrawableBonus": 2550}
    assert (response.status_code, project(entity, expected)) == (200, expected)


async def test_a_credit_withdrawal_moves_the_non_withdrawable_bonus(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=100000))["login"]
    await change_balance(client, admin_token, login, "25.50", "DEPOSIT_NONWITHDRAWABLE_BONUS")
    await change_balance(client, admin_token, login, "5.25", "WITHDRAW_NONWITHDRAWABLE_BONUS")
    entity = await get_trader(client, admin_token, login)
    expected = {"balance": 100000, "bonus": 0, "nonWithdrawableBonus": 2025}
    assert project(entity, expected) == expected


async def test_a_deposit_accepts_the_documented_optional_keys(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await change_balance(
        client,
        admin_token,
        login,
        "10.00",
        comment="internal",
        externalNote="thank you",
        externalId="wire-42",
        source="wire",
        skipMarginCheck=False,
    )
    assert outcome(response) == (200, {"balanceHistoryId": ANY_INT})


@pytest.mark.parametrize(
    ("currency", "amount"),
    [("USD", "-5.00"), ("USD", "0"), ("USD", "0.001"), ("USD", "1.005"), ("BTC", "0.123456789")],
)
async def test_a_bad_amount_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str, currency: str, amount: str
) -> None:
    login = (await create_trader(client, admin_token, depositCurrency=currency, balance=1000))[
        "login"
    ]
    response = await change_balance(client, admin_token, login, amount)
    entity = await get_trader(client, admin_token, login)
    assert (outcome(response), money(entity)) == (
        (400, error_body("CHANGE_BALANCE_BAD_AMOUNT")),
        funds(1000),
    )


async def test_a_withdrawal_beyond_the_balance_is_not_enough_money_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=1000))["login"]
    response = await change_balance(client, admin_token, login, "10.01", "WITHDRAW")
    entity = await get_trader(client, admin_token, login)
    assert (outcome(response), money(entity)) == (
        (400, error_body("NOT_ENOUGH_MONEY")),
        funds(1000),
    )


async def test_a_withdrawal_into_used_margin_is_not_enough_money(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=1_000_000))["login"]
    await open_position(client, login, volume="100000")
    response = await change_balance(client, admin_token, login, "10000.00", "WITHDRAW")
    assert outcome(response) == (400, error_body("NOT_ENOUGH_MONEY"))


async def test_skip_margin_check_lets_a_withdrawal_into_used_margin_through(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=1_000_000))["login"]
    await open_position(client, login, volume="100000")
    response = await change_balance(
        client, admin_token, login, "10000.00", "WITHDRAW", skipMarginCheck=True
    )
    entity = await get_trader(client, admin_token, login)
    assert (response.status_code, entity["balance"]) == (200, 0)


async def test_a_balance_change_of_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await change_balance(client, admin_token, 987654321, "1.00")
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_an_unknown_change_type_is_invalid_request(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await change_balance(client, admin_token, login, "1.00", "GIFT")
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_concurrent_deposits_and_withdrawals_sum_exactly(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # 1000.00 + 25 x 10.01 - 15 x 3.07 = 1204.20, whatever order the 40 requests commit in.
    login = (await create_trader(client, admin_token, balance=100000))["login"]
    calls = [change_balance(client, admin_token, login, "10.01") for _ in range(25)]
    calls += [change_balance(client, admin_token, login, "3.07", "WITHDRAW") for _ in range(15)]
    responses = await asyncio.gather(*calls)
    ids = {response.json()["balanceHistoryId"] for response in responses}
    entity = await get_trader(client, admin_token, login)
    assert ({r.status_code for r in responses}, len(ids), money(entity)) == (
        {200},
        40,
        funds(120420),
    )


async def test_a_bonus_deposit_answers_its_bonus_history_id(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await change_bonus(client, admin_token, login, "15.00")
    assert outcome(response) == (200, {"bonusHistoryId": ANY_INT})


async def test_a_bonus_deposit_answers_xml_by_default(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    response = await client.post(
        f"{WEBSERV}/traders/{login}/changebonus",
        params={"token": admin_token},
        content=to_json({"login": login, "preciseAmount": Decimal("15.00"), "type": "DEPOSIT"}),
        headers={"Content-Type": "application/json"},
    )
    assert (response.status_code, xml_value(response.text)) == (
        200,
        ("bonusChange", {"bonusHistoryId": Matches(r"\d+")}),
    )


async def test_bonus_deposits_and_withdrawals_move_the_bonus_only(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=1000))["login"]
    await change_bonus(client, admin_token, login, "15.00")
    await change_bonus(client, admin_token, login, "2.50", "WITHDRAW")
    entity = await get_trader(client, admin_token, login)
    expected = {"balance": 1000, "bonus": 1250, "nonWithdrawableBonus": 0}
    assert project(entity, expected) == expected


async def test_a_negative_bonus_amount_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    # §12's money-input rule is about `preciseAmount`, which changebonus shares with changebalance.
    login = (await create_trader(client, admin_token))["login"]
    response = await change_bonus(client, admin_token, login, "-1.00")
    entity = await get_trader(client, admin_token, login)
    assert (outcome(response), entity["bonus"]) == (
        (400, error_body("CHANGE_BALANCE_BAD_AMOUNT")),
        0,
    )


async def test_a_bonus_change_of_an_unknown_trader_is_trader_not_found(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await change_bonus(client, admin_token, 987654321, "1.00")
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))
