"""The nine attribute calls (3.15-3.23) for traders, trader groups and managers (§12 paths)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from upstream.base import ClientBase
from upstream.calls import Call
from upstream.decode import attribute_page
from upstream.encode import attribute_filters, attribute_upserts
from upstream.inputs import AttributeQuery, AttributeUpsert
from upstream.records import AttributePage, EntityAttributes
from upstream.wire import Document


@dataclass(frozen=True, slots=True)
class Owner:
    """One kind of attribute owner: its path prefix and the wire keys naming its ids."""

    prefix: str
    ids_key: str
    id_key: str
    list_key: str


TRADERS = Owner("/v2/webserv/traders/attributes", "traderIds", "traderId", "traders")
GROUPS = Owner("/v2/webserv/tradergroups/attributes", "groupIds", "groupId", "groups")
MANAGERS = Owner("/v2/webserv/managers/attributes", "managerIds", "managerId", "managers")
_NO_QUERY = AttributeQuery()


class AttributeCalls(ClientBase):
    async def trader_attributes(
        self,
        trader_ids: Sequence[int] = (),
        *,
        limit: int | None = None,
        cursor: int | None = None,
        query: AttributeQuery = _NO_QUERY,
    ) -> AttributePage:
        """3.15; `limit` and `cursor` page through all traders and need `trader_ids` empty."""
        body: Document = {"limit": limit, "cursor": cursor}
        return await self._list(TRADERS, trader_ids, query, body)

    async def group_attributes(
        self, group_ids: Sequence[int], query: AttributeQuery = _NO_QUERY
    ) -> tuple[EntityAttributes, ...]:
        return (await self._list(GROUPS, group_ids, query, {})).entries

    async def manager_attributes(
        self, manager_ids: Sequence[int], query: AttributeQuery = _NO_QUERY
    ) -> tuple[EntityAttributes, ...]:
        return (await self._list(MANAGERS, manager_ids, query, {})).entries

    async def upsert_trader_attributes(self, upserts: Sequence[AttributeUpsert]) -> None:
        await self._upsert(TRADERS, upserts)

    async def upsert_group_attributes(self, upserts: Sequence[AttributeUpsert]) -> None:
        await self._upsert(GROUPS, upserts)

    async def upsert_manager_attributes(self, upserts: Sequence[AttributeUpsert]) -> None:
        await self._upsert(MANAGERS, upserts)

    async def delete_trader_attributes(
        self, trader_ids: Sequence[int], names: Sequence[str] = ()
    ) -> None:
        await self._delete(TRADERS, trader_ids, names)

    async def delete_group_attributes(
        self, group_ids: Sequence[int], names: Sequence[str] = ()
    ) -> None:
        await self._delete(GROUPS, group_ids, names)

    async def delete_manager_attributes(
        self, manager_ids: Sequence[int], names: Sequence[str] = ()
    ) -> None:
        await self._delete(MANAGERS, manager_ids, names)

    async def _list(
        self, owner: Owner, ids: Sequence[int], query: AttributeQuery, extra: Document
    ) -> AttributePage:
        """A list is a POST with a body, but it changes nothing: it is retried like a read."""
        body: Document = {owner.ids_key: list(ids) or None, **extra, **attribute_filters(query)}
        call = Call("POST", f"{owner.prefix}/list", body=body, root="attributesQuery", read=True)
        return await self._read(call, lambda f: attribute_page(f, owner.list_key, owner.id_key))

    async def _upsert(self, owner: Owner, upserts: Sequence[AttributeUpsert]) -> None:
        body: Document = {owner.list_key: attribute_upserts(owner.id_key, upserts)}
        await self._send(Call("PUT", owner.prefix, body=body, root="attributes"))

    async def _delete(self, owner: Owner, ids: Sequence[int], names: Sequence[str]) -> None:
        body: Document = {owner.ids_key: list(ids), "names": list(names) or None}
        call = Call("POST", f"{owner.prefix}/delete", body=body, root="attributesDeletion")
        await self._send(call)
