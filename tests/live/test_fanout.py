"""One poller per account whatever the number of subscribers, counted at the sandbox."""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL, live_settings, serving
from tests.live.test_account_changed import ACCOUNT, account_event
from tests.live.ws import LiveClient, live_client
from tests.resolvers.harness import upstream_on
from tests.support.sandbox import running_sandbox

PER_CONNECTION = 10
POLLS_AFTER_BASELINE = 3


async def subscribe_many(
    clients: list[LiveClient], subscribers: int, login: int
) -> list[tuple[LiveClient, str]]:
    subscriptions = [(clients[n % len(clients)], str(n)) for n in range(subscribers)]
    for client, sid in subscriptions:
        await client.subscribe(sid, ACCOUNT, logins=[login])
    return subscriptions


async def upstream_calls_with(subscribers: int, tmp_path: Path) -> dict[str, int]:
    """Calls the sandbox saw while `subscribers` watched one account for a deposit and 3 polls."""
    clock = ManualClock()
    settings = live_settings(
        tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / f'{subscribers}.db'}"
    )
    async with running_sandbox() as (sandbox, _), upstream_on(sandbox) as upstream:
        login = await upstream.create_trader()
        await upstream.reset_calls()
        async with serving(sandbox, settings, clock) as app, AsyncExitStack() as st:
            connections = -(-subscribers // PER_CONNECTION)
            clients = [await st.enter_async_context(live_client(app)) for _ in range(connections)]
            subscriptions = await subscribe_many(clients, subscribers, login)
            await clock.settled(1)
            await upstream.deposit(login, "25.00")
            for _ in range(POLLS_AFTER_BASELINE):
                await clock.advance(INTERVAL)
                await clock.settled(1)
            received = [await client.receive() for client, _ in subscriptions]
            expected = [account_event(sid, login, "25.00") for _, sid in subscriptions]
            assert sorted(received, key=str) == sorted(expected, key=str)
        return await upstream.calls()


async def test_a_hundred_subscribers_cost_the_upstream_calls_of_one(tmp_path: Path) -> None:
    expected = {
        "POST /v2/webserv/managers/token": 1,
        "GET /v2/webserv/traders/{login}": 1 + POLLS_AFTER_BASELINE,
        "POST /v2/webserv/traders/{login}/changebalance": 1,
    }
    one = await upstream_calls_with(1, tmp_path)
    hundred = await upstream_calls_with(100, tmp_path)
    assert (one, hundred) == (expected, expected)
