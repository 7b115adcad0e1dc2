"""Traders: create, read, list, update, delete and sub-accounts (§3.1-§3.7). No HTTP here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import catalog, models
from sandbox.auth import Manager
from sandbox.body import Body
from sandbox.db import next_id
from sandbox.entity import TraderRecord, from_row, trader_select
from sandbox.exceptions import BusinessError, InvalidRequest, TraderNotFound
from sandbox.jsonvalue import JsonObject
from sandbox.trader_input import (
    ACCOUNT_TYPES,
    LIFETIME_TYPES,
    creation_balance,
    group_id,
    mutable_values,
    password_hash,
)

T = models.traders


async def load(connection: AsyncConnection, login: int) -> TraderRecord:
    row = (await connection.execute(trader_select().where(T.c.login == login))).first()
    if row is None:
        raise TraderNotFound(login)
    return from_row(row)


async def visible(connection: AsyncConnection, manager: Manager, login: int) -> TraderRecord:
    trader = await load(connection, login)
    manager.require(trader.group_id, trader.broker_name)
    return trader


async def create(connection: AsyncConnection, manager: Manager, body: Body, now: int) -> int:
    values = mutable_values(body, partial=False)
    account_type = body.req_enum("accountType", ACCOUNT_TYPES)
    currency = body.req_str("depositCurrency")
    digits = await _money_digits(connection, currency)
    balance = creation_balance(body, currency)
    group = await group_id(connection, body.req_str("groupName"))
    broker = body.opt_str("brokerName") or catalog.DEFAULT_BROKER
    await _require_broker(connection, broker)
    manager.require(group, broker)
    login = await next_id(connection, T.c.login, catalog.FIRST_LOGIN)
    values |= {
        "login": login,
        "group_id": group,
        "broker_name": broker,
        "deposit_currency": currency,
        "money_digits": digits,
        "account_type": account_type,
        "balance": balance,
        "bonus": 0,
        "credit": 0,
        "used_margin": 0,
        "open_positions": 0,
        "equity_day": now // 86_400_000,
        "min_equity": balance,
        "max_equity": balance,
        "account_lifetime_type": body.enum("accountLifetimeType", LIFETIME_TYPES) or "UNLIMITED",
        "registration_ms": now,
        "last_update_ms": now,
        "password_hash": password_hash(body),
    }
    await connection.execute(insert(T).values(values))
    return login


async def replace(
    connection: AsyncConnection, manager: Manager, login: int, body: Body, now: int
) -> None:
    await _update(connection, manager, login, mutable_values(body, partial=False), body, now)


async def patch(
    connection: AsyncConnection, manager: Manager, login: int, body: Body, now: int
) -> None:
    await _update(connection, manager, login, mutable_values(body, partial=True), body, now)


async def _update(
    connection: AsyncConnection,
    manager: Manager,
    login: int,
    values: dict[str, object],
    body: Body,
    now: int,
) -> None:
    _check_login(body, login)
    await visible(connection, manager, login)
    if body.has("groupName"):
        group = await group_id(connection, body.req_str("groupName"))
        trader = await load(connection, login)
        manager.require(group, trader.broker_name)
        values["group_id"] = group
    values["last_update_ms"] = now
    await connection.execute(update(T).where(T.c.login == login).values(values))


async def remove(connection: AsyncConnection, manager: Manager, login: int) -> None:
    await visible(connection, manager, login)
    await connection.execute(delete(T).where(T.c.login == login))
    await connection.execute(delete(models.links).where(models.links.c.trader_login == login))
    await connection.execute(delete(models.positions).where(models.positions.c.login == login))
    attrs = models.attributes
    await connection.execute(
        delete(attrs).where(attrs.c.kind == "trader", attrs.c.entity_id == login)
    )


def _check_login(body: Body, login: int) -> None:
    if body.has("login") and body.req_int("login") != login:
        raise InvalidRequest("'login' in the body differs from the login in the path")


async def _money_digits(connection: AsyncConnection, currency: str) -> int:
    query = select(models.deposit_assets.c.money_digits).where(
        models.deposit_assets.c.name == currency
    )
    digits = (await connection.execute(query)).scalar()
    if digits is None:
        raise InvalidRequest(f"Unknown deposit asset '{currency}'")
    return int(digits)


async def _require_broker(connection: AsyncConnection, broker: str) -> None:
    query = select(models.white_labels.c.broker_name).where(
        models.white_labels.c.broker_name == broker
    )
    if (await connection.execute(query)).first() is None:
        raise BusinessError("CH_PLANT_INVALID", f"Broker '{broker}' is not on this plant")


def visibility(manager: Manager) -> list[ColumnElement[bool]]:
    """SQL conditions equal to `Manager.sees`, for lists that silently omit hidden traders."""
    conditions: list[ColumnElement[bool]] = []
    if manager.allowed_group_ids:
        conditions.append(T.c.group_id.in_(sorted(manager.allowed_group_ids)))
    if manager.disabled_broker_names:
        conditions.append(T.c.broker_name.not_in(sorted(manager.disabled_broker_names)))
    return conditions


@dataclass(frozen=True)
class SubAccounts:
    logins: list[int]
    balance: int
    equity: int

    def payload(self) -> JsonObject:
        return {
            "subAccountLogins": {"login": list(self.logins)},
            "totalSubAccountsBalance": self.balance,
            "totalSubAccountsEquity": self.equity,
        }


async def subaccounts(connection: AsyncConnection, manager: Manager, login: int) -> SubAccounts:
    """Totals are scaled by the parent's moneyDigits (children share its deposit asset)."""
    parent = await visible(connection, manager, login)
    query = trader_select().where(T.c.parent_login == login).order_by(T.c.login)
    children = [from_row(r) for r in await connection.execute(query)]
    digits = parent.money_digits
    return SubAccounts(
        logins=[c.login for c in children],
        balance=sum(rescale(c.balance, c.money_digits, digits) for c in children),
        equity=sum(rescale(c.equity, c.money_digits, digits) for c in children),
    )


def rescale(amount: int, digits: int, to_digits: int) -> int:
    if to_digits >= digits:
        return amount * int(10 ** (to_digits - digits))
    return amount // int(10 ** (digits - to_digits))
