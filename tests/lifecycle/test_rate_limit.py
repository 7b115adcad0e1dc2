"""The upstream's own hourly limit on writes: RateLimited says when to retry; nothing changes."""

from __future__ import annotations

from pathlib import Path

from sandbox import SandboxSettings
from tests.lifecycle.conftest import CONFIGURED
from tests.lifecycle.kit import Books, mutate, refused
from tests.resolvers.harness import service_on, service_settings, upstream_on
from tests.support.sandbox import running_sandbox

NEW = {
    "whiteLabel": "sandbox",
    "group": "Retail USD",
    "depositCurrency": "USD",
    "leverage": "100",
    "password": "s3cret-pw",
}


async def test_the_refusal_says_when_to_retry(tmp_path: Path) -> None:
    """Two writes an hour: the create and the attribute list its answer reads (a POST)."""
    settings = service_settings(tmp_path, white_labels=CONFIGURED)
    async with (
        running_sandbox(SandboxSettings(rate_limit_per_hour=2)) as (sandbox, _),
        upstream_on(sandbox) as crm,
        service_on(sandbox, settings) as graph,
    ):
        await crm.pin_clock(1_790_000_000_000)
        await mutate(graph, "createTrader", NEW)
        (login,) = await Books(crm).logins()
        before = await Books(crm).trader(login)
        given = {"login": login, "name": "Grace"}
        assert (await mutate(graph, "updateTrader", given), await Books(crm).trader(login)) == (
            refused("RateLimited", "the upstream's rate limit was reached; retry in 3600 seconds"),
            before,
        )
