"""`User`: a cTrader ID, from the service's own record (the upstream cannot read them back)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.context import Info
from schema.fields import described
from schema.node import Node, global_id
from schema.traders import Trader
from store.users import User as UserRecord
from upstream.times import from_epoch_ms


@strawberry.type(description="A cTrader ID: a person, owning trading accounts through links.")
class User(Node):
    user_id: int
    email: str
    nickname: str
    status: str = strawberry.field(description="CTID_NEW, CTID_ACTIVE or CTID_DELETED.")
    preferred_language: str | None
    created_at: datetime | None

    @classmethod
    def of(cls, record: UserRecord) -> User:
        created = None if record.created_ms is None else from_epoch_ms(record.created_ms)
        return cls(
            id=global_id("User", record.user_id),
            user_id=record.user_id,
            email=record.email,
            nickname=record.nickname,
            status=record.status,
            preferred_language=record.preferred_language,
            created_at=created,
        )

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
