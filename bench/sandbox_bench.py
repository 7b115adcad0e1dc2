"""Sandbox throughput, in process: `python -m bench.sandbox_bench [--requests N] [--traders N]`.

Measures requests/s of `GET /v2/webserv/traders/{login}` and of `changebalance` through
httpx.ASGITransport (one client, sequential calls, SQLite in memory), the time to seed 100,000
traders without history, the time to seed 2,000 traders with 120 days of closed positions
(`--history-traders`, `--history-days`), and the time to list the 100,000 with
`fields=login,balance`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable

import httpx

from sandbox import SandboxSettings, create_app

JSON = {"Accept": "application/json"}
WINDOW = {"from": "2000-01-01T00:00:00.000", "to": "2100-01-01T00:00:00.000"}
TRADER = {
    "accessRights": "FULL_ACCESS",
    "accountType": "HEDGED",
    "balance": 0,
    "brokerName": "sandbox",
    "depositCurrency": "USD",
    "groupName": "Retail USD",
    "hashedPassword": hashlib.md5(b"bench").hexdigest(),
    "leverageInCents": 10000,
}


async def token(client: httpx.AsyncClient) -> str:
    body = {"login": 1001, "hashedPassword": hashlib.md5(b"sandbox-admin").hexdigest()}
    response = await client.post("/v2/webserv/managers/token", json=body, headers=JSON)
    return str(response.json()["webservToken"])


async def rate(count: int, call: Callable[[], Awaitable[httpx.Response]]) -> float:
    started = time.perf_counter()
    for _ in range(count):
        response = await call()
        assert response.status_code == 200, response.text
    return count / (time.perf_counter() - started)


async def throughput(count: int) -> tuple[float, float]:
    settings = SandboxSettings(rate_limit_per_hour=10 * count + 100)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            tok = await token(client)
            created = await client.post(
                f"/v2/webserv/traders?token={tok}", json=TRADER, headers=JSON
            )
            login = created.json()["login"]
            get_url = f"/v2/webserv/traders/{login}?token={tok}"
            reads = await rate(count, lambda: client.get(get_url, headers=JSON))
            change = {"login": login, "preciseAmount": "1.01", "type": "DEPOSIT"}
            change_url = f"/v2/webserv/traders/{login}/changebalance?token={tok}"
            writes = await rate(count, lambda: client.post(change_url, json=change, headers=JSON))
    return reads, writes


async def seeding(traders: int) -> tuple[float, float]:
    started = time.perf_counter()
    app = create_app(SandboxSettings(seed=1, traders=traders, history_days=0))
    async with app.router.lifespan_context(app):
        seeded = time.perf_counter() - started
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            params = {**WINDOW, "fields": "login,balance", "token": await token(client)}
            started = time.perf_counter()
            response = await client.get("/v2/webserv/traders/", params=params, headers=JSON)
            listed = time.perf_counter() - started
            assert len(response.json()["trader"]) == traders
    return seeded, listed


async def history(traders: int, days: int) -> float:
    """Seconds to start a sandbox seeding `traders` with `days` of closed positions."""
    started = time.perf_counter()
    app = create_app(SandboxSettings(seed=1, traders=traders, history_days=days))
    async with app.router.lifespan_context(app):
        return time.perf_counter() - started


async def run(count: int, traders: int, history_traders: int, days: int) -> None:
    reads, writes = await throughput(count)
    seeded, listed = await seeding(traders)
    with_history = await history(history_traders, days)
    rows = [
        ("GET /v2/webserv/traders/{login}", f"{reads:,.0f} req/s", ""),
        ("POST /v2/webserv/traders/{login}/changebalance", f"{writes:,.0f} req/s", ""),
        (
            f"seed {traders:,} traders without history (SQLite in memory)",
            f"{seeded:.1f} s",
            _target(seeded, 60),
        ),
        (
            f"seed {history_traders:,} traders with {days} days of history",
            f"{with_history:.1f} s",
            _target(with_history, 30),
        ),
        (f"list {traders:,} traders, fields=login,balance", f"{listed:.1f} s", _target(listed, 10)),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'sandbox benchmark':<{width}}  {'result':>14}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>14}  {target}")


def _target(seconds: float, limit: int) -> str:
    """The issues' promises (seeding 100,000 under a minute, listing them in seconds; a demo's
    history in seconds, not minutes)."""
    return f"< {limit} s {'ok' if seconds < limit else 'FAIL'}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_bench")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--traders", type=int, default=100_000)
    parser.add_argument("--history-traders", type=int, default=2000)
    parser.add_argument("--history-days", type=int, default=120)
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.traders, args.history_traders, args.history_days))


if __name__ == "__main__":
    main()
