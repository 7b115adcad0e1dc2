"""`User`: a cTrader ID, from the service's own record (the upstream cannot read them back)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.context import Info
from schema.fields import described
from schema.node import Node, node_id
from schema.traders import Trader
from store.users import User as UserRecord
from upstream.times import from_epoch_ms


@strawberry.type(description="A cTrader ID: a person, owning trading accounts through links.")
class User(Node):
    id: strawberry.ID = node_id("User", "user_id")
    user_id: int
    email: str
    nickname: str
    status: str = strawberry.field(description="CTID_NEW, CTID_ACTIVE or CTID_DELETED.")
    preferred_language: str | None
    created_ms: strawberry.Private[int | None]

    @classmethod
    def of(cls, record: UserRecord) -> User:
        return cls(
            user_id=record.user_id,
            email=record.email,
            nickname=record.nickname,
            status=record.status,
            preferred_language=record.preferred_language,
            created_ms=record.created_ms,
        )

    @strawberry.field
    def created_at(self) -> datetime | None:
        return None if self.created_ms is None else from_epoch_ms(self.created_ms)

    @described("The trading accounts linked to this user, by login.")
    async def traders(self, info: Info) -> list[Trader]:
        links = await info.context.loaders.links.load(self.user_id)
        return await Trader.warmed(info, [link.trader_login for link in links])


async def find_user(info: Info, user_id: int) -> User | None:
    found = await info.context.loaders.user.load(user_id)
    return None if found is None else User.of(found)


@strawberry.type
class UserQuery:
    @described("A cTrader ID by its numeric userId.")
    async def user(self, info: Info, id: int) -> User | None:
        return await find_user(info, id)
