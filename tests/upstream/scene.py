"""Setting the scene in the sandbox through its control API and the client's own writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

import httpx
from pydantic import SecretStr

from upstream.client import WebServicesClient
from upstream.enums import AccessRights, AccountType
from upstream.inputs import NewTrader
from upstream.tokens import md5_hex

# 2026-03-02T10:20:30.456 UTC
NOW_MS = 1_772_446_830_456
ACCEPT_JSON = {"Accept": "application/json"}
TRADER_PASSWORD = SecretStr("trader-secret")


def new_trader(currency: str = "USD", group: str = "Retail USD") -> NewTrader:
    return NewTrader(
        access_rights=AccessRights.FULL_ACCESS,
        account_type=AccountType.HEDGED,
        broker_name="sandbox",
        deposit_currency=currency,
        group_name=group,
        password=TRADER_PASSWORD,
        leverage=Decimal(100),
    )


@dataclass
class Scene:
    http: httpx.AsyncClient

    async def control(self, path: str, body: object = None) -> dict[str, object]:
        response = await self.http.post(f"/_sandbox/{path}", content=json.dumps(body or {}))
        assert response.status_code in (200, 204), response.text
        content = response.content or b"{}"
        answer: dict[str, object] = json.loads(content, parse_float=Decimal)
        return answer

    async def json_grid(self, grid: str, query: dict[str, str]) -> list[dict[str, object]]:
        """A grid in its JSON variant (§12), read directly with a token of our own."""
        token = await self.http.post(
            "/v2/webserv/managers/token",
            json={"login": 1001, "hashedPassword": md5_hex(SecretStr("sandbox-admin"))},
            headers=ACCEPT_JSON,
        )
        response = await self.http.get(
            f"/v2/webserv/{grid}",
            params={**query, "token": token.json()["webservToken"]},
            headers=ACCEPT_JSON,
        )
        rows: list[dict[str, object]] = json.loads(response.content, parse_float=Decimal)
        return rows

    async def pin_clock(self, now_ms: int = NOW_MS) -> None:
        await self.control("clock", {"nowMs": now_ms})

    async def advance(self, ms: int) -> None:
        await self.control("clock", {"advanceMs": ms})

    async def fault(self, **fault: object) -> None:
        await self.control("faults", fault)

    async def open_position(self, login: int, volume: str, price: str) -> int:
        body = {
            "login": login,
            "symbol": "EURUSD",
            "direction": "BUY",
            "volume": volume,
            "entryPrice": price,
        }
        answer = await self.control("positions", body)
        return int(str(answer["positionId"]))

    async def close_position(self, position_id: int, volume: str, price: str) -> dict[str, object]:
        """The closing deal as the control API reports it (dealId, volume, closePrice, pnl)."""
        body = {"volume": volume, "closePrice": price}
        return await self.control(f"positions/{position_id}/close", body)

    async def traders(self, client: WebServicesClient, count: int, step_ms: int) -> list[int]:
        """`count` new traders, registered `step_ms` apart (the clock moves between them)."""
        logins = []
        for _ in range(count):
            logins.append((await client.create_trader(new_trader())).login)
            await self.advance(step_ms)
        return logins
