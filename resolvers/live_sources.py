"""What each subscription polls: one `Source` per resource and target, keyed by the manager.

The poll key names the caller whose services poll (each caller's client and index show it only
its own traders), so one poller serves every subscriber of that caller and target, and a
poller never polls with one caller's credentials on another's behalf. Upstream failures are
sorted once here: 429 and "unavailable" make the poller back off, a trader that is gone or
invisible is simply absent from the snapshot (its subscribers see nothing), anything else is
unexpected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal

from live.backoff import TransientFailure
from live.changes import Audience, Item, Snapshot
from live.codec import RecordCodec
from live.poller import PollKey, Source
from resolvers.context import Services
from store import journal_ops
from store.journal import JournalEntry
from upstream.errors import (
    NotEnoughRights,
    RateLimited,
    ServerError,
    TraderNotFound,
    UpstreamUnavailable,
)
from upstream.records import OpenPosition, Trader


@dataclass(frozen=True)
class AccountFigures:
    """The money of one account as `accountChanged` reports it (scaled already: exact)."""

    login: int
    currency: str
    money_digits: int
    balance: Decimal
    bonus: Decimal
    credit: Decimal
    equity: Decimal
    used_margin: Decimal
    free_margin: Decimal

    @classmethod
    def of(cls, trader: Trader) -> AccountFigures:
        return cls(
            login=trader.login,
            currency=trader.deposit_currency,
            money_digits=trader.money_digits,
            balance=trader.balance,
            bonus=trader.bonus,
            credit=trader.non_withdrawable_bonus,
            equity=trader.equity,
            used_margin=trader.used_margin,
            free_margin=trader.free_margin,
        )


ACCOUNTS = RecordCodec(AccountFigures)
POSITIONS = RecordCodec(OpenPosition)
MOVEMENTS = RecordCodec(JournalEntry)


@asynccontextmanager
async def polling() -> AsyncIterator[None]:
    """Upstream errors a poller should back off from, as `TransientFailure`."""
    try:
        yield
    except RateLimited as error:
        raise TransientFailure(str(error), error.retry_after) from error
    except ServerError as error:
        raise TransientFailure(str(error), error.retry_after) from error
    except UpstreamUnavailable as error:
        raise TransientFailure(str(error)) from error


Shown = Callable[[], Awaitable[frozenset[int] | None]]


@dataclass(frozen=True)
class Asker:
    """Who polls: their services (client, index), their name (the poll key's scope), and the
    logins they may see where the upstream cannot enforce it (a partner key polls with the
    service's own token; `shown` answers None when the caller's token is limit enough)."""

    services: Services
    name: str
    shown: Shown

    def key(self, resource: str, target: str) -> PollKey:
        return PollKey(resource, self.name, target)

    async def sees(self, login: int) -> bool:
        mine = await self.shown()
        return mine is None or login in mine

    async def keep(self, rows: tuple[OpenPosition, ...]) -> tuple[OpenPosition, ...]:
        mine = await self.shown()
        return rows if mine is None else tuple(row for row in rows if row.login in mine)


def account_source(asker: Asker, login: int) -> Source[AccountFigures]:
    async def fetch() -> Snapshot[AccountFigures]:
        try:
            async with polling():
                if not await asker.sees(login):
                    return {}
                trader = await asker.services.client.get_trader(login)
        except (TraderNotFound, NotEnoughRights):
            return {}
        audience = Audience(white_label=trader.broker_name)
        return {str(login): Item(AccountFigures.of(trader), audience)}

    return Source(asker.key("account", str(login)), fetch, ACCOUNTS)


def positions_of_login(asker: Asker, login: int) -> Source[OpenPosition]:
    async def fetch() -> Snapshot[OpenPosition]:
        try:
            async with polling():
                if not await asker.sees(login):
                    return {}
                rows = await asker.services.client.open_positions(login)
                labels = await _white_labels(asker.services)
        except (TraderNotFound, NotEnoughRights):
            return {}
        return _positions(rows, labels)

    return Source(asker.key("positions", f"login:{login}"), fetch, POSITIONS)


def positions_of_white_label(asker: Asker, white_label: str) -> Source[OpenPosition]:
    """The whole grid in one call, kept to the white label's traders (known from the index)."""

    async def fetch() -> Snapshot[OpenPosition]:
        async with polling():
            rows = await asker.keep(await asker.services.client.open_positions())
            labels = await _white_labels(asker.services)
        return {
            key: item
            for key, item in _positions(rows, labels).items()
            if item.audience.white_label == white_label
        }

    return Source(asker.key("positions", f"whiteLabel:{white_label}"), fetch, POSITIONS)


async def _white_labels(services: Services) -> dict[int, str | None]:
    """Login -> white label, from the shared trader index (one list call per index TTL)."""
    index = await services.index.snapshot(services.client)
    return {login: entry.broker_name for login, entry in index.by_login.items()}


def _positions(
    rows: tuple[OpenPosition, ...], labels: dict[int, str | None]
) -> Snapshot[OpenPosition]:
    return {
        str(row.position_id): Item(row, Audience(white_label=labels.get(row.login))) for row in rows
    }


def movement_source(asker: Asker, movement_id: int) -> Source[JournalEntry]:
    """A money movement lives in the service's own journal: polled there, not upstream. Its
    audience is the caller who recorded it, so only that caller's subscribers see it."""

    async def fetch() -> Snapshot[JournalEntry]:
        entry = await journal_ops.get(asker.services.money.engine, movement_id)
        if entry is None:
            return {}
        return {str(entry.id): Item(entry, Audience(caller=entry.caller))}

    return Source(asker.key("moneyMovement", str(movement_id)), fetch, MOVEMENTS)
