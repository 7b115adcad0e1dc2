"""Request rates per caller and operation kind: in memory, and shared through Redis by two
service apps when `TRADERGRAPH_TEST_REDIS_URL` is set."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from starlette.applications import Starlette

from limits.rates import MemoryRates
from tests.resolvers.harness import Upstream
from tests.security.wire import Answer, refused, wire_on

DAY = 86_400  # a day: the few seconds of a test straddle a window's turn once in ~10,000 runs
REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_a_window_admits_its_limit_then_says_how_long_to_wait() -> None:
    rates = MemoryRates(Clock(1_000.0))

    answers = [await rates.hit("1002:query", 2, 60.0) for _ in range(3)]

    assert answers == [None, None, 20.0]  # the window 960-1020 turns in 20 s


async def test_a_new_window_starts_from_zero() -> None:
    clock = Clock(1_000.0)
    rates = MemoryRates(clock)
    for _ in range(3):
        await rates.hit("1002:query", 2, 60.0)

    clock.now = 1_020.0

    assert await rates.hit("1002:query", 2, 60.0) is None


async def test_callers_and_kinds_count_apart() -> None:
    rates = MemoryRates(Clock(1_000.0))
    await rates.hit("1002:query", 1, 60.0)

    other = [await rates.hit(key, 1, 60.0) for key in ("1001:query", "1002:money")]

    assert other == [None, None]


def rate_limited(kind: str, limit: int, answer: Answer) -> Answer:
    """The refusal expected for `kind`, with the wait `answer` reports (it depends on the clock)."""
    assert isinstance(answer.body, dict)
    wait = answer.body["errors"][0]["extensions"]["retryAfter"]
    assert 1 <= wait <= DAY
    message = f"Too many {kind} requests: at most {limit} per {DAY} s; retry in {wait} s."
    return Answer(429, refused("RATE_LIMITED", message, retryAfter=wait))


async def test_queries_over_the_limit_are_refused(sandbox: Starlette, tmp_path: Path) -> None:
    async with wire_on(sandbox, tmp_path, rate_queries=2, rate_window_seconds=DAY) as wire:
        answers = [await wire.post("{ __typename }") for _ in range(3)]

    ok = Answer(200, {"data": {"__typename": "Query"}})
    assert answers == [ok, ok, rate_limited("query", 2, answers[2])]


async def test_money_mutations_have_their_own_stricter_limit(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    moves = [f'{{login: {login}, amount: "1", idempotencyKey: "rate-{n}"}}' for n in range(2)]
    async with wire_on(sandbox, tmp_path, rate_money_mutations=1, rate_window_seconds=DAY) as wire:
        first, second = [
            await wire.post(f"mutation {{ deposit(input: {move}) {{ __typename }} }}")
            for move in moves
        ]
        query = await wire.post("{ __typename }")

    assert (first, second, query) == (
        Answer(200, {"data": {"deposit": {"__typename": "MoneyMovement"}}}),
        rate_limited("money", 1, second),
        Answer(200, {"data": {"__typename": "Query"}}),
    )


@needs_redis
async def test_two_services_share_one_limit_through_redis(
    sandbox: Starlette, tmp_path: Path
) -> None:
    shared = {
        "redis_url": REDIS_URL,
        "redis_key_prefix": f"tg-test-{uuid.uuid4().hex}",
        "rate_window_seconds": DAY,
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    async with (
        wire_on(sandbox, tmp_path / "a", rate_queries=2, **shared) as first,
        wire_on(sandbox, tmp_path / "b", rate_queries=2, **shared) as second,
    ):
        answers = [await wire.post("{ __typename }") for wire in (first, second, first)]

    ok = Answer(200, {"data": {"__typename": "Query"}})
    assert answers == [ok, ok, rate_limited("query", 2, answers[2])]
