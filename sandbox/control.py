"""The control API under `/_sandbox/` (docs/sandbox.md): reset, seed, managers, positions, clock,
faults, stats, the users export and the OpenAPI document. JSON only, no token, never faulted or
counted in the stats; the IP allow-list still applies.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from sandbox import auth, catalog, export, lifecycle, openapi, positions
from sandbox.body import Body, to_int
from sandbox.clock import DAY_MS
from sandbox.endpoint import Call, Handler, endpoint, no_content
from sandbox.exceptions import InvalidRequest
from sandbox.faults import parse_fault
from sandbox.jsonvalue import Json, JsonObject
from sandbox.seed import seed_data
from sandbox.wire import CSV_TYPE, Dialect, json_response


async def reset(call: Call) -> Response:
    await lifecycle.reset(call.state)
    return no_content()


async def seed(call: Call) -> Response:
    count = call.body.opt_int("traders") or 0
    if count < 0:
        raise InvalidRequest("'traders' must not be negative")
    days = call.body.opt_int("historyDays")
    if days is not None and days < 0:
        raise InvalidRequest("'historyDays' must not be negative")
    anchor = call.body.opt_int("anchorMs") or call.state.settings.seed_anchor_ms
    summary = await seed_data(
        call.state.db,
        call.body.req_int("seed"),
        count,
        anchor or call.state.clock.today() * DAY_MS,
        history_days=call.state.settings.history_days if days is None else days,
    )
    return json_response(summary)


async def create_manager(call: Call) -> Response:
    body = call.body
    login, password = body.req_int("login"), body.req_str("password")
    groups = [to_int("allowedGroupIds", g) for g in body.opt_list("allowedGroupIds") or []]
    brokers = [str(b) for b in body.opt_list("disabledBrokerNames") or []]
    row = auth.manager_row(
        login,
        catalog.md5(password),
        groups,
        brokers,
        super_admin=bool(body.opt_bool("superAdmin")),
        read_only=bool(body.opt_bool("readOnly")),
    )
    async with call.state.db.write() as connection:
        await auth.replace_manager(connection, row)
    call.state.managers.clear()
    payload: JsonObject = {
        "login": login,
        "allowedGroupIds": list[Json](groups),
        "disabledBrokerNames": list[Json](brokers),
        "superAdmin": bool(row["super_admin"]),
        "readOnly": bool(row["read_only"]),
    }
    return json_response(payload)


def _open_request(body: Body) -> positions.OpenRequest:
    return positions.OpenRequest(
        login=body.req_int("login"),
        symbol=body.req_str("symbol"),
        direction=body.req_str("direction"),
        volume=body.decimal("volume"),
        entry_price=body.decimal("entryPrice") if body.has("entryPrice") else None,
    )


async def open_position(call: Call) -> Response:
    request = _open_request(call.body)
    async with call.state.db.write() as connection:
        position_id = await positions.open_position(connection, request, call.now)
    payload: JsonObject = {
        "positionId": position_id,
        "login": request.login,
        "symbol": request.symbol,
        "direction": request.direction,
        "volume": request.volume,
        "openTimestamp": call.now,
    }
    return json_response(payload)


async def close_position(call: Call) -> Response:
    body = call.body
    volume = body.decimal("volume") if body.has("volume") else None
    price = body.decimal("closePrice") if body.has("closePrice") else None
    async with call.state.db.write() as connection:
        deal = await positions.close_position(
            connection, call.path_int("position_id"), volume, price, call.now
        )
    payload: JsonObject = {
        "dealId": deal.deal_id,
        "positionId": deal.position_id,
        "volume": deal.volume,
        "closePrice": deal.close_price,
        "pnl": deal.pnl,
    }
    return json_response(payload)


async def move_clock(call: Call) -> Response:
    clock = call.state.clock
    if call.body.has("nowMs"):
        clock.set_now(call.body.req_int("nowMs"))
    elif call.body.has("advanceMs"):
        clock.advance(call.body.req_int("advanceMs"))
    elif call.request.method == "POST":
        raise InvalidRequest("Give 'advanceMs' or 'nowMs'")
    return json_response({"nowMs": clock.now_ms()})


async def add_fault(call: Call) -> Response:
    fault = parse_fault(call.body)
    call.state.faults.add(fault)
    return json_response(fault.describe())


async def list_faults(call: Call) -> Response:
    return json_response([f.describe() for f in call.state.faults.faults])


async def clear_faults(call: Call) -> Response:
    call.state.faults.clear()
    return no_content()


async def get_stats(call: Call) -> Response:
    counts: JsonObject = dict(call.state.stats.snapshot())
    return json_response({"requests": counts})


async def reset_stats(call: Call) -> Response:
    call.state.stats.reset()
    return no_content()


async def users_csv(call: Call) -> Response:
    async with call.state.db.read() as connection:
        text = await export.users_csv(connection)
    return Response(text, media_type=CSV_TYPE)


async def openapi_json(call: Call) -> Response:
    return json_response(openapi.document())


CONTROL: list[tuple[str, str, Handler]] = [
    ("POST", "/_sandbox/reset", reset),
    ("POST", "/_sandbox/seed", seed),
    ("POST", "/_sandbox/managers", create_manager),
    ("POST", "/_sandbox/positions", open_position),
    ("POST", "/_sandbox/positions/{position_id:int}/close", close_position),
    ("GET", "/_sandbox/clock", move_clock),
    ("POST", "/_sandbox/clock", move_clock),
    ("POST", "/_sandbox/faults", add_fault),
    ("GET", "/_sandbox/faults", list_faults),
    ("DELETE", "/_sandbox/faults", clear_faults),
    ("GET", "/_sandbox/stats", get_stats),
    ("POST", "/_sandbox/stats/reset", reset_stats),
    ("GET", "/_sandbox/users.csv", users_csv),
    ("GET", "/_sandbox/openapi.json", openapi_json),
]


def control_routes() -> list[Route]:
    return [
        Route(path, endpoint(h, Dialect.JSON, auth=False), methods=[m]) for m, path, h in CONTROL
    ]
