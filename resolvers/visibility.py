"""Loaders that show a scoped caller only what its trader index holds.

Users and their links live in the service's own database, which the upstream's permissions do
not cover: a user is visible when one of its linked traders is in the caller's index, and its
`traders` list keeps only those. For a partner key, whose calls use the service's own token, the
trader loader also answers None for any login outside the index; a manager's session needs no
such filter, since the upstream refuses that manager's token itself.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence

from auth.callers import Caller
from resolvers.batching import Loader
from resolvers.index import TraderIndex
from resolvers.loaders import Loaders
from store.users import Link, User
from upstream.client import WebServicesClient
from upstream.records import Trader


class Visible:
    """The logins of one caller's index, read once per request (the index is cached)."""

    def __init__(self, index: TraderIndex, client: WebServicesClient) -> None:
        self._index, self._client = index, client

    async def logins(self) -> frozenset[int]:
        return frozenset((await self._index.snapshot(self._client)).by_login)

    def links(self, inner: Loader[int, list[Link]], size: int) -> Loader[int, list[Link]]:
        async def batch(user_ids: Sequence[int]) -> list[list[Link] | BaseException]:
            mine = await self.logins()
            found = await asyncio.gather(*(inner.load(user_id) for user_id in user_ids))
            return [[link for link in links if link.trader_login in mine] for links in found]

        return Loader(batch, max_batch_size=size, name="links")

    def users(
        self, inner: Loader[int, User | None], links: Loader[int, list[Link]], size: int
    ) -> Loader[int, User | None]:
        async def batch(user_ids: Sequence[int]) -> list[User | BaseException | None]:
            shown = await asyncio.gather(*(links.load(user_id) for user_id in user_ids))
            return list(
                await asyncio.gather(
                    *(_user(inner, u, bool(s)) for u, s in zip(user_ids, shown, strict=True))
                )
            )

        return Loader(batch, max_batch_size=size, name="user")

    def traders(self, inner: Loader[int, Trader | None], size: int) -> Loader[int, Trader | None]:
        async def batch(logins: Sequence[int]) -> list[Trader | BaseException | None]:
            mine = await self.logins()
            return list(
                await asyncio.gather(*(_trader(inner, login, login in mine) for login in logins))
            )

        return Loader(batch, max_batch_size=size, name="trader")


def scoped_loaders(loaders: Loaders, visible: Visible, caller: Caller, size: int) -> Loaders:
    """`loaders` for a scoped caller: users and links always, traders for a partner key."""
    links = visible.links(loaders.links, size)
    scoped = dataclasses.replace(
        loaders, links=links, user=visible.users(loaders.user, links, size)
    )
    if caller.partner is None:
        return scoped
    return dataclasses.replace(scoped, trader=visible.traders(loaders.trader, size))


async def _user(inner: Loader[int, User | None], user_id: int, shown: bool) -> User | None:
    return await inner.load(user_id) if shown else None


async def _trader(inner: Loader[int, Trader | None], login: int, shown: bool) -> Trader | None:
    return await inner.load(login) if shown else None
