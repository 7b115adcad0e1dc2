"""Guessing bearer tokens at the websocket's `connection_init` is throttled like guessing them
over HTTP: each refused init (no caller, a malformed header, an unknown token) counts against the
client address's anonymous rate, the address read as the HTTP front door reads it (the peer, or
`X-Forwarded-For` from the right past trusted proxies), and once over the limit the socket closes
4429 with the wait in its reason."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from auth.secrets import digest
from settings import ServiceSettings
from tests.live.clock import ManualClock
from tests.live.conftest import live_settings, serving
from tests.live.ws import Closed, Json, connected
from tests.security.test_rate_limits import DAY

FORBIDDEN = (4403, "Forbidden")
ACK = (0, "connection_ack")
GUESS: Json = {"Authorization": "Bearer tgs_guess"}
PROXY, ATTACKER, NEIGHBOUR = "127.0.0.1/32", "203.0.113.9", "198.51.100.7"
KEY = "tgk_configured"
Outcome = tuple[int, str]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def guarded(tmp_path: Path, **overrides: object) -> ServiceSettings:
    """No default caller, two anonymous queries a day per address."""
    return live_settings(
        tmp_path, default_caller=False, rate_queries=2, rate_window_seconds=DAY, **overrides
    )


async def init(app: ASGIApp, payload: Json, forwarded: str | None = None) -> Outcome:
    """`connection_init` with `payload` on a new socket: acknowledged, or the close code and
    reason."""
    headers = [] if forwarded is None else [("X-Forwarded-For", forwarded)]
    async with connected(app, headers=headers) as socket:
        await socket.send({"type": "connection_init", "payload": payload})
        try:
            message = await socket.receive()
        except Closed as closed:
            return closed.code, closed.reason
    assert message == {"type": "connection_ack"}
    return ACK


def over_the_limit(outcome: Outcome) -> Outcome:
    """The close a socket over its address's rate gets, with the wait it names."""
    found = re.fullmatch(r".*; retry in (\d+) s\.", outcome[1])
    assert found is not None, outcome
    wait = int(found.group(1))
    assert 1 <= wait <= DAY
    return 4429, f"Too many query requests: at most 2 per {DAY} s; retry in {wait} s."


async def test_refused_inits_count_against_the_addresss_rate(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    """No caller, a malformed header and an unknown token: each is one anonymous query."""
    refused: list[Json] = [{}, {"Authorization": "Basic eDp5"}, GUESS, GUESS]
    async with serving(sandbox, guarded(tmp_path), clock) as app:
        outcomes = [await init(app, payload) for payload in refused]

    assert outcomes[:2] == [FORBIDDEN, FORBIDDEN]
    assert outcomes[2:] == [over_the_limit(outcomes[2]), over_the_limit(outcomes[3])]


async def test_the_websocket_and_http_count_one_rate_per_address(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    """Two guesses over the websocket spend the address's budget for HTTP too."""
    async with serving(sandbox, guarded(tmp_path), clock) as app:
        sockets = [await init(app, GUESS) for _ in range(2)]
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
            headers = {"Authorization": "Bearer tgs_guess"}
            answer = await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

    assert sockets == [FORBIDDEN, FORBIDDEN]
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    """The client is the right-most hop that is not a trusted proxy; hops to its left are the
    client's own words, so naming a neighbour there dodges nothing."""
    hops = [ATTACKER, ATTACKER, f"{NEIGHBOUR}, {ATTACKER}", NEIGHBOUR]
    async with serving(sandbox, guarded(tmp_path, trusted_proxies=PROXY), clock) as app:
        outcomes = [await init(app, GUESS, forwarded) for forwarded in hops]

    assert outcomes == [FORBIDDEN, FORBIDDEN, over_the_limit(outcomes[2]), FORBIDDEN]


async def test_without_trusted_proxies_a_forwarded_header_is_ignored_at_init(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    """A client cannot spread its guesses over addresses it names itself."""
    hops = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    async with serving(sandbox, guarded(tmp_path), clock) as app:
        outcomes = [await init(app, GUESS, forwarded) for forwarded in hops]

    assert outcomes == [FORBIDDEN, FORBIDDEN, over_the_limit(outcomes[2])]


async def test_a_known_caller_connects_from_an_address_over_its_anonymous_rate(
    sandbox: Starlette, clock: ManualClock, tmp_path: Path
) -> None:
    """The count is the address's anonymous one: a caller with a valid key is not held back."""
    keys = {digest(KEY): {"partner": "P-1"}}
    async with serving(sandbox, guarded(tmp_path, partner_keys=keys), clock) as app:
        guesses = [await init(app, GUESS) for _ in range(3)]
        bearer: Json = {"Authorization": f"Bearer {KEY}"}
        known = await init(app, bearer)

    assert guesses == [FORBIDDEN, FORBIDDEN, over_the_limit(guesses[2])]
    assert known == ACK
