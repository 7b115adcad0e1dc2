"""`/metrics` counts open subscriptions and running pollers while they live, and none after."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.types import ASGIApp

from tests.live.clock import ManualClock
from tests.live.test_account_changed import ACCOUNT
from tests.live.ws import live_client
from tests.resolvers.harness import Upstream

Sample = tuple[str, tuple[tuple[str, str], ...]]
LIVE = ("tradergraph_subscriptions_open", "tradergraph_pollers_running")


async def live_gauges(app: ASGIApp) -> dict[Sample, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
        text = (await http.get("/metrics")).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name in LIVE
    }


async def test_gauges_follow_subscriptions_and_pollers(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    login = await upstream.create_trader()
    async with live_client(service) as client:
        for sid in ("1", "2", "3"):
            await client.subscribe(sid, ACCOUNT, logins=[login])
        await clock.settled(1)
        await client.socket.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}
        during = await live_gauges(service)
    after = await live_gauges(service)
    assert (during, after) == (
        {
            ("tradergraph_subscriptions_open", (("subscription", "accountChanged"),)): 3.0,
            ("tradergraph_pollers_running", (("resource", "account"),)): 1.0,
        },
        {
            ("tradergraph_subscriptions_open", (("subscription", "accountChanged"),)): 0.0,
            ("tradergraph_pollers_running", (("resource", "account"),)): 0.0,
        },
    )
