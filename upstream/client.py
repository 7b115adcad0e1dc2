"""`WebServicesClient`: one async method per WebServices endpoint (reference §3 and §12)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from types import TracebackType

import httpx
from pydantic import SecretStr

from upstream.config import ClientConfig
from upstream.enums import TraderField
from upstream.hooks import RequestHook
from upstream.inputs import (
    AttributeQuery,
    AttributeUpsert,
    BalanceChangeRequest,
    BonusChangeRequest,
    LinkRequest,
    NewCtid,
    NewTrader,
    TraderPatch,
    TraderReplacement,
)
from upstream.records import (
    AttributePage,
    BalanceChange,
    BonusChange,
    ClosedDeal,
    CtidUser,
    EntityAttributes,
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


class WebServicesClient:
    """Holds one `httpx.AsyncClient`; use `async with` or call `aclose()`."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_request: RequestHook | None = None,
    ) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> WebServicesClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        raise NotImplementedError

    # 3.0 ----------------------------------------------------------------------------------
    async def authenticate(self) -> None:
        """Obtain a token now (otherwise the first call does it); the token stays inside."""
        raise NotImplementedError

    # 3.1-3.7 traders ----------------------------------------------------------------------
    async def create_trader(self, new: NewTrader) -> Trader:
        raise NotImplementedError

    async def get_trader(self, login: int) -> Trader:
        raise NotImplementedError

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
        raise NotImplementedError

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
        raise NotImplementedError

    async def list_traders(
        self,
        from_: datetime,
        to: datetime,
        *,
        group_id: int | None = None,
        has_open_positions: bool | None = None,
    ) -> tuple[Trader, ...]:
        """Every trader registered in [from_, to), following the `hasMore` paging rule."""
        raise NotImplementedError

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
        raise NotImplementedError

    async def sub_accounts(self, login: int, *, money_digits: int | None = None) -> SubAccounts:
        """3.4; without `money_digits` the parent is read first to learn its scaling."""
        raise NotImplementedError

    async def replace_trader(self, login: int, trader: TraderReplacement) -> None:
        raise NotImplementedError

    async def patch_trader(self, login: int, patch: TraderPatch) -> None:
        raise NotImplementedError

    async def delete_trader(self, login: int) -> None:
        raise NotImplementedError

    # 3.8-3.11 money and passwords ---------------------------------------------------------
    async def change_balance(self, login: int, change: BalanceChangeRequest) -> BalanceChange:
        raise NotImplementedError

    async def change_bonus(self, login: int, change: BonusChangeRequest) -> BonusChange:
        raise NotImplementedError

    async def change_password(self, login: int, password: SecretStr) -> None:
        raise NotImplementedError

    async def check_password(self, login: int, password: SecretStr) -> bool:
        """True when it matches; WRONG_PASSWORD becomes False, other errors raise."""
        raise NotImplementedError

    # 3.12-3.14, 3.27, 3.28 reference data and grids --------------------------------------
    async def trader_groups(self) -> tuple[TraderGroup, ...]:
        raise NotImplementedError

    async def open_positions(self, login: int | None = None) -> tuple[OpenPosition, ...]:
        raise NotImplementedError

    async def closed_positions(
        self, from_: datetime, to: datetime, login: int | None = None
    ) -> tuple[ClosedDeal, ...]:
        """One raw call of 3.14; the upstream refuses windows wider than two days."""
        raise NotImplementedError

    async def closed_positions_window(
        self, from_: datetime, to: datetime, login: int | None = None
    ) -> tuple[ClosedDeal, ...]:
        """Any window, split into consecutive windows the upstream accepts, in time order."""
        raise NotImplementedError

    async def symbols(self) -> tuple[Symbol, ...]:
        raise NotImplementedError

    async def deposit_assets(self) -> tuple[str, ...]:
        raise NotImplementedError

    # 3.15-3.23 attributes -----------------------------------------------------------------
    async def trader_attributes(
        self,
        trader_ids: Sequence[int] = (),
        *,
        limit: int | None = None,
        cursor: int | None = None,
        query: AttributeQuery = AttributeQuery(),  # noqa: B008 - frozen, so sharing is safe
    ) -> AttributePage:
        raise NotImplementedError

    async def group_attributes(
        self,
        group_ids: Sequence[int],
        query: AttributeQuery = AttributeQuery(),  # noqa: B008 - frozen, so sharing is safe
    ) -> tuple[EntityAttributes, ...]:
        raise NotImplementedError

    async def manager_attributes(
        self,
        manager_ids: Sequence[int],
        query: AttributeQuery = AttributeQuery(),  # noqa: B008 - frozen, so sharing is safe
    ) -> tuple[EntityAttributes, ...]:
        raise NotImplementedError

    async def upsert_trader_attributes(self, upserts: Sequence[AttributeUpsert]) -> None:
        raise NotImplementedError

    async def upsert_group_attributes(self, upserts: Sequence[AttributeUpsert]) -> None:
        raise NotImplementedError

    async def upsert_manager_attributes(self, upserts: Sequence[AttributeUpsert]) -> None:
        raise NotImplementedError

    async def delete_trader_attributes(
        self, trader_ids: Sequence[int], names: Sequence[str] = ()
    ) -> None:
        raise NotImplementedError

    async def delete_group_attributes(
        self, group_ids: Sequence[int], names: Sequence[str] = ()
    ) -> None:
        raise NotImplementedError

    async def delete_manager_attributes(
        self, manager_ids: Sequence[int], names: Sequence[str] = ()
    ) -> None:
        raise NotImplementedError

    # 3.24-3.26 cTrader IDs ----------------------------------------------------------------
    async def create_ctid(self, new: NewCtid) -> CtidUser | ExistingCtid:
        raise NotImplementedError

    async def link_trader(self, link: LinkRequest) -> Link | None:
        """None when `return_account_details` was False (the upstream answers no body)."""
        raise NotImplementedError

    async def move_to_white_label(
        self, login: int, broker_name: str, environment_name: str
    ) -> None:
        raise NotImplementedError
