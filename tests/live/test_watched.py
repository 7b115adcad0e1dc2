"""One poll for every account (and every position) watched under one set of credentials.

Ten subscribers watch 1, 100 or 1,000 accounts of a seeded sandbox; the upstream calls of three
polls are counted at the sandbox. They are the same for each number: one `fields`-restricted
list call per poll over the accounts' registration window (a single account is one
`GET /traders/{login}`), not one call per account.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from decimal import Decimal
from pathlib import Path

from starlette.applications import Starlette

from tests.live.clock import ManualClock
from tests.live.conftest import INTERVAL, live_settings, serving
from tests.live.test_account_changed import ACCOUNT, account_event
from tests.live.test_positions_changed import POSITIONS, position
from tests.live.ws import LiveClient, live_client
from tests.resolvers.harness import WEBSERV, Upstream, upstream_on
from tests.support.sandbox import running_sandbox

SUBSCRIBERS = 10
POLLS = 3
LIST = "GET /v2/webserv/traders/"
ONE = "GET /v2/webserv/traders/{login}"
CHANGE = "POST /v2/webserv/traders/{login}/changebalance"
SEED = '{"seed": 7, "traders": 1000, "historyDays": 0}'  # no trading history: not needed here
EVERYTHING = {"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}


async def oldest(upstream: Upstream, count: int) -> list[int]:
    """The `count` first-registered logins: neighbours, as a book's accounts usually are."""
    listing = await upstream.get(
        f"{WEBSERV}/traders/", **EVERYTHING, fields="login,registrationTimestamp"
    )
    assert isinstance(listing, dict)
    keys = sorted((t["registrationTimestamp"], t["login"]) for t in listing["trader"])
    return [int(login) for _, login in keys[:count]]


def shares(logins: list[int]) -> list[list[int]]:
    """The logins split between the subscribers (every subscriber the one login, if one)."""
    if len(logins) == 1:
        return [logins] * SUBSCRIBERS
    size = len(logins) // SUBSCRIBERS
    return [logins[n * size : (n + 1) * size] for n in range(SUBSCRIBERS)]


async def event_of(upstream: Upstream, sid: int, login: int) -> dict[str, object]:
    """The event `sid` should get for `login`, from the account as the upstream has it now."""
    trader = await upstream.get(f"{WEBSERV}/traders/{login}")
    assert isinstance(trader, dict)
    digits = int(trader["moneyDigits"])

    def amount(key: str) -> str:
        return format(Decimal(trader[key]).scaleb(-digits), "f")

    account = {
        "login": login,
        "moneyDigits": digits,
        "balance": {"amount": amount("balance"), "currency": trader["depositCurrency"]},
        "equity": {"amount": amount("equity")},
    }
    return {"id": str(sid), "type": "next", "payload": {"data": {"accountChanged": account}}}


async def polls(clock: ManualClock, count: int) -> None:
    for _ in range(count):
        await clock.advance(INTERVAL)
        await clock.settled(1)


async def watched_calls(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path, accounts: int
) -> dict[str, int]:
    """The calls of three polls while ten subscribers watch `accounts` accounts; each subscriber
    gets the deposit made to its first account."""
    clock, logins = ManualClock(), await oldest(upstream, accounts)
    settings = live_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with serving(sandbox, settings, clock) as app, live_client(app) as client:
        for sid, share in enumerate(shares(logins)):
            await client.subscribe(str(sid), ACCOUNT, logins=share)
        await clock.settled(1)
        await polls(clock, 2)  # the baseline of every subscription's accounts
        await upstream.reset_calls()
        moved = {tuple(share): await deposit_in(upstream, share) for share in shares(logins)}
        await polls(clock, POLLS)
        received = await receive(client, SUBSCRIBERS)
        calls = await upstream.calls()  # before the test reads the accounts itself
        expected = [
            await event_of(upstream, sid, moved[tuple(share)])
            for sid, share in enumerate(shares(logins))
        ]
        assert sorted(received, key=str) == sorted(expected, key=str)
    assert calls.pop(CHANGE) >= len(moved)  # the sandbox refuses a few seeded accounts' deposits
    return calls


async def deposit_in(upstream: Upstream, share: list[int]) -> int:
    """25.00 into the first account of `share` that takes it (some seeded ones refuse)."""
    for login in share:
        try:
            await upstream.deposit(login, "25.00")
        except AssertionError:
            continue
        return login
    raise AssertionError(f"no account of {share} takes a deposit")


async def receive(client: LiveClient, count: int) -> list[dict[str, object]]:
    return [await client.receive() for _ in range(count)]


async def test_calls_per_poll_do_not_grow_with_the_accounts_watched(tmp_path: Path) -> None:
    async with running_sandbox() as (sandbox, _), upstream_on(sandbox) as upstream:
        await upstream.control("/_sandbox/seed", SEED)
        counted = {n: await watched_calls(sandbox, upstream, tmp_path, n) for n in (1, 100, 1000)}
    assert counted == {1: {ONE: POLLS}, 100: {LIST: POLLS}, 1000: {LIST: POLLS}}


async def test_a_subscription_joining_a_running_poller_gets_changes_not_the_state(
    service: Starlette, upstream: Upstream, clock: ManualClock
) -> None:
    first, second = await upstream.create_trader(), await upstream.create_trader()
    await upstream.deposit(second, "5.00")
    async with live_client(service) as client:
        await client.subscribe("1", ACCOUNT, logins=[first])
        await clock.settled(1)
        await client.subscribe("2", ACCOUNT, logins=[second])
        await polls(clock, 2)  # the second account's baseline (whichever poll saw it first)
        await upstream.deposit(second, "7.00")
        await polls(clock, 1)
        received = await client.receive()
    assert received == account_event("2", second, "12.00")


async def test_positions_of_several_logins_cost_one_grid_per_poll(
    service: Starlette, upstream: Upstream, clock: ManualClock
) -> None:
    one, two = await upstream.create_trader(), await upstream.create_trader()
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(live_client(service))
        await client.subscribe("1", POSITIONS, login=one)
        await client.subscribe("2", POSITIONS, login=two)
        await clock.settled(1)
        await polls(clock, 1)
        await upstream.reset_calls()
        opened = await upstream.open_position(two)
        await polls(clock, POLLS)
        received = await client.receive()
    assert (received, await upstream.calls()) == (
        {
            "id": "2",
            "type": "next",
            "payload": {
                "data": {
                    "positionsChanged": {
                        "opened": [position(opened, two)],
                        "updated": [],
                        "closed": [],
                    }
                }
            },
        },
        {"GET /v2/webserv/openPositions": POLLS},
    )
