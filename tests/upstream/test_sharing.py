"""Identical reads in flight are one upstream call; a short read cache; writes read back at once.

Calls are counted where they arrive, at the sandbox (`/_sandbox/stats`). `Gate` holds the
upstream's answers back until a test lets them through, so "in flight at the same moment" is a
fact of the test, not a matter of timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette

from tests.support.fixtures import sandbox_config
from tests.support.sandbox import BASE_URL, SandboxTransport
from tests.upstream.scene import new_trader
from upstream.client import WebServicesClient
from upstream.enums import BalanceChangeType, TraderField
from upstream.errors import NotEnoughRights, TraderNotFound
from upstream.inputs import BalanceChangeRequest
from upstream.read_cache import MemoryCache
from upstream.records import Trader, TraderSummary
from upstream.sharing import ReadStore

TRADER = "GET /v2/webserv/traders/{login}"
LIST = "GET /v2/webserv/traders/"
DEPOSIT = BalanceChangeRequest(type=BalanceChangeType.DEPOSIT, amount=Decimal("25.00"))
DESK = (1002, "sandbox-desk")
MISSING = 999_999_999
EVER, NEVER = datetime(1970, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


class Gate(httpx.AsyncBaseTransport):
    """The sandbox, whose answers to reads are held back until `open()` (the sandbox has
    already served them: what they say is fixed); `arrived` is set by the first one held."""

    def __init__(self, app: Starlette) -> None:
        self._inner = SandboxTransport(app)
        self._open = asyncio.Event()
        self._open.set()
        self.arrived = asyncio.Event()

    def close(self) -> None:
        self._open.clear()
        self.arrived.clear()

    def open(self) -> None:
        self._open.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method == "GET":
            self.arrived.set()
            await self._open.wait()
        return response


class Counter:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def calls(self, route: str) -> int:
        stats = (await self._http.get("/_sandbox/stats")).json()["requests"]
        return int(stats.get(route, 0))

    async def reset(self) -> None:
        await self._http.post("/_sandbox/stats/reset")


@pytest.fixture
async def gate(sandbox_app: Starlette) -> Gate:
    return Gate(sandbox_app)


@pytest.fixture
def counter(sandbox_http: httpx.AsyncClient) -> Counter:
    return Counter(sandbox_http)


def gated(gate: Gate, reads: ReadStore | None = None) -> WebServicesClient:
    return WebServicesClient(sandbox_config(BASE_URL), transport=gate, reads=reads)


@pytest.fixture
async def client(gate: Gate) -> AsyncIterator[WebServicesClient]:
    async with gated(gate) as c:
        yield c


@pytest.fixture
async def login(client: WebServicesClient, counter: Counter) -> int:
    created = (await client.create_trader(new_trader())).login
    await client.authenticate()
    await counter.reset()
    return created


async def held(gate: Gate, *reads: asyncio.Future[Trader]) -> list[Trader]:
    """Let the upstream answer once the first read has reached it, then collect every read."""
    await gate.arrived.wait()
    gate.open()
    return list(await asyncio.gather(*reads))


async def test_identical_reads_in_flight_are_one_upstream_call(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    gate.close()
    reads = [asyncio.ensure_future(client.get_trader(login)) for _ in range(8)]

    traders = await held(gate, *reads)

    assert (await counter.calls(TRADER), {id(t) for t in traders}, traders[0].login) == (
        1,
        {id(traders[0])},  # decoded once: every waiter holds the one immutable record
        login,
    )


async def test_reads_of_other_requests_are_not_shared(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    other = (await client.create_trader(new_trader())).login
    gate.close()
    reads = [asyncio.ensure_future(client.get_trader(n)) for n in (login, other, login, other)]

    traders = await held(gate, *reads)

    assert ([t.login for t in traders], await counter.calls(TRADER)) == (
        [login, other, login, other],
        2,
    )


async def test_reads_with_other_credentials_are_never_shared(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    """The desk manager may not see this trader: sharing the admin's answer would leak it."""
    desk = client.for_token(await client.token_for(DESK[0], SecretStr(DESK[1])))
    gate.close()
    mine = asyncio.ensure_future(client.get_trader(login))
    theirs = asyncio.ensure_future(desk.get_trader(login))
    await gate.arrived.wait()
    gate.open()

    answers = await asyncio.gather(mine, theirs, return_exceptions=True)

    assert ([type(a) for a in answers], await counter.calls(TRADER)) == (
        [Trader, NotEnoughRights],
        2,
    )


async def test_a_failure_reaches_every_waiter_alike_from_one_call(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    gate.close()
    reads = [asyncio.ensure_future(client.get_trader(MISSING)) for _ in range(3)]
    await gate.arrived.wait()
    gate.open()

    failures = await asyncio.gather(*reads, return_exceptions=True)

    assert [(type(f), str(f)) for f in failures] == [
        (
            TraderNotFound,
            f"404 TRADER_NOT_FOUND: Trader {MISSING} not found (GET /v2/webserv/traders/{{login}})",
        )
    ] * 3
    assert await counter.calls(TRADER) == 1


async def test_a_cancelled_waiter_leaves_the_call_to_the_others(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    gate.close()
    leaving = asyncio.ensure_future(client.get_trader(login))
    staying = asyncio.ensure_future(client.get_trader(login))
    await gate.arrived.wait()
    leaving.cancel()
    gate.open()

    trader = await staying

    assert (trader.login, leaving.cancelled(), await counter.calls(TRADER)) == (login, True, 1)


async def test_a_call_every_waiter_left_is_cancelled_and_the_next_read_starts_afresh(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    gate.close()
    leaving = asyncio.ensure_future(client.get_trader(login))
    await gate.arrived.wait()
    leaving.cancel()
    await asyncio.gather(leaving, return_exceptions=True)
    gate.open()

    trader = await client.get_trader(login)

    assert (trader.login, leaving.cancelled()) == (login, True)


async def test_a_read_after_a_write_does_not_join_a_call_sent_before_it(
    client: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    gate.close()
    before = asyncio.ensure_future(client.get_trader(login))
    await gate.arrived.wait()  # served before the deposit, its answer held back
    await client.change_balance(login, DEPOSIT)  # writes pass the gate
    after = asyncio.ensure_future(client.get_trader(login))
    gate.open()

    balances = [(await before).balance, (await after).balance]

    assert (balances, await counter.calls(TRADER)) == ([Decimal(0), Decimal("25.00")], 2)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def cached(gate: Gate, clock: Clock) -> AsyncIterator[WebServicesClient]:
    async with gated(gate, MemoryCache(5.0, 2**20, clock)) as c:
        yield c


async def test_the_cache_answers_a_repeated_read_within_its_seconds(
    cached: WebServicesClient, counter: Counter, clock: Clock, login: int
) -> None:
    first = await cached.get_trader(login)
    clock.now += 4.9
    again = await cached.get_trader(login)
    clock.now += 0.2
    later = await cached.get_trader(login)

    assert (again, later, await counter.calls(TRADER)) == (first, first, 2)


async def test_a_deposit_is_read_back_at_once_with_the_cache_on(
    cached: WebServicesClient, counter: Counter, login: int
) -> None:
    before = (await cached.get_trader(login)).balance
    await cached.change_balance(login, DEPOSIT)

    after = (await cached.get_trader(login)).balance

    assert (before, after, await counter.calls(TRADER)) == (Decimal(0), Decimal("25.00"), 2)


async def test_a_deposit_is_read_back_in_the_lists_that_hold_the_trader(
    cached: WebServicesClient, counter: Counter, login: int
) -> None:
    async def balance() -> Decimal | None:
        found = await cached.list_trader_summaries(EVER, NEVER, [TraderField.BALANCE])
        return next(s.balance for s in found if s.login == login)

    before = await balance()
    same = await balance()
    await cached.change_balance(login, DEPOSIT)
    after = await balance()

    assert (before, same, after, await counter.calls(LIST)) == (
        Decimal(0),
        Decimal(0),
        Decimal("25.00"),
        2,
    )


async def test_a_write_about_one_trader_keeps_the_others_cached(
    cached: WebServicesClient, counter: Counter, login: int
) -> None:
    other = (await cached.create_trader(new_trader())).login
    await cached.get_trader(other)
    await cached.change_balance(login, DEPOSIT)

    again = await cached.get_trader(other)

    assert (again.login, await counter.calls(TRADER)) == (other, 1)


async def test_a_white_label_move_is_read_back_at_once(
    cached: WebServicesClient, login: int
) -> None:
    before = (await cached.get_trader(login)).broker_name
    await cached.move_to_white_label(login, "borealis-fx", "demo")

    after = (await cached.get_trader(login)).broker_name

    assert (before, after) == ("sandbox", "borealis-fx")


async def test_the_cache_is_never_shared_across_credentials(
    cached: WebServicesClient, counter: Counter, login: int
) -> None:
    desk = cached.for_token(await cached.token_for(DESK[0], SecretStr(DESK[1])))
    await cached.get_trader(login)

    with pytest.raises(NotEnoughRights):
        await desk.get_trader(login)

    assert await counter.calls(TRADER) == 2


async def test_the_cache_keeps_at_most_its_bytes(
    gate: Gate, counter: Counter, clock: Clock, login: int
) -> None:
    """A trader's record is about 1,200 bytes: room for one, so the second pushes the first out."""
    async with gated(gate, MemoryCache(5.0, 2000, clock)) as small:
        other = (await small.create_trader(new_trader())).login
        for each in (login, other, login):
            await small.get_trader(each)

    assert await counter.calls(TRADER) == 3


async def test_the_trader_index_read_is_shared_in_flight_but_never_kept(
    cached: WebServicesClient, gate: Gate, counter: Counter, login: int
) -> None:
    """The index's list (megabytes for 100,000 traders) has its own TTL: the read cache keeps
    none of it, where the same list read as summaries is kept."""

    async def index() -> list[int]:
        return await cached.keep_trader_summaries(EVER, NEVER, [TraderField.BALANCE], _login)

    gate.close()
    together = [asyncio.ensure_future(index()) for _ in range(3)]
    await gate.arrived.wait()
    gate.open()
    shared = await asyncio.gather(*together)
    alone = await index()
    summaries = [await cached.list_trader_summaries(EVER, NEVER, [TraderField.BALANCE])] * 2

    assert (shared, alone, await counter.calls(LIST)) == ([[login]] * 3, [login], 2 + 1)
    assert [[s.login for s in each] for each in summaries] == [[login], [login]]


def _login(summary: TraderSummary) -> int:
    return summary.login
