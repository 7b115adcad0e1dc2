"""`Partner`: an introducing broker, known only as the id traders are attributed to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.context import Info
from resolvers.traders import has_partner
from schema.activity import (
    NO_GROUPS,
    ActivityFilterInput,
    ActivityReport,
    From,
    GroupBy,
    activity_report,
    selection_of,
)
from schema.fields import described
from schema.node import Node, node_id

if TYPE_CHECKING:
    from schema.connections import TraderConnection, TraderFilterInput


@strawberry.type(description="A partner (introducing broker) traders are attributed to.")
class Partner(Node):
    id: strawberry.ID = node_id("Partner", "partner_id")
    partner_id: str

    @classmethod
    def of(cls, partner_id: str) -> Partner:
        return cls(partner_id=partner_id)

    @described("Traders naming this partner as first- or second-level IB.")
    async def traders(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        filter: Annotated[TraderFilterInput, strawberry.lazy("schema.connections")] | None = None,
    ) -> Annotated[TraderConnection, strawberry.lazy("schema.connections")]:
        from schema.connections import traders_connection  # the connection lists Partners

        return await traders_connection(info, first, after, filter, partner=self.partner_id)

    @described(
        "Activity of the traders naming this partner (first- or second-level), from the deal"
        " mirror; the filter's partnerId is this partner."
    )
    async def activity(
        self,
        info: Info,
        from_: From,
        to: datetime,
        filter: ActivityFilterInput | None = None,
        group_by: GroupBy = NO_GROUPS,
    ) -> ActivityReport:
        selection = selection_of(filter, partner=self.partner_id)
        return await activity_report(info, from_, to, selection, group_by)


async def find_partner(info: Info, partner_id: str) -> Partner | None:
    return Partner.of(partner_id) if await has_partner(info, partner_id) else None


@strawberry.type
class PartnerQuery:
    @described("A partner, if any trader is attributed to it.")
    async def partner(self, info: Info, id: str) -> Partner | None:
        return await find_partner(info, id)
