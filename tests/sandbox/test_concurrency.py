"""Each write is one transaction: concurrent balance changes on one account never lose an update."""

import asyncio

import httpx
import pytest

from sandbox import SandboxSettings, create_app
from tests.sandbox.calls import ADMIN, change_balance, token_of
from tests.sandbox.traders import create_trader, get_trader


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


async def test_a_write_whose_client_gave_up_is_still_applied() -> None:
    app = create_app(SandboxSettings())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            token = await token_of(client, *ADMIN)
            login = (await create_trader(client, token, balance=1_000))["login"]
            database = app.state.sandbox.db
            async with database.write():  # the sandbox is busy with another write
                deposit = asyncio.create_task(change_balance(client, token, login, "5"))
                for _ in range(1_000):  # let it run until it queues behind that write
                    await asyncio.sleep(0)
                    if getattr(database._lock, "_waiters", None):
                        break
                deposit.cancel()  # the client gives up
            with pytest.raises(asyncio.CancelledError):
                await deposit
            trader = await get_trader(client, token, login)  # queued after the deposit
    assert trader["balance"] == 1_500
