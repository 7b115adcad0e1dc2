"""The token never leaves the client: not in exceptions, reprs, our logs or httpx's logs."""

from __future__ import annotations

import logging

import httpx
import pytest
from pydantic import SecretStr
from structlog.testing import capture_logs

from tests.upstream.fake import (
    TOKEN,
    Answer,
    FakeTime,
    FakeUpstream,
    client_for,
    error_answer,
    json_answer,
)
from tests.upstream.samples import TRADER_JSON
from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.errors import UpstreamError
from upstream.hooks import CallRecord
from upstream.inputs import LinkRequest

PATH = "/v2/webserv/traders/5"
FAILURES: list[Answer] = [
    error_answer(401, "INVALID_TOKEN", f"token {TOKEN} is unknown"),
    error_answer(400, "INVALID_REQUEST", f"bad query ?token={TOKEN}"),
    error_answer(503, "UNKNOWN_ERROR", f"down for {TOKEN}"),
    httpx.Response(200, text=f'{{"token": "{TOKEN}"'),
    httpx.ReadTimeout,
    httpx.RemoteProtocolError,
]


@pytest.mark.parametrize("failure", FAILURES)
async def test_no_failure_shows_the_token(
    fake: FakeUpstream, client: WebServicesClient, failure: Answer
) -> None:
    fake.on("GET", PATH, failure)

    with pytest.raises(UpstreamError) as caught:
        await client.get_trader(5)

    shown = f"{caught.value} {caught.value!r} {caught.value.args} {caught.value.__cause__}"
    assert TOKEN not in shown


async def test_an_echoed_token_is_masked_in_the_description(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, error_answer(400, "INVALID_REQUEST", f"bad query ?token={TOKEN}"))

    with pytest.raises(UpstreamError) as caught:
        await client.get_trader(5)

    assert str(caught.value) == (
        "400 INVALID_REQUEST: bad query ?token=*** (GET /v2/webserv/traders/{login})"
    )


async def test_log_lines_carry_the_call_and_never_the_token(
    fake: FakeUpstream, time: FakeTime, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, json_answer(200, TRADER_JSON))

    with capture_logs() as logs:
        await client.get_trader(5)

    assert logs == [
        {
            "event": "upstream_call",
            "log_level": "info",
            "method": "POST",
            "path": "/v2/webserv/managers/token",
            "status": 200,
            "duration_ms": 0.0,
        },
        {
            "event": "upstream_call",
            "log_level": "info",
            "method": "GET",
            "path": "/v2/webserv/traders/{login}",
            "status": 200,
            "duration_ms": 0.0,
        },
    ]


async def test_httpx_s_own_request_log_is_redacted(
    fake: FakeUpstream, client: WebServicesClient, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("GET", PATH, json_answer(200, TRADER_JSON))

    with caplog.at_level(logging.INFO, logger="httpx"):
        await client.get_trader(5)

    assert [r.getMessage() for r in caplog.records if r.name == "httpx"][-1] == (
        "HTTP Request: GET https://upstream.test:8443/v2/webserv/traders/5?token=*** "
        '"HTTP/1.1 200 OK"'
    )


async def test_reprs_show_neither_password_nor_token(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    await client.authenticate()

    shown = f"{client!r} {client._tokens!r} {client._config!r}"
    assert ("sandbox-admin" in shown, TOKEN in shown) == (False, False)


def test_the_config_and_the_link_request_mask_passwords() -> None:
    config = ClientConfig(base_url="https://x", manager_login=1, manager_password=SecretStr("pw-1"))
    link = LinkRequest(
        trader_login=5,
        trader_password=SecretStr("pw-2"),
        user_id=3,
        broker_name="sandbox",
        environment_name="demo",
    )

    assert ("pw-1" in repr(config), repr(link)) == (
        False,
        "LinkRequest(trader_login=5, trader_password=SecretStr('**********'), user_id=3,"
        " broker_name='sandbox', environment_name='demo', return_account_details=True)",
    )


async def test_the_hook_sees_every_exchange_retries_included(
    fake: FakeUpstream, time: FakeTime
) -> None:
    seen: list[CallRecord] = []
    fake.on("GET", PATH, error_answer(503, "UNKNOWN_ERROR", "busy"), json_answer(200, TRADER_JSON))

    async with client_for(fake, time, on_request=seen.append) as client:
        await client.get_trader(5)

    assert seen == [
        CallRecord("POST", "/v2/webserv/managers/token", 200, 0.0),
        CallRecord("GET", "/v2/webserv/traders/{login}", 503, 0.0),
        CallRecord("GET", "/v2/webserv/traders/{login}", 200, 0.0),
    ]


async def test_the_hook_sees_an_exchange_that_got_no_answer(
    fake: FakeUpstream, time: FakeTime
) -> None:
    seen: list[CallRecord] = []
    fake.on("DELETE", PATH, httpx.ReadTimeout)

    async with client_for(fake, time, on_request=seen.append) as client:
        with pytest.raises(UpstreamError):
            await client.delete_trader(5)

    assert seen[-1] == CallRecord("DELETE", "/v2/webserv/traders/{login}", None, 0.0)
