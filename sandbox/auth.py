"""Managers: tokens, the IP allow-list, and what each manager may see (§1.2, §1.3, §12).

A trader is visible to a manager when its group is in `allowedGroupIds` (empty = every group) and
its broker is not in `disabledBrokerNames`. A single invisible trader is `NOT_ENOUGH_RIGHTS`;
lists silently omit it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import models
from sandbox.catalog import token_for
from sandbox.exceptions import InvalidCredentials, IpNotAllowed, NotEnoughRights


@dataclass(frozen=True)
class Manager:
    login: int
    token: str
    allowed_group_ids: frozenset[int]
    disabled_broker_names: frozenset[str]
    super_admin: bool
    read_only: bool

    def sees(self, group_id: int, broker_name: str) -> bool:
        group_ok = not self.allowed_group_ids or group_id in self.allowed_group_ids
        return group_ok and broker_name not in self.disabled_broker_names

    def require(self, group_id: int, broker_name: str) -> None:
        if not self.sees(group_id, broker_name):
            raise NotEnoughRights("The manager has no access to this trader's group or broker")

    def sees_group(self, group_id: int) -> bool:
        return not self.allowed_group_ids or group_id in self.allowed_group_ids


def manager_row(
    login: int,
    password_hash: str,
    allowed_group_ids: Iterable[int],
    disabled_broker_names: Iterable[str],
    *,
    super_admin: bool,
    read_only: bool,
) -> dict[str, object]:
    return {
        "login": login,
        "password_hash": password_hash.lower(),
        "token": token_for(login, password_hash),
        "allowed_group_ids": ",".join(str(i) for i in allowed_group_ids),
        "disabled_broker_names": ",".join(disabled_broker_names),
        "super_admin": super_admin,
        "read_only": read_only,
    }


async def replace_manager(connection: AsyncConnection, row: dict[str, object]) -> None:
    await connection.execute(delete(models.managers).where(models.managers.c.login == row["login"]))
    await connection.execute(insert(models.managers).values(row))


async def issue_token(connection: AsyncConnection, login: int, password_hash: str) -> str:
    query = select(models.managers.c.password_hash, models.managers.c.token).where(
        models.managers.c.login == login
    )
    row = (await connection.execute(query)).first()
    if row is None or str(row.password_hash) != password_hash.lower():
        raise InvalidCredentials("Wrong manager login or password hash")
    return str(row.token)


async def manager_by_token(connection: AsyncConnection, token: str) -> Manager | None:
    query = select(models.managers).where(models.managers.c.token == token)
    row = (await connection.execute(query)).first()
    if row is None:
        return None
    return Manager(
        login=int(row.login),
        token=str(row.token),
        allowed_group_ids=frozenset(int(i) for i in _split(row.allowed_group_ids)),
        disabled_broker_names=frozenset(_split(row.disabled_broker_names)),
        super_admin=bool(row.super_admin),
        read_only=bool(row.read_only),
    )


async def manager_exists(connection: AsyncConnection, login: int) -> bool:
    query = select(models.managers.c.login).where(models.managers.c.login == login)
    return (await connection.execute(query)).first() is not None


def _split(text: str) -> list[str]:
    return [part for part in str(text).split(",") if part]


def check_ip(host: str | None, allowed: Sequence[str]) -> None:
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        raise IpNotAllowed(f"Address {host} is not on the allow-list") from None
    if not any(address in ipaddress.ip_network(cidr, strict=False) for cidr in allowed):
        raise IpNotAllowed(f"Address {host} is not on the allow-list")
