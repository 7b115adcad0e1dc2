"""`WebServicesClient`: one async method per WebServices endpoint (reference §3 and §12).

Each method describes its `Call` and how to read the answer; the exchange underneath adds the
token, negotiates JSON/XML/CSV, enforces the deadline, retries reads and maps errors once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from pydantic import SecretStr

from upstream import decode, encode, grids
from upstream.answers import malformed_as
from upstream.attributes import AttributeCalls
from upstream.calls import Answer, Call
from upstream.decode import scaled_sub_accounts
from upstream.enums import TraderField
from upstream.errors import WrongPassword
from upstream.inputs import (
    BalanceChangeRequest,
    BonusChangeRequest,
    LinkRequest,
    NewCtid,
    NewTrader,
    TraderPatch,
    TraderReplacement,
)
from upstream.listing import all_pages, requested_fields, summary_page, trader_page, windows
from upstream.records import (
    BalanceChange,
    BonusChange,
    ClosedDeal,
    CtidUser,
    ExistingCtid,
    Link,
    OpenPosition,
    SubAccounts,
    Symbol,
    Trader,
    TraderGroup,
    TraderPage,
    TraderSummary,
)
from upstream.times import format_query_time
from upstream.tokens import md5_hex
from upstream.wire import Document

TRADERS = "/v2/webserv/traders"
TRADER = "/v2/webserv/traders/{login}"
TRADER_LIST = "/v2/webserv/traders/"
Query = tuple[tuple[str, str], ...]


class WebServicesClient(AttributeCalls):
    """The upstream, typed. Build one per process and share it; `aclose()` it at shutdown."""

    async def authenticate(self) -> None:
        """Obtain a token now (otherwise the first call does it); the token stays inside."""
        await self._tokens.current()

    # 3.1-3.7 traders ----------------------------------------------------------------------
    async def create_trader(self, new: NewTrader) -> Trader:
        call = Call("POST", TRADERS, body=encode.new_trader(new), root="trader")
        return await self._read(call, decode.trader)

    async def get_trader(self, login: int) -> Trader:
        return await self._read(Call("GET", TRADER, {"login": login}), decode.trader)

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
        return await self._read(Call("GET", TRADER_LIST, query=query), trader_page)

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
        return await self._read(Call("GET", TRADER_LIST, query=query), summary_page)

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

    # 3.8-3.11 money and passwords ---------------------------------------------------------
    async def change_balance(self, login: int, change: BalanceChangeRequest) -> BalanceChange:
        body = encode.balance_change(login, change)
        call = _write(f"{TRADER}/changebalance", login, body, "balanceChange")
        return await self._read(call, lambda f: BalanceChange(f.integer("balanceHistoryId")))

    async def change_bonus(self, login: int, change: BonusChangeRequest) -> BonusChange:
        body = encode.bonus_change(login, change)
        call = _write(f"{TRADER}/changebonus", login, body, "bonusChange")
        return await self._read(call, lambda f: BonusChange(f.integer("bonusHistoryId")))

    async def change_password(self, login: int, password: SecretStr) -> None:
        body: Document = {"login": login, "hashedPassword": md5_hex(password)}
        await self._send(_write(f"{TRADER}/changepassword", login, body, "password"))

    async def check_password(self, login: int, password: SecretStr) -> bool:
        """True when it matches; WRONG_PASSWORD becomes False, other errors raise."""
        body: Document = {"login": login, "hashedPassword": md5_hex(password)}
        path = f"{TRADER}/checkpassword"
        call = Call("POST", path, {"login": login}, body=body, root="password", read=True)
        try:
            await self._send(call)
        except WrongPassword:
            return False
        return True

    # 3.12-3.14, 3.27, 3.28 reference data and grids --------------------------------------
    async def trader_groups(self) -> tuple[TraderGroup, ...]:
        call = Call("GET", "/v2/webserv/tradergroups")
        return await self._read(call, decode.trader_groups)

    async def open_positions(self, login: int | None = None) -> tuple[OpenPosition, ...]:
        query: Query = () if login is None else (("login", str(login)),)
        call = Call("GET", "/v2/webserv/openPositions", query=query, answer=Answer.GRID)
        return await self._grid(call, grids.open_positions)

    async def closed_positions(
        self, from_: datetime, to: datetime, login: int | None = None
    ) -> tuple[ClosedDeal, ...]:
        """One raw call of 3.14; the upstream refuses windows wider than two days."""
        query: Query = (("from", format_query_time(from_)), ("to", format_query_time(to)))
        query += () if login is None else (("login", str(login)),)
        call = Call("GET", "/v2/webserv/closedPositions", query=query, answer=Answer.GRID)
        return await self._grid(call, grids.closed_deals)

    async def closed_positions_window(
        self, from_: datetime, to: datetime, login: int | None = None
    ) -> tuple[ClosedDeal, ...]:
        """Any window, split into consecutive windows the upstream accepts, oldest first."""
        deals: list[ClosedDeal] = []
        for start, end in windows(from_, to, self._config.closed_positions_window):
            deals.extend(await self.closed_positions(start, end, login))
        return tuple(deals)

    async def symbols(self) -> tuple[Symbol, ...]:
        call = Call("GET", "/v2/webserv/symbols")
        return await self._read(call, decode.symbols)

    async def deposit_assets(self) -> tuple[str, ...]:
        call = Call("GET", "/v2/webserv/depositAssets")
        return await self._read(call, lambda f: tuple(decode.text_items(f, "depositAsset")))

    # 3.24-3.26 cTrader IDs ----------------------------------------------------------------
    async def create_ctid(self, new: NewCtid) -> CtidUser | ExistingCtid:
        call = Call("POST", "/cid/ctid/create", body=encode.new_ctid(new), json_only=True)
        return await self._read(call, decode.ctid)

    async def link_trader(self, link: LinkRequest) -> Link | None:
        """None when `return_account_details` was False (the upstream answers no body)."""
        call = Call("POST", "/cid/ctid/link", body=encode.link(link), json_only=True)
        if not link.return_account_details:
            await self._send(call)
            return None
        return await self._read(call, lambda f: Link(f.integer("ctidTraderAccountId")))

    async def move_to_white_label(
        self, login: int, broker_name: str, environment_name: str
    ) -> None:
        body: Document = {
            "traderLogin": login,
            "brokerName": broker_name,
            "environmentName": environment_name,
        }
        call = Call("POST", "/cid/ctid/changeCtidTraderAccount", body=body, json_only=True)
        await self._send(call)


def _write(template: str, login: int, body: Document, root: str) -> Call:
    return Call("POST", template, {"login": login}, body=body, root=root)


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
