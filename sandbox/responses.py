"""Handlers of the manager token and the trader calls (§3.0-§3.7)."""

from __future__ import annotations

from starlette.responses import Response

from sandbox import auth, traders
from sandbox.body import to_int
from sandbox.endpoint import Call, no_content, required_query
from sandbox.entity import chosen_fields, render_trader
from sandbox.exceptions import InvalidRequest
from sandbox.timefmt import parse
from sandbox.trader_list import TraderQuery, list_traders, parse_flag


async def create_token(call: Call) -> Response:
    login, password_hash = call.body.req_int("login"), call.body.req_str("hashedPassword")
    async with call.state.db.read() as connection:
        token = await auth.issue_token(connection, login, password_hash)
    return call.reply({"webservToken": token}, "token")


async def create_trader(call: Call) -> Response:
    async with call.state.db.write() as connection:
        login = await traders.create(connection, call.manager, call.body, call.now)
        trader = await traders.load(connection, login)
    return call.reply(render_trader(trader, call.state.clock.today()), "trader", 201)


async def get_trader(call: Call) -> Response:
    async with call.state.db.read() as connection:
        trader = await traders.visible(connection, call.manager, call.path_int("login"))
    return call.reply(render_trader(trader, call.state.clock.today()), "trader")


async def list_trader_page(call: Call) -> Response:
    query = trader_query(call)
    async with call.state.db.read() as connection:
        found, has_more = await list_traders(
            connection, call.manager, query, call.state.settings.trader_list_limit
        )
    today = call.state.clock.today()
    chosen = chosen_fields(query.fields)
    items = [render_trader(t, today, chosen) for t in found]
    return call.reply({"trader": list(items), "hasMore": has_more}, "traderList")


def trader_query(call: Call) -> TraderQuery:
    deal_from, deal_to = call.query("dealFrom"), call.query("dealTo")
    if (deal_from is None) != (deal_to is None):
        raise InvalidRequest("'dealFrom' and 'dealTo' must be given together")
    group = call.query("groupId")
    fields = call.query("fields")
    return TraderQuery(
        from_ms=parse("from", required_query(call, "from")),
        to_ms=parse("to", required_query(call, "to")),
        deal_window=None
        if deal_from is None or deal_to is None
        else (parse("dealFrom", deal_from), parse("dealTo", deal_to)),
        group_id=None if group is None else to_int("groupId", group),
        has_open_positions=parse_flag("hasOpenPositions", call.query("hasOpenPositions")),
        fields=None if fields is None else [f.strip() for f in fields.split(",") if f.strip()],
    )


async def put_trader(call: Call) -> Response:
    async with call.state.db.write() as connection:
        await traders.replace(connection, call.manager, call.path_int("login"), call.body, call.now)
    return no_content()


async def patch_trader(call: Call) -> Response:
    async with call.state.db.write() as connection:
        await traders.patch(connection, call.manager, call.path_int("login"), call.body, call.now)
    return no_content()


async def delete_trader(call: Call) -> Response:
    async with call.state.db.write() as connection:
        await traders.remove(connection, call.manager, call.path_int("login"))
    return no_content()


async def get_subaccounts(call: Call) -> Response:
    async with call.state.db.read() as connection:
        found = await traders.subaccounts(connection, call.manager, call.path_int("login"))
    return call.reply(found.payload(), "subAccounts")
