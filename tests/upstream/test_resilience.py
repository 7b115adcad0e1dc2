"""Retries of reads, writes sent once, the call deadline and the circuit breaker.

Time is the client's `Pacing`: sleeping advances a fake clock at once, so nothing here sleeps,
except the two deadline tests, whose upstream never answers and whose deadline is 50 ms.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from decimal import Decimal

import httpx
import pytest

from tests.upstream.fake import (
    FakeTime,
    FakeUpstream,
    client_for,
    config,
    error_answer,
    json_answer,
)
from tests.upstream.samples import TRADER, TRADER_JSON
from upstream.client import WebServicesClient
from upstream.enums import BalanceChangeType
from upstream.errors import (
    CircuitOpen,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    TraderNotFound,
    TransportFailure,
    UpstreamTimeout,
)
from upstream.inputs import BalanceChangeRequest

PATH = "/v2/webserv/traders/5"
CHANGE = "/v2/webserv/traders/5/changebalance"
GET = f"GET {PATH}"
UNAVAILABLE = error_answer(503, "UNKNOWN_ERROR", "maintenance")
OK = json_answer(200, TRADER_JSON)
DEPOSIT = BalanceChangeRequest(type=BalanceChangeType.DEPOSIT, amount=Decimal("10.00"))


def limited(seconds: str) -> httpx.Response:
    answer = error_answer(429, "REQUEST_FREQUENCY_EXCEEDED", "slow down")
    answer.headers["Retry-After"] = seconds
    return answer


def reads(fake: FakeUpstream) -> list[str]:
    return [call for call in fake.calls() if call == GET]


async def test_a_read_is_retried_after_a_503_with_jittered_backoff(
    fake: FakeUpstream, time: FakeTime, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, UNAVAILABLE, UNAVAILABLE, OK)

    trader = await client.get_trader(5)

    assert (trader, reads(fake), time.slept) == (TRADER, [GET] * 3, [0.05, 0.1])


async def test_a_read_waits_what_retry_after_says(
    fake: FakeUpstream, time: FakeTime, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, limited("3"), OK)

    await client.get_trader(5)

    assert time.slept == [3.0]


async def test_a_retry_after_beyond_the_deadline_is_not_waited_for(
    fake: FakeUpstream, time: FakeTime, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, limited("60"), OK)

    with pytest.raises(RateLimited) as caught:
        await client.get_trader(5)

    assert (caught.value.retry_after, time.slept, reads(fake)) == (60.0, [], [GET])


async def test_a_read_gives_up_after_its_attempts_with_the_last_error(
    fake: FakeUpstream, time: FakeTime, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, UNAVAILABLE)

    with pytest.raises(ServerError) as caught:
        await client.get_trader(5)

    assert (caught.value.status, caught.value.code, str(caught.value), reads(fake)) == (
        503,
        "UNKNOWN_ERROR",
        "503 UNKNOWN_ERROR: maintenance (GET /v2/webserv/traders/{login})",
        [GET] * 3,
    )


async def test_a_500_is_not_retried(fake: FakeUpstream, client: WebServicesClient) -> None:
    fake.on("GET", PATH, error_answer(500, "UNKNOWN_ERROR", "bug"), OK)

    with pytest.raises(ServerError):
        await client.get_trader(5)

    assert reads(fake) == [GET]


async def test_a_read_is_retried_after_a_dropped_connection(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, httpx.RemoteProtocolError, OK)

    assert (await client.get_trader(5), reads(fake)) == (TRADER, [GET, GET])


async def test_a_read_that_keeps_failing_to_connect_is_a_transport_failure(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, httpx.ConnectError)

    with pytest.raises(TransportFailure) as caught:
        await client.get_trader(5)

    assert str(caught.value) == (
        "ConnectError talking to the upstream (GET /v2/webserv/traders/{login})"
    )


async def test_a_read_timing_out_is_an_upstream_timeout(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("GET", PATH, httpx.ReadTimeout)

    with pytest.raises(UpstreamTimeout) as caught:
        await client.get_trader(5)

    assert (
        str(caught.value) == "ReadTimeout talking to the upstream (GET /v2/webserv/traders/{login})"
    )


async def test_a_write_is_never_retried(fake: FakeUpstream, client: WebServicesClient) -> None:
    fake.on("POST", CHANGE, UNAVAILABLE, json_answer(200, {"balanceHistoryId": 1}))

    with pytest.raises(ServerError):
        await client.change_balance(5, DEPOSIT)

    assert fake.calls().count(f"POST {CHANGE}") == 1


async def test_a_write_whose_answer_is_lost_has_an_unknown_outcome(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("POST", CHANGE, httpx.RemoteProtocolError)

    with pytest.raises(OutcomeUnknown) as caught:
        await client.change_balance(5, DEPOSIT)

    assert str(caught.value) == (
        "RemoteProtocolError talking to the upstream; the write may have been applied"
        " (POST /v2/webserv/traders/{login}/changebalance)"
    )


async def test_a_write_that_never_connected_is_a_transport_failure(
    fake: FakeUpstream, client: WebServicesClient
) -> None:
    fake.on("POST", CHANGE, httpx.ConnectError)

    with pytest.raises(TransportFailure) as caught:
        await client.change_balance(5, DEPOSIT)

    assert type(caught.value) is TransportFailure


async def _never(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


async def test_a_read_past_its_deadline_is_an_upstream_timeout(fake: FakeUpstream) -> None:
    async with WebServicesClient(
        config(total=0.05), transport=httpx.MockTransport(_route_to_never(fake, "GET"))
    ) as client:
        with pytest.raises(UpstreamTimeout) as caught:
            await client.get_trader(5)

    assert str(caught.value) == "the call's deadline passed (GET /v2/webserv/traders/{login})"


async def test_a_write_past_its_deadline_has_an_unknown_outcome(fake: FakeUpstream) -> None:
    async with WebServicesClient(
        config(total=0.05), transport=httpx.MockTransport(_route_to_never(fake, "POST"))
    ) as client:
        with pytest.raises(OutcomeUnknown) as caught:
            await client.change_balance(5, DEPOSIT)

    assert str(caught.value) == (
        "the call's deadline passed with the write unanswered"
        " (POST /v2/webserv/traders/{login}/changebalance)"
    )


def _route_to_never(
    fake: FakeUpstream, method: str
) -> Callable[[httpx.Request], Coroutine[None, None, httpx.Response]]:
    """The scripted upstream, except that `method` on the trader never answers."""

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.method == method and request.url.path.startswith(PATH):
            return await _never(request)
        return fake(request)

    return handler


async def test_the_breaker_opens_after_repeated_failures(
    fake: FakeUpstream, time: FakeTime
) -> None:
    fake.on("GET", PATH, error_answer(500, "UNKNOWN_ERROR", "down"))
    async with client_for(fake, time, config(failure_threshold=2)) as client:
        for _ in range(2):
            with pytest.raises(ServerError):
                await client.get_trader(5)
        with pytest.raises(CircuitOpen) as caught:
            await client.get_trader(5)

    assert (str(caught.value), reads(fake)) == (
        "the upstream keeps failing; calls are paused (GET /v2/webserv/traders/{login})",
        [GET, GET],
    )


async def test_the_breaker_lets_one_probe_through_and_closes_on_success(
    fake: FakeUpstream, time: FakeTime
) -> None:
    fake.on("GET", PATH, error_answer(500, "UNKNOWN_ERROR", "down"), OK)
    async with client_for(fake, time, config(failure_threshold=1)) as client:
        with pytest.raises(ServerError):
            await client.get_trader(5)
        time.now += 30.0
        probe = await client.get_trader(5)
        after = await client.get_trader(5)

    assert (probe, after, reads(fake)) == (TRADER, TRADER, [GET] * 3)


async def test_a_failed_probe_opens_the_breaker_again(fake: FakeUpstream, time: FakeTime) -> None:
    fake.on("GET", PATH, error_answer(500, "UNKNOWN_ERROR", "down"))
    async with client_for(fake, time, config(failure_threshold=1)) as client:
        with pytest.raises(ServerError):
            await client.get_trader(5)
        time.now += 30.0
        with pytest.raises(ServerError):
            await client.get_trader(5)
        with pytest.raises(CircuitOpen):
            await client.get_trader(5)

    assert reads(fake) == [GET, GET]


async def test_rejections_do_not_open_the_breaker(fake: FakeUpstream, time: FakeTime) -> None:
    fake.on("GET", PATH, error_answer(404, "TRADER_NOT_FOUND", "no"), OK)
    async with client_for(fake, time, config(failure_threshold=1)) as client:
        with pytest.raises(TraderNotFound):
            await client.get_trader(5)
        assert await client.get_trader(5) == TRADER
