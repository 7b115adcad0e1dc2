"""The sandbox as the money specifications use it: accounts, faults, balances, call counts.

Everything goes over HTTP: the service's real `WebServicesClient` for the emulated API, a plain
client for the control API (`/_sandbox/...`), both through `SandboxTransport`, which turns a
dropped response into `RemoteProtocolError` and honours read timeouts as a socket would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from sandbox import SandboxSettings
from tests.money.served import served_sandbox
from tests.support.sandbox import BASE_URL, SandboxTransport, running_sandbox
from upstream.client import WebServicesClient
from upstream.config import BreakerPolicy, ClientConfig, Timeouts
from upstream.enums import AccessRights, AccountType
from upstream.inputs import NewTrader

CHANGEBALANCE = "POST /v2/webserv/traders/{login}/changebalance"
GROUPS = {"USD": "Retail USD", "EUR": "Retail EUR", "BTC": "Crypto BTC"}


ADMIN = (1001, "sandbox-admin")
READ_ONLY = (1003, "sandbox-partner")


def client_config(
    read_timeout: float = 2.0, manager: tuple[int, str] = ADMIN, base_url: str = BASE_URL
) -> ClientConfig:
    """A manager, a short read timeout and a breaker that never opens in a test."""
    return ClientConfig(
        base_url=base_url,
        manager_login=manager[0],
        manager_password=SecretStr(manager[1]),
        timeouts=Timeouts(read=read_timeout, total=read_timeout * 3),
        breaker=BreakerPolicy(failure_threshold=1_000_000),
    )


@dataclass
class Sandbox:
    client: WebServicesClient
    control: httpx.AsyncClient

    async def open_account(self, currency: str = "USD") -> int:
        new = NewTrader(
            access_rights=AccessRights.FULL_ACCESS,
            account_type=AccountType.HEDGED,
            broker_name="sandbox",
            deposit_currency=currency,
            group_name=GROUPS[currency],
            password=SecretStr("trader-secret"),
            leverage=Decimal(100),
        )
        return (await self.client.create_trader(new)).login

    async def fault(self, action: str, **extra: object) -> None:
        body = {"method": "POST", "path": "/v2/webserv/traders/*/*", "action": action, **extra}
        answer = await self.control.post("/_sandbox/faults", json=body)
        assert answer.status_code < 300, answer.text

    async def clear_faults(self) -> None:
        (await self.control.delete("/_sandbox/faults")).raise_for_status()

    async def calls(self, route: str = CHANGEBALANCE) -> int:
        stats = (await self.control.get("/_sandbox/stats")).json()
        count: int = stats["requests"].get(route, 0)
        return count

    async def money(self, login: int) -> tuple[Decimal, Decimal, Decimal]:
        """(balance, bonus, credit) as the upstream holds them."""
        trader = await self.client.get_trader(login)
        return trader.balance, trader.bonus, trader.non_withdrawable_bonus


@asynccontextmanager
async def sandbox_desk(
    engine: AsyncEngine,
    settings: SandboxSettings | None = None,
    read_timeout: float = 2.0,
    manager: tuple[int, str] = ADMIN,
) -> AsyncIterator[tuple[Sandbox, MoneyDesk]]:
    """A running sandbox, the admin's (patient) client on it, and a money desk acting as
    `manager` whose client gives up after `read_timeout`."""
    async with (
        running_sandbox(settings) as (app, base_url),
        WebServicesClient(client_config(5.0), transport=SandboxTransport(app)) as admin,
        WebServicesClient(
            client_config(read_timeout, manager), transport=SandboxTransport(app)
        ) as acting,
        httpx.AsyncClient(transport=SandboxTransport(app), base_url=base_url) as control,
    ):
        yield Sandbox(admin, control), MoneyDesk.for_client(engine, acting)


@asynccontextmanager
async def served_desk(
    engine: AsyncEngine, settings: SandboxSettings, read_timeout: float
) -> AsyncIterator[tuple[Sandbox, MoneyDesk]]:
    """Like `sandbox_desk`, over real loopback sockets: a client that gives up does not cancel
    the sandbox's handler half-way through its database work, as an in-process call would.
    """
    async with (
        served_sandbox(settings) as url,
        WebServicesClient(client_config(5.0, base_url=url)) as admin,
        WebServicesClient(client_config(read_timeout, base_url=url)) as acting,
        httpx.AsyncClient(base_url=url) as control,
    ):
        yield Sandbox(admin, control), MoneyDesk.for_client(engine, acting)
