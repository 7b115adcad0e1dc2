"""Subscription cost: upstream calls per minute versus subscribers, and versus accounts watched.

    python -m bench.subscription_bench [--quick] [--subscribers 1 10 100] [--interval 1.0]
                                        [--window 10] [--accounts 1 100 1000]

Everything runs in this process over ASGI (the sandbox, the service, and graphql-transport-ws
clients, ten subscriptions per connection), in real time. For each subscriber count the
service is started afresh, every subscriber watches the same account through `accountChanged`,
and once they are all subscribed the sandbox's `/_sandbox/stats` are zeroed, `--window` seconds
pass, and the calls counted become calls per minute. Shared pollers promise the same rate
whatever the count: one poll per `--interval` (ok at most one poll above the single subscriber).

The second table: the sandbox seeded with `max(--accounts)` traders, ten subscribers share the
`--accounts` first-registered accounts between them (each the one account, when it is one).
One poller polls them all with one list call per registration window, so the rate is that of
one account, whatever the number (ok at most one poll above it).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import tempfile
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.types import ASGIApp

from observability.logs import configure_logging
from sandbox import SandboxSettings
from sandbox import create_app as sandbox_app
from server import create_app
from settings import LogFormat, ServiceSettings
from tests.live.ws import LiveClient, live_client
from tests.support.lifespan import started

SANDBOX = "http://sandbox.bench"
LOOPBACK = ("127.0.0.1", 40404)
PER_CONNECTION = 10
TRADER = """{"accessRights": "FULL_ACCESS", "accountType": "HEDGED", "balance": 0,
 "depositCurrency": "USD", "groupName": "Retail USD", "leverageInCents": 10000,
 "hashedPassword": "0123456789abcdef0123456789abcdef"}"""
ACCOUNT = "subscription ($l: [Int!]!) { accountChanged(logins: $l) { balance { amount } } }"


WATCHERS = 10
EVERYTHING = {"from": "1970-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}


@dataclass(frozen=True)
class Row:
    subscribers: int
    calls: int
    window: float

    @property
    def per_minute(self) -> float:
        return self.calls * 60.0 / self.window


async def _token(http: httpx.AsyncClient) -> str:
    body = {"login": 1001, "hashedPassword": hashlib.md5(b"sandbox-admin").hexdigest()}
    answer = await http.post("/v2/webserv/managers/token", json=body, headers=_json())
    return str(answer.json()["webservToken"])


def _json() -> dict[str, str]:
    return {"Accept": "application/json", "Content-Type": "application/json"}


async def _trader(http: httpx.AsyncClient, token: str) -> int:
    answer = await http.post(
        "/v2/webserv/traders", params={"token": token}, content=TRADER, headers=_json()
    )
    return int(answer.json()["login"])


async def _calls(http: httpx.AsyncClient) -> int:
    stats = (await http.get("/_sandbox/stats")).json()["requests"]
    return sum(int(count) for count in stats.values())


async def _subscribe(app: ASGIApp, stack: AsyncExitStack, shares: list[list[int]]) -> None:
    clients: list[LiveClient] = []
    for n, logins in enumerate(shares):
        if n % PER_CONNECTION == 0:
            clients.append(await stack.enter_async_context(live_client(app)))
        await clients[-1].subscribe(str(n), ACCOUNT, l=logins)


async def measure(
    sandbox: Starlette, http: httpx.AsyncClient, login: int, count: int, args: argparse.Namespace
) -> Row:
    calls = await _calls_watching(sandbox, http, [[login]] * count, args)
    return Row(count, calls, args.window)


async def _calls_watching(
    sandbox: Starlette, http: httpx.AsyncClient, shares: list[list[int]], args: argparse.Namespace
) -> int:
    """Upstream calls in `--window` seconds while one subscriber per share watches its logins."""
    with tempfile.TemporaryDirectory() as folder:
        settings = ServiceSettings(
            upstream_url=SANDBOX,
            manager_login=1001,
            manager_password=SecretStr("sandbox-admin"),
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'service.db'}",
            live_poll_interval_seconds=args.interval,
            max_subscriptions_per_connection=PER_CONNECTION,
            default_caller=True,  # subscribers act as the manager above; auth is not measured
        )
        transport = httpx.ASGITransport(app=sandbox, client=LOOPBACK)
        app = create_app(settings, upstream_transport=transport)
        async with started(app) as served, AsyncExitStack() as stack:
            await _subscribe(served, stack, shares)
            await asyncio.sleep(args.interval)  # every subscription started, the baseline taken
            await http.post("/_sandbox/stats/reset")
            await asyncio.sleep(args.window)
            return await _calls(http)


async def _oldest(http: httpx.AsyncClient, token: str, count: int) -> list[int]:
    params = {**EVERYTHING, "fields": "login,registrationTimestamp", "token": token}
    listing = (await http.get("/v2/webserv/traders/", params=params, headers=_json())).json()
    keys = sorted((t["registrationTimestamp"], t["login"]) for t in listing["trader"])
    return [int(login) for _, login in keys[:count]]


def shares_of(logins: list[int]) -> list[list[int]]:
    """The logins split between ten subscribers; each watches the one login if there is one."""
    if len(logins) == 1:
        return [logins] * WATCHERS
    size = -(-len(logins) // WATCHERS)
    return [logins[n : n + size] for n in range(0, len(logins), size)]


async def watched(
    sandbox: Starlette, http: httpx.AsyncClient, token: str, args: argparse.Namespace
) -> list[Row]:
    """Rows of the second table: `Row.subscribers` holds the number of accounts watched."""
    await http.post(
        "/_sandbox/seed", json={"seed": 7, "traders": max(args.accounts), "historyDays": 0}
    )
    rows = []
    for count in args.accounts:
        shares = shares_of(await _oldest(http, token, count))
        rows.append(Row(count, await _calls_watching(sandbox, http, shares, args), args.window))
    return rows


def report(rows: list[Row], interval: float, counted: str = "subscribers") -> str:
    """The table; ok when a count costs no more than the first (one subscriber, one account),
    give or take one poll. Fewer is fine: a poll of many accounts takes longer, so in a short
    window at a one-second interval fewer of them fit."""
    alone = rows[0].per_minute
    tolerance = 60.0 / rows[0].window
    target = "target (= 1 subscriber's)" if counted == "subscribers" else "target (= 1 account's)"
    lines = [f"{counted:>11}  {'upstream calls/min':>18}  {target}"]
    for row in rows:
        verdict = "ok" if row.per_minute - alone <= tolerance else "FAIL"
        lines.append(f"{row.subscribers:>11}  {row.per_minute:>18.1f}  {verdict}")
    lines.append(f"one poll per {interval:g} s is {60.0 / interval:.0f} calls/min")
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> str:
    sandbox = sandbox_app(SandboxSettings())
    async with sandbox.router.lifespan_context(sandbox):
        transport = httpx.ASGITransport(app=sandbox, client=LOOPBACK)
        async with httpx.AsyncClient(transport=transport, base_url=SANDBOX) as http:
            token = await _token(http)
            login = await _trader(http, token)
            rows = [await measure(sandbox, http, login, n, args) for n in args.subscribers]
            accounts = await watched(sandbox, http, token, args) if args.accounts else []
    tables = [report(rows, args.interval)]
    if accounts:
        tables.append(f"{WATCHERS} subscribers sharing the accounts watched:")
        tables.append(report(accounts, args.interval, "accounts"))
    return "\n\n".join(tables)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.subscription_bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 3-second window: a smoke run")
    parser.add_argument("--subscribers", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--interval", type=float, default=1.0, help="poll interval, seconds")
    parser.add_argument("--window", type=float, default=10.0, help="measured seconds per count")
    parser.add_argument(
        "--accounts", type=int, nargs="*", default=[1, 100, 1000], help="accounts watched"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(LogFormat.CONSOLE, "WARNING")
    if args.quick:
        args.window = 3.0
    print(asyncio.run(run(args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
