"""The websocket under the door's rules: it runs subscriptions only, so no query or mutation
(a `login` above all) passes by the HTTP stage's checks, and each subscribe counts against the
caller's rate."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette

from tests.live.clock import ManualClock
from tests.live.conftest import live_settings, serving
from tests.live.test_account_changed import ACCOUNT
from tests.live.ws import Closed, connected, live_client
from tests.resolvers.harness import Upstream
from tests.security.test_rate_limits import DAY


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def error_of(message: dict[str, object]) -> tuple[object, str, dict[str, object]]:
    """The id, the message and the extensions (without the request id) of an `error` message."""
    assert message["type"] == "error", message
    errors = message["payload"]
    assert isinstance(errors, list)
    extensions = dict(errors[0]["extensions"])
    assert isinstance(extensions.pop("requestId"), str)
    return message["id"], errors[0]["message"], extensions


async def test_a_login_over_the_websocket_is_refused(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    guess = 'mutation { login(managerLogin: 1002, password: "guess") { __typename } }'
    async with serving(sandbox, live_settings(tmp_path), clock) as app:
        await upstream.reset_calls()
        async with live_client(app) as client:
            await client.subscribe("1", guess)
            refused = error_of(await client.receive())

    message = "The websocket serves subscriptions; send queries and mutations over HTTP."
    assert refused == ("1", message, {"code": "SUBSCRIPTIONS_ONLY"})
    assert await upstream.calls() == {}


async def test_each_subscribe_counts_against_the_callers_rate(
    sandbox: Starlette, upstream: Upstream, clock: ManualClock, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    settings = live_settings(tmp_path, rate_queries=1, rate_window_seconds=DAY)
    async with serving(sandbox, settings, clock) as app, live_client(app) as client:
        await client.subscribe("1", ACCOUNT, logins=[login])
        await client.subscribe("2", ACCOUNT, logins=[login])
        sid, message, extensions = error_of(await client.receive())

    wait = extensions["retryAfter"]
    assert isinstance(wait, int)
    expected = f"Too many query requests: at most 1 per {DAY} s; retry in {wait} s."
    assert (sid, message, extensions) == (
        "2",
        expected,
        {"code": "RATE_LIMITED", "retryAfter": wait},
    )


async def test_a_deeply_nested_message_closes_the_socket_as_invalid(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    nested = '{"type": "connection_init", "payload": {"a": ' + "[" * 5000 + "]" * 5000 + "}}"
    async with serving(sandbox, live_settings(tmp_path), clock) as app, connected(app) as socket:
        await socket.to_app.put({"type": "websocket.receive", "text": nested})
        with pytest.raises(Closed) as closed:
            await socket.receive()

    assert (closed.value.code, closed.value.reason) == (
        4400,
        "WebSocket message must be valid JSON",
    )
