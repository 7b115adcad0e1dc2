"""Handlers of the money and password calls on one trader (§3.8-§3.11)."""

from __future__ import annotations

from sqlalchemy import update
from starlette.responses import Response

from sandbox import models, money, traders
from sandbox.endpoint import Call, no_content
from sandbox.exceptions import BusinessError, InvalidRequest
from sandbox.trader_input import password_hash


async def change_balance(call: Call) -> Response:
    async with call.state.db.write() as connection:
        history_id = await money.change_balance(
            connection, call.manager, call.path_int("login"), call.body, call.now
        )
    return call.reply({"balanceHistoryId": history_id}, "balanceChange")


async def change_bonus(call: Call) -> Response:
    async with call.state.db.write() as connection:
        history_id = await money.change_bonus(
            connection, call.manager, call.path_int("login"), call.body, call.now
        )
    return call.reply({"bonusHistoryId": history_id}, "bonusChange")


def _same_login(call: Call) -> int:
    login = call.path_int("login")
    if call.body.has("login") and call.body.req_int("login") != login:
        raise InvalidRequest("'login' in the body differs from the login in the path")
    return login


async def change_password(call: Call) -> Response:
    login, new_hash = _same_login(call), password_hash(call.body)
    async with call.state.db.write() as connection:
        await traders.visible(connection, call.manager, login)
        t = models.traders
        await connection.execute(
            update(t)
            .where(t.c.login == login)
            .values(password_hash=new_hash, last_update_ms=call.now)
        )
    return no_content()


async def check_password(call: Call) -> Response:
    login, given = _same_login(call), password_hash(call.body)
    async with call.state.db.read() as connection:
        trader = await traders.visible(connection, call.manager, login)
    if trader.password_hash != given:
        raise BusinessError("WRONG_PASSWORD", "The password does not match")
    return no_content()
