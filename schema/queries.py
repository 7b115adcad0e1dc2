"""The trader fields of `Query`, and `node(id)` over every Node type."""

from __future__ import annotations

import re

import strawberry

from resolvers.context import Info
from resolvers.errors import InvalidInput, positive_login
from resolvers.traders import find_trader, index_entry
from schema.connections import DEFAULT_PAGE, TraderConnection, TraderFilterInput, traders_connection
from schema.fields import described
from schema.node import Node, parse_global_id
from schema.partners import find_partner
from schema.traders import Trader
from schema.users import find_user
from schema.white_labels import WhiteLabel

NUMBER = re.compile(r"[1-9][0-9]{0,9}")
"""A numeric node key: a positive login or user id, ASCII digits, within GraphQL's Int."""


async def trader_by_login(info: Info, login: int) -> Trader | None:
    if await find_trader(info, positive_login(login)) is None:
        return None
    return Trader.of(login, await index_entry(info, login))


def _number(key: str) -> int:
    if NUMBER.fullmatch(key) is None:
        raise InvalidInput(f"Invalid node id key {key!r}.")
    return int(key)


async def resolve_node(info: Info, id: str) -> Node | None:
    type_name, key = parse_global_id(id)
    if type_name == "Trader":
        return await trader_by_login(info, _number(key))
    if type_name == "User":
        return await find_user(info, _number(key))
    if type_name == "Partner":
        return await find_partner(info, key)
    if type_name == "WhiteLabel" and key in info.context.settings.white_labels:
        return WhiteLabel.named(info, key)
    return None


@strawberry.type
class TraderQuery:
    @described("Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @described("A trader by login; null when the upstream has none.")
    async def trader(self, info: Info, login: int) -> Trader | None:
        return await trader_by_login(info, login)

    @described("Traders page by page, oldest registration first.")
    async def traders(
        self,
        info: Info,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        filter: TraderFilterInput | None = None,
    ) -> TraderConnection:
        return await traders_connection(info, first, after, filter)
