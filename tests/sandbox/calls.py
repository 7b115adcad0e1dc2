"""A sandbox to talk to, and the calls tests make to set a scene in it.

`serve` starts a sandbox app (its lifespan resets the tables) with a client over in-process ASGI,
the clock at NOW_MS. The managers of docs/sandbox.md (`ADMIN`, `DESK`, `PARTNER`) log in with
`token_of`; `create_manager` adds one through the control API. `post_json` sends exact JSON;
`change_balance` moves money (§3.7); `open_position` and `close_position` make trading happen
through the control API, on `forex_symbol` unless told otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal

import httpx

from sandbox import SandboxSettings, create_app
from tests.sandbox.clock import NOW_MS, set_clock
from tests.sandbox.wire import ACCEPT_JSON, WEBSERV, Json, md5, to_json

ADMIN = (1001, "sandbox-admin")
DESK = (1002, "sandbox-desk")
PARTNER = (1003, "sandbox-partner")


@asynccontextmanager
async def serve(
    settings: SandboxSettings, *, set_time: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """A sandbox app with its lifespan running (which resets its tables) and a client over ASGI;
    the sandbox clock at NOW_MS unless `set_time` is false (a caller the sandbox refuses)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            # httpx sends `Accept: */*` unless told otherwise; tests of the default send none.
            del client.headers["Accept"]
            if set_time:
                await set_clock(client, NOW_MS)
            yield client


async def token_of(client: httpx.AsyncClient, login: int, password: str) -> str:
    body = {"login": login, "hashedPassword": md5(password)}
    response = await client.post(f"{WEBSERV}/managers/token", json=body, headers=ACCEPT_JSON)
    assert response.status_code == 200, response.text
    token = response.json()["webservToken"]
    assert isinstance(token, str)
    return token


async def create_manager(
    client: httpx.AsyncClient,
    login: int,
    password: str,
    *,
    allowed_group_ids: list[int] | None = None,
    disabled_broker_names: list[str] | None = None,
    super_admin: bool = False,
    read_only: bool = False,
) -> str:
    """Create (or replace) a manager through the control API and return its token."""
    body = {
        "login": login,
        "password": password,
        "allowedGroupIds": allowed_group_ids or [],
        "disabledBrokerNames": disabled_broker_names or [],
        "superAdmin": super_admin,
        "readOnly": read_only,
    }
    (await client.post("/_sandbox/managers", json=body)).raise_for_status()
    return await token_of(client, login, password)


async def post_json(
    client: httpx.AsyncClient, path: str, token: str | None, body: object
) -> httpx.Response:
    """POST a JSON body (Decimals as exact literals) asking for JSON back."""
    params = {"token": token} if token is not None else {}
    return await client.post(
        path,
        params=params,
        content=to_json(body),
        headers={**ACCEPT_JSON, "Content-Type": "application/json"},
    )


async def change_balance(
    client: httpx.AsyncClient,
    token: str,
    login: object,
    amount: str,
    kind: str = "DEPOSIT",
    **extra: object,
) -> httpx.Response:
    body = {"login": login, "preciseAmount": Decimal(amount), "type": kind, **extra}
    return await post_json(client, f"{WEBSERV}/traders/{login}/changebalance", token, body)


async def forex_symbol(client: httpx.AsyncClient) -> str:
    """EURUSD when the base dataset has it (the grids' example symbol), else its first symbol."""
    token = await token_of(client, *ADMIN)
    response = await client.get(f"{WEBSERV}/symbols", params={"token": token}, headers=ACCEPT_JSON)
    names = [str(item["name"]) for item in response.json()["symbol"]]
    return "EURUSD" if "EURUSD" in names else names[0]


async def open_position(
    client: httpx.AsyncClient,
    login: object,
    *,
    symbol: str | None = None,
    direction: str = "BUY",
    volume: str = "1000",
    entry_price: str = "1.18657",
) -> int:
    """Make trading happen through the control API; answers the new position's id."""
    body = {
        "login": login,
        "symbol": symbol or await forex_symbol(client),
        "direction": direction,
        "volume": Decimal(volume),
        "entryPrice": Decimal(entry_price),
    }
    response = await post_json(client, "/_sandbox/positions", None, body)
    response.raise_for_status()
    position_id = response.json()["positionId"]
    assert isinstance(position_id, int)
    return position_id


async def close_position(
    client: httpx.AsyncClient, position_id: int, *, close_price: str, volume: str | None = None
) -> None:
    body: Json = {"closePrice": Decimal(close_price)}
    if volume is not None:
        body["volume"] = Decimal(volume)
    response = await post_json(client, f"/_sandbox/positions/{position_id}/close", None, body)
    response.raise_for_status()
