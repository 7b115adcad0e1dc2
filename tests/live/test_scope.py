"""A subscriber sees only what its scope shows: today, what the service's manager may see."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from starlette.applications import Starlette

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL, live_settings, serving
from tests.live.test_account_changed import ACCOUNT, account_event
from tests.live.ws import live_client
from tests.resolvers.harness import Upstream

DESK = {"manager_login": 1002, "manager_password": SecretStr("sandbox-desk")}


async def test_a_subscriber_outside_the_scope_sees_nothing(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    hidden = await upstream.create_trader(broker="sandbox", group="Retail USD")
    shown = await upstream.create_trader(broker="atlas-markets", group="Retail USD")
    settings = live_settings(tmp_path, **DESK)
    async with serving(sandbox, settings, clock) as desk, live_client(desk) as client:
        await client.subscribe("1", ACCOUNT, logins=[hidden, shown])
        await clock.settled(1)
        for amount in ("10.00", "20.00"):
            await upstream.deposit(hidden, amount)
            await upstream.deposit(shown, amount)
            await clock.advance(INTERVAL)
            await clock.settled(1)
        received = [await client.receive(), await client.receive()]
    assert received == [account_event("1", shown, "10.00"), account_event("1", shown, "30.00")]
