"""The trader connection (Relay) and its filter, shared by every list of traders.

`Query.traders`, `WhiteLabel.traders`, `Partner.traders` and `TraderGroup.traders` are the same
connection with one filter field fixed by their parent.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from resolvers.context import Info
from resolvers.index import IndexEntry
from resolvers.pagination import cursor_of
from resolvers.traders import TraderFilter, TraderSlice, trader_slice
from schema.batched import warm
from schema.fields import described
from schema.pagination import PageInfo
from schema.traders import Trader

DEFAULT_PAGE = 50


@strawberry.input(description="Which traders to list; every given condition must hold.")
class TraderFilterInput:
    white_label: str | None = strawberry.field(default=None, description="brokerName.")
    group: str | None = strawberry.field(default=None, description="Trader group name.")
    partner: str | None = strawberry.field(default=None, description="Introducing broker id.")
    registered_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    registered_to: datetime | None = strawberry.field(default=None, description="Exclusive.")
    has_open_positions: bool | None = None
    margin_level_below: Decimal | None = strawberry.field(
        default=None,
        description=(
            "Only traders whose `Account.marginLevel` (as shown, rounded to 0.01) is below this "
            "percentage; traders using no margin never pass. One upstream list call per request."
        ),
    )

    def to_filter(self) -> TraderFilter:
        return TraderFilter(
            white_label=self.white_label,
            group=self.group,
            partner=self.partner,
            registered_from=self.registered_from,
            registered_to=self.registered_to,
            has_open_positions=self.has_open_positions,
            margin_level_below=self.margin_level_below,
        )


def _cursor(self: TraderEdge) -> str:
    """An edge's cursor, made only when the query selects it."""
    return cursor_of(self.entry)


@strawberry.type
class TraderEdge:
    cursor: str = strawberry.field(resolver=_cursor)
    node: Trader
    entry: strawberry.Private[IndexEntry]


@strawberry.type(description="A page of traders, oldest registration first.")
class TraderConnection:
    edges: list[TraderEdge]
    page_info: PageInfo
    found: strawberry.Private[TraderSlice]

    @described("How many traders pass the filter (all pages).")
    def total_count(self) -> int:
        return self.found.total_count()

    @classmethod
    def of(cls, found: TraderSlice) -> TraderConnection:
        entries = found.entries
        edges = [TraderEdge(node=Trader.of(entry.login, entry), entry=entry) for entry in entries]
        page = PageInfo(
            has_next_page=found.has_next,
            has_previous_page=found.has_previous,
            start_cursor=cursor_of(entries[0]) if entries else None,
            end_cursor=cursor_of(entries[-1]) if entries else None,
        )
        return cls(edges=edges, page_info=page, found=found)


async def traders_connection(
    info: Info,
    first: int,
    after: str | None,
    where: TraderFilterInput | None,
    *,
    white_label: str | None = None,
    group: str | None = None,
    partner: str | None = None,
) -> TraderConnection:
    """The connection for `where`, with the parent's condition (if any) on top."""
    conditions = (where.to_filter() if where else TraderFilter()).narrowed(
        white_label=white_label, group=group, partner=partner
    )
    found = await trader_slice(info, first, after, conditions)
    await warm(info, Trader, [entry.login for entry in found.entries], "edges", "node")
    return TraderConnection.of(found)
