"""Attributes of traders, trader groups and managers (§3.15-§3.23, shapes fixed in §12).

Bodies: list `{<ids>?, limit?, cursor?, nameFilter?, changedSince?}`; upsert
`{<entities>: [{<id>, attributes: [{name, value}]}]}`; delete `{<ids>, names?}`. Output of list:
`{<entities>: [{<id>, attributes, lastUpdateTimestamp}], nextCursor?}`. IDs the manager may not
touch are skipped silently; when none is left the call is NOT_ENOUGH_RIGHTS. Regular managers may
name only their own manager id; super-admins any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, and_, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import models
from sandbox.auth import Manager
from sandbox.body import Body, to_int
from sandbox.exceptions import InvalidRequest, NotEnoughRights
from sandbox.jsonvalue import Json, JsonObject
from sandbox.traders import visibility

A = models.attributes


@dataclass(frozen=True)
class Kind:
    name: str  # trader, group, manager
    ids_key: str
    id_key: str
    list_key: str


KINDS = {
    "traders": Kind("trader", "traderIds", "traderId", "traders"),
    "tradergroups": Kind("group", "groupIds", "groupId", "groups"),
    "managers": Kind("manager", "managerIds", "managerId", "managers"),
}


def _ids(body: Body, key: str, *, required: bool, most: int) -> list[int] | None:
    items = body.opt_list(key, required=required)
    if items is None or (not items and not required):
        return None
    if not 1 <= len(items) <= most:
        raise InvalidRequest(f"'{key}' must hold 1 to {most} ids")
    return [to_int(key, item) for item in items]


async def authorised(
    connection: AsyncConnection, manager: Manager, kind: Kind, ids: list[int]
) -> list[int]:
    if kind.name == "trader":
        query = select(models.traders.c.login).where(
            models.traders.c.login.in_(ids), *visibility(manager)
        )
        return sorted(int(login) for login in (await connection.execute(query)).scalars())
    if kind.name == "group":
        query = select(models.trader_groups.c.id).where(models.trader_groups.c.id.in_(ids))
        found = (await connection.execute(query)).scalars()
        return sorted(int(i) for i in found if manager.sees_group(int(i)))
    if not manager.super_admin:
        return [manager.login] if manager.login in ids else []
    query = select(models.managers.c.login).where(models.managers.c.login.in_(ids))
    return sorted(int(login) for login in (await connection.execute(query)).scalars())


def _require_any(allowed: list[int]) -> list[int]:
    if not allowed:
        raise NotEnoughRights("The manager may not act on any of these ids")
    return allowed


async def list_attributes(
    connection: AsyncConnection, manager: Manager, kind: Kind, body: Body
) -> JsonObject:
    ids = _ids(body, kind.ids_key, required=kind.name != "trader", most=10_000)
    paging = body.has("limit") or body.has("cursor")
    if paging and (ids is not None or kind.name != "trader"):
        raise InvalidRequest("'limit' and 'cursor' are allowed only when no ids are given")
    limit = body.opt_int("limit") or 10_000
    cursor = body.opt_int("cursor") or 0
    if not 1 <= limit <= 10_000 or cursor < 0:
        raise InvalidRequest("'limit' must be 1..10000 and 'cursor' at least 0")
    others = ids is not None and any(i != manager.login for i in ids)
    if kind.name == "manager" and others and not manager.super_admin:
        raise NotEnoughRights("A regular manager may read only its own attributes")
    query = select(A).where(A.c.kind == kind.name).order_by(A.c.entity_id, A.c.name)
    if ids is not None:
        query = query.where(A.c.entity_id.in_(await authorised(connection, manager, kind, ids)))
    elif kind.name == "trader":
        query = query.join(
            models.traders, and_(models.traders.c.login == A.c.entity_id, *visibility(manager))
        )
    entries = _group(await connection.execute(query), kind, body)
    page = entries[cursor : cursor + limit]
    result: JsonObject = {kind.list_key: list(page)}
    if ids is None and kind.name == "trader" and cursor + limit < len(entries):
        result["nextCursor"] = cursor + limit
    return result


def _group(rows: Iterable[Row[Any]], kind: Kind, body: Body) -> list[Json]:
    name_filter = (body.opt_str("nameFilter") or "").lower()
    if len(name_filter) > 64:
        raise InvalidRequest("'nameFilter' is at most 64 characters")
    since = body.opt_int("changedSince")
    by_entity: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for row in rows:
        by_entity[int(row.entity_id)].append((str(row.name), str(row.value), int(row.updated_ms)))
    entries: list[Json] = []
    for entity_id, attrs in by_entity.items():
        latest = max(updated for _, _, updated in attrs)
        chosen = [(n, v) for n, v, _ in attrs if name_filter in n.lower()]
        if chosen and (since is None or latest >= since):
            entries.append(_entry(kind, entity_id, chosen, latest))
    return entries


def _entry(kind: Kind, entity_id: int, attrs: list[tuple[str, str]], latest: int) -> JsonObject:
    return {
        kind.id_key: entity_id,
        "attributes": [{"name": n, "value": v} for n, v in attrs],
        "lastUpdateTimestamp": latest,
    }


async def upsert(
    connection: AsyncConnection, manager: Manager, kind: Kind, body: Body, now: int
) -> None:
    items = body.opt_list(kind.list_key, required=True) or []
    if not 1 <= len(items) <= 100:
        raise InvalidRequest(f"'{kind.list_key}' must hold 1 to 100 entries")
    wanted = [_pairs(kind, item) for item in items]
    allowed = set(_require_any(await authorised(connection, manager, kind, [e for e, _ in wanted])))
    for entity_id, pairs in wanted:
        if entity_id not in allowed:
            continue
        for name, value in pairs:
            await connection.execute(
                delete(A).where(A.c.kind == kind.name, A.c.entity_id == entity_id, A.c.name == name)
            )
            await connection.execute(
                insert(A).values(
                    kind=kind.name, entity_id=entity_id, name=name, value=value, updated_ms=now
                )
            )


def _pairs(kind: Kind, item: Json) -> tuple[int, list[tuple[str, str]]]:
    if not isinstance(item, dict):
        raise InvalidRequest(f"Each entry of '{kind.list_key}' must be an object")
    entry = Body(item)
    attrs = entry.opt_list("attributes", required=True) or []
    if not 1 <= len(attrs) <= 100:
        raise InvalidRequest("'attributes' must hold 1 to 100 name/value pairs")
    return entry.req_int(kind.id_key), [_pair(attr) for attr in attrs]


def _pair(attr: Json) -> tuple[str, str]:
    if not isinstance(attr, dict):
        raise InvalidRequest("Each attribute must be an object with 'name' and 'value'")
    pair = Body(attr)
    name, value = pair.req_str("name"), pair.req_str("value")
    if not 1 <= len(name) <= 64 or not 1 <= len(value) <= 512:
        raise InvalidRequest("An attribute name is 1-64 characters and its value 1-512")
    return name, value


async def remove(connection: AsyncConnection, manager: Manager, kind: Kind, body: Body) -> None:
    ids = _ids(body, kind.ids_key, required=True, most=10_000) or []
    names = [str(n) for n in body.opt_list("names") or [] if n not in (None, "")]
    if len(names) > 100 or any(len(n) > 64 for n in names):
        raise InvalidRequest("'names' holds at most 100 names of 1-64 characters")
    allowed = _require_any(await authorised(connection, manager, kind, ids))
    statement = delete(A).where(A.c.kind == kind.name, A.c.entity_id.in_(allowed))
    if names:
        statement = statement.where(A.c.name.in_(names))
    await connection.execute(statement)
