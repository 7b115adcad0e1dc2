"""Requests resumed by upstream answers: half of them go on at once, the rest in turn, first come
first, and none gets stuck.

An "upstream call" here is a future the test resolves, so which request waits on what, and when
it is answered, is a fact of the test; each request logs its steps with a yield to the event loop
between them, so interleaving (or its absence) shows in the log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import pytest

from upstream.calls import Call
from upstream.read_cache import LocalTags
from upstream.sharing import Answered, Sharing
from upstream.turns import Turns, waiting

Log = list[str]
LIMIT = 5.0  # a test that would hang fails instead


async def steps(log: Log, name: str, count: int) -> None:
    for step in range(count):
        log.append(f"{name}{step}")
        await asyncio.sleep(0)  # a yield to the event loop, as a request's execution has many


async def request(turns: Turns | None, log: Log, name: str, call: Awaitable[object]) -> None:
    """One request: an upstream wait, then three steps of work."""
    if turns is None:
        await waiting(call)
        await steps(log, name, 3)
        return
    with turns.request():
        await waiting(call)
        await steps(log, name, 3)


async def both(turns: Turns | None) -> Log:
    """Two requests waiting on one shared call, answered at once."""
    log: Log = []
    call = asyncio.get_running_loop().create_future()
    first = asyncio.create_task(request(turns, log, "a", call))
    second = asyncio.create_task(request(turns, log, "b", call))
    await asyncio.sleep(0)  # both are waiting
    call.set_result(None)
    await asyncio.wait_for(asyncio.gather(first, second), LIMIT)
    return log


async def test_requests_answered_together_go_on_one_after_the_other() -> None:
    assert await both(Turns()) == ["a0", "a1", "a2", "b0", "b1", "b2"]


async def test_half_of_the_requests_in_progress_go_on_at_once() -> None:
    """Four requests answered together: two go on side by side; as they end, fewer are in
    progress, and the other two go on one at a time."""
    turns, log = Turns(), Log()
    call = asyncio.get_running_loop().create_future()

    async def one(name: str) -> None:
        with turns.request():
            await waiting(call)
            await steps(log, name, 2)

    tasks = [asyncio.create_task(one(name)) for name in "abcd"]
    await asyncio.sleep(0)
    call.set_result(None)
    await asyncio.wait_for(asyncio.gather(*tasks), LIMIT)
    assert log == ["a0", "b0", "a1", "b1", "c0", "c1", "d0", "d1"]


async def test_outside_a_request_waiting_only_waits() -> None:
    assert await both(None) == ["a0", "b0", "a1", "b1", "a2", "b2"]


async def test_a_request_waiting_on_the_upstream_again_lets_the_next_go_on() -> None:
    turns, log = Turns(), Log()
    loop = asyncio.get_running_loop()
    call, again = loop.create_future(), loop.create_future()

    async def twice() -> None:
        with turns.request():
            await waiting(call)
            log.append("a0")
            await waiting(again)
            await steps(log, "a", 1)

    first = asyncio.create_task(twice())
    second = asyncio.create_task(request(turns, log, "b", call))
    await asyncio.sleep(0)
    call.set_result(None)
    await asyncio.wait_for(second, LIMIT)
    again.set_result(None)
    await asyncio.wait_for(first, LIMIT)
    assert log == ["a0", "b0", "b1", "b2", "a0"]


async def test_a_request_that_holds_the_turn_too_long_lets_the_next_go_on_beside_it() -> None:
    turns, log = Turns(max_hold=0.0), Log()
    loop = asyncio.get_running_loop()
    call, database = loop.create_future(), loop.create_future()

    async def slow() -> None:
        with turns.request():
            await waiting(call)
            log.append("a0")
            await database  # not the upstream: it keeps the turn, until it is taken from it
            log.append("a1")

    first = asyncio.create_task(slow())
    second = asyncio.create_task(request(turns, log, "b", call))
    await asyncio.sleep(0)
    call.set_result(None)
    await asyncio.wait_for(second, LIMIT)
    database.set_result(None)
    await asyncio.wait_for(first, LIMIT)
    assert log == ["a0", "b0", "b1", "b2", "a1"]


async def test_a_failed_call_takes_its_turn_and_a_cancelled_request_leaves_the_line() -> None:
    turns, log = Turns(), Log()
    call = asyncio.get_running_loop().create_future()

    async def failing(name: str) -> None:
        with turns.request():
            with pytest.raises(ConnectionError, match=r"^the upstream went away$"):
                await waiting(call)
            await steps(log, name, 2)

    tasks = [asyncio.create_task(failing(name)) for name in ("a", "b", "c")]
    await asyncio.sleep(0)
    call.set_exception(ConnectionError("the upstream went away"))
    await asyncio.sleep(0)  # every request is resumed: "a" holds the turn, "b" and "c" wait
    tasks[1].cancel()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), LIMIT)
    assert (log, tasks[1].cancelled()) == (["a0", "a1", "c0", "c1"], True)


async def test_a_shared_flight_takes_no_turns_of_the_request_that_started_it() -> None:
    """The flight's own upstream waits (a token fetch, say) must not queue behind the request
    holding the turn: that one may be waiting for the very flight."""
    turns, log = Turns(max_hold=LIMIT * 10), Log()
    loop = asyncio.get_running_loop()
    sharing = Sharing(LocalTags(), loop.time)
    call, held, token = loop.create_future(), loop.create_future(), loop.create_future()
    flown = asyncio.Event()

    async def holder() -> None:
        with turns.request():
            await waiting(call)
            log.append("holds")
            await held  # keeps the turn meanwhile

    async def send() -> Answered:
        await waiting(token)  # an upstream wait inside the flight
        flown.set()
        return Answered(b"[]", "application/json")

    async def reader() -> None:
        with turns.request():
            answered = await waiting(sharing.read("key", Call("GET", "/list"), send))
            log.append(answered.content.decode())

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    call.set_result(None)
    await asyncio.sleep(0)  # "holds": the turn is the first request's
    second = asyncio.create_task(reader())
    await asyncio.sleep(0)
    token.set_result(None)
    await asyncio.wait_for(flown.wait(), LIMIT)  # the flight went on while the turn was held
    held.set_result(None)
    await asyncio.wait_for(asyncio.gather(first, second), LIMIT)
    assert log == ["holds", "[]"]
