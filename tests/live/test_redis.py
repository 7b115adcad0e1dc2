"""Two replicas over one Redis: one poller between them, each delivering to its own subscribers.

Needs `TRADERGRAPH_TEST_REDIS_URL` (e.g. `redis://127.0.0.1:6379/0`); each test uses keys of its
own prefix, so a shared Redis is fine.
"""

from __future__ import annotations

import os
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL, live_settings, serving
from tests.live.test_account_changed import ACCOUNT, account_event
from tests.live.ws import live_client
from tests.resolvers.harness import Upstream

REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set"),
]
LEADER_TTL = 30.0


async def test_two_replicas_deliver_to_their_own_subscribers_from_one_poller(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    await upstream.reset_calls()
    shared = {
        "redis_url": REDIS_URL,
        "redis_key_prefix": f"tradergraph-test:{uuid.uuid4().hex}",
        "live_leader_ttl_seconds": LEADER_TTL,
    }
    async with AsyncExitStack() as stack:
        replicas = []
        for name in ("a", "b"):
            database = f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"
            settings = live_settings(tmp_path, database_url=database, **shared)
            replicas.append(await stack.enter_async_context(serving(sandbox, settings, clock)))
        clients = [await stack.enter_async_context(live_client(app)) for app in replicas]
        for client in clients:
            await client.subscribe("1", ACCOUNT, logins=[login])
        await clock.settled(2)
        standing = clock.pending()
        await upstream.deposit(login, "42.00")
        await clock.advance(INTERVAL)
        received = [await client.receive() for client in clients]
    assert (standing, received, await upstream.calls()) == (
        [INTERVAL, LEADER_TTL / 2],
        [account_event("1", login, "42.00")] * 2,
        {
            "POST /v2/webserv/managers/token": 1,
            "GET /v2/webserv/traders/{login}": 2,
            "POST /v2/webserv/traders/{login}/changebalance": 1,
        },
    )


async def test_when_the_leaders_last_subscriber_leaves_another_replica_takes_over_losing_nothing(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    await upstream.reset_calls()
    shared = {
        "redis_url": REDIS_URL,
        "redis_key_prefix": f"tradergraph-test:{uuid.uuid4().hex}",
        "live_leader_ttl_seconds": LEADER_TTL,
    }
    first = live_settings(
        tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", **shared
    )
    second = live_settings(
        tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", **shared
    )
    async with (
        serving(sandbox, first, clock) as leader,
        serving(sandbox, second, clock) as follower,
        live_client(follower) as staying,
    ):
        async with live_client(leader) as leaving:
            await leaving.subscribe("1", ACCOUNT, logins=[login])
            await clock.settled(1)
            await staying.subscribe("1", ACCOUNT, logins=[login])
            await clock.settled(2)
        waiting = clock.pending()
        await upstream.deposit(login, "7.00")
        await clock.advance(LEADER_TTL / 2)
        received = await staying.receive()
    assert (waiting, received, await upstream.calls()) == (
        [LEADER_TTL / 2],
        account_event("1", login, "7.00"),
        {
            "POST /v2/webserv/managers/token": 2,
            "GET /v2/webserv/traders/{login}": 2,
            "POST /v2/webserv/traders/{login}/changebalance": 1,
        },
    )


async def test_the_leader_polls_every_replicas_accounts_in_one_call(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    """Replica a watches one account, replica b another: one poller lists both at once."""
    logins = [await upstream.create_trader(), await upstream.create_trader()]
    shared = {
        "redis_url": REDIS_URL,
        "redis_key_prefix": f"tradergraph-test:{uuid.uuid4().hex}",
        "live_leader_ttl_seconds": LEADER_TTL,
    }
    async with AsyncExitStack() as stack:
        clients = []
        for name in ("a", "b"):
            database = f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}"
            settings = live_settings(tmp_path, database_url=database, **shared)
            app = await stack.enter_async_context(serving(sandbox, settings, clock))
            clients.append(await stack.enter_async_context(live_client(app)))
        for client, login in zip(clients, logins, strict=True):
            await client.subscribe("1", ACCOUNT, logins=[login])
        await clock.settled(2)
        for _ in range(2):  # both accounts' baselines, whichever poll saw each first
            await clock.advance(INTERVAL)
            await clock.settled(2)
        await upstream.reset_calls()
        for login in logins:
            await upstream.deposit(login, "9.00")
        await clock.advance(INTERVAL)
        received = [await client.receive() for client in clients]
    assert (received, await upstream.calls()) == (
        [account_event("1", login, "9.00") for login in logins],
        {
            "GET /v2/webserv/traders/": 1,
            "POST /v2/webserv/traders/{login}/changebalance": 2,
        },
    )
