"""Login floods (issue 12): anonymous callers are counted per client address, logins wait longer
after each failure past a few, a success resets, and an attack from one address never stops the
right password from another."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette

from auth.throttle import LoginThrottle, MemoryAttempts, RedisAttempts
from settings.auth import AuthSettings
from tests.resolvers.harness import Upstream
from tests.security.wire import REQUEST_ID, Answer, Wire, wire_on
from tests.support.fixtures import ADMIN_LOGIN, ADMIN_PASSWORD

LOGIN = "mutation ($m: Int!, $p: String!) { login(managerLogin: $m, password: $p) {"
LOGIN += " __typename } }"
ATTACKER, MANAGER_DESK, PROXY = "203.0.113.9", "198.51.100.7", "127.0.0.1/32"
REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


async def login_from(wire: Wire, address: str, password: str) -> Answer:
    headers = {"X-Forwarded-For": address, "X-Request-ID": REQUEST_ID}
    body = {"query": LOGIN, "variables": {"m": ADMIN_LOGIN, "p": password}}
    response = await wire.http.post("/graphql", json=body, headers=headers)
    return Answer(response.status_code, response.json())


def typename(answer: Answer) -> object:
    assert isinstance(answer.body, dict)
    data = answer.body.get("data")
    if isinstance(data, dict):
        return data["login"]["__typename"]
    return answer.body["errors"][0]["extensions"]["code"]


async def test_a_login_flood_from_one_address_does_not_stop_the_manager_at_another(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    async with wire_on(sandbox, tmp_path, default_caller=False, trusted_proxies=PROXY) as wire:
        await upstream.reset_calls()
        flood = [await login_from(wire, ATTACKER, f"guess-{n}") for n in range(20)]
        manager = await login_from(wire, MANAGER_DESK, ADMIN_PASSWORD)

    outcomes = [typename(answer) for answer in flood]
    assert outcomes == ["InvalidCredentials"] * 6 + ["LOGIN_THROTTLED"] * 14
    assert typename(manager) == "Session"
    assert await upstream.calls() == {"POST /v2/webserv/managers/token": 7}  # 6 guesses, 1 right


async def test_without_trusted_proxies_a_forwarded_header_is_ignored(
    sandbox: Starlette, tmp_path: Path
) -> None:
    """A client cannot dodge its own delays by naming another address."""
    async with wire_on(sandbox, tmp_path, default_caller=False) as wire:
        flood = [await login_from(wire, f"192.0.2.{n}", "guess") for n in range(7)]

    assert [typename(a) for a in flood] == ["InvalidCredentials"] * 6 + ["LOGIN_THROTTLED"]


async def test_each_failure_past_the_free_ones_doubles_the_wait() -> None:
    clock = Clock()
    throttle = LoginThrottle(MemoryAttempts(clock), AuthSettings(login_free_attempts=2))
    free = [await throttle.attempt(1002, ATTACKER) for _ in range(3)]  # the third sets 1 s

    waits = [await throttle.attempt(1002, ATTACKER)]
    clock.now += 1.0
    waits += [await throttle.attempt(1002, ATTACKER), await throttle.attempt(1002, ATTACKER)]

    assert (free, waits) == ([None, None, None], [1.0, None, 2.0])


async def test_a_success_resets_the_delays() -> None:
    clock = Clock()
    throttle = LoginThrottle(MemoryAttempts(clock), AuthSettings(login_free_attempts=1))
    for _ in range(2):
        await throttle.attempt(1002, ATTACKER)

    await throttle.succeeded(1002, ATTACKER)

    assert [await throttle.attempt(1002, ATTACKER) for _ in range(2)] == [None, None]


async def test_an_address_is_held_back_whatever_managers_it_tries() -> None:
    clock = Clock()
    limits = AuthSettings(login_free_attempts_per_address=3)
    throttle = LoginThrottle(MemoryAttempts(clock), limits)

    waits = [await throttle.attempt(manager, ATTACKER) for manager in range(1, 6)]
    elsewhere = await throttle.attempt(1, MANAGER_DESK)

    assert (waits, elsewhere) == ([None, None, None, None, 1.0], None)


@needs_redis
async def test_replicas_share_the_delays_through_redis() -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    limits = AuthSettings(login_free_attempts=1)
    replicas = [Redis.from_url(str(REDIS_URL)) for _ in range(2)]
    first, second = (LoginThrottle(RedisAttempts(redis, prefix), limits) for redis in replicas)
    try:
        passed = [await first.attempt(1002, ATTACKER), await second.attempt(1002, ATTACKER)]
        held = await first.attempt(1002, ATTACKER)
        await second.succeeded(1002, ATTACKER)
        again = await first.attempt(1002, ATTACKER)
    finally:
        for redis in replicas:
            await redis.aclose()

    assert passed == [None, None]
    assert held is not None
    assert 0 < held <= 1.0
    assert again is None


async def test_anonymous_rates_are_counted_per_client_address(
    sandbox: Starlette, tmp_path: Path
) -> None:
    async with wire_on(
        sandbox,
        tmp_path,
        default_caller=False,
        trusted_proxies=PROXY,
        rate_mutations=2,
        rate_window_seconds=86_400,
    ) as wire:
        spent = [await login_from(wire, ATTACKER, f"guess-{n}") for n in range(3)]
        elsewhere = await login_from(wire, MANAGER_DESK, ADMIN_PASSWORD)

    outcomes = [typename(answer) for answer in spent]
    assert (outcomes, typename(elsewhere)) == (
        ["InvalidCredentials", "InvalidCredentials", "RATE_LIMITED"],
        "Session",
    )


async def test_a_manager_login_sent_as_a_float_is_the_same_manager(
    sandbox: Starlette, tmp_path: Path
) -> None:
    """GraphQL reads `1001.0` as the Int 1001: the delays must too, or they could be dodged."""
    async with wire_on(sandbox, tmp_path, default_caller=False, login_free_attempts=1) as wire:
        body = {"query": LOGIN, "variables": {"m": float(ADMIN_LOGIN), "p": "guess"}}
        answers = [await wire.http.post("/graphql", json=body) for _ in range(3)]

    codes = [a.json()["errors"][0]["extensions"]["code"] for a in answers[2:]]
    assert ([a.status_code for a in answers], codes) == ([200, 200, 429], ["LOGIN_THROTTLED"])
