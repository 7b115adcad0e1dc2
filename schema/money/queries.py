"""`Query` fields of the money domain: one transfer, and the audit of every movement."""

from __future__ import annotations

import strawberry

from resolvers.errors import InvalidInput
from resolvers.money.transfers import Transfer as Saga
from schema.fields import described
from schema.money.inputs import MoneyMovementFilter
from schema.money.mutations import Info
from schema.money.types import MoneyMovement, Transfer
from schema.node import global_id, parse_global_id
from schema.pagination import PageInfo
from store.journal_audit import AuditFilter, page

MAX_PAGE = 500


@strawberry.type
class MoneyMovementEdge:
    cursor: str
    node: MoneyMovement


@strawberry.type(description="A page of the money journal, oldest first.")
class MoneyMovementConnection:
    edges: list[MoneyMovementEdge]
    page_info: PageInfo


def key_of(value: str, type_name: str) -> int:
    """The numeric key of one of our global ids (cursors are movement ids too)."""
    found, key = parse_global_id(value)
    if found != type_name or not key.isdigit():
        raise InvalidInput(f"Invalid {type_name} id {value!r}.")
    return int(key)


def connection(
    edges: list[MoneyMovementEdge], has_next: bool, after: int | None
) -> MoneyMovementConnection:
    info = PageInfo(
        has_next_page=has_next,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return MoneyMovementConnection(edges=edges, page_info=info)


@strawberry.type
class MoneyQuery:
    @described("A transfer saga by id.")
    async def transfer(self, info: Info, id: strawberry.ID) -> Transfer | None:
        saga: Saga | None = await info.context.money.transfers.load(key_of(id, "Transfer"))
        return None if saga is None else Transfer.of(saga)

    @described("Every money movement (append-only audit), oldest first.")
    async def money_movements(
        self,
        info: Info,
        filter: MoneyMovementFilter | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> MoneyMovementConnection:
        if not 0 <= first <= MAX_PAGE:
            raise InvalidInput(f"first must be between 0 and {MAX_PAGE}, got {first}.")
        start = None if after is None else key_of(after, "MoneyMovement")
        audit = filter.to_filter() if filter else AuditFilter()
        entries, has_next = await page(info.context.money.engine, audit, first, start)
        edges = [
            MoneyMovementEdge(cursor=global_id("MoneyMovement", e.id), node=MoneyMovement.of(e))
            for e in entries
        ]
        return connection(edges, has_next, start)
