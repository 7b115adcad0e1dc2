"""The trader calls (3.1-3.7), and the list (3.3) followed page by page."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import TypeVar

from upstream import decode, encode
from upstream.answers import malformed_as
from upstream.base import ClientBase
from upstream.calls import Answer, Call, media_type
from upstream.decode import scaled_sub_accounts
from upstream.enums import TraderField
from upstream.inputs import NewTrader, TraderPatch, TraderReplacement
from upstream.listing import (
    KeptPage,
    all_kept,
    all_pages,
    kept_stream,
    requested_fields,
    summary_page,
    trader_page,
)
from upstream.records import SubAccounts, Trader, TraderPage, TraderSummary
from upstream.streamed import Records
from upstream.times import format_query_time

K = TypeVar("K")

TRADERS = "/v2/webserv/traders"
TRADER = "/v2/webserv/traders/{login}"
TRADER_LIST = "/v2/webserv/traders/"
Query = tuple[tuple[str, str], ...]


class TraderCalls(ClientBase):
    async def create_trader(self, new: NewTrader) -> Trader:
        call = Call("POST", TRADERS, body=encode.new_trader(new), root="trader")
        return await self._read(call, decode.trader)

    async def get_trader(self, login: int) -> Trader:
        call = Call("GET", TRADER, {"login": login})
        return await self._read(call, decode.trader, shared="trader")

    async def list_traders_page(
        self,
        from_: datetime,
        to: datetime,
        *,
        group_id: int | None = None,
        has_open_positions: bool | None = None,
        deal_from: datetime | None = None,
        deal_to: datetime | None = None,
    ) -> TraderPage[Trader]:
        """One raw call of 3.3 with full entities."""
        query = _list_query(from_, to, group_id, has_open_positions, deal_from, deal_to)
        return await self._read(Call("GET", TRADER_LIST, query=query), trader_page, shared="page")

    async def list_trader_summaries_page(
        self,
        from_: datetime,
        to: datetime,
        fields: Collection[TraderField],
        *,
        group_id: int | None = None,
        has_open_positions: bool | None = None,
        deal_from: datetime | None = None,
        deal_to: datetime | None = None,
    ) -> TraderPage[TraderSummary]:
        """One raw call of 3.3 restricted to `fields` (login and registration time added)."""
        query = _list_query(from_, to, group_id, has_open_positions, deal_from, deal_to)
        query += (("fields", requested_fields(fields)),)
        call = Call("GET", TRADER_LIST, query=query)
        return await self._read(call, summary_page, shared="summaries")

    async def list_traders(
        self,
        from_: datetime,
        to: datetime,
        *,
        group_id: int | None = None,
        has_open_positions: bool | None = None,
    ) -> tuple[Trader, ...]:
        """Every trader registered in [from_, to), newest first, following `hasMore`."""

        async def page(upper: datetime) -> TraderPage[Trader]:
            return await self.list_traders_page(
                from_, upper, group_id=group_id, has_open_positions=has_open_positions
            )

        with malformed_as(Call("GET", TRADER_LIST)):
            return await all_pages(to, page)

    async def list_trader_summaries(
        self,
        from_: datetime,
        to: datetime,
        fields: Collection[TraderField],
        *,
        group_id: int | None = None,
        has_open_positions: bool | None = None,
    ) -> tuple[TraderSummary, ...]:
        """Like `list_traders`, restricted to `fields`."""

        async def page(upper: datetime) -> TraderPage[TraderSummary]:
            return await self.list_trader_summaries_page(
                from_, upper, fields, group_id=group_id, has_open_positions=has_open_positions
            )

        with malformed_as(Call("GET", TRADER_LIST)):
            return await all_pages(to, page)

    async def keep_trader_summaries(
        self,
        from_: datetime,
        to: datetime,
        fields: Collection[TraderField],
        keep: Callable[[TraderSummary], K],
    ) -> list[K]:
        """`list_trader_summaries`, each summary turned by `keep` as soon as it is read, and a
        JSON answer read record by record as it arrives (`upstream.streamed`): a list of
        100,000 traders (the trader index) is never held whole as its body, its text, parsed
        JSON, nor as summaries. Identical calls in flight with the same `keep` share one upstream
        call; none is kept by the read cache (the index is the cache:
        `TRADERGRAPH_INDEX_TTL_SECONDS`)."""
        query = (("fields", requested_fields(fields)),)
        xml = media_type(Call("GET", TRADER_LIST), self._config.wire_format) != "application/json"

        async def page(upper: datetime) -> KeptPage[K]:
            listed = _list_query(from_, upper, None, None, None, None)
            call = Call("GET", TRADER_LIST, query=listed + query)
            return await self._streamed(
                call,
                lambda chunks: kept_stream(chunks, Records("trader", xml=xml), keep),
                reader=f"kept:{id(keep)}",  # `keep` is alive while its flight is: no id reuse
            )

        with malformed_as(Call("GET", TRADER_LIST)):
            return await all_kept(to, page)

    async def sub_accounts(self, login: int, *, money_digits: int | None = None) -> SubAccounts:
        """3.4; without `money_digits` the parent is read first to learn its scaling."""
        if money_digits is None:
            money_digits = (await self.get_trader(login)).money_digits
        call = Call("GET", f"{TRADER}/subaccounts", {"login": login})
        digits = money_digits
        return await self._read(call, lambda f: scaled_sub_accounts(f, digits))

    async def replace_trader(self, login: int, trader: TraderReplacement) -> None:
        body = encode.replacement(login, trader)
        await self._send(Call("PUT", TRADER, {"login": login}, body=body, root="trader"))

    async def patch_trader(self, login: int, patch: TraderPatch) -> None:
        body = encode.patch(patch)
        await self._send(Call("PATCH", TRADER, {"login": login}, body=body, root="trader"))

    async def delete_trader(self, login: int) -> None:
        await self._send(Call("DELETE", TRADER, {"login": login}, answer=Answer.NOTHING))


def _list_query(
    from_: datetime,
    to: datetime,
    group_id: int | None,
    has_open_positions: bool | None,
    deal_from: datetime | None,
    deal_to: datetime | None,
) -> Query:
    pairs: list[tuple[str, str | None]] = [
        ("from", format_query_time(from_)),
        ("to", format_query_time(to)),
        ("dealFrom", None if deal_from is None else format_query_time(deal_from)),
        ("dealTo", None if deal_to is None else format_query_time(deal_to)),
        ("groupId", None if group_id is None else str(group_id)),
        ("hasOpenPositions", None if has_open_positions is None else _flag(has_open_positions)),
    ]
    return tuple((key, value) for key, value in pairs if value is not None)


def _flag(value: bool) -> str:
    return "true" if value else "false"
