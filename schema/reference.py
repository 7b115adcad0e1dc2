"""Reference data: trader groups, symbols and deposit assets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.context import Info
from resolvers.reference import group_named
from schema.fields import described
from upstream.records import Symbol as SymbolRecord

if TYPE_CHECKING:
    from schema.connections import TraderConnection, TraderFilterInput


@strawberry.type(description="A trader group; its id and description cost one upstream call.")
class TraderGroup:
    name: str

    @classmethod
    def named(cls, name: str) -> TraderGroup:
        return cls(name=name)

    @strawberry.field
    async def group_id(self, info: Info) -> int | None:
        found = await group_named(info, self.name)
        return None if found is None else found.id

    @strawberry.field
    async def description(self, info: Info) -> str | None:
        found = await group_named(info, self.name)
        return None if found is None else found.description

    @strawberry.field
    async def traders(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        filter: Annotated[TraderFilterInput, strawberry.lazy("schema.connections")] | None = None,
    ) -> Annotated[TraderConnection, strawberry.lazy("schema.connections")]:
        from schema.connections import traders_connection  # the connection lists groups

        return await traders_connection(info, first, after, filter, group=self.name)


@strawberry.type(description="A tradable symbol.")
class Symbol:
    symbol_id: int
    name: str
    description: str | None
    asset_class: str
    category: str
    quotes_enabled: bool
    show_in_ctrader: bool

    @classmethod
    def of(cls, record: SymbolRecord) -> Symbol:
        return cls(
            symbol_id=record.id,
            name=record.name,
            description=record.description,
            asset_class=record.asset_class,
            category=record.category,
            quotes_enabled=record.quotes_enabled,
            show_in_ctrader=record.show_in_ctrader,
        )


@strawberry.type
class ReferenceQuery:
    @strawberry.field
    async def trader_groups(self, info: Info) -> list[TraderGroup]:
        groups = await info.context.loaders.groups.get()
        return [TraderGroup.named(group.name) for group in groups]

    @strawberry.field
    async def symbols(self, info: Info) -> list[Symbol]:
        return [Symbol.of(record) for record in await info.context.client.symbols()]

    @described("Currencies and assets an account can be denominated in.")
    async def deposit_assets(self, info: Info) -> list[str]:
        return list(await info.context.client.deposit_assets())
