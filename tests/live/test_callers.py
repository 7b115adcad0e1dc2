"""Who asks on a websocket: `connection_init`'s `Authorization`, checked like HTTP's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from auth.store import KeyStore
from store.db import create_tables, make_engine
from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL, live_settings, serving
from tests.live.test_account_changed import ACCOUNT, account_event
from tests.live.ws import Closed, connected, live_client
from tests.resolvers.harness import Upstream

LOGIN = "mutation ($m: Int!, $p: String!) { login(managerLogin: $m, password: $p) {"
LOGIN += " ... on Session { token } } }"


@pytest.fixture
async def door(sandbox: Starlette, clock: ManualClock, tmp_path: Path) -> AsyncIterator[ASGIApp]:
    """The service with no default caller: every connection must say who it is."""
    async with serving(sandbox, live_settings(tmp_path, default_caller=False), clock) as app:
        yield app


async def session_token(app: ASGIApp, login: int, password: str) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
        answer = await http.post(
            "/graphql", json={"query": LOGIN, "variables": {"m": login, "p": password}}
        )
    token = answer.json()["data"]["login"]["token"]
    assert isinstance(token, str)
    return token


async def refused_init(app: ASGIApp, payload: dict[str, object]) -> tuple[int, str]:
    async with connected(app) as socket:
        await socket.send({"type": "connection_init", "payload": payload})
        with pytest.raises(Closed) as closed:
            await socket.receive()
    return closed.value.code, closed.value.reason


async def test_an_anonymous_connection_is_closed_before_any_subscription(door: ASGIApp) -> None:
    assert await refused_init(door, {}) == (4403, "Forbidden")


async def test_an_unknown_bearer_token_is_closed(door: ASGIApp) -> None:
    assert await refused_init(door, {"Authorization": "Bearer tgs_nonsense"}) == (4403, "Forbidden")


async def test_a_sessions_subscriptions_see_only_what_its_manager_may_see(
    door: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    hidden = await upstream.create_trader(broker="sandbox", group="Retail USD")
    shown = await upstream.create_trader(broker="atlas-markets", group="Retail USD")
    token = await session_token(door, 1002, "sandbox-desk")
    async with live_client(door, {"Authorization": f"Bearer {token}"}) as client:
        await client.subscribe("1", ACCOUNT, logins=[hidden, shown])
        await clock.settled(1)
        for amount in ("3.00", "4.00"):
            await upstream.deposit(hidden, amount)
            await upstream.deposit(shown, amount)
            await clock.advance(INTERVAL)
            await clock.settled(1)
        received = [await client.receive(), await client.receive()]
    assert received == [account_event("1", shown, "3.00"), account_event("1", shown, "7.00")]


async def partner_key(tmp_path: Path, partner: str) -> str:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    try:
        await create_tables(engine)
        return await KeyStore(engine).create(partner, read_only=True)
    finally:
        await engine.dispose()


async def test_a_partner_key_sees_only_its_own_traders_accounts(
    door: ASGIApp, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    own = await upstream.create_trader(partner="IB-7001")
    foreign = await upstream.create_trader(partner="IB-7002")
    key = await partner_key(tmp_path, "IB-7001")
    async with live_client(door, {"Authorization": f"Bearer {key}"}) as client:
        await client.subscribe("1", ACCOUNT, logins=[foreign, own])
        await clock.settled(1)
        for amount in ("5.00", "6.00"):
            await upstream.deposit(foreign, amount)
            await upstream.deposit(own, amount)
            await clock.advance(INTERVAL)
            await clock.settled(1)
        received = [await client.receive(), await client.receive()]
    assert received == [account_event("1", own, "5.00"), account_event("1", own, "11.00")]
