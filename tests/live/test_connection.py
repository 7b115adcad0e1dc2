"""The websocket itself: its protocol, its cap, refused arguments, and pollers that stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL, live_settings, serving
from tests.live.test_account_changed import ACCOUNT
from tests.live.test_positions_changed import POSITIONS
from tests.live.ws import Closed, connected, live_client
from tests.resolvers.harness import Upstream


def refusal(sid: str, message: str, code: str, field: str) -> dict[str, object]:
    """graphql-transport-ws's `error` message: the subscription never started."""
    error = {
        "message": message,
        "locations": [{"line": 2, "column": 3}],
        "path": [field],
        "extensions": {"code": code},
    }
    return {"id": sid, "type": "error", "payload": [error]}


def without_request_id(message: dict[str, object]) -> dict[str, object]:
    """The message with each error's `requestId` checked for presence, then dropped."""
    errors = message["payload"]
    assert isinstance(errors, list)
    for error in errors:
        assert isinstance(error["extensions"].pop("requestId"), str)
    return message


async def test_a_connection_past_its_subscription_cap_is_refused_the_next_one(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    settings = live_settings(tmp_path, max_subscriptions_per_connection=1)
    async with serving(sandbox, settings, clock) as app, live_client(app) as client:
        await client.subscribe("1", ACCOUNT, logins=[login])
        await client.subscribe("2", ACCOUNT, logins=[login])
        refused = without_request_id(await client.receive())
    message = "This connection already has 1 subscriptions open, the most allowed."
    assert refused == refusal("2", message, "BAD_USER_INPUT", "accountChanged")


@pytest.mark.parametrize(
    "variables",
    [{}, {"login": 3000001, "whiteLabel": "atlas-markets"}],
    ids=["neither", "both"],
)
async def test_positions_need_exactly_one_of_login_and_white_label(
    service: ASGIApp, variables: dict[str, object]
) -> None:
    async with live_client(service) as client:
        await client.subscribe("1", POSITIONS, **variables)
        refused = without_request_id(await client.receive())
    message = "Give exactly one of login and whiteLabel."
    assert refused == refusal("1", message, "BAD_USER_INPUT", "positionsChanged")


async def test_an_empty_list_of_logins_is_refused(service: ASGIApp) -> None:
    async with live_client(service) as client:
        await client.subscribe("1", ACCOUNT, logins=[])
        refused = without_request_id(await client.receive())
    message = "logins must name between 1 and 100 accounts."
    assert refused == refusal("1", message, "BAD_USER_INPUT", "accountChanged")


async def test_the_poller_stops_when_its_last_subscriber_leaves(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    login = await upstream.create_trader()
    async with live_client(service) as client:
        for sid in ("1", "2"):
            await client.subscribe(sid, ACCOUNT, logins=[login])
        await clock.settled(1)
        await upstream.reset_calls()
        for sid in ("1", "2"):
            await client.socket.send({"id": sid, "type": "complete"})
        await client.socket.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}
        await clock.advance(INTERVAL * 10)
        assert (clock.pending(), await upstream.calls()) == ([], {})


async def test_a_failing_upstream_makes_the_poller_back_off(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    login = await upstream.create_trader()
    async with live_client(service) as client:
        await client.subscribe("1", ACCOUNT, logins=[login])
        await clock.settled(1)
        fault = '{"method": "GET", "path": "/v2/webserv/traders/*", "action": "error", "times": 2}'
        await upstream.fault(fault)
        waits = []
        for _ in range(3):
            await clock.advance(clock.pending()[0])
            await clock.settled(1)
            waits.append(clock.pending()[0])
    assert waits == [INTERVAL * 2, INTERVAL * 4, INTERVAL]


async def test_graphql_transport_ws_is_accepted(service: ASGIApp) -> None:
    async with connected(service) as socket:
        await socket.send({"type": "connection_init"})
        acked = await socket.receive()
    assert (socket.subprotocol, acked) == ("graphql-transport-ws", {"type": "connection_ack"})


async def test_the_legacy_graphql_ws_protocol_is_refused(service: ASGIApp) -> None:
    async with connected(service, protocol="graphql-ws") as socket:
        with pytest.raises(Closed) as closed:
            await socket.receive()
    assert (socket.subprotocol, closed.value.code, closed.value.reason) == (
        None,
        4406,
        "Subprotocol not acceptable",
    )


async def test_a_connection_that_never_initialises_is_closed(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    settings = live_settings(tmp_path, ws_init_timeout_seconds=0.05)
    async with serving(sandbox, settings, clock) as app, connected(app) as socket:
        with pytest.raises(Closed) as closed:
            await socket.receive()
    assert (closed.value.code, closed.value.reason) == (4408, "Connection initialisation timeout")


async def test_a_rate_limited_upstream_makes_the_poller_back_off(
    service: ASGIApp, upstream: Upstream, clock: ManualClock
) -> None:
    login = await upstream.create_trader()
    async with live_client(service) as client:
        await client.subscribe("1", ACCOUNT, logins=[login])
        await clock.settled(1)
        await upstream.fault(
            '{"method": "GET", "path": "/v2/webserv/traders/*", "action": "error", "status": 429,'
            ' "errorCode": "REQUEST_FREQUENCY_EXCEEDED", "times": 3}'
        )
        waits = []
        for _ in range(2):
            await clock.advance(clock.pending()[0])
            await clock.settled(1)
            waits.append(clock.pending()[0])
    assert waits == [INTERVAL * 2, INTERVAL]
