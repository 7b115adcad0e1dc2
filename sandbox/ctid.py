"""cTrader ID users and links (§3.24-§3.26), with names for the cTID error codes the docs lost.

CH_ENVIRONMENT_NOT_FOUND           400  link/move with an environmentName other than `demo`
CH_BROKER_NOT_FOUND                400  a brokerName that is not a white label of the plant
CH_BROKER_HAS_NO_ACCESS_TO_TRADER  400  link with a brokerName that is not the trader's
TRADER_ALREADY_LINKED              400  link of a trader that already has a cTID link
WRONG_PASSWORD                     400  link whose traderPasswordHash does not match
TRADER_NOT_FOUND / USER_NOT_FOUND  404
CH_NO_DEFAULT_REGION               400  (plant without a default region: never raised here)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import catalog, models
from sandbox.auth import Manager
from sandbox.body import Body
from sandbox.db import next_id
from sandbox.exceptions import BusinessError, InvalidRequest, UserNotFound
from sandbox.jsonvalue import JsonObject
from sandbox.trader_input import password_hash
from sandbox.traders import visible

U = models.users
L = models.links


@dataclass(frozen=True)
class User:
    user_id: int
    email: str
    nickname: str
    preferred_language: str
    status: str
    create_ms: int

    def payload(self) -> JsonObject:
        return {
            "userId": self.user_id,
            "nickname": self.nickname,
            "email": self.email,
            "preferredLanguage": self.preferred_language,
            "utcCreateTimestamp": self.create_ms,
            "status": self.status,
        }


async def create_user(connection: AsyncConnection, body: Body, now: int) -> JsonObject:
    """A new email answers the whole user; a known one (compared case-insensitively) answers
    `{userId}` only: the call is idempotent by email."""
    email = body.req_str("email").strip()
    if "@" not in email or len(email) > 254:
        raise InvalidRequest("'email' is not a valid email address")
    broker = body.opt_str("brokerName")
    if broker is not None:
        await require_broker(connection, broker)
    query = select(U.c.user_id).where(func.lower(U.c.email) == email.lower())
    existing = (await connection.execute(query)).scalar()
    if existing is not None:
        return {"userId": int(existing)}
    user_id = await next_id(connection, U.c.user_id, catalog.FIRST_USER_ID)
    user = User(
        user_id, email, f"ctid{user_id}", body.opt_str("preferredLanguage") or "EN",
        "CTID_NEW", now,
    )  # fmt: skip
    await connection.execute(
        insert(U).values(
            user_id=user.user_id,
            email=user.email,
            nickname=user.nickname,
            preferred_language=user.preferred_language,
            status=user.status,
            broker_name=broker,
            create_ms=now,
        )
    )
    return user.payload()


async def require_broker(connection: AsyncConnection, broker: str) -> None:
    wl = models.white_labels
    if (await connection.execute(select(wl).where(wl.c.broker_name == broker))).first() is None:
        raise BusinessError("CH_BROKER_NOT_FOUND", f"Broker '{broker}' not found")


def require_environment(body: Body) -> None:
    environment = body.req_str("environmentName")
    if environment != catalog.ENVIRONMENT:
        raise BusinessError("CH_ENVIRONMENT_NOT_FOUND", f"Environment '{environment}' not found")


async def link(connection: AsyncConnection, manager: Manager, body: Body) -> int:
    login, user_id = body.req_int("traderLogin"), body.req_int("userId")
    given_hash, broker = password_hash(body, "traderPasswordHash"), body.req_str("brokerName")
    require_environment(body)
    await require_broker(connection, broker)
    trader = await visible(connection, manager, login)
    if trader.broker_name != broker:
        raise BusinessError(
            "CH_BROKER_HAS_NO_ACCESS_TO_TRADER", f"Broker '{broker}' has no access to {login}"
        )
    if (await connection.execute(select(U).where(U.c.user_id == user_id))).first() is None:
        raise UserNotFound(user_id)
    if trader.password_hash != given_hash:
        raise BusinessError("WRONG_PASSWORD", "The trader password hash does not match")
    if (await connection.execute(select(L).where(L.c.trader_login == login))).first():
        raise BusinessError("TRADER_ALREADY_LINKED", f"Trader {login} is already linked")
    account_id = await next_id(
        connection, L.c.ctid_trader_account_id, catalog.FIRST_CTID_ACCOUNT_ID
    )
    await connection.execute(
        insert(L).values(
            ctid_trader_account_id=account_id,
            user_id=user_id,
            trader_login=login,
            environment_name=catalog.ENVIRONMENT,
        )
    )
    return account_id


async def move(connection: AsyncConnection, manager: Manager, body: Body, now: int) -> None:
    """White-label move: the trader (and so its link) takes the new brokerName."""
    login, broker = body.req_int("traderLogin"), body.req_str("brokerName")
    require_environment(body)
    await require_broker(connection, broker)
    trader = await visible(connection, manager, login)
    manager.require(trader.group_id, broker)
    traders = models.traders
    await connection.execute(
        update(traders)
        .where(traders.c.login == login)
        .values(broker_name=broker, last_update_ms=now)
    )
