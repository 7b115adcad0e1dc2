"""`WhiteLabel`: a brokerName, with the environment and jurisdiction the configuration gives it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.context import Info
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


@strawberry.type(description="A white label (brokerName): a segregated brand inside the plant.")
class WhiteLabel(Node):
    id: strawberry.ID = node_id("WhiteLabel", "name")
    name: str
    environment: str | None = strawberry.field(description="None when not configured.")
    jurisdiction: str | None = strawberry.field(description="None when not configured.")

    @classmethod
    def named(cls, info: Info, name: str) -> WhiteLabel:
        configured = info.context.settings.white_labels.get(name)
        return cls(
            name=name,
            environment=configured.environment if configured else None,
            jurisdiction=configured.jurisdiction if configured else None,
        )

    @strawberry.field
    async def traders(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        filter: Annotated[TraderFilterInput, strawberry.lazy("schema.connections")] | None = None,
    ) -> Annotated[TraderConnection, strawberry.lazy("schema.connections")]:
        from schema.connections import traders_connection  # the connection lists WhiteLabels

        return await traders_connection(info, first, after, filter, white_label=self.name)

    @described("Activity of this white label's traders, from the deal mirror.")
    async def activity(
        self,
        info: Info,
        from_: From,
        to: datetime,
        filter: ActivityFilterInput | None = None,
        group_by: GroupBy = NO_GROUPS,
    ) -> ActivityReport:
        selection = selection_of(filter, white_label=self.name)
        return await activity_report(info, from_, to, selection, group_by)


def configured_white_labels(info: Info) -> list[WhiteLabel]:
    return [WhiteLabel.named(info, name) for name in sorted(info.context.settings.white_labels)]


@strawberry.type
class WhiteLabelQuery:
    @described("The white labels the service is configured with.")
    def white_labels(self, info: Info) -> list[WhiteLabel]:
        return configured_white_labels(info)

    @described("A configured white label by brokerName.")
    def white_label(self, info: Info, name: str) -> WhiteLabel | None:
        known = name in info.context.settings.white_labels
        return WhiteLabel.named(info, name) if known else None
