"""Handlers of the read-only catalogue calls: groups, symbols, deposit assets, position grids."""

from __future__ import annotations

from sqlalchemy import select
from starlette.responses import Response

from sandbox import grids, models
from sandbox.body import to_int
from sandbox.endpoint import Call, required_query
from sandbox.jsonvalue import Json, JsonObject, dumps
from sandbox.timefmt import parse
from sandbox.wire import CSV_TYPE, JSON_TYPE


async def trader_groups(call: Call) -> Response:
    g = models.trader_groups
    async with call.state.db.read() as connection:
        rows = (await connection.execute(select(g).order_by(g.c.id))).all()
    items: list[Json] = [
        {"id": int(r.id), "name": str(r.name), "description": r.description}
        for r in rows
        if call.manager.sees_group(int(r.id))
    ]
    return call.reply({"traderGroup": items}, "traderGroupList")


async def symbols(call: Call) -> Response:
    s = models.symbols
    async with call.state.db.read() as connection:
        rows = (await connection.execute(select(s).order_by(s.c.id))).all()
    items: list[Json] = [
        _symbol(r.id, r.name, r.description, r.asset_class, r.category) for r in rows
    ]
    return call.reply({"symbol": items}, "symbolList")


def _symbol(id_: int, name: str, description: str, asset_class: str, category: str) -> JsonObject:
    return {
        "name": str(name),
        "id": int(id_),
        "description": description,
        "assetClass": str(asset_class),
        "category": str(category),
        "quotesEnabled": True,
        "showInCtrader": True,
    }


async def deposit_assets(call: Call) -> Response:
    a = models.deposit_assets
    async with call.state.db.read() as connection:
        names = (await connection.execute(select(a.c.name).order_by(a.c.name))).scalars().all()
    return call.reply({"depositAsset": [str(n) for n in names]}, "depositAssetList")


def _login(call: Call) -> int | None:
    login = call.query("login")
    return None if login is None else to_int("login", login)


async def open_positions(call: Call) -> Response:
    async with call.state.db.read() as connection:
        rows = await grids.open_rows(connection, call.manager, _login(call))
    return _grid(call, grids.OPEN_COLUMNS, rows)


async def closed_positions(call: Call) -> Response:
    window = (parse("from", required_query(call, "from")), parse("to", required_query(call, "to")))
    async with call.state.db.read() as connection:
        rows = await grids.closed_rows(connection, call.manager, window, _login(call))
    return _grid(call, grids.CLOSED_COLUMNS, rows)


def _grid(call: Call, columns: list[str], rows: list[JsonObject]) -> Response:
    if "json" in call.request.headers.get("accept", "").lower():
        return Response(dumps(list[Json](rows)), media_type=JSON_TYPE)
    return Response(grids.to_csv(columns, rows), media_type=CSV_TYPE)
