"""The per-request loaders: every batched read the schema makes goes through one of these.

Built fresh for each request (`Context.for_request`), so their caches live exactly as long as
the request. Each caps its batch at `loader_batch_size` keys.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, fields
from typing import TypeVar

from history.mirror import HistoryMirror
from resolvers.batching import Loader, Once, slots_by_key
from resolvers.index import TraderIndex
from resolvers.position_batch import ClosedKey, load_closed_deals, load_open_positions
from resolvers.risk import MarginLevels, margin_levels
from resolvers.summary_batch import SummaryKey, load_summaries
from resolvers.trader_batch import load_traders
from settings import ServiceSettings
from store.users import Link, User, UserStore
from upstream.client import WebServicesClient
from upstream.position_grid import PositionGrid
from upstream.records import (
    Attribute,
    ClosedDeal,
    OpenPosition,
    Trader,
    TraderGroup,
    TraderSummary,
)

T = TypeVar("T")


async def _attributes(
    client: WebServicesClient, logins: Sequence[int]
) -> list[tuple[Attribute, ...] | BaseException]:
    page = await client.trader_attributes(list(logins))
    found = {entry.entity_id: entry.attributes for entry in page.entries}
    return slots_by_key(logins, found, ())


async def _users_by_login(
    users: UserStore, logins: Sequence[int]
) -> list[User | BaseException | None]:
    found: dict[int, User | None] = dict(await users.users_by_login(logins))
    return slots_by_key(logins, found, None)


async def _users_by_id(users: UserStore, ids: Sequence[int]) -> list[User | BaseException | None]:
    return slots_by_key(ids, dict(await users.users_by_id(ids)), None)


async def _links_by_user(users: UserStore, ids: Sequence[int]) -> list[list[Link] | BaseException]:
    return slots_by_key(ids, dict(await users.links_by_user(ids)), [])


@dataclass(frozen=True)
class Loaders:
    trader: Loader[int, Trader | None]
    summary: Loader[SummaryKey, TraderSummary | None]
    open_positions: Loader[int, tuple[OpenPosition, ...]]
    closed_deals: Loader[ClosedKey, tuple[ClosedDeal, ...]]
    attributes: Loader[int, tuple[Attribute, ...]]
    user_by_login: Loader[int, User | None]
    user: Loader[int, User | None]
    links: Loader[int, list[Link]]
    groups: Once[tuple[TraderGroup, ...]]
    all_open_positions: Once[PositionGrid[OpenPosition]]
    margin_levels: Once[MarginLevels]
    warmed: dict[Hashable, dict[int, frozenset[str]]] = field(default_factory=dict)
    """Per warmed field and login, the names a list selected under it (`schema/batched.py`)."""
    selected: dict[tuple[int, ...], frozenset[str]] = field(default_factory=dict)
    """The names selected under a group of field nodes, by the nodes' ids (`schema/selection.py`):
    a field of each node of a page reads the same group, once per request."""

    def forget_trader(self, login: int) -> None:
        """After a mutation changed `login`: later fields of this request read it afresh."""
        self.trader.clear(login)
        self.summary.clear_all()  # keyed by login and field set; a write is rare, so drop all
        self.attributes.clear(login)
        self.user_by_login.clear(login)

    def release(self) -> None:
        """Let go of everything this request loaded, once its answer is complete.

        Strawberry's execution context is a reference cycle that holds the request's context,
        and so these loaders: without this, what they loaded (everyone's open positions grid,
        the page's records) would wait for the cyclic collector, run rarely in a serving process
        (`server.tune_collector`), and pages of 500 traders would pile up in memory meanwhile.
        """
        for part in (getattr(self, each.name) for each in fields(self)):
            if isinstance(part, Loader):
                part.clear_all()
            elif isinstance(part, Once):
                part.forget()
        self.warmed.clear()
        self.selected.clear()

    @classmethod
    def build(
        cls,
        client: WebServicesClient,
        users: UserStore,
        index: TraderIndex,
        settings: ServiceSettings,
        history: HistoryMirror,
    ) -> Loaders:
        size = settings.loader_batch_size
        everyone_open = Once(client.open_position_grid)
        trader: Loader[int, Trader | None] = Loader(
            lambda keys: load_traders(client, index, keys), max_batch_size=size, name="trader"
        )
        return cls(
            summary=Loader(
                lambda keys: load_summaries(client, index, trader, keys),
                max_batch_size=size,
                name="summary",
            ),
            trader=trader,
            open_positions=Loader(
                lambda keys: load_open_positions(client, everyone_open, keys),
                max_batch_size=size,
                name="open_positions",
            ),
            closed_deals=Loader(
                lambda keys: load_closed_deals(client, history, keys),
                max_batch_size=size,
                name="closed_deals",
            ),
            attributes=Loader(
                lambda keys: _attributes(client, keys), max_batch_size=size, name="attributes"
            ),
            user_by_login=Loader(
                lambda keys: _users_by_login(users, keys), max_batch_size=size, name="user_by_login"
            ),
            user=Loader(lambda keys: _users_by_id(users, keys), max_batch_size=size, name="user"),
            links=Loader(
                lambda keys: _links_by_user(users, keys), max_batch_size=size, name="links"
            ),
            groups=Once(client.trader_groups),
            all_open_positions=everyone_open,
            margin_levels=Once(lambda: margin_levels(client)),
        )
