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

# 2026-03-02T10:20:30.456 UTC
NOW_MS = 1_772_446_830_456
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
        answer: dict[str, object] = response.json() if response.content else {}
        return answer

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

    async def close_position(self, position_id: int, volume: str, price: str) -> None:
        await self.control(
            f"positions/{position_id}/close", {"volume": volume, "closePrice": price}
        )

    async def traders(self, client: WebServicesClient, count: int, step_ms: int) -> list[int]:
        """`count` new traders, registered `step_ms` apart (the clock moves between them)."""
        logins = []
        for _ in range(count):
            logins.append((await client.create_trader(new_trader())).login)
            await self.advance(step_ms)
        return logins
