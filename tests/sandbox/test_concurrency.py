"""Each write is one transaction: concurrent balance changes on one account never lose an update."""

import asyncio

import httpx

from tests.sandbox.conftest import change_balance, create_trader, get_trader


async def test_concurrent_deposits_and_withdrawals_sum_exactly(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=100_000))["login"]
    calls = [change_balance(client, admin_token, login, "7.31", "DEPOSIT") for _ in range(25)]
    calls += [change_balance(client, admin_token, login, "2.19", "WITHDRAW") for _ in range(25)]
    statuses = {r.status_code for r in await asyncio.gather(*calls)}
    trader = await get_trader(client, admin_token, login)
    assert (statuses, trader["balance"]) == ({200}, 100_000 + 25 * 731 - 25 * 219)


async def test_concurrent_withdrawals_never_overdraw(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    login = (await create_trader(client, admin_token, balance=1_000))["login"]
    calls = [change_balance(client, admin_token, login, "3", "WITHDRAW") for _ in range(20)]
    statuses = sorted(r.status_code for r in await asyncio.gather(*calls))
    trader = await get_trader(client, admin_token, login)
    assert (statuses, trader["balance"]) == ([200] * 3 + [400] * 17, 100)
