"""Faults injected into the sandbox reach the client as they would over a network."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import httpx
import pytest
from starlette.applications import Starlette

from tests.support.fixtures import sandbox_config
from tests.support.sandbox import BASE_URL, SandboxTransport
from tests.upstream.scene import Scene, new_trader
from upstream.client import WebServicesClient
from upstream.config import RetryPolicy, Timeouts
from upstream.enums import BalanceChangeType
from upstream.errors import OutcomeUnknown, ServerError, UpstreamTimeout
from upstream.hooks import CallRecord
from upstream.inputs import BalanceChangeRequest

DEPOSIT = BalanceChangeRequest(type=BalanceChangeType.DEPOSIT, amount=Decimal("25.00"))
CHANGE = "/v2/webserv/traders/*/changebalance"
TOKEN = "/v2/webserv/managers/token"
DEADLINE = 60.0
"""A call's deadline in the read-timeout test: past any stall of a loaded machine."""
HOLD = 120_000
"""Milliseconds the sandbox holds that test's read: past the deadline."""


async def test_a_dropped_deposit_is_outcome_unknown_and_was_applied(
    scene: Scene, upstream_client: WebServicesClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    await scene.fault(method="POST", path=CHANGE, action="drop_after_commit", times=1)

    with pytest.raises(OutcomeUnknown) as caught:
        await upstream_client.change_balance(login, DEPOSIT)

    assert (str(caught.value), (await upstream_client.get_trader(login)).balance) == (
        "RemoteProtocolError talking to the upstream; the write may have been applied"
        " (POST /v2/webserv/traders/{login}/changebalance)",
        Decimal("25.00"),
    )


async def test_a_read_the_sandbox_holds_past_the_read_timeout_times_out(
    scene: Scene, sandbox_app: Starlette, upstream_client: WebServicesClient
) -> None:
    """Only the held read runs under the short read timeout: the token comes from a patient
    client first (here it takes longer than that timeout, as it may on a loaded machine), the
    sandbox holds the read far past the call's deadline and the deadline is far past the read
    timeout, so nothing but the read timeout can end the call, however slow the machine."""
    login = (await upstream_client.create_trader(new_trader())).login
    config = sandbox_config(BASE_URL)
    await scene.fault(method="POST", path=TOKEN, action="latency", latencyMs=200, times=1)
    token = await upstream_client.token_for(config.manager_login, config.manager_password)
    await scene.fault(method="GET", path="/v2/webserv/traders/*", action="timeout", latencyMs=HOLD)
    quick = dataclasses.replace(
        config, timeouts=Timeouts(read=0.05, total=DEADLINE), retry=RetryPolicy(attempts=1)
    )
    seen: list[CallRecord] = []

    transport = SandboxTransport(sandbox_app)
    async with WebServicesClient(quick, transport=transport, on_request=seen.append) as client:
        with pytest.raises(UpstreamTimeout) as caught:
            await client.for_token(token).get_trader(login)

    assert (str(caught.value), [(r.method, r.path, r.status) for r in seen]) == (
        "ReadTimeout talking to the upstream (GET /v2/webserv/traders/{login})",
        [("GET", "/v2/webserv/traders/{login}", None)],
    )


async def test_a_read_answered_503_once_is_retried_to_success(
    scene: Scene, sandbox_app: Starlette, upstream_client: WebServicesClient
) -> None:
    created = await upstream_client.create_trader(new_trader())
    await scene.fault(
        method="GET",
        path="/v2/webserv/traders/*",
        action="error",
        status=503,
        errorCode="UNKNOWN_ERROR",
        times=1,
    )
    seen: list[CallRecord] = []
    config = sandbox_config(BASE_URL)

    async with WebServicesClient(
        config, transport=SandboxTransport(sandbox_app), on_request=seen.append
    ) as client:
        trader = await client.get_trader(created.login)

    assert (trader, [r.status for r in seen]) == (created, [200, 503, 200])


async def test_a_write_answered_503_is_not_retried(
    scene: Scene, upstream_client: WebServicesClient, sandbox_http: httpx.AsyncClient
) -> None:
    login = (await upstream_client.create_trader(new_trader())).login
    await scene.fault(
        method="POST", path=CHANGE, action="error", status=503, errorCode="UNKNOWN_ERROR"
    )

    with pytest.raises(ServerError) as caught:
        await upstream_client.change_balance(login, DEPOSIT)

    stats = (await sandbox_http.get("/_sandbox/stats")).json()["requests"]
    assert (
        caught.value.status,
        caught.value.code,
        stats["POST /v2/webserv/traders/{login}/changebalance"],
    ) == (
        503,
        "UNKNOWN_ERROR",
        1,
    )
