"""Rate limits held across two real service processes (`tradergraph serve` twice, in front of one
`tradergraph sandbox`) that count in one Redis; skipped unless `TRADERGRAPH_TEST_REDIS_URL` is set.

Each process alone would admit every request below: only a count shared through Redis refuses
the third of a caller's queries, whichever process it reaches.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from auth.secrets import KEY_PREFIX, digest, new_token
from tests.security.wire import Answer, Wire, refused
from tests.support.processes import Served, sandbox, service

DAY = 86_400  # a day: the seconds of the test straddle a window's turn once in ~10,000 runs
REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set")
PARTNER = "IB-7001"
QUERY = "{ __typename }"
OK = Answer(200, {"data": {"__typename": "Query"}})
ANSWER_SECONDS = 120.0
"""A bound for a hung process only: a fresh process's first answers may take seconds of wall
time on a loaded machine, and a timed-out request would fail the test for the machine's sake."""


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this run alone; its keys are deleted afterwards."""
    prefix = f"tg-test-{uuid.uuid4().hex}"
    yield prefix
    assert REDIS_URL is not None
    redis = Redis.from_url(REDIS_URL)
    try:
        names = [name async for name in redis.scan_iter(match=f"{prefix}:*")]
        if names:
            await redis.delete(*names)
    finally:
        await redis.aclose()


def refusal(answer: Answer) -> Answer:
    """The query refusal expected, with the wait `answer` reports when it is one in the window
    (the wait depends on the clock); any other answer makes the whole comparison fail."""
    wait = _retry_after(answer)
    if not (isinstance(wait, int) and 1 <= wait <= DAY):
        wait = f"whole seconds in 1..{DAY}"
    message = f"Too many query requests: at most 2 per {DAY} s; retry in {wait} s."
    return Answer(429, refused("RATE_LIMITED", message, retryAfter=wait))


def _retry_after(answer: Answer) -> object:
    try:
        return answer.body["errors"][0]["extensions"]["retryAfter"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None


@asynccontextmanager
async def wire_to(process: Served) -> AsyncIterator[Wire]:
    async with httpx.AsyncClient(base_url=process.url, timeout=ANSWER_SECONDS) as http:
        yield Wire(http)


@needs_redis
async def test_two_service_processes_share_each_callers_limit_through_redis(
    tmp_path: Path, redis_prefix: str
) -> None:
    assert REDIS_URL is not None
    key = new_token(KEY_PREFIX)
    env = {
        "TRADERGRAPH_REDIS_URL": REDIS_URL,
        "TRADERGRAPH_REDIS_KEY_PREFIX": redis_prefix,
        "TRADERGRAPH_RATE_QUERIES": "2",
        "TRADERGRAPH_RATE_WINDOW_SECONDS": str(DAY),
        "TRADERGRAPH_DEFAULT_CALLER": "true",  # no Authorization: manager 1001
        "TRADERGRAPH_PARTNER_KEYS": json.dumps({digest(key): {"partner": PARTNER}}),
    }
    async with (
        sandbox(tmp_path) as upstream,
        service(upstream.url, tmp_path, "a", env) as a,
        service(upstream.url, tmp_path, "b", env) as b,
        wire_to(a) as first,
        wire_to(b) as second,
    ):
        manager = [await wire.post(QUERY) for wire in (first, second, first, second)]
        partner = [await wire.as_bearer(key).post(QUERY) for wire in (second, first, second)]
        mutation = await second.post("mutation { __typename }")

        # Inside the block, so a failure carries each process's log (tests/support/processes.py).
        assert (manager, partner, mutation) == (
            [OK, OK, refusal(manager[2]), refusal(manager[3])],
            [OK, OK, refusal(partner[2])],
            Answer(200, {"data": {"__typename": "Mutation"}}),
        )
