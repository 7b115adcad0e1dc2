"""The trader list (§3.3): registration window, filters, `fields`, and the `hasMore` paging rule.

Results come newest first. When more than `limit` traders match, the page is cut and `hasMore` is
true; the caller repeats with `to` = the earliest registrationTimestamp received. Because `to` is
exclusive, a page never ends in the middle of a run of equal registration times: such a run is
left whole for the next page (unless it alone exceeds the limit).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from sandbox import models
from sandbox.auth import Manager
from sandbox.entity import TraderRecord, from_row, trader_select
from sandbox.exceptions import BusinessError, InvalidRequest
from sandbox.traders import visibility

T = models.traders


@dataclass(frozen=True)
class TraderQuery:
    from_ms: int
    to_ms: int
    deal_window: tuple[int, int] | None = None
    group_id: int | None = None
    has_open_positions: bool | None = None
    fields: list[str] | None = None


async def list_traders(
    connection: AsyncConnection, manager: Manager, query: TraderQuery, limit: int
) -> tuple[list[TraderRecord], bool]:
    statement = trader_select().where(
        T.c.registration_ms >= query.from_ms,
        T.c.registration_ms < query.to_ms,
        *visibility(manager),
    )
    if query.group_id is not None:
        await _require_group(connection, query.group_id)
        statement = statement.where(T.c.group_id == query.group_id)
    if query.deal_window is not None:
        start, end = query.deal_window
        statement = statement.where(T.c.last_deal_ms >= start, T.c.last_deal_ms < end)
    if query.has_open_positions is not None:
        opened = T.c.open_positions > 0
        statement = statement.where(opened if query.has_open_positions else ~opened)
    statement = statement.order_by(T.c.registration_ms.desc(), T.c.login.desc()).limit(limit + 1)
    rows = [from_row(row) for row in await connection.execute(statement)]
    return cut_page(rows, limit)


def cut_page(rows: list[TraderRecord], limit: int) -> tuple[list[TraderRecord], bool]:
    if len(rows) <= limit:
        return rows, False
    page = rows[:limit]
    boundary = rows[limit].registration_ms
    whole = [t for t in page if t.registration_ms != boundary]
    return (whole or page), True


async def _require_group(connection: AsyncConnection, group_id: int) -> None:
    query = select(models.trader_groups.c.id).where(models.trader_groups.c.id == group_id)
    if (await connection.execute(query)).first() is None:
        raise BusinessError("TRADER_GROUP_NOT_FOUND", f"Trader group {group_id} not found")


def parse_flag(name: str, text: str | None) -> bool | None:
    if text is None:
        return None
    if text.lower() not in ("true", "false"):
        raise InvalidRequest(f"'{name}' must be true or false")
    return text.lower() == "true"
