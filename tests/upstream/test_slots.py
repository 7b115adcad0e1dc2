"""A write that waits for a free connection has sent nothing: its deadline is a clean timeout.

`ConnectionSlots` of one slot, taken by the test as another call in flight would take it; the
exchange's write then waits for it. Nothing sleeps but the waits under test (50 ms).
"""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from tests.upstream.fake import TOKEN, FakeUpstream, config, json_answer
from upstream.calls import Call
from upstream.config import ClientConfig, Timeouts
from upstream.errors import UpstreamTimeout
from upstream.exchange import Exchange
from upstream.pacing import Pacing
from upstream.slots import ConnectionSlots
from upstream.tokens import TokenCache

CHANGE = "/v2/webserv/traders/5/changebalance"
WRITE = Call("POST", "/v2/webserv/traders/{login}/changebalance", {"login": 5}, body={})
BOOKED = json_answer(200, {"balanceHistoryId": 7})


async def _token() -> str:
    return TOKEN


async def write_with_every_slot_taken(cfg: ClientConfig) -> tuple[UpstreamTimeout, list[str]]:
    """The write's error, and what reached the upstream."""
    fake = FakeUpstream()
    fake.on("POST", CHANGE, BOOKED)
    slots = ConnectionSlots(1, cfg.timeouts.pool)
    transport = httpx.MockTransport(fake)
    async with httpx.AsyncClient(base_url=cfg.base_url, transport=transport) as http:
        exchange = Exchange(http, cfg, TokenCache(_token), Pacing(), None, slots)
        held = await slots.take(WRITE)
        with pytest.raises(UpstreamTimeout) as caught:
            await exchange.send(WRITE)
        held.release()
        answer = await exchange.send(WRITE)
    assert answer.json() == {"balanceHistoryId": 7}  # the slot, released, takes the next write
    return caught.value, fake.calls()


async def test_a_deadline_passing_while_a_write_waits_for_a_connection_sent_nothing() -> None:
    error, calls = await write_with_every_slot_taken(config(total=0.05))

    assert (type(error), str(error), calls) == (
        UpstreamTimeout,
        "the call's deadline passed (POST /v2/webserv/traders/{login}/changebalance)",
        [f"POST {CHANGE}"],
    )


async def test_a_write_that_gets_no_connection_within_the_pool_wait_sent_nothing() -> None:
    cfg = dataclasses.replace(config(), timeouts=Timeouts(pool=0.05, total=20.0))

    error, calls = await write_with_every_slot_taken(cfg)

    assert (type(error), str(error), calls) == (
        UpstreamTimeout,
        "no free connection to the upstream within the pool's wait"
        " (POST /v2/webserv/traders/{login}/changebalance)",
        [f"POST {CHANGE}"],
    )
