"""The service in front of an in-process sandbox, both over ASGI, for end-to-end reads.

`Graph` asks the service GraphQL questions and the sandbox how many upstream calls they cost
(`/_sandbox/stats`); `Upstream` sets the scene through the sandbox's own API, as a CRM would.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
from pydantic import SecretStr
from starlette.applications import Starlette

from server import create_app
from settings import ServiceSettings, WhiteLabel
from tests.support.lifespan import started
from tests.support.sandbox import BASE_URL, SandboxTransport
from upstream.enums import WireFormat

Json = dict[str, object]
WEBSERV = "/v2/webserv"
ACCEPT_JSON = {"Accept": "application/json"}
ADMIN = (1001, "sandbox-admin")
WHITE_LABELS = {
    "sandbox": WhiteLabel(environment="demo", jurisdiction="CY"),
    "atlas-markets": WhiteLabel(environment="demo", jurisdiction="AU"),
    "borealis-fx": WhiteLabel(environment="demo", jurisdiction="SC"),
}


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def service_settings(tmp_path: Path, **overrides: object) -> ServiceSettings:
    values: dict[str, object] = {
        "upstream_url": BASE_URL,
        "manager_login": ADMIN[0],
        "manager_password": SecretStr(ADMIN[1]),
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'service.db'}",
        "white_labels": WHITE_LABELS,
        "index_ttl_seconds": 300.0,
        "upstream_format": WireFormat.JSON,
        "default_caller": True,  # requests without Authorization act as the manager above
        **overrides,
    }
    return ServiceSettings.model_validate(values)


@dataclass
class Upstream:
    """The sandbox seen by a CRM: its REST API with the admin's token, and its control API."""

    http: httpx.AsyncClient
    token: str

    async def post(self, path: str, body: str, method: str = "POST") -> httpx.Response:
        headers = {**ACCEPT_JSON, "Content-Type": "application/json"}
        response = await self.http.request(
            method, path, params={"token": self.token}, content=body, headers=headers
        )
        assert response.is_success, response.text
        return response

    async def get(self, path: str, **params: str | int) -> object:
        response = await self.http.get(
            path, params={**params, "token": self.token}, headers=ACCEPT_JSON
        )
        assert response.is_success, response.text
        return response.json()

    async def control(self, path: str, body: str | None = None) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        response = await self.http.post(path, content=body or "{}", headers=headers)
        assert response.is_success, response.text
        return response

    async def group_names(self) -> list[str]:
        groups = await self.get(f"{WEBSERV}/tradergroups")
        assert isinstance(groups, dict)
        return [str(group["name"]) for group in groups["traderGroup"]]

    async def create_trader(
        self,
        *,
        currency: str = "USD",
        broker: str = "sandbox",
        group: str | None = None,
        partner: str | None = None,
        email: str = "ada@example.com",
    ) -> int:
        group = group or (await self.group_names())[0]
        ib = f', "introducingBroker1": "{partner}"' if partner else ""
        body = (
            '{"accessRights": "FULL_ACCESS", "accountType": "HEDGED", "balance": 0, '
            f'"brokerName": "{broker}", "depositCurrency": "{currency}", '
            f'"groupName": "{group}", "hashedPassword": "{md5("trader-secret")}", '
            '"leverageInCents": 10000, "totalMarginCalculationType": "MAX", '
            f'"name": "Ada", "lastName": "Lovelace", "contactDetails": {{"email": "{email}"{ib}}}}}'
        )
        created = (await self.post(f"{WEBSERV}/traders", body)).json()
        return int(created["login"])

    async def deposit(self, login: int, amount: str) -> None:
        body = f'{{"login": {login}, "preciseAmount": {Decimal(amount)}, "type": "DEPOSIT"}}'
        await self.post(f"{WEBSERV}/traders/{login}/changebalance", body)

    async def open_position(self, login: int, volume: str = "1000", symbol: str = "EURUSD") -> int:
        body = (
            f'{{"login": {login}, "symbol": "{symbol}", "direction": "BUY", '
            f'"volume": {volume}, "entryPrice": 1.18657}}'
        )
        return int((await self.control("/_sandbox/positions", body)).json()["positionId"])

    async def close_position(self, position_id: int, price: str = "1.19") -> None:
        await self.control(f"/_sandbox/positions/{position_id}/close", f'{{"closePrice": {price}}}')

    async def link_user(self, login: int, email: str) -> int:
        created = await self.post("/cid/ctid/create", f'{{"email": "{email}"}}')
        user_id = int(created.json()["userId"])
        body = (
            f'{{"traderLogin": {login}, "traderPasswordHash": "{md5("trader-secret")}", '
            f'"userId": {user_id}, "brokerName": "{await self.broker_of(login)}", '
            '"environmentName": "demo", "returnAccountDetails": true}'
        )
        await self.post("/cid/ctid/link", body)
        return user_id

    async def broker_of(self, login: int) -> str:
        trader = await self.get(f"{WEBSERV}/traders/{login}")
        assert isinstance(trader, dict)
        return str(trader["brokerName"])

    async def users_csv(self) -> str:
        return (await self.http.get("/_sandbox/users.csv")).text

    async def pin_clock(self, now_ms: int) -> None:
        await self.control("/_sandbox/clock", f'{{"nowMs": {now_ms}}}')

    async def advance_clock(self, ms: int) -> None:
        await self.control("/_sandbox/clock", f'{{"advanceMs": {ms}}}')

    async def seed(self, seed: int, traders: int) -> None:
        await self.control("/_sandbox/seed", f'{{"seed": {seed}, "traders": {traders}}}')

    async def fault(self, body: str) -> None:
        await self.control("/_sandbox/faults", body)

    async def calls(self) -> dict[str, int]:
        stats = (await self.http.get("/_sandbox/stats")).json()
        return {str(route): int(count) for route, count in stats["requests"].items()}

    async def reset_calls(self) -> None:
        await self.control("/_sandbox/stats/reset")


@dataclass
class Graph:
    """The service over ASGI."""

    http: httpx.AsyncClient

    async def query(self, text: str, **variables: object) -> Json:
        response = await self.http.post("/graphql", json={"query": text, "variables": variables})
        assert response.status_code == 200, response.text
        body = response.json()
        assert isinstance(body, dict)
        return body


@asynccontextmanager
async def upstream_on(sandbox: Starlette) -> AsyncIterator[Upstream]:
    transport = SandboxTransport(sandbox)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        body = {"login": ADMIN[0], "hashedPassword": md5(ADMIN[1])}
        answer = await http.post(f"{WEBSERV}/managers/token", json=body, headers=ACCEPT_JSON)
        yield Upstream(http, str(answer.json()["webservToken"]))


@asynccontextmanager
async def service_on(
    sandbox: Starlette,
    settings: ServiceSettings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Graph]:
    """The service against `sandbox` (through `transport` when a test needs to meddle)."""
    app = create_app(settings, upstream_transport=transport or SandboxTransport(sandbox))
    async with started(app) as served:
        transport = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as http:
            yield Graph(http)
