"""Handlers of the `/cid` calls (§3.24-§3.26): JSON only, same manager token."""

from __future__ import annotations

from starlette.responses import Response

from sandbox import ctid
from sandbox.endpoint import Call, no_content


async def create_ctid(call: Call) -> Response:
    async with call.state.db.write() as connection:
        payload = await ctid.create_user(connection, call.body, call.now)
    return call.reply(payload, "user")


async def link_trader(call: Call) -> Response:
    details = call.body.opt_bool("returnAccountDetails")
    async with call.state.db.write() as connection:
        account_id = await ctid.link(connection, call.manager, call.body)
    if not details:
        return Response(status_code=200)
    return call.reply({"ctidTraderAccountId": account_id}, "link")


async def change_white_label(call: Call) -> Response:
    async with call.state.db.write() as connection:
        await ctid.move(connection, call.manager, call.body, call.now)
    return no_content()
