"""The service's record of cTrader ID users and their links to trading accounts.

The upstream can create users (`/cid/ctid/create`) and links (`/cid/ctid/link`) but cannot read
them back, so the service keeps its own copy: written when it creates them, or imported from a
CRM export (`tradergraph users import`). Saving is an upsert keyed by the upstream's ids, so a
re-import updates rows and never duplicates them. Reads are batched (`IN` over many ids) because
the GraphQL loaders ask for a whole page of users or traders at once; each read is one
`store.db.read` (on a SQLite file: one thread hop for all its statements, not four per
statement), with statements built once, and a page's owners are one join.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    Select,
    String,
    Table,
    bindparam,
    delete,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.db import metadata, read, writing

CHUNK = 500

users_table = Table(
    "tg_users",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("email", String(320), nullable=False),
    Column("nickname", String(200), nullable=False),
    Column("preferred_language", String(16)),
    Column("status", String(32), nullable=False),
    Column("created_ms", BigInteger),
)

links_table = Table(
    "tg_user_links",
    metadata,
    Column("trader_login", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, ForeignKey("tg_users.user_id"), nullable=False, index=True),
    Column("ctid_trader_account_id", BigInteger),
    Column("broker_name", String(200), nullable=False),
    Column("environment_name", String(64), nullable=False),
)


def _in(statement: Select[Any], key: Column[Any]) -> Select[Any]:
    return statement.where(key.in_(bindparam("keys", expanding=True)))


USERS_BY_ID = _in(select(users_table), users_table.c.user_id)
LINKS_BY_USER = _in(select(links_table), links_table.c.user_id)
LINKS_BY_LOGIN = _in(select(links_table), links_table.c.trader_login)
OWNERS_BY_LOGIN = _in(
    select(links_table.c.trader_login, users_table).join(
        users_table, users_table.c.user_id == links_table.c.user_id
    ),
    links_table.c.trader_login,
)
"""The users owning these logins, through their links: a page's `user` field in one statement."""


@dataclass(frozen=True)
class User:
    """A cTrader ID: one person, owning trading accounts through links."""

    user_id: int
    email: str
    nickname: str
    preferred_language: str | None
    status: str
    created_ms: int | None


@dataclass(frozen=True)
class Link:
    """One trading account (`trader_login`) attached to one user."""

    trader_login: int
    user_id: int
    ctid_trader_account_id: int | None
    broker_name: str
    environment_name: str


@dataclass(frozen=True)
class SaveCounts:
    """How many rows a save created and how many it updated in place."""

    created: int
    updated: int


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    return (values[start : start + CHUNK] for start in range(0, len(values), CHUNK))


def _user_row(user: User) -> dict[str, Any]:
    return {
        "user_id": user.user_id,
        "email": user.email,
        "nickname": user.nickname,
        "preferred_language": user.preferred_language,
        "status": user.status,
        "created_ms": user.created_ms,
    }


def _link_row(link: Link) -> dict[str, Any]:
    return {
        "trader_login": link.trader_login,
        "user_id": link.user_id,
        "ctid_trader_account_id": link.ctid_trader_account_id,
        "broker_name": link.broker_name,
        "environment_name": link.environment_name,
    }


class UserStore:
    """Reads and writes users and links; one instance per engine, safe to share."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def save_users(self, users: Sequence[User]) -> SaveCounts:
        """Insert or update `users` by `user_id`."""
        rows = list({user.user_id: _user_row(user) for user in users}.values())
        return await self._upsert(users_table, "user_id", rows)

    async def save_links(self, links: Sequence[Link]) -> SaveCounts:
        """Insert or update `links` by `trader_login` (a trader has at most one user)."""
        rows = list({link.trader_login: _link_row(link) for link in links}.values())
        return await self._upsert(links_table, "trader_login", rows)

    async def delete_links(self, logins: Sequence[int]) -> int:
        """Forget the links of deleted traders; answers how many links went."""
        wanted = sorted(set(logins))
        async with writing(self._engine) as connection:
            gone = 0
            for chunk in _chunks(wanted):
                column = links_table.c.trader_login
                result = await connection.execute(delete(links_table).where(column.in_(chunk)))
                gone += result.rowcount
        return gone

    async def users_by_id(self, user_ids: Sequence[int]) -> dict[int, User]:
        rows = await self._select_in(USERS_BY_ID, user_ids)
        return {row["user_id"]: User(**row) for row in rows}

    async def users_by_login(self, logins: Sequence[int]) -> dict[int, User]:
        """The user owning each of `logins` that has one."""
        rows = await self._select_in(OWNERS_BY_LOGIN, logins)
        return {row.pop("trader_login"): User(**row) for row in rows}

    async def links_by_user(self, user_ids: Sequence[int]) -> dict[int, list[Link]]:
        rows = await self._select_in(LINKS_BY_USER, user_ids)
        found: dict[int, list[Link]] = {}
        for row in sorted(rows, key=lambda row: row["trader_login"]):
            found.setdefault(row["user_id"], []).append(Link(**row))
        return found

    async def links_by_login(self, logins: Sequence[int]) -> dict[int, Link]:
        rows = await self._select_in(LINKS_BY_LOGIN, logins)
        return {row["trader_login"]: Link(**row) for row in rows}

    async def _select_in(self, statement: Select[Any], keys: Sequence[int]) -> list[dict[str, Any]]:
        chunks = [list(chunk) for chunk in _chunks(sorted(set(keys)))]

        def work(connection: Connection) -> list[dict[str, Any]]:
            return [
                dict(row)
                for chunk in chunks
                for row in connection.execute(statement, {"keys": chunk}).mappings()
            ]

        return await read(self._engine, work) if chunks else []

    async def _upsert(self, table: Table, key: str, rows: list[dict[str, Any]]) -> SaveCounts:
        if not rows:
            return SaveCounts(created=0, updated=0)
        async with writing(self._engine) as connection:
            existing = await _existing_keys(connection, table, key, [row[key] for row in rows])
            for start in range(0, len(rows), CHUNK):
                await connection.execute(
                    _upsert_statement(connection, table, key), rows[start : start + CHUNK]
                )
        keys = {row[key] for row in rows}
        return SaveCounts(created=len(keys - existing), updated=len(keys & existing))


async def _existing_keys(
    connection: AsyncConnection, table: Table, key: str, values: list[int]
) -> set[int]:
    column = table.c[key]
    existing: set[int] = set()
    for chunk in _chunks(sorted(set(values))):
        result = await connection.execute(select(column).where(column.in_(chunk)))
        existing.update(result.scalars())
    return existing


def _upsert_statement(connection: AsyncConnection, table: Table, key: str) -> Any:
    """`INSERT ... ON CONFLICT (key) DO UPDATE` in the dialect of the connection."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    updates = {column.name: statement.excluded[column.name] for column in table.columns}
    return statement.on_conflict_do_update(index_elements=[key], set_=updates)
