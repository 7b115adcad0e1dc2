"""The control API (docs/sandbox.md): reset, managers, positions, clock, stats, users export."""

import json
from decimal import Decimal

import httpx

from tests.sandbox.calls import (
    ADMIN,
    change_balance,
    close_position,
    create_manager,
    open_position,
    post_json,
    token_of,
)
from tests.sandbox.clock import NOW_MS
from tests.sandbox.matchers import error_body, outcome
from tests.sandbox.traders import create_trader, get_trader
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, md5

USERS_HEADER = (
    "userId,email,nickname,preferredLanguage,status,utcCreateTimestamp,"
    "traderLogin,ctidTraderAccountId,brokerName,environmentName"
)


async def test_reset_forgets_created_traders(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    assert (await client.post("/_sandbox/reset")).status_code == 204
    token = await token_of(client, *ADMIN)
    response = await client.get(
        f"{WEBSERV}/traders/{login}", params={"token": token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (404, error_body("TRADER_NOT_FOUND"))


async def test_reset_keeps_the_base_dataset(client: httpx.AsyncClient, admin_token: str) -> None:
    await client.post("/_sandbox/reset")
    response = await client.get(
        f"{WEBSERV}/depositAssets", params={"token": admin_token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (200, {"depositAsset": ["BTC", "EUR", "GBP", "JPY", "USD"]})


async def test_reset_clears_stats_and_faults(client: httpx.AsyncClient, admin_token: str) -> None:
    await client.post("/_sandbox/faults", json={"path": "/v2/webserv/symbols", "action": "error"})
    await client.post("/_sandbox/reset")
    stats_after_reset = (await client.get("/_sandbox/stats")).json()
    faults_after_reset = (await client.get("/_sandbox/faults")).json()
    assert (stats_after_reset, faults_after_reset) == ({"requests": {}}, [])


async def test_reset_returns_the_clock_to_real_time(client: httpx.AsyncClient) -> None:
    await client.post("/_sandbox/reset")
    now = (await client.get("/_sandbox/clock")).json()["nowMs"]
    assert now > NOW_MS


async def test_clock_advance_moves_a_pinned_clock(client: httpx.AsyncClient) -> None:
    response = await client.post("/_sandbox/clock", json={"advanceMs": 90_000})
    assert outcome(response) == (200, {"nowMs": NOW_MS + 90_000})


async def test_clock_without_a_move_is_invalid_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/_sandbox/clock", json={})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_a_created_manager_gets_a_token_and_its_scope(client: httpx.AsyncClient) -> None:
    admin = await token_of(client, *ADMIN)
    hidden = (await create_trader(client, admin, brokerName="borealis-fx"))["login"]
    token = await create_manager(client, 2001, "desk-2", disabled_broker_names=["borealis-fx"])
    response = await client.get(
        f"{WEBSERV}/traders/{hidden}", params={"token": token}, headers=ACCEPT_JSON
    )
    assert outcome(response) == (403, error_body("NOT_ENOUGH_RIGHTS"))


async def test_replacing_a_manager_changes_its_token(client: httpx.AsyncClient) -> None:
    first = await create_manager(client, 2002, "one")
    second = await create_manager(client, 2002, "two")
    response = await client.get(f"{WEBSERV}/symbols", params={"token": first}, headers=ACCEPT_JSON)
    assert (first != second, outcome(response)) == (True, (401, error_body("INVALID_TOKEN")))


async def test_a_manager_without_a_login_is_invalid_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/_sandbox/managers", json={"password": "x"})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_opening_a_position_answers_it(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    body = {"login": login, "symbol": "EURUSD", "direction": "SELL", "volume": 2000}
    response = await post_json(client, "/_sandbox/positions", None, body)
    expected = {**body, "positionId": response.json()["positionId"], "openTimestamp": NOW_MS}
    assert outcome(response) == (200, expected)


async def test_an_open_position_takes_margin(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await change_balance(client, admin_token, login, "100")
    await open_position(client, login, volume="1000", entry_price="1.08")
    trader = await get_trader(client, admin_token, login)
    margin = {k: trader[k] for k in ("balance", "equity", "usedMargin", "freeMargin")}
    # 1,000 EUR at the sandbox's fixed 1.08 USD, leverage 1:100 -> 10.80 USD.
    assert margin == {"balance": 10000, "equity": 10000, "usedMargin": 1080, "freeMargin": 8920}


async def test_closing_realises_the_pnl(client: httpx.AsyncClient, admin_token: str) -> None:
    login = (await create_trader(client, admin_token))["login"]
    position = await open_position(client, login, volume="1000", entry_price="1.08000")
    await close_position(client, position, close_price="1.08500")
    trader = await get_trader(client, admin_token, login)
    assert {k: trader[k] for k in ("balance", "usedMargin")} == {"balance": 500, "usedMargin": 0}


async def test_a_partial_close_answers_the_closing_deal(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    position = await open_position(client, login, volume="1000", entry_price="1.10000")
    body = {"volume": 400, "closePrice": "1.09000"}
    response = await client.post(f"/_sandbox/positions/{position}/close", json=body)
    expected = {
        "dealId": response.json()["dealId"],
        "positionId": position,
        "volume": Decimal("400"),
        "closePrice": Decimal("1.09000"),
        "pnl": Decimal("-4.00"),
    }
    assert (response.status_code, json.loads(response.text, parse_float=Decimal)) == (
        200,
        expected,
    )


async def test_each_close_call_makes_one_closed_position_row(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    position = await open_position(client, login, volume="1000", entry_price="1.10000")
    await close_position(client, position, close_price="1.10100", volume="300")
    await close_position(client, position, close_price="1.10200")
    params = {"from": "2026-03-02T00:00:00.000", "to": "2026-03-03T00:00:00.000"}
    response = await client.get(
        f"{WEBSERV}/closedPositions", params={**params, "token": admin_token}, headers=ACCEPT_JSON
    )
    grid = json.loads(response.text, parse_float=Decimal)
    rows = [(r["positionId"], r["volume"], r["closePrice"], r["pnl"]) for r in grid]
    assert rows == [
        (position, Decimal("300.00"), Decimal("1.10100"), Decimal("0.30")),
        (position, Decimal("700.00"), Decimal("1.10200"), Decimal("1.40")),
    ]


async def test_closing_more_than_is_open_is_invalid(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    position = await open_position(client, login, volume="1000")
    response = await client.post(f"/_sandbox/positions/{position}/close", json={"volume": 1001})
    assert outcome(response) == (400, error_body("INVALID_REQUEST"))


async def test_stats_count_by_method_and_route_template(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    await get_trader(client, admin_token, login)
    await get_trader(client, admin_token, login)
    await client.get("/_sandbox/stats")
    assert (await client.get("/_sandbox/stats")).json() == {
        "requests": {
            "GET /v2/webserv/traders/{login}": 2,
            "GET /v2/webserv/tradergroups": 1,
            "POST /v2/webserv/managers/token": 1,
            "POST /v2/webserv/traders": 1,
        }
    }


async def test_stats_reset_zeroes_counters_and_keeps_data(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    assert (await client.post("/_sandbox/stats/reset")).status_code == 204
    stats = (await client.get("/_sandbox/stats")).json()
    trader = await get_trader(client, admin_token, login)
    assert (stats, trader["login"]) == ({"requests": {}}, login)


async def test_users_export_lists_links_in_order(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token))["login"]
    user = await post_json(client, "/cid/ctid/create", admin_token, {"email": "A@Example.com"})
    user_id = user.json()["userId"]
    await post_json(client, "/cid/ctid/create", admin_token, {"email": "z@example.com"})
    link = {
        "traderLogin": login,
        "traderPasswordHash": md5("trader-secret"),
        "userId": user_id,
        "brokerName": "sandbox",
        "environmentName": "demo",
        "returnAccountDetails": True,
    }
    account = (await post_json(client, "/cid/ctid/link", admin_token, link)).json()
    response = await client.get("/_sandbox/users.csv")
    assert response.text.splitlines() == [
        USERS_HEADER,
        f"{user_id},A@Example.com,ctid{user_id},EN,CTID_NEW,{NOW_MS},{login},"
        f"{account['ctidTraderAccountId']},sandbox,demo",
        f"{user_id + 1},z@example.com,ctid{user_id + 1},EN,CTID_NEW,{NOW_MS},,,,",
    ]


def equity_range(trader: dict[str, object]) -> tuple[object, object]:
    return trader["minEquityDaily"], trader["maxEquityDaily"]


async def test_daily_equity_range_follows_the_days_changes(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=10_000))["login"]
    await change_balance(client, admin_token, login, "50", "DEPOSIT")
    await change_balance(client, admin_token, login, "120", "WITHDRAW")
    assert equity_range(await get_trader(client, admin_token, login)) == (3_000, 15_000)


async def test_a_new_day_on_the_clock_restarts_the_equity_range(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=10_000))["login"]
    await change_balance(client, admin_token, login, "50", "DEPOSIT")
    await client.post("/_sandbox/clock", json={"advanceMs": 86_400_000})
    untouched = equity_range(await get_trader(client, admin_token, login))
    await change_balance(client, admin_token, login, "10", "WITHDRAW")
    moved = equity_range(await get_trader(client, admin_token, login))
    assert (untouched, moved) == ((15_000, 15_000), (14_000, 15_000))
